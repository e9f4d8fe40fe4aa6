"""The digest of everything a build depends on, so that a dump can tell whether it is current."""

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from vnpolicy.graph.paths import ONTOLOGY_DIR, SHAPES_DIR, SOURCES_DIR


def inputs_digest(base: str, sources: Path = SOURCES_DIR) -> str:
    """The digest of the code version, the base, the sources in ``sources``, the model and the
    shapes."""
    digest = hashlib.sha256()
    try:
        digest.update(version("vnpolicy").encode())
    except PackageNotFoundError:
        digest.update(b"unknown")
    digest.update(base.encode())
    sources = sources.resolve()
    named = [
        *((f"sources/documents/{p.name}", p) for p in sorted((sources / "documents").glob("*.md"))),
        ("sources/registry.yaml", sources / "registry.yaml"),
        *((f"sources/seeds/{p.name}", p) for p in sorted((SOURCES_DIR / "seeds").glob("*.txt"))),
        *((f"ontology/{p.name}", p) for p in sorted(ONTOLOGY_DIR.glob("*.ttl"))),
        *((f"shapes/{p.name}", p) for p in sorted(SHAPES_DIR.glob("*.ttl"))),
    ]
    for name, path in named:
        digest.update(name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
