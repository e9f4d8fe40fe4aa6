"""How much memory a worker process uses of its own: the pages it does not share with the
template it was forked from (the store's pages stay shared until written), read from Linux's
``/proc/PID/smaps_rollup``."""

from pathlib import Path

_OWN = ("Private_Clean:", "Private_Dirty:", "Swap:")


def own_mib(pid: int) -> float | None:
    """The process's private memory in MiB, or None where it cannot be read (not Linux, or the
    process is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kib = 0
    for line in text.splitlines():
        if line.startswith(_OWN):
            kib += int(line.split()[1])
    return kib / 1024
