"""The ``flowgan`` command line: parse arguments, call the library, render the result.

Each area registers its commands from its own module, so that areas stay apart:

========================  =============================================
module                    commands
========================  =============================================
``cli.data_commands``     fetch, info, preprocess, simulate
``cli.model_commands``    train, generate, balance
``cli.validate_commands`` validate
``cli.run_commands``      run
``cli.evaluate_commands`` evaluate
========================  =============================================
"""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

from flowgan import __version__
from flowgan.cli import (
    balance_commands,
    data_commands,
    evaluate_commands,
    model_commands,
    run_commands,
    simulate_commands,
    validate_commands,
)
from flowgan.errors import FlowganError

app = typer.Typer(
    name="flowgan",
    help="Balance network-intrusion flow datasets with GANs, and measure whether it helped.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"flowgan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    """Balance network-intrusion flow datasets with GANs, and measure whether it helped."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


for _module in (
    data_commands,
    simulate_commands,
    model_commands,
    balance_commands,
    validate_commands,
    run_commands,
    evaluate_commands,
):
    _module.register(app)


def main(args: list[str] | None = None) -> None:
    """Entry point of the console script; user errors print one line and exit with status 2."""
    try:
        app(args=args, prog_name="flowgan", standalone_mode=False)
    except FlowganError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
