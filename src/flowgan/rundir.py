"""Build an output directory completely, or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from flowgan.errors import FlowganError


@contextlib.contextmanager
def atomic_directory(target: str | os.PathLike, *, marker: str) -> Iterator[Path]:
    """Yield a temporary directory beside ``target``; on success it replaces ``target``.

    An existing ``target`` is replaced only if it holds ``marker`` (a file an earlier run of
    the same kind wrote); otherwise it is refused, so that no unrelated directory is deleted.
    On failure the temporary directory is removed and ``target`` is left as it was.
    """
    target = check_replaceable(target, marker=marker)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def check_replaceable(target: str | os.PathLike, *, marker: str) -> Path:
    """Raise unless ``target`` is absent or an earlier flowgan output (holds ``marker``)."""
    target = Path(target)
    if target.exists() and not (target / marker).is_file():
        raise FlowganError(f"{target} exists and was not written by flowgan (no {marker}); choose another output directory")
    return target
