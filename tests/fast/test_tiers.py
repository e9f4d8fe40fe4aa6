"""The two tiers stay apart: every test module is in one of them, the fast tier opens no socket
and starts no server (it drives the app in process), and the README names both commands."""

import ast

from tests.utils.paths import ROOT, TESTS_DIR

#: What only the live tier may use: the helpers that start servers, and sockets.
LIVE_ONLY = {"tests.utils.servers", "socket", "uvicorn"}


def _imports(path: str) -> set[str]:
    tree = ast.parse((TESTS_DIR / path).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_test_module_is_in_a_tier() -> None:
    modules = {path.relative_to(TESTS_DIR).parts[0] for path in TESTS_DIR.rglob("test_*.py")}
    assert modules == {"fast", "live"}


def test_the_fast_tier_opens_no_socket_and_starts_no_server() -> None:
    for path in sorted((TESTS_DIR / "fast").glob("*.py")):
        used = _imports(str(path.relative_to(TESTS_DIR))) & LIVE_ONLY
        assert used == set(), f"{path.name} uses {sorted(used)}: it belongs in tests/live"


def test_the_readme_gives_the_command_of_each_tier() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("uv run pytest tests/fast", "uv run pytest tests/live", 'pytest -m "not slow"'):
        assert f"`{command}" in readme or command in readme, command
