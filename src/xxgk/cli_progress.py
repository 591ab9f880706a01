"""The counter a command keeps on a terminal while it works (part of the command line: it writes with
click, which the library never imports)."""
from __future__ import annotations

import sys
import time

import click

from xxgk.batch.messages import progress_line
from xxgk.gate.check import CheckTally


def on_terminal() -> bool:
    return sys.stderr.isatty()


def check_line(tally: CheckTally) -> str:
    """`xxgk check`'s counter."""
    return f"{tally.files} checked, {tally.failed} failing"


class Progress:
    """A one-line counter on a terminal, redrawn at most ten times a second."""

    def __init__(self, enabled: bool, describe=None):
        self.enabled = enabled
        self.describe = describe or progress_line
        self.last = 0.0
        self.width = 0

    def __call__(self, summary) -> None:
        now = time.monotonic()
        if self.enabled and now - self.last >= 0.1:
            self.last = now
            line = self.describe(summary)
            self.width = max(self.width, len(line))
            click.echo(f"\r{line}", err=True, nl=False)

    def clear(self) -> None:
        if self.enabled and self.width:
            click.echo("\r" + " " * self.width + "\r", err=True, nl=False)
            self.width = 0
