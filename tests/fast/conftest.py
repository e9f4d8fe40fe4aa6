"""The fast tier: the library, and the app of ``vnpolicy serve`` in this process — no socket, no
process but the app's own query workers — answering from the fixture corpus of ``tests/data``."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from tests.utils.corpus import FIXTURE_SOURCES
from tests.utils.inprocess import InProcessApp, serving_in_process
from tests.utils.shapes_manifest import CASES
from vnpolicy.graph.build.dataset import Dataset, build_dataset
from vnpolicy.graph.build.inputs import inputs_digest
from vnpolicy.graph.output.dumps import write_dataset
from vnpolicy.graph.uris import DEFAULT_BASE
from vnpolicy.graph.validate.validation import ValidationReport


@pytest.fixture(scope="session")
def manifest_reports(model: Graph, shapes: Graph) -> dict[str, ValidationReport]:
    """Every case of the SHACL fixture manifest validated at once, by case name."""
    return {case.name: case.validate(model, shapes) for case in CASES}


@pytest.fixture(scope="session")
def fixture_dataset(model: Graph) -> Dataset:
    """The fixture corpus, built as ``vnpolicy build`` builds the real one."""
    return build_dataset(
        FIXTURE_SOURCES / "documents", FIXTURE_SOURCES / "registry.yaml", model=model
    )


@pytest.fixture(scope="session")
def fixture_out(fixture_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus's dumps, marked as built from its sources."""
    out = tmp_path_factory.mktemp("fixture") / "out"
    write_dataset(fixture_dataset, out, inputs=inputs_digest(DEFAULT_BASE, FIXTURE_SOURCES))
    return out


@pytest.fixture(scope="session")
def app(fixture_out: Path) -> Iterator[InProcessApp]:
    """The application, with its two query workers, serving the fixture corpus."""
    with serving_in_process(fixture_out, FIXTURE_SOURCES) as running:
        yield running


@pytest.fixture
def client(app: InProcessApp) -> httpx.Client:
    """A client of the in-process application (``client.get("/sparql", …)``)."""
    return app.client
