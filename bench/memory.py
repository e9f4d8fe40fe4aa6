"""Memory of a server and its processes, read from Linux's ``/proc``.

A vnpolicy server is three kinds of process: the main one (HTTP), its template (forked from it
before any thread started, sharing the store copy-on-write) and the query workers (forked from
the template, so the main process's grandchildren). ``tree`` finds them all; ``usage`` reads one
process's resident and proportional set sizes. The PSS of a process counts a page shared by n
processes as 1/n, so the PSS of a whole tree counts each shared page once.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Usage:
    """One process's memory, in MiB: resident (RSS), proportional (PSS), private (its own)."""

    rss: float
    pss: float
    private: float


def children(pid: int) -> list[int]:
    """The direct children of a process (every thread's)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return sorted(set(found))


def tree(pid: int) -> list[int]:
    """A process and all its descendants (children, grandchildren, …), parent first."""
    found, waiting = [], [pid]
    while waiting:
        each = waiting.pop(0)
        found.append(each)
        waiting += children(each)
    return found


def usage(pid: int) -> Usage | None:
    """A process's memory, or None once it has gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except (FileNotFoundError, ProcessLookupError):
        return None
    kib: dict[str, int] = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            kib[parts[0].rstrip(":")] = int(parts[1])
    private = kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0)
    return Usage(kib.get("Rss", 0) / 1024, kib.get("Pss", 0) / 1024, private / 1024)


def pss_mib(pid: int) -> float:
    """The PSS of a process and every descendant (a server and its workers), in MiB."""
    return sum(found.pss for each in tree(pid) if (found := usage(each)) is not None)


@dataclass(frozen=True)
class ServerMemory:
    """A vnpolicy server's memory by role, in MiB."""

    main: Usage
    template: Usage | None
    workers: list[Usage]
    total_pss: float  #: every process of the tree, shared pages counted once

    def line(self) -> str:
        workers = ", ".join(f"{w.pss:.0f}" for w in self.workers)
        template = f"{self.template.pss:.0f}" if self.template else "-"
        return (
            f"main RSS {self.main.rss:.0f} PSS {self.main.pss:.0f} private {self.main.private:.0f}"
            f"; template PSS {template}; workers PSS [{workers}]; all PSS {self.total_pss:.0f}"
        )


def server_memory(pid: int) -> ServerMemory | None:
    """The main process (``pid``), its template (its child) and the workers (the template's
    children), each apart; None once the server has gone. A server over an external store has
    no template."""
    main = usage(pid)
    if main is None:
        return None
    # The template is the child with children (the workers); a server over an external store
    # has none.
    template_pid = max(children(pid), key=lambda child: len(children(child)), default=None)
    template = usage(template_pid) if template_pid is not None else None
    workers = []
    if template_pid is not None:
        workers = [w for each in children(template_pid) if (w := usage(each)) is not None]
    return ServerMemory(main, template, workers, pss_mib(pid))
