"""The SHACL fixture manifest (``tests/shapes/manifest.toml``): each case's files, whether it is
read with the model, and the violations it must give."""

import tomllib
from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from tests.utils.paths import TESTS_DIR
from vnpolicy.graph.rdf_files import read_files
from vnpolicy.graph.validate.validation import ValidationReport, validate

HERE = TESTS_DIR / "shapes"
FIXTURES = HERE / "fixtures"


@dataclass(frozen=True)
class Case:
    name: str
    files: tuple[str, ...]
    with_model: bool
    conforms: bool
    violations: frozenset[tuple[str, str]]

    def data(self) -> Graph:
        """The case's files, read into one graph."""
        return read_files(FIXTURES / name for name in self.files)

    def validate(self, model: Graph, shapes: Graph) -> ValidationReport:
        """The case validated at once, with the model if it asks for it."""
        used_model = model if self.with_model else Graph()
        return validate(self.data(), model=used_model, shapes=shapes, check_shapes=False)


def _load_cases() -> list[Case]:
    manifest: dict[str, Any] = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))
    return [
        Case(
            name=entry["name"],
            files=tuple(entry["files"]),
            with_model=entry.get("model", True),
            conforms=entry["conforms"],
            violations=frozenset((rule, focus) for rule, focus in entry["violations"]),
        )
        for entry in manifest["case"]
    ]


CASES = _load_cases()
