"""A parsed-table cache for big flow CSVs: the checked Arrow table, stored uncompressed in
Arrow's IPC format, so that the next load maps it into memory instead of parsing text again.

An entry is keyed by the source's resolved path, size and modification time, the options
that change the result and flowgan's version; a changed source gets a new entry and the old
entry of that source is removed. A cache that cannot be written only logs a warning.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc

from flowgan import __version__
from flowgan.io import atomic_path

logger = logging.getLogger(__name__)

CACHE_MIN_BYTES = 64 << 20
"""With ``cache=None`` only sources at least this large are cached (the real file is 302 MB)."""


def cache_dir() -> Path:
    """Where parsed tables are kept: ``<data dir>/parsed`` (see ``flowgan.datasets.fetch``)."""
    from flowgan.datasets.fetch import default_data_dir

    return default_data_dir() / "parsed"


def wants_cache(path: Path, cache: bool | None) -> bool:
    """Resolve the ``cache`` option: None means 'only for big files, unless FLOWGAN_NO_CACHE is set'."""
    if cache is not None:
        return cache
    if os.environ.get("FLOWGAN_NO_CACHE"):
        return False
    return path.stat().st_size >= CACHE_MIN_BYTES


def _entry(path: Path, options: str) -> tuple[Path, str]:
    resolved = path.resolve()
    stat = resolved.stat()
    source = hashlib.sha256(str(resolved).encode()).hexdigest()[:16]
    state = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}:{options}:{__version__}".encode()).hexdigest()[:16]
    return cache_dir() / f"{source}-{state}.arrow", source


def read_cached(path: Path, options: str) -> pa.Table | None:
    """The cached table for ``path`` loaded with ``options``, or None."""
    entry, _ = _entry(path, options)
    if not entry.is_file():
        return None
    try:
        table = ipc.open_file(pa.memory_map(str(entry))).read_all()
    except (pa.ArrowInvalid, OSError) as exc:
        logger.warning("ignoring unreadable cache entry %s (%s)", entry, exc)
        return None
    logger.info("loaded %s from its parsed cache %s", path, entry)
    return table


def write_cached(path: Path, options: str, table: pa.Table) -> None:
    """Store ``table`` as the cache entry of ``path``; drop older entries of the same source."""
    entry, source = _entry(path, options)
    try:
        with atomic_path(entry) as tmp:
            with ipc.new_file(tmp, table.schema) as writer:
                writer.write_table(table.unify_dictionaries())
        for old in entry.parent.glob(f"{source}-*.arrow"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError as exc:
        logger.warning("could not write the parsed cache %s (%s); loading still works, only slower", entry, exc)
        return
    logger.info("cached the parsed table of %s in %s", path, entry)
