"""Whether a process still runs: folders named for a process (a build's staging folder, a
server's scratch folders) are removed once it has gone."""

import os


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: it runs
        return True
    return True
