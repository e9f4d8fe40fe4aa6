"""Fuzzing the published OpenAPI description with schemathesis (its command line, against a real
server with writes enabled), with valid and invalid requests: none may get a 5xx, and every
status answered is one the description names. Bounded in examples and time."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.utils.servers import WRITE_TOKEN, serving_copy


@pytest.mark.slow
def test_fuzzing_finds_no_server_error_and_no_undocumented_status(
    built: Path, tmp_path: Path
) -> None:
    schemathesis = shutil.which("schemathesis")
    if schemathesis is None:
        pytest.fail("schemathesis is a development dependency; run 'uv sync'")
    # A time limit a loaded machine cannot reach with an ordinary request (a 503 would count as
    # a server error); a generated runaway still meets it.
    env = {"VNPOLICY_WRITE_TOKEN": WRITE_TOKEN, "VNPOLICY_QUERY_TIMEOUT": "30"}
    with serving_copy(built, tmp_path, env) as live:
        result = subprocess.run(
            [
                schemathesis, "run", f"{live.url}/openapi.json",
                "--checks", "not_a_server_error,status_code_conformance",
                "--mode", "all",
                "--phases", "examples,coverage,fuzzing",
                "--max-examples", "25",
                "--max-time", "60",
                "--workers", "1",
                "--request-timeout", "60",
                "--seed", "57",
                "--header", f"Authorization: Bearer {WRITE_TOKEN}",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,  # schemathesis stops itself after --max-time; this is for a hang
            check=False,
        )  # fmt: skip
    summary = result.stdout[-3000:]
    print(summary)
    assert result.returncode == 0, summary
    assert "Server error" not in result.stdout
    assert " passed" in result.stdout
