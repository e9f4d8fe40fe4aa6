"""The options several commands share, declared once.

An option that sets a setting (``--out``, ``--sources``, ``--port``, …) defaults to None, which
means "not given": ``load_settings`` then takes the ``VNPOLICY_*`` variable, else the default.
Its help ends with both, taken from the settings table, so ``--help`` and ``vnpolicy settings``
cannot disagree.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from vnpolicy.server.settings import TABLE

F = TypeVar("F", bound=Callable[..., Any])

#: A folder that may not exist yet (written or created by the command).
FOLDER = click.Path(file_okay=False, path_type=Path)
#: A file that must exist.
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def setting_option(
    setting: str, *declarations: str, help: str | None = None, **options: Any
) -> Callable[[F], F]:
    """An option that overrides ``setting``; its help ends with the variable and the default."""
    row = TABLE[setting]
    default = f"; default: {row.default}" if row.default else ""
    return click.option(
        *(declarations or (f"--{setting.replace('_', '-')}",)),
        setting,
        default=None,
        help=f"{help or row.meaning}  [env var: {row.variable}{default}]",
        **options,
    )


def out_option(help: str) -> Callable[[F], F]:
    return setting_option("out", "--out", type=FOLDER, metavar="DIR", help=help)


sources_option = setting_option(
    "sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder of the sources (documents/*.md, registry.yaml) the corpus is built from.",
)

data_option = click.option(
    "--data",
    type=FILE,
    default=None,
    metavar="DUMP",
    help="A dump from 'vnpolicy build' (.nq or .trig) to read instead of building the corpus "
    "from the sources.",
)

files_argument = click.argument("files", nargs=-1, type=FILE)


examples_option = click.option(
    "--examples",
    default=5,
    show_default=True,
    metavar="N",
    help="Focus nodes shown per rule in the report.",
)
