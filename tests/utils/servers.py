"""Real servers for the live tier: ``vnpolicy serve`` (or another program, such as Oxigraph's
server) started on a free port of 127.0.0.1, awaited until it answers, stopped on exit, its
output kept in a log file beside the test's data."""

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from tests.utils.waiting import PATIENCE, wait_until
from vnpolicy.graph.build.inputs import inputs_digest
from vnpolicy.graph.paths import SEARCH_INDEX
from vnpolicy.graph.search.index import write_index
from vnpolicy.graph.uris import DEFAULT_BASE

#: The write token of the servers the live tier starts with writes enabled.
WRITE_TOKEN = "live-test-token"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
#: Times a server is started on another free port when the one chosen was taken meanwhile.
_PORT_ATTEMPTS = 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Program:
    """A program started by ``start_program``."""

    process: "subprocess.Popen[bytes]"
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class LiveServer(Program):
    """A ``vnpolicy serve`` answering from the dumps in ``out``, with a client for it (its
    timeout is ``PATIENCE``: only a hang reaches it)."""

    out: Path
    http: httpx.Client

    def health(self) -> dict[str, Any]:
        """The server's ``GET /health`` body."""
        answer: dict[str, Any] = self.http.get("/health").json()
        return answer

    def wait_for_whole_pool(self) -> dict[str, int]:
        """Wait until every query worker is up and none is being replaced; the worker counts."""

        def whole() -> dict[str, int] | None:
            health = self.health()
            return health["workers"] if health["status"] == "ok" else None

        return wait_until(whole, f"the query workers of {self.url} to be whole")


def _started(
    process: "subprocess.Popen[bytes]", url: str, ready: Callable[[httpx.Response], bool]
) -> bool:
    """Whether a program has exited, or answers ``url`` as ``ready`` wants."""
    if process.poll() is not None:
        return True
    try:
        return ready(httpx.get(url, timeout=PATIENCE))
    except httpx.TransportError:
        return False


def start_program(
    command: Callable[[int], list[str]],
    log_dir: Path,
    ready_path: str,
    ready: Callable[[httpx.Response], bool] = lambda response: response.status_code == 200,
    env: dict[str, str] | None = None,
) -> Program:
    """Start ``command(port)`` on a free port and wait until a GET of ``ready_path`` answers as
    ``ready`` wants. A port taken between its choice and the bind is chosen again; a program
    that exits or never answers fails the test with its output."""
    for _ in range(_PORT_ATTEMPTS):
        port = free_port()
        arguments = command(port)
        log = log_dir / f"{Path(arguments[0]).name}-{port}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                arguments, env={**os.environ, **(env or {})}, stdout=sink, stderr=sink
            )
        program = Program(process, f"http://127.0.0.1:{port}", log)
        try:
            wait_until(
                partial(_started, process, program.url + ready_path, ready),
                f"{arguments[0]} to answer at {program.url}{ready_path}",
            )
        except AssertionError:
            stop(process)
            raise AssertionError(f"{arguments[0]} never answered: {program.output()}") from None
        if process.poll() is None:
            return program
        if "address already in use" not in program.output().lower():
            raise AssertionError(
                f"{arguments[0]} exited with {process.returncode}: {program.output()}"
            )
    raise AssertionError(f"no free port for {command(0)[0]} in {_PORT_ATTEMPTS} attempts")


def stop(process: "subprocess.Popen[bytes]") -> None:
    process.terminate()
    try:
        process.wait(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=PATIENCE)


def start_server(
    out: Path, log_dir: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> LiveServer:
    """Start a real ``vnpolicy serve`` on 127.0.0.1 answering from ``out`` (built there first if
    it holds no current dumps), and wait until it answers with every query worker up."""
    program = start_program(
        lambda port: ["vnpolicy", "serve", "--port", str(port), *args],
        log_dir,
        "/health",
        lambda response: response.status_code == 200 and response.json()["status"] == "ok",
        {"VNPOLICY_OUT": str(out), **(env or {})},
    )
    client = httpx.Client(base_url=program.url, timeout=PATIENCE)
    return LiveServer(program.process, program.url, program.log, out, client)


def stop_server(live: LiveServer) -> None:
    live.http.close()
    stop(live.process)


@contextmanager
def running_server(
    out: Path, log_dir: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> Iterator[LiveServer]:
    """A real ``vnpolicy serve`` on 127.0.0.1 answering from ``out``, stopped on exit."""
    live = start_server(out, log_dir, env, args)
    try:
        yield live
    finally:
        stop_server(live)


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
    write_index(out / SEARCH_INDEX, [], {}, [])  # data that is not the corpus: nothing to find
    (out / "manifest.json").write_text(json.dumps({"inputs": inputs_digest(DEFAULT_BASE)}))
    with running_server(out, folder, env) as live:
        yield live
