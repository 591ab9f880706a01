"""OUT/.xxgk: the folder of a run's lock, state and temporary files, and the lock itself.

The lock is a `flock` on OUT/.xxgk/lock holding the pid of the run that took it. Worker processes
close their copy of it as they start (workers.py), so only a live main process can hold it. A lock
still held although its run is dead (leftover processes of an older version) is taken over: the file
is replaced and the new one locked.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import IO

from xxgk.report.errors import OutputBusy, OutputUnsafe, output_problem

STATE_DIR = ".xxgk"


def state_folder(out: Path) -> Path:
    """OUT/.xxgk, created if needed; refused when it (or OUT) is a link or not a folder."""
    folder = out / STATE_DIR
    try:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a device or a broken link where OUT should be (not OUT/.xxgk)
            link = f" (a broken symbolic link to {os.readlink(out)})" if out.is_symlink() else ""
            raise OutputUnsafe(out, f"is not a folder{link}", "choose a folder for --out") from None
        if folder.is_symlink():
            raise OutputUnsafe(folder, f"is a symbolic link (to {os.readlink(folder)}): the lock, the state and "
                                       "the temporary files would be written outside the output folder",
                               f"remove the link (rm {folder}); the next run rebuilds the state")
        folder.mkdir(exist_ok=True)
    except FileExistsError:
        raise OutputUnsafe(folder, "exists and is not a folder", f"remove it (rm {folder}), then run again") from None
    except NotADirectoryError:
        raise OutputUnsafe(out, "is not a folder", "choose a folder for --out") from None
    except OSError as error:
        raise output_problem(error, folder) from None
    return folder


def take_lock(folder: Path, out: Path) -> tuple[IO[str], str | None]:
    """(the open, locked lock file, a warning when the lock of a dead run was taken over)."""
    path = folder / "lock"
    warning = None
    for _ in range(5):
        try:
            handle = open(os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666),  # noqa: SIM115
                          "r+", encoding="ascii", errors="replace")
        except OSError as error:
            if os.path.islink(path):
                raise OutputUnsafe(path, "is a symbolic link", f"remove it (rm {path}), then run again") from None
            raise output_problem(error, path) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            if holder is None or _alive(holder):
                handle.close()
                raise OutputBusy(out, f"another xxgk run is writing to {out}"
                                      f"{f' (pid {holder})' if holder else ''}; not starting a second one",
                                 "wait for it to finish (overlapping cron jobs?)") from None
            if _same_file(path, handle):  # still the dead run's file: replace it
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                warning = (f"the run (pid {holder}) that locked {out} is dead but its lock was still held, "
                           "probably by its leftover processes; the lock was taken over")
            handle.close()
            continue
        if not _same_file(path, handle):  # replaced by a takeover meanwhile: lock the new file
            handle.close()
            continue
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        except OSError as error:
            handle.close()
            raise output_problem(error, path) from None
        return handle, warning
    raise OutputBusy(out, "the lock keeps changing hands", "another run is starting; run again later")


def _holder(handle: IO[str]) -> int | None:
    """The pid written in the lock, else the one the kernel lists as having taken it (/proc/locks)."""
    try:
        handle.seek(0)
        text = handle.read(32).strip()
        if text.isdigit():
            return int(text)
        inode = os.fstat(handle.fileno()).st_ino
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()
                if len(fields) > 5 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode):
                    return int(fields[4]) if fields[4].isdigit() else None
    except (OSError, ValueError):
        return None
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _same_file(path: Path, handle: IO[str]) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except FileNotFoundError:
        return False
