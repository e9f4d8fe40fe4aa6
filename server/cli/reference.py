"""The README's command reference and settings table, written from the commands' own help.

    uv run python -m vnpolicy.server.cli.reference README.md

rewrites what stands between each pair of marker comments in README.md: the command reference
(a table of the commands, then each command's ``--help`` exactly as an 80-column terminal shows
it) and the settings table (``vnpolicy settings``). ``tests/test_docs.py`` fails when the README
differs from what this writes.
"""

import inspect
import sys
from pathlib import Path

import click

from vnpolicy.server.cli.main import main as vnpolicy
from vnpolicy.server.settings import describe

COMMAND = "uv run python -m vnpolicy.server.cli.reference README.md"
#: ``--help`` is as wide as the terminal, at most 80 columns less a margin of 2 (click's rule).
WIDTH = 78


def _markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- {name}: begin (written from the code by `{COMMAND}`; edit the code, not this) -->",
        f"<!-- {name}: end -->",
    )


def help_text(*names: str) -> str:
    """What ``vnpolicy NAMES… --help`` prints in a terminal of 80 columns or more."""
    context = click.Context(
        vnpolicy, info_name="vnpolicy", terminal_width=WIDTH, **vnpolicy.context_settings
    )
    command: click.Command = vnpolicy
    for name in names:
        assert isinstance(command, click.Group)
        command = command.commands[name]
        context = click.Context(command, info_name=name, parent=context, terminal_width=WIDTH)
    return command.get_help(context)


def _summary(command: click.Command) -> str:
    """The first paragraph of a command's help, on one line."""
    first = inspect.cleandoc(command.help or "").split("\n\n", 1)[0]
    return " ".join(first.split()).replace("|", "\\|")


def commands_reference() -> str:
    """The table of commands, then ``vnpolicy --help`` and each command's ``--help``."""
    assert isinstance(vnpolicy, click.Group)
    rows = [
        f"| [`vnpolicy {name}`](#vnpolicy-{name}) | {_summary(command)} |"
        for name, command in vnpolicy.commands.items()
    ]
    sections = [
        f"### `vnpolicy{' ' if names else ''}{' '.join(names)}`\n\n"
        f"```text\n{help_text(*names)}\n```\n"
        for names in [(), *((name,) for name in vnpolicy.commands)]
    ]
    table = "| command | what it does |\n|---|---|\n" + "\n".join(rows) + "\n"
    return table + "\n" + "\n".join(sections)


def settings_table() -> str:
    """The settings as ``vnpolicy settings`` lists them."""
    rows = [
        f"| `{variable}` | `{default}` | {meaning} |" for variable, default, meaning in describe()
    ]
    return "| variable | default | meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def rewrite(text: str) -> str:
    """``text`` with each generated part replaced by what the code says now."""
    for name, part in (("commands", commands_reference()), ("settings", settings_table())):
        begin, end = _markers(name)
        head, found, rest = text.partition(begin + "\n")
        _, found_end, tail = rest.partition(end)
        if not (found and found_end):
            raise ValueError(f"the README has no pair of markers {begin!r} … {end!r}")
        text = f"{head}{begin}\n{part}{end}{tail}"
    return text


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print(f"usage: {COMMAND}", file=sys.stderr)
        return 2
    path = Path(arguments[0])
    text = path.read_text(encoding="utf-8")
    new = rewrite(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"{path}: command reference and settings table rewritten", file=sys.stderr)
    else:
        print(f"{path}: already up to date", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
