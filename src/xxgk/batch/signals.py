"""Signals during a run: SIGTERM and SIGHUP unwind it the way Ctrl-C does (workers stopped, temporary
files removed), so the caller can exit 128 + N."""
from __future__ import annotations

import signal
import threading


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (workers stopped, temporary files removed), then exit 128 + N."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


def stopped_line(number: int) -> str:
    """The line a command stopped by signal `number` ends with (its exit code is 128 + N)."""
    return f"xxgk: stopped by {signal.Signals(number).name}"


class signals_stop_the_run:
    """While the run lasts: SIGTERM and SIGHUP unwind it like Ctrl-C does; a second signal is ignored
    while it unwinds. Ctrl-C (KeyboardInterrupt) becomes Stopped(SIGINT)."""

    _NUMBERS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self, until_exit: bool = False):
        """`until_exit`: the process exits when the block ends (__main__.py), so the signals are then
        ignored instead of given back their previous handlers: the command's work is done or stopped,
        and a signal while the interpreter shuts down (its atexit hooks) printed a KeyboardInterrupt
        traceback, or replaced the command's exit code and line with Python's own."""
        self.until_exit = until_exit

    def __enter__(self) -> None:
        self._previous = {}
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread
        self._previous = {number: signal.getsignal(number) for number in self._NUMBERS}
        for number in self._NUMBERS:
            signal.signal(number, self._stop)

    def _stop(self, number: int, frame) -> None:
        for other in self._NUMBERS:
            signal.signal(other, signal.SIG_IGN)
        raise Stopped(number)

    def __exit__(self, kind, error, traceback) -> bool:
        for number, handler in self._previous.items():
            signal.signal(number, signal.SIG_IGN if self.until_exit else handler)
        if isinstance(error, KeyboardInterrupt):
            raise Stopped(signal.SIGINT) from None
        return False
