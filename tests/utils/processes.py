"""Processes as Linux shows them in /proc: a server's query workers, its zombies, and whether a
process lives."""

from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def children(pid: int) -> set[int]:
    """The live child processes of ``pid``, whichever of its threads started them."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and fields[1] == str(pid) and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def zombies(pid: int) -> set[int]:
    """The children of ``pid`` that have exited and were not reaped."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and fields[1] == str(pid) and fields[0] == "Z":
                found.add(int(entry.name))
    return found


def query_workers(server_pid: int) -> set[int]:
    """A server's query worker processes: the children of its template process (the child the
    workers are forked from; server/runtime/template.py)."""
    workers: set[int] = set()
    for child in children(server_pid):
        workers |= children(child)
    return workers


def running(pid: int) -> bool:
    """Whether a process is alive (an exited one waiting to be reaped is not)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def rss_mib(pid: int) -> float:
    """A process's resident memory in MiB (its own pages and those it shares)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")
