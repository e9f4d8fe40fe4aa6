"""Folders the server keeps files in while it runs (gzipped dumps, network exports): in the
system's temporary folder, named for the process, removed when it stops — and, for a server that
was killed, by the next one to start."""

import os
import shutil
import tempfile
from pathlib import Path

from vnpolicy.graph.processes import running


def scratch_folder(kind: str) -> Path:
    """A new folder ``vnpolicy-KIND-PID-…``, after removing those of servers no longer running."""
    for folder in Path(tempfile.gettempdir()).glob(f"vnpolicy-{kind}-*-*"):
        owner = folder.name.split("-")[2]
        if owner.isdigit() and not running(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"vnpolicy-{kind}-{os.getpid()}-"))
