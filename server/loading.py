"""Getting the dataset into the store the server answers from.

The dumps in ``out/`` are reused when ``manifest.json`` records the digest of the current
inputs (sources, ontology, shapes, code version); otherwise the corpus is rebuilt, validated and
written first. The store is in memory, or on disk at ``--store PATH`` (reused when it already
holds the same digest).
"""

import json
import time
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from graph.dataset import build_dataset
from graph.dumps import MANIFEST, NQUADS, write_dataset
from graph.errors import InputError
from graph.inputs import inputs_digest
from graph.validation import validate

_DIGEST_FILE = "vnpolicy-inputs.sha256"


@dataclass(frozen=True)
class Loaded:
    store: Store
    digest: str
    rebuilt: bool
    seconds: float


def ensure_dumps(out: Path, base: str) -> tuple[str, bool]:
    """The digest of the inputs, and whether the dumps had to be rebuilt to match it."""
    digest = inputs_digest(base)
    manifest = out / MANIFEST
    if manifest.is_file() and (out / NQUADS).is_file():
        try:
            if json.loads(manifest.read_text(encoding="utf-8")).get("inputs") == digest:
                return digest, False
        except ValueError:
            pass
    dataset = build_dataset(base=base)
    report = validate(dataset.asserted(), model=dataset.model, check_shapes=False)
    if not report.conforms:
        raise InputError(
            f"the corpus does not conform ({len(report.violations)} violations); "
            "run 'vnpolicy build' to see where"
        )
    write_dataset(dataset, out, inputs=digest)
    return digest, True


def load(out: Path, base: str, store_path: Path | None = None) -> Loaded:
    started = time.monotonic()
    digest, rebuilt = ensure_dumps(out, base)
    if store_path is None:
        store = Store()
        store.bulk_load(path=str(out / NQUADS), format=RdfFormat.N_QUADS)
    else:
        store_path.mkdir(parents=True, exist_ok=True)
        marker = store_path / _DIGEST_FILE
        store = Store(str(store_path))
        if not marker.is_file() or marker.read_text().strip() != digest:
            store.clear()
            store.bulk_load(path=str(out / NQUADS), format=RdfFormat.N_QUADS)
            store.flush()
            marker.write_text(digest + "\n")
    return Loaded(store, digest, rebuilt, time.monotonic() - started)
