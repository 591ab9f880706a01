"""Worker processes that cannot outlive the run, hold nothing of it, and cannot stall it.

Each worker is forked by the main process and, before it does anything else:
- asks the kernel to kill it when the main process dies (Linux `PR_SET_PDEATHSIG`), and checks
  the parent again whenever it waits for work, so a `kill -9` of the main process leaves no worker;
- closes every inherited file descriptor but its own end of its pipe: the lock of OUT, the state
  database and the other workers' pipes stay with the main process alone;
- ignores Ctrl-C (the main process decides) and takes the default action on SIGTERM.

SIGINT, SIGTERM and SIGHUP are held back while a worker is forked and put in the list of workers: a
handler run inside the fork (in an at-fork hook such as logging's) cannot raise, so its Stopped was
printed as "Exception ignored" and lost, and the run went on ignoring every later signal. Held back,
the signal arrives just after, where it unwinds the run and the new worker is stopped with the others.

The main process sends a chunk of files at a time and receives one result per file, so it knows
which file each worker is on and since when. A worker that goes past the hard time limit (stuck in
C code, stopped by SIGSTOP) is killed: its file gets the record `on_timeout` makes and the rest of
its chunk goes to a new worker. A worker that dies costs only its current file, retried once.
"""
from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1
_PARENT_CHECK_SECONDS = 1.0
_CHUNK = 16  # files per message: one round trip costs about as much as parsing a small report


def _die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent check below still applies
        pass
    if os.getppid() != parent:  # the parent died before the signal was set up
        os._exit(0)


_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}  # held back while a worker is forked


@contextlib.contextmanager
def _signals_held() -> Iterator[set]:
    """Hold back SIGINT, SIGTERM and SIGHUP in the block (see the module docstring); yields the mask
    to restore, which a forked child restores itself once its own handlers are set."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield previous
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held signal is handled here


def _detach(connection: Connection, parent: int, mask: set | None) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(number, signal.SIG_DFL)
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    keep = connection.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 20)


def _serve(connection: Connection, work: Callable[[Any], Any], parent: int, fatal: tuple[type, ...],
           mask: set | None) -> None:
    _detach(connection, parent, mask)
    while True:
        if not connection.poll(_PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                return
            continue
        try:
            chunk = connection.recv()
        except (EOFError, OSError):
            return
        for item in chunk:
            try:
                result = work(item)
            except fatal as error:
                connection.send(("fatal", error))
                return
            connection.send(("result", result))


class _Worker:
    def __init__(self, work: Callable[[Any], Any], fatal: tuple[type, ...], mask: set | None = None):
        """Fork a worker; called with the signals held (`_signals_held`), `mask` the one to restore."""
        mine, theirs = Pipe()
        gc.freeze()  # the child must not collect (and so close) objects it inherits
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                mine.close()
                _serve(theirs, work, parent, fatal, mask)
            finally:
                os._exit(0)
        theirs.close()
        self.pid, self.connection = pid, mine
        self.chunk: deque = deque()  # files sent and not answered yet, the current one first
        self.since = 0.0             # when the current file started

    def send(self, chunk: list) -> None:
        if not self.chunk:
            self.since = time.monotonic()
        self.chunk.extend(chunk)
        try:
            self.connection.send(chunk)
        except OSError:  # the worker died while idle: its pipe reads as closed, handled as a death
            pass

    def stop(self, patience: float = 0.0) -> str:
        """Reap the worker (killed if it has not ended within `patience` seconds); how it ended."""
        if self.connection.closed:
            return "stopped"
        self.connection.close()
        deadline = time.monotonic() + patience
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return "gone"
            if pid:
                return _ending(status)
            if time.monotonic() >= deadline:
                break
            time.sleep(0.005)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        return "stopped"


def _ending(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        return f"killed by {name}" + (" (out of memory?)" if number == signal.SIGKILL else "")
    return f"exited with code {os.WEXITSTATUS(status)}"


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_in_workers(items: Iterable[Item], jobs: int, work: Callable[[Item], Result],
                   record: Callable[[Result], None], hard_limit: float,
                   on_timeout: Callable[[Item], Result], on_crash: Callable[[Item, str], Result],
                   fatal: tuple[type, ...] = ()) -> None:
    """`record(work(item))` for every item, in `jobs` worker processes (see the module docstring).

    An exception of a `fatal` type raised by `work` in a worker is raised here and stops the run.
    """
    fresh = _chunks(items, _CHUNK)
    again: deque[list[Item]] = deque()   # the rest of a killed worker's chunk; files to retry alone
    retried: set = set()  # files already given a second worker
    workers: list[_Worker] = []
    try:
        while True:
            while len(workers) < jobs:  # a worker only for a chunk there is: --jobs 1000 over 3 files forks 1
                chunk = again.popleft() if again else next(fresh, None)
                if not chunk:
                    break
                with _signals_held() as mask:
                    workers.append(_Worker(work, fatal, mask))
                workers[-1].send(chunk)
            for worker in workers:
                while len(worker.chunk) <= _CHUNK:  # two chunks in flight: a worker never waits for the next
                    chunk = again.popleft() if again else next(fresh, None)
                    if not chunk:
                        break
                    worker.send(chunk)
            busy = [worker for worker in workers if worker.chunk]
            if not busy:
                return
            now = time.monotonic()
            timeout = max(0.0, min(worker.since + hard_limit for worker in busy) - now)
            ready = wait([worker.connection for worker in busy], timeout=min(timeout, _PARENT_CHECK_SECONDS))
            now = time.monotonic()
            for position, worker in enumerate(workers):
                if not worker.chunk:
                    continue
                if worker.connection in ready:
                    try:
                        kind, value = worker.connection.recv()
                    except (EOFError, OSError):
                        item = worker.chunk.popleft()
                        if item in retried:
                            record(on_crash(item, worker.stop(patience=1.0)))  # its pipe closed as it ended
                        else:
                            retried.add(item)
                            again.appendleft([item])
                    else:
                        if kind == "fatal":
                            raise value
                        worker.chunk.popleft()
                        worker.since = now
                        record(value)
                        continue
                elif now - worker.since > hard_limit:
                    record(on_timeout(worker.chunk.popleft()))
                else:
                    continue
                if worker.chunk:  # the files it still held go to its replacement
                    again.appendleft(list(worker.chunk))
                worker.stop()
                with _signals_held() as mask:
                    workers[position] = _Worker(work, fatal, mask)
    finally:
        for worker in workers:
            worker.stop()
        gc.unfreeze()
