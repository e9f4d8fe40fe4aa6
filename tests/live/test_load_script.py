"""The load script (bench/load.py) runs against a real server and every request succeeds."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.utils.paths import ROOT


@pytest.mark.slow
def test_a_short_load_run_has_no_errors(tmp_path: Path) -> None:
    record = tmp_path / "load.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--seconds", "6", "--clients", "1", "8",
         "--json", str(record)],
        check=True, timeout=180, cwd=ROOT,
    )  # fmt: skip
    result = json.loads(record.read_text())
    assert [level["clients"] for level in result["levels"]] == [1, 8]
    # Each client's first request starts at once, so every one is counted at least once.
    assert all(level["requests"] >= level["clients"] for level in result["levels"])
    assert [level["errors"] for level in result["levels"]] == [0, 0]
