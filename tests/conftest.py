"""Fixtures both tiers share: the model, the shapes and the corpus, built once per session (they
are read-only). The fast tier's in-process app is in ``fast/conftest.py``, the live tier's servers
in ``live/conftest.py``; helpers are in ``utils/``."""

from pathlib import Path

import pytest
from rdflib import Graph

from vnpolicy.graph.build.dataset import Dataset, build_dataset
from vnpolicy.graph.build.inputs import inputs_digest
from vnpolicy.graph.model import load_model, load_shapes
from vnpolicy.graph.output.dumps import write_dataset
from vnpolicy.graph.uris import DEFAULT_BASE


@pytest.fixture(scope="session")
def model() -> Graph:
    return load_model()


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="session")
def dataset(model: Graph) -> Dataset:
    """The corpus built from graph/sources (not written anywhere)."""
    return build_dataset(model=model)


@pytest.fixture(scope="session")
def asserted(dataset: Dataset) -> Graph:
    """The union of the corpus's document graphs (``Dataset.asserted``), made once: read it,
    never change it (copy it first)."""
    return dataset.asserted()


@pytest.fixture(scope="session")
def built(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus dumps, written once to a temporary folder."""
    out = tmp_path_factory.mktemp("build") / "out"
    write_dataset(dataset, out, inputs=inputs_digest(DEFAULT_BASE))
    return out
