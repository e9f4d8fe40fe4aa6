"""Where the model's files live: the ontology, the vocabularies, the shapes and the sample data.

The repository root is the parent of this package both in a checkout and in an installed wheel
(the wheel carries ``ontology/`` and ``shapes/`` beside ``graph/``).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
GRAPH_DATA_DIR = Path(__file__).resolve().parent / "data"


def model_files() -> list[Path]:
    """The ontology and every vocabulary, in a stable order."""
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))


def default_data_files() -> list[Path]:
    """The project's own graph data, validated when ``vnpolicy validate`` is given no files."""
    return sorted(GRAPH_DATA_DIR.glob("*.ttl"))
