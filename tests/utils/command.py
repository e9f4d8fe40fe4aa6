"""The real ``vnpolicy`` command, run as a user runs it: the installed entry point in a
subprocess, with no ``VNPOLICY_*`` variable but those a test gives (a stray one in the developer's
environment would be refused, or change what the command does)."""

import os
import subprocess
import sys
from pathlib import Path

COMMAND = Path(sys.executable).parent / "vnpolicy"


def vnpolicy(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.upper().startswith("VNPOLICY_")}
    return subprocess.run(
        [str(COMMAND), *args],
        capture_output=True,
        encoding="utf-8",
        env={**clean, **(env or {})},
        cwd=cwd,
        timeout=120,
        check=False,
    )
