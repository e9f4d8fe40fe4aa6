"""Shared fixtures: the model and shapes are loaded once per session (they are read-only)."""

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from graph.dataset import Dataset, build_dataset
from graph.dumps import write_dataset
from graph.model import load_model, load_shapes


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
def built(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus dumps, written once to a temporary folder."""
    out = tmp_path_factory.mktemp("build") / "out"
    write_dataset(dataset, out)
    return out


def require_program(name: str) -> str:
    """The path of a system program; skip when absent, unless CI demands the real thing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("VNPOLICY_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{name} is required (VNPOLICY_REQUIRE_TOOLS=1) but not installed")
        pytest.skip(f"{name} is not installed (Debian package raptor2-utils); CI installs it")
    return path
