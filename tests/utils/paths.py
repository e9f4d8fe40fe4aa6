"""Where the tests' own files are."""

from pathlib import Path

TESTS_DIR = Path(__file__).parent.parent
ROOT = TESTS_DIR.parent
