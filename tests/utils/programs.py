"""System programs some tests use as independent second readers (rapper, Graphviz, Node,
Chromium): skipped with the reason when absent, unless CI demands them."""

import os
import shutil

import pytest


def require_program(name: str, package: str = "raptor2-utils") -> str:
    """The path of a system program; skip when absent, unless CI demands the real thing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("REQUIRE_TEST_TOOLS") == "1":
            pytest.fail(f"{name} is required (REQUIRE_TEST_TOOLS=1) but not installed")
        pytest.skip(f"{name} is not installed (Debian package {package}); CI installs it")
    return path


def require_root(for_what: str) -> None:
    """Skip a test that needs root (CI runs as root), unless CI demands it."""
    if os.geteuid() != 0:
        if os.environ.get("REQUIRE_TEST_TOOLS") == "1":
            pytest.fail(f"root is required for {for_what} (REQUIRE_TEST_TOOLS=1)")
        pytest.skip(f"{for_what} needs root; CI runs as root")
