"""The live tier: real processes — ``vnpolicy serve`` on 127.0.0.1 with real clients, the
commands as a user runs them, kills, the W3C suites, an external Oxigraph server, Chromium."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.utils.programs import require_program
from tests.utils.servers import WRITE_TOKEN, LiveServer, running_server, serving_copy


@pytest.fixture(scope="session")
def server(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real ``vnpolicy serve``, read-only, answering from the session's built dumps."""
    with running_server(built, tmp_path_factory.mktemp("server")) as live:
        yield live


@pytest.fixture(scope="module")
def writable(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with writes enabled (``WRITE_TOKEN``) on its own copy of the dumps, one per
    test module: a module's writes touch no other's data."""
    folder = tmp_path_factory.mktemp("writable")
    with serving_copy(built, folder, {"VNPOLICY_WRITE_TOKEN": WRITE_TOKEN}) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright (no browser download)."""
    executable = require_program("chromium", package="chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()
