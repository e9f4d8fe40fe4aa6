"""The digest of everything a build depends on, so that a dump can tell whether it is current."""

import hashlib
from importlib.metadata import PackageNotFoundError, version

from graph.paths import DOCUMENTS_DIR, ONTOLOGY_DIR, REGISTRY_FILE, SHAPES_DIR, SOURCES_DIR


def inputs_digest(base: str) -> str:
    digest = hashlib.sha256()
    try:
        digest.update(version("vnpolicy").encode())
    except PackageNotFoundError:
        digest.update(b"unknown")
    digest.update(base.encode())
    files = [
        *sorted(DOCUMENTS_DIR.glob("*.md")),
        REGISTRY_FILE,
        *sorted((SOURCES_DIR / "seeds").glob("*.txt")),
        *sorted(ONTOLOGY_DIR.glob("*.ttl")),
        *sorted(SHAPES_DIR.glob("*.ttl")),
    ]
    for path in files:
        digest.update(str(path.relative_to(SOURCES_DIR.parent.parent)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
