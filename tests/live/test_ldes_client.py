"""A real LDES client (the ``ldes-client`` npm package, under Node) replicates the event stream
of a real server, then follows it while a second release is built: it sees that one change."""

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

import pytest
from rdflib import Graph

from tests.utils.corpus import FIXTURE_SOURCES
from tests.utils.programs import require_program
from tests.utils.servers import running_server
from tests.utils.waiting import PATIENCE
from vnpolicy.graph.build.dataset import build_dataset
from vnpolicy.graph.build.inputs import inputs_digest
from vnpolicy.graph.output.dumps import write_dataset
from vnpolicy.graph.read.releases import Archive
from vnpolicy.graph.uris import DEFAULT_BASE

CLIENT = Path(__file__).resolve().parent.parent / "js" / "ldes"
CHANGED_FILE = "01-cv-bcdtw.md"
OLD_LABEL = "{en: Dispatch 01-CV/BCĐTW,"
NEW_LABEL = "{en: Dispatch 01-CV/BCĐTW (revised in a test),"


def _client() -> str:
    node = require_program("node", package="nodejs")
    if not (CLIENT / "node_modules" / "ldes-client").is_dir():
        message = "ldes-client is not installed: run 'npm ci --prefix tests/js/ldes'"
        if os.environ.get("REQUIRE_TEST_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return node


def _build(sources: Path, out: Path, model: Graph) -> None:
    dataset = build_dataset(sources / "documents", sources / "registry.yaml", model=model)
    write_dataset(dataset, out, inputs_digest(DEFAULT_BASE, sources))


def _lines(stream: IO[bytes], into: "queue.Queue[dict[str, Any]]") -> None:
    for line in stream:
        if line.startswith(b"{"):
            into.put(json.loads(line))


def test_the_ldes_client_replicates_the_stream_then_follows_a_change(
    model: Graph, tmp_path: Path
) -> None:
    node = _client()
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    out = tmp_path / "out"
    _build(sources, out, model)
    (first,) = Archive(out).releases()
    env = {"VNPOLICY_SOURCES": str(sources)}
    with running_server(out, tmp_path, env) as live:
        process = subprocess.Popen(
            [node, str(CLIENT / "follow.mjs"), f"{live.url}/ldes"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        members: queue.Queue[dict[str, Any]] = queue.Queue()
        reader = threading.Thread(target=_lines, args=(process.stdout, members), daemon=True)
        reader.start()
        try:
            replicated = [members.get(timeout=PATIENCE * 4) for _ in first.documents]
            assert {member["isVersionOf"] for member in replicated} == set(first.documents)
            assert all(member["id"].startswith(f"{live.url}/releases/") for member in replicated)
            # A second release: one document's label changes in the sources, the build runs.
            path = sources / "documents" / CHANGED_FILE
            path.write_text(
                path.read_text(encoding="utf-8").replace(OLD_LABEL, NEW_LABEL), encoding="utf-8"
            )
            _build(sources, out, model)
            second = Archive(out).releases()[-1]
            (changed,) = second.changed
            followed = members.get(timeout=PATIENCE * 4)
            assert followed["isVersionOf"] == changed
            assert followed["id"] == f"{live.url}/releases/{second.id}/" + changed.removeprefix(
                DEFAULT_BASE
            )
            assert followed["timestamp"].startswith(second.time.strftime("%Y-%m-%dT%H:%M:%S"))
            assert members.empty(), "the client emitted a member it had already seen"
        finally:
            process.terminate()
            process.wait(timeout=PATIENCE)
            reader.join(timeout=PATIENCE)
            assert process.stdout is not None
            process.stdout.close()
