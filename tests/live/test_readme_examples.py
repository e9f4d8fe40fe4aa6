"""The README's curl examples that read, run with the real curl against a real server (its port
in place of 8000): each succeeds and answers what it promises."""

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.utils.corpus import DISPATCH, R57, path
from tests.utils.paths import ROOT
from tests.utils.programs import require_program
from tests.utils.servers import LiveServer

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _read_only_examples() -> list[str]:
    """Every curl command of the README (inline or in a block) that reads: no upload, no token."""
    found = re.findall(r"`(curl [^`]+)`", README)
    found += [
        line.split("#", 1)[0].strip()
        for line in README.splitlines()
        if line.startswith("curl ") and not line.rstrip().endswith("\\")
    ]
    return [
        example
        for example in dict.fromkeys(found)
        if "-X" not in example and "--data" not in example and "Authorization" not in example
    ]


EXAMPLES = _read_only_examples()


def test_the_readme_has_the_examples_this_test_runs() -> None:
    assert len(EXAMPLES) == 7, EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_readme_curl_example_works_as_written(
    server: LiveServer, example: str, tmp_path: Path
) -> None:
    curl = require_program("curl", "curl")
    port = server.url.rsplit(":", 1)[1]
    arguments = [curl, "-sS", "-f", *shlex.split(example)[1:]]
    arguments = [argument.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for argument in arguments]
    done = subprocess.run(arguments, capture_output=True, cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    if "/search?" in example and "format=json" in example:
        assert json.loads(done.stdout)["results"][0]["uri"] == R57
    elif "/search?" in example:
        assert b'class="search-hit-title"' in done.stdout
    elif "/id?" in example:
        assert b"303 See Other" in done.stdout
        assert b"location: " + path(DISPATCH).encode() in done.stdout.lower()
    elif "/sparql" in example:
        assert done.stdout.count(b'"type":"uri"') == 5  # five documents, as the query asks
    elif "/tracker" in example:
        assert (tmp_path / "tracker.csv").read_text(encoding="utf-8").startswith("tracked,item,")
    elif "-O" in example:
        assert (tmp_path / "policy-map.graphml").read_bytes().startswith(b"<?xml")
    else:
        assert b"eli:date_document" in done.stdout
