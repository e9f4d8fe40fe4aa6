"""Starting the server: it builds stale dumps, reuses current ones, and keeps an on-disk store."""

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx


def _start(out: Path, *args: str) -> tuple[subprocess.Popen[bytes], str, Path]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = out.parent / f"serve-{port}.log"
    env = {**os.environ, "VNPOLICY_OUT": str(out), "VNPOLICY_PORT": str(port)}
    with log.open("wb") as sink:
        process = subprocess.Popen(["vnpolicy", "serve", *args], env=env, stdout=sink, stderr=sink)
    url = f"http://127.0.0.1:{port}/sparql"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return process, url, log
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"no answer within 60 s: {log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=10)


def _documents(url: str) -> str:
    query = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }"
    answer = httpx.get(url, params={"query": query}, timeout=10).json()
    return str(answer["results"]["bindings"][0]["n"]["value"])


def test_builds_when_stale_then_reuses_and_keeps_a_disk_store(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    process, url, log = _start(out, "--store", str(store))
    try:
        assert _documents(url) == "63"
        assert "built and loaded" in log.read_text()
        deadline = time.monotonic() + 30  # the dumps are written by the build's own process
        while not (out / "manifest.json").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (out / "vnpolicy.nq").is_file()
        assert len(list((out / "documents").glob("*.jsonld"))) == 63
    finally:
        _stop(process)
    assert (store / "vnpolicy-inputs.sha256").is_file()
    process, url, log = _start(out, "--store", str(store))
    try:
        assert _documents(url) == "63"
        assert "vnpolicy: loaded" in log.read_text()
    finally:
        _stop(process)
