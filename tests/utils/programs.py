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
