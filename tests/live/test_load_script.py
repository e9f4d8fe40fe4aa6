"""The load script (bench/load.py) runs against a real server and every request succeeds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.utils.paths import ROOT
from tests.utils.waiting import PATIENCE


@pytest.mark.slow
def test_a_short_load_run_has_no_errors(built: Path, tmp_path: Path) -> None:
    """The script's server answers from the session's dumps (not the checkout's out/, which
    it would build when stale, and which another run may be building)."""
    record = tmp_path / "load.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--seconds", "6", "--clients", "1", "8",
         "--json", str(record)],
        check=True, timeout=PATIENCE * 5, cwd=ROOT, env={**os.environ, "VNPOLICY_OUT": str(built)},
    )  # fmt: skip
    result = json.loads(record.read_text())
    assert [level["clients"] for level in result["levels"]] == [1, 8]
    # Each client's first request starts at once, so every one is counted at least once.
    assert all(level["requests"] >= level["clients"] for level in result["levels"])
    assert [level["errors"] for level in result["levels"]] == [0, 0]
