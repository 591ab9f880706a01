"""The `xxgk` command and `python -m xxgk`.

Ctrl-C, SIGTERM and SIGHUP stop every command with one line and exit 128 + N from its first moment:
while the command's modules are still being imported (about half a second) and its options parsed,
before a run sets up its own handling (cli.py, signals.py), not only once a run is under way.
"""
from __future__ import annotations

import sys

from xxgk.batch.signals import Stopped, signals_stop_the_run, stopped_line


def main() -> None:
    try:
        with signals_stop_the_run(until_exit=True):
            from xxgk.cli import main as command

            command(prog_name="xxgk")
    except Stopped as stopped:
        print(stopped_line(stopped.number), file=sys.stderr)
        sys.exit(128 + stopped.number)


if __name__ == "__main__":
    main()
