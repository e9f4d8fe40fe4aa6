"""Where the package's data lives (the ontology, the vocabularies, the shapes, the sources and
the query catalogue) and where output goes.

Data is found from this file: ``ROOT`` is the folder holding ``graph/``, ``ontology/`` and
``shapes/``: the repository root in a checkout, the ``vnpolicy`` package in an installed wheel,
whose relative layout is the same (``vnpolicy/graph/paths.py`` finds ``vnpolicy/ontology/``;
docs/decisions/0018). A source's ``local-copy`` is a path under ``ROOT``. Nothing is written
there: the dumps go to ``out/`` in the current folder unless the caller says otherwise.
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
#: How many releases a build keeps in ``out/releases/`` unless told otherwise.
DEFAULT_RELEASES_KEPT = 10
#: The search index, written with the dumps (docs/decisions/0024).
SEARCH_INDEX = "search.sqlite"


def model_files() -> list[Path]:
    """The ontology and every vocabulary, in a stable order."""
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))
