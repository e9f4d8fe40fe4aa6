"""Getting the dataset into the store the server answers from.

The dumps in ``out/`` are reused when ``manifest.json`` records the digest of the current
inputs (sources, ontology, shapes, code version); otherwise the corpus is rebuilt, validated and
written first. The store is in memory, or on disk at ``--store PATH`` (reused when it already
holds the same digest, and never replaced once it holds writes made through the server).
"""

import json
import logging
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import RdfFormat, Store

from vnpolicy.graph.build.inputs import inputs_digest
from vnpolicy.graph.collection import fewer_collections
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.paths import DEFAULT_RELEASES_KEPT, MANIFEST_FILE, NQUADS_DUMP, SEARCH_INDEX
from vnpolicy.server.errors import InsufficientStorage
from vnpolicy.server.runtime.change import Apply

log = logging.getLogger("vnpolicy.server")

if TYPE_CHECKING:
    from vnpolicy.graph.build.dataset import Dataset

# Kept light on purpose: the build (rdflib, pyshacl) is imported by the forked child that runs it,
# in parallel with the parent importing the web stack.

_DIGEST_FILE = "vnpolicy-inputs.sha256"
#: Present in an on-disk store that accepted writes through the server.
_WRITTEN_FILE = "vnpolicy-written"


#: A write being applied to the on-disk store; replayed at the next start if the process died.
_JOURNAL_FILE = "vnpolicy-pending-write.json"


#: Free space a write to an on-disk store keeps in hand on its disk, beyond four times its own
#: size: RocksDB refuses every later write once its disk has filled, until it is reopened.
MARGIN = 32 << 20


class StoreFilled(InsufficientStorage):
    """The store's disk filled during a write: nothing was changed, but the store takes no more
    writes until it is opened again (the server restarted with room on its disk)."""


class StoreDamagedError(Exception):
    """A write failed half-way in an on-disk store: it refuses writes until the server
    restarts (and finishes the write from its journal)."""


def apply_durably(
    change: Apply, store: Store, store_path: Path, margin: int | None = MARGIN
) -> None:
    """Apply a write to an on-disk store so that a crash or a full disk at any point leaves
    each graph fully old or fully new.

    A write without blank nodes is one SPARQL Update (one transaction); any write is journalled
    first (written, synced, renamed into place) and replayed by ``replay_pending`` at the next
    start if the process dies before it is done — replaying is safe however far the first
    attempt got. Before anything is written the disk must hold ``margin`` bytes and four times
    the write's size: short of that the write is refused (507) and the store is untouched
    (``margin`` None: no such check, as when another process fills the disk meanwhile).
    """
    if margin is not None:
        needed = margin + 4 * (len(change.removed) + len(change.added))
        free = shutil.disk_usage(store_path).free
        if free < needed:
            raise InsufficientStorage(
                _full(store_path, f"has {_mib(free)} free of the {_mib(needed)} a write needs")
            )
    journal = store_path / _JOURNAL_FILE
    partial = journal.with_suffix(".partial")
    try:
        with partial.open("w", encoding="utf-8") as file:
            json.dump(_journal_record(change), file)
            file.flush()
            os.fsync(file.fileno())
        partial.replace(journal)
        (store_path / _WRITTEN_FILE).touch()  # so a rebuild never replaces what was written
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise InsufficientStorage(_full(store_path, f"failed: {error.strerror}")) from None
    try:
        if change.atomic:
            store.update(change.as_update())
        else:
            change.follow(store)
    except OSError as error:
        if change.atomic:  # the transaction did not commit: nothing was changed
            journal.unlink()
            raise StoreFilled(
                _full(store_path, f"failed: {error}") + "; the store takes no more writes "
                "until the server is restarted with room on its disk"
            ) from None
        raise StoreDamagedError(str(error)) from error
    try:
        store.flush()
    except OSError as error:  # the write is committed in the store's log all the same
        log.warning("the store at %s could not be flushed: %s", store_path, error)
    journal.unlink()


def _full(store_path: Path, what: str) -> str:
    return (
        f"The disk of the store at {store_path} {what}; nothing was changed. Free space on it "
        "and write again"
    )


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MiB"


def replay_pending(store: Store, store_path: Path) -> bool:
    """Finish a write the previous process was applying when it died, and remove a journal it
    was still writing (its write never started); True if a write was finished."""
    (store_path / _JOURNAL_FILE).with_suffix(".partial").unlink(missing_ok=True)
    journal = store_path / _JOURNAL_FILE
    if not journal.is_file():
        return False
    record = json.loads(journal.read_text(encoding="utf-8"))
    change = Apply(
        record["removed"].encode(),
        record["added"].encode(),
        tuple(record["dropped"]),
        tuple(record["created"]),
    )
    if change.atomic:
        store.update(change.as_update())
    else:
        change.follow(store)
    store.flush()
    journal.unlink()
    log.warning("finished a write that was interrupted in %s", store_path)
    return True


def _journal_record(change: Apply) -> dict[str, object]:
    return {
        "removed": change.removed.decode(),
        "added": change.added.decode(),
        "dropped": list(change.dropped),
        "created": list(change.created),
    }


@dataclass(frozen=True)
class Loaded:
    store: Store
    digest: str
    rebuilt: bool
    seconds: float


