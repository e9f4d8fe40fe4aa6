"""Shared fixtures: the model and shapes are loaded once per session (they are read-only)."""

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
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
def built(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus dumps, written once to a temporary folder."""
    out = tmp_path_factory.mktemp("build") / "out"
    write_dataset(dataset, out, inputs=inputs_digest(DEFAULT_BASE))
    return out


def require_program(name: str, package: str = "raptor2-utils") -> str:
    """The path of a system program; skip when absent, unless CI demands the real thing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("REQUIRE_TEST_TOOLS") == "1":
            pytest.fail(f"{name} is required (REQUIRE_TEST_TOOLS=1) but not installed")
        pytest.skip(f"{name} is not installed (Debian package {package}); CI installs it")
    return path


@dataclass(frozen=True)
class LiveServer:
    url: str
    out: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    out: Path, log_dir: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], LiveServer]:
    """Start a real ``vnpolicy serve`` on 127.0.0.1 answering from ``out``; wait for it."""
    port = _free_port()
    full_env = {**os.environ, "VNPOLICY_OUT": str(out), "VNPOLICY_PORT": str(port), **(env or {})}
    log_path = log_dir / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["vnpolicy", "serve", *args], env=full_env, stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            output = log_path.read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"vnpolicy serve exited with {process.returncode}: {output}")
        try:
            if httpx.get(f"{url}/sparql", timeout=1).status_code == 200:
                return process, LiveServer(url, out)
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_server(process)
            pytest.fail("vnpolicy serve did not answer within 60 s")
        time.sleep(0.1)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def running_server(
    out: Path, log_dir: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> Iterator[LiveServer]:
    """A real ``vnpolicy serve`` on 127.0.0.1 answering from ``out``, stopped on exit."""
    process, live = start_server(out, log_dir, env, args)
    try:
        yield live
    finally:
        stop_server(process)


@contextmanager
def serving_copy(
    built: Path, folder: Path, env: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    """A server on its own copy of the built dumps in ``folder`` (its writes touch no other
    test's data)."""
    shutil.copytree(built, folder / "out")
    with running_server(folder / "out", folder, env) as live:
        yield live


@contextmanager
def serving_nquads(nquads: str, folder: Path, env: dict[str, str]) -> Iterator[LiveServer]:
    """A server whose dump is ``nquads`` (marked current, so it is served, not rebuilt)."""
    out = folder / "out"
    out.mkdir()
    (out / "vnpolicy.nq").write_text(nquads, encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"inputs": inputs_digest(DEFAULT_BASE)}))
    with running_server(out, folder, env) as live:
        yield live


@pytest.fixture(scope="session")
def server(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real ``vnpolicy serve`` on 127.0.0.1, answering from the session's built dumps."""
    with running_server(built, tmp_path_factory.mktemp("server")) as live:
        yield live
