"""Where the tests' own files are."""

from pathlib import Path

TESTS_DIR = Path(__file__).parent.parent
ROOT = TESTS_DIR.parent
#: How many documents the corpus holds: one source file each (the live tests count them served).
DOCUMENT_COUNT = len(list((ROOT / "graph" / "sources" / "documents").glob("*.md")))
