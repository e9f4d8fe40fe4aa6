"""What every ``vnpolicy`` command shares: reading the settings, and turning the library's
deliberate errors into a message and an exit code (2: unusable input; 3: the project's own model
or shapes are broken)."""

import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

import click

from vnpolicy.graph.errors import InputError, ModelError
from vnpolicy.server.settings import Settings, load_settings

T = TypeVar("T")


def run(action: Callable[[], T]) -> T:
    """Run a library call, turning our deliberate errors into a message and an exit code."""
    try:
        return action()
    except InputError as exc:
        fail(str(exc), 2)
    except ModelError as exc:
        fail(f"vnpolicy's own model is broken (please report this): {exc}", 3)


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def read_settings(**overrides: object) -> Settings:
    """The settings from the environment and the command's options (None: not given); an
    unknown ``VNPOLICY_*`` variable or a bad value stops the command (exit 2)."""
    return run(lambda: load_settings(None, **overrides))
