"""Where the project's files live: the ontology, the vocabularies, the shapes and the sources.

The repository root is the parent of this package both in a checkout and in an installed wheel
(the wheel carries ``ontology/`` and ``shapes/`` beside ``graph/``).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
#: The corpus sources: one Markdown file per document, the source registry and the seed texts.
SOURCES_DIR = Path(__file__).resolve().parent / "sources"
DOCUMENTS_DIR = SOURCES_DIR / "documents"
REGISTRY_FILE = SOURCES_DIR / "registry.yaml"
#: The research query catalogue.
QUERIES_DIR = Path(__file__).resolve().parent / "queries"
#: Where ``vnpolicy build`` writes its dumps unless told otherwise, and their file names.
DEFAULT_OUT_DIR = Path("out")
TRIG_DUMP = "vnpolicy.trig"
NQUADS_DUMP = "vnpolicy.nq"
MANIFEST_FILE = "manifest.json"


def model_files() -> list[Path]:
    """The ontology and every vocabulary, in a stable order."""
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))
