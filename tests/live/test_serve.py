"""Starting the server: it builds stale dumps, reuses current ones, and keeps an on-disk store.
(A runaway query stopped and its worker replaced: ``test_runaway.py``.)"""

from pathlib import Path

from tests.utils.paths import DOCUMENT_COUNT
from tests.utils.processes import query_workers, zombies
from tests.utils.servers import running_server
from tests.utils.sparql import count
from tests.utils.waiting import wait_until

DOCUMENTS = "SELECT ?d WHERE { ?d a vnp:Document }"


def test_builds_when_stale_then_reuses_and_keeps_a_disk_store(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    with running_server(out, tmp_path, args=("--store", str(store))) as first:
        assert count(first.http, DOCUMENTS) == DOCUMENT_COUNT
        assert "built and loaded" in first.output()
        # The dumps are written by the build's own process, after it has handed the data over.
        wait_until((out / "manifest.json").exists, "the build to write its dumps")
        assert (out / "vnpolicy.nq").is_file()
        assert len(list((out / "documents").glob("*.jsonld"))) == DOCUMENT_COUNT
        # Then the build's process is reaped: no child of the server is left a zombie.
        wait_until(lambda: not zombies(first.process.pid), "the build's process to be reaped")
        assert len(query_workers(first.process.pid)) == 2
    assert (store / "vnpolicy-inputs.sha256").is_file()
    with running_server(out, tmp_path, args=("--store", str(store))) as second:
        assert count(second.http, DOCUMENTS) == DOCUMENT_COUNT
        assert "vnpolicy: loaded" in second.output()