def current_digest(out: Path, base: str, sources: Path) -> tuple[str, bool]:
    """The digest of the inputs, and whether the dumps in ``out`` were built from them."""
    digest = inputs_digest(base, sources)
    manifest = out / MANIFEST_FILE
    if manifest.is_file() and (out / NQUADS_DUMP).is_file() and (out / SEARCH_INDEX).is_file():
        try:
            return digest, json.loads(manifest.read_text(encoding="utf-8")).get("inputs") == digest
        except ValueError:
            pass
    return digest, False


def build_validated(base: str, sources: Path) -> "Dataset":
    from vnpolicy.graph.build.dataset import build_dataset
    from vnpolicy.graph.validate.document_validation import validate_dataset

    dataset = build_dataset(sources / "documents", sources / "registry.yaml", base=base)
    report = validate_dataset(dataset, check_shapes=False)
    if not report.conforms:
        raise InputError(
            f"the corpus does not conform ({len(report.violations)} violations); "
            "run 'vnpolicy build' to see where"
        )
    return dataset


@fewer_collections()
def _build_in_child(
    base: str, sources: Path, out: Path, digest: str, sender: Connection, releases_kept: int
) -> None:
    """In a forked child: build and validate, send the N-Quads (or the error), write the dumps."""
    from vnpolicy.graph.output.dumps import write_dataset
    from vnpolicy.graph.output.rendering import render

    try:
        dataset = build_validated(base, sources)
        rendering = render(dataset)
        sender.send_bytes(rendering.nquads.encode("utf-8"))
    except InputError as error:
        sender.send_bytes(b"\0" + str(error).encode("utf-8"))
        return
    finally:
        sender.close()
    write_dataset(dataset, out, inputs=digest, rendering=rendering, releases_kept=releases_kept)


class Loading:
    """A load under way: the corpus is built in a child process (when the dumps are stale) while
    the parent imports and sets up the web stack, which takes about as long on its own."""

    def __init__(
        self,
        out: Path,
        base: str,
        sources: Path,
        store_path: Path | None = None,
        releases_kept: int = DEFAULT_RELEASES_KEPT,
    ) -> None:
        self.started = time.monotonic()
        self.out, self.store_path = out, store_path
        self.digest, self.current = current_digest(out, base, sources)
        self._receiver: Connection | None = None
        self._child: BaseProcess | None = None
        if not self.current:
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._child = context.Process(
                target=_build_in_child,
                args=(base, sources, out, self.digest, sender, releases_kept),
                name="build",
            )
            self._child.start()
            sender.close()

    def reap_later(self) -> None:
        """Collect the build child once it has written the dumps (it goes on writing them after
        it has sent the data), so that it does not stay behind as a zombie. Called once the
        query workers are forked: the waiting thread must not be copied into them."""
        if self._child is not None:
            threading.Thread(target=self._child.join, name="reap-build", daemon=True).start()

    def _data(self) -> bytes | None:
        if self._receiver is None:
            return None
        try:
            data = self._receiver.recv_bytes()
        except EOFError:
            raise InputError(
                "building the corpus failed; run 'vnpolicy build' to see why"
            ) from None
        finally:
            self._receiver.close()
        if data.startswith(b"\0"):
            raise InputError(data[1:].decode("utf-8"))
        return data

    def open_store(self) -> Store:
        """The store to serve from, empty until ``result`` fills it (so the application can be
        set up on it while the corpus builds)."""
        if self.store_path is None:
            return Store()
        try:
            self.store_path.mkdir(parents=True, exist_ok=True)
            return Store(str(self.store_path))
        except OSError as error:  # e.g. a full disk: RocksDB writes as it opens
            raise InputError(f"the store at {self.store_path} cannot be opened: {error}") from None

    def result(self, store: Store) -> Loaded:
        """Fill ``store`` (from ``open_store``) with the dataset, once it is built."""
        data = self._data()

        def fill() -> None:
            if data is not None:
                store.bulk_load(data, format=RdfFormat.N_QUADS)
            else:
                store.bulk_load(path=str(self.out / NQUADS_DUMP), format=RdfFormat.N_QUADS)

        if self.store_path is None:
            fill()
            return Loaded(store, self.digest, not self.current, time.monotonic() - self.started)
        try:
            self._fill_on_disk(store, self.store_path, fill)
        except OSError as error:
            raise InputError(f"the store at {self.store_path} cannot be loaded: {error}") from None
        return Loaded(store, self.digest, not self.current, time.monotonic() - self.started)

    def _fill_on_disk(self, store: Store, store_path: Path, fill: Callable[[], None]) -> None:
        """Finish an interrupted write, then load the dataset unless the store holds it already
        (or holds writes made through the server, which a rebuild never replaces)."""
        replay_pending(store, store_path)
        marker = store_path / _DIGEST_FILE
        stale = not marker.is_file() or marker.read_text().strip() != self.digest
        if stale and (store_path / _WRITTEN_FILE).is_file():
            log.warning(
                "%s holds writes made through the server, so it is kept as it is although "
                "the sources changed; remove the folder to load the new build instead",
                store_path,
            )
        elif stale:
            store.clear()
            fill()
            store.flush()
            marker.write_text(self.digest + "\n")
