"""What the xdist workers of one test run share: a folder, and a lock on a file in it for who goes first."""

import contextlib
import fcntl
import os
from pathlib import Path


def run_folder(tmp_path_factory, name: str) -> Path:
    """A folder of this run that every worker sees (their base temp folders have one parent)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    folder.mkdir(exist_ok=True)
    return folder


@contextlib.contextmanager
def locked(path: Path):
    """One worker at a time; the others wait here."""
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
