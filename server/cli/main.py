"""The ``vnpolicy`` command line: each command parses its arguments and calls one library function.

Exit codes: 0 success; 1 the data does not conform (or a ``serve --get`` request failed); 2
unusable input (a file that does not parse, a bad option or setting); 3 the project's own model
or shapes are broken.
"""

import click

from vnpolicy.graph.errors import InputError
from vnpolicy.server.cli.assistant import mcp_command
from vnpolicy.server.cli.corpus import (
    build_command,
    identify_command,
    stats_command,
    validate_command,
)
from vnpolicy.server.cli.editing import new_document_command
from vnpolicy.server.cli.query import export_command, query_command
from vnpolicy.server.cli.serve import publish_command, serve_command
from vnpolicy.server.settings import check_environment, describe

# Each command lives with its kin: serve and publish in serve, the commands on the corpus in
# corpus, those reading the dataset in query. The build and the web stack are imported inside
# the commands, so that `vnpolicy serve` starts fast.


class _Commands(click.Group):
    """Lists its commands in the order they were added (the order of the README), not sorted."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnpolicy")
def main() -> None:
    """Vietnam's policy on science, technology, innovation and digital transformation
    (Resolution 57-NQ/TW and the documents around it) as a validated linked-data graph.

    \b
    Start with:
      vnpolicy serve           serve the corpus at http://127.0.0.1:8000/
      vnpolicy build           build and validate the corpus, write out/
      vnpolicy COMMAND --help  a command's options and their defaults

    Settings come from VNPOLICY_* environment variables ('vnpolicy settings' lists them); a
    command's options override them, and a VNPOLICY_* variable that is not a setting stops
    every command that reads them. Exit codes: 0 success; 1 the data does not conform, or a
    'serve --get' request failed; 2 unusable input (a file that does not parse, a bad option
    or setting); 3 vnpolicy's own model or shapes are broken.
    """


@click.command("settings")
def settings_command() -> None:
    """List every setting: its variable, default and meaning.

    Settings are read from the environment by every command that uses them; a command's
    options override them. A VNPOLICY_* variable that is not a setting stops those commands
    (exit 2); here it is named as a warning.
    """
    for variable, default, meaning in describe():
        click.echo(f"{variable:26} {default:28} {meaning}")
    try:
        check_environment()
    except InputError as error:
        for line in str(error).splitlines():
            click.echo(f"warning: {line}", err=True)


for _command in (
    serve_command,
    publish_command,
    build_command,
    validate_command,
    query_command,
    export_command,
    identify_command,
    new_document_command,
    stats_command,
    settings_command,
    mcp_command,
):
    main.add_command(_command)

__all__ = ["main"]
