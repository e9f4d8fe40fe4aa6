"""A store on a disk that fills: a write is refused with 507 and changes nothing, every reader
agrees on the data, writes resume once there is room, a store whose disk filled during a write
takes no more writes until restarted, and a start on a full disk stops with one line.

The disk is a small tmpfs mounted for the test (root, as in CI; skipped with the reason
otherwise)."""

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse

from tests.utils.command import vnpolicy
from tests.utils.programs import require_root
from tests.utils.servers import AUTH, WRITE_TOKEN, running_server
from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.loading import (
    StoreFilled,
    _journal_record,
    apply_durably,
    replay_pending,
)

GRAPH = "http://example.org/room"
TRIPLES = b"".join(
    f'<http://example.org/s{i}> <http://example.org/p> "{"x" * 200} {i}" .\n'.encode()
    for i in range(200)
)
NT = {"Content-Type": "application/n-triples", **AUTH}
ASK = {"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"}
ONE = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/a> <http://example.org/b> 1 }} }}"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 MiB tmpfs, unmounted after the test."""
    require_root("mounting a small tmpfs")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> Path:
    """Fill the disk to the last block; the file that fills it."""
    filler = disk / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 4096, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(handle)
    return filler


def test_a_write_to_a_full_disk_is_507_and_changes_nothing(
    built: Path, tmp_path: Path, disk: Path
) -> None:
    env = {"VNPOLICY_WRITE_TOKEN": WRITE_TOKEN}
    out = tmp_path / "out"
    subprocess.run(["cp", "-r", str(built), str(out)], check=True)
    with running_server(out, tmp_path, env, ("--store", str(disk / "store"))) as live:
        dump = live.http.get("/dumps/vnpolicy.nq").content
        filler = _fill(disk)
        refused = live.http.put("/store", params={"graph": GRAPH}, content=TRIPLES, headers=NT)
        assert refused.status_code == 507, refused.text
        assert "nothing was changed. Free space on it and write again" in refused.text
        # Every reader agrees: nothing was written.
        assert live.http.get("/store", params={"graph": GRAPH}).status_code == 404
        ask = live.http.get(
            "/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"}
        )
        assert ask.json()["boolean"] is False
        assert live.http.get("/dumps/vnpolicy.nq").content == dump
        assert not (disk / "store" / "vnpolicy-pending-write.json").exists()
        # Room again: writes resume (the store itself was never touched).
        filler.unlink()
        accepted = live.http.put("/store", params={"graph": GRAPH}, content=TRIPLES, headers=NT)
        assert accepted.status_code == 201, accepted.text
        ask = live.http.get(
            "/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"}
        )
        assert ask.json()["boolean"] is True


def test_a_store_whose_disk_filled_during_a_write_kept_its_data(disk: Path) -> None:
    """Past the free-space check (no margin here), the store's own write fails on the full
    disk: the transaction does not commit, the journal goes, and the store says it takes no
    more writes until reopened."""
    store = Store(str(disk / "store"))
    store.update(
        f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/a> <http://example.org/b> 1 }} }}"
    )
    store.flush()
    before = set(store.quads_for_pattern(None, None, None, None))
    quads = [quad.triple for quad in parse(TRIPLES, format=RdfFormat.N_TRIPLES)]
    added = "".join(f"{t} <{GRAPH}> .\n" for t in quads).encode()
    change = Apply(b"", added, (), ())
    # Room for the journal (the write, as JSON) and a page more, not for the store's own log.
    filler = _fill(disk)
    room = -(-len(json.dumps(_journal_record(change))) // 4096) * 4096 + 4096
    os.truncate(filler, filler.stat().st_size - room)
    with pytest.raises(StoreFilled, match="takes no more writes until the server is restarted"):
        apply_durably(change, store, disk / "store", margin=None)
    assert set(store.quads_for_pattern(None, None, None, None)) == before
    assert not (disk / "store" / "vnpolicy-pending-write.json").exists()


def test_a_start_on_a_full_disk_is_one_line(built: Path, tmp_path: Path, disk: Path) -> None:
    _fill(disk)
    out = tmp_path / "out"
    subprocess.run(["cp", "-r", str(built), str(out)], check=True)
    done = vnpolicy(
        "serve", "--store", str(disk / "store"), "--get", "/health", env={"VNPOLICY_OUT": str(out)}
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "cannot be opened" in done.stderr or "cannot be loaded" in done.stderr
    assert "No space left on device" in done.stderr


def test_a_journal_left_half_written_is_removed_at_start(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "store"))
    (tmp_path / "store" / "vnpolicy-pending-write.partial").write_text('{"removed": ')
    assert replay_pending(store, tmp_path / "store") is False
    assert not (tmp_path / "store" / "vnpolicy-pending-write.partial").exists()
