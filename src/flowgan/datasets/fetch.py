"""Download HIKARI-2021's official archive into a local cache, verified by MD5.

The download goes to a temporary file beside the target and is renamed into place only
after its checksum matches, so a failed, truncated or corrupted download leaves nothing.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

from flowgan.errors import FlowganError
from flowgan.io import atomic_path

logger = logging.getLogger(__name__)

HIKARI_FILENAME = "ALLFLOWMETER_HIKARI2021.csv.zip"
HIKARI_URL = f"https://zenodo.org/records/6463389/files/{HIKARI_FILENAME}?download=1"
HIKARI_MD5 = "d7d9e277fe4a66cb00764d7f91a810dd"
HIKARI_SIZE = 68_403_081
_CHUNK = 1 << 20


def default_data_dir() -> Path:
    """The cache directory: ``$FLOWGAN_DATA``, else the platform's user cache + ``flowgan``."""
    if os.environ.get("FLOWGAN_DATA"):
        return Path(os.environ["FLOWGAN_DATA"]).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "flowgan" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "flowgan"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "flowgan"


def file_md5(path: Path) -> str:
    """MD5 hex digest of the file at ``path``."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_md5(md5: str) -> str:
    md5 = md5.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{32}", md5):
        raise FlowganError(f"--md5 must be 32 hexadecimal digits, got {md5!r}")
    return md5


def fetch_hikari(
    dest: str | os.PathLike | None = None,
    *,
    url: str = HIKARI_URL,
    md5: str = HIKARI_MD5,
    progress: bool = False,
    timeout: float = 60.0,
) -> Path:
    """Download ``ALLFLOWMETER_HIKARI2021.csv.zip`` (Zenodo record 6463389) unless already there.

    Parameters
    ----------
    dest : str or path-like, optional
        Directory to store the archive in; default :func:`default_data_dir`.
    url : str
        Where to download from (a mirror, or a local server in tests).
    md5 : str
        Expected MD5 of the archive.
    progress : bool, default False
        Show a progress bar.
    timeout : float
        Seconds to wait for the server before giving up.

    Returns
    -------
    pathlib.Path
        The verified archive; :func:`flowgan.datasets.load_hikari` reads it as is.

    Raises
    ------
    FlowganError
        HTTP error, unreachable server, truncated body or checksum mismatch; no file is left.
    """
    md5 = _check_md5(md5)
    target = Path(dest).expanduser() if dest is not None else default_data_dir()
    target = target / HIKARI_FILENAME
    if target.is_file():
        if file_md5(target) == md5:
            logger.info("%s is already downloaded and verified", target)
            return target
        logger.warning("%s exists but its MD5 does not match; downloading it again", target)
    with atomic_path(target) as tmp:
        actual = _download(url, tmp, progress=progress, timeout=timeout)
        if actual != md5:
            raise FlowganError(
                f"download from {url} is corrupted: MD5 {actual}, expected {md5}; nothing was saved, try again"
            )
    logger.info("downloaded and verified %s", target)
    return target


def _download(url: str, tmp: Path, *, progress: bool, timeout: float) -> str:
    """Stream ``url`` into ``tmp``; return the MD5 of what arrived."""
    request = urllib.request.Request(url, headers={"User-Agent": "flowgan"})
    digest = hashlib.md5(usedforsecurity=False)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, tmp.open("wb") as out:
            expected = int(response.headers.get("Content-Length") or 0) or None
            received = _copy_body(response, out, digest, expected, progress)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FlowganError(f"download from {url} failed: HTTP {exc.code} {exc.reason}; check the URL") from exc
    except urllib.error.URLError as exc:
        raise FlowganError(f"cannot reach {url}: {exc.reason}; check the network or pass --url") from exc
    except (http.client.IncompleteRead, ConnectionError, TimeoutError) as exc:
        raise FlowganError(f"download from {url} was cut off ({exc!r}); nothing was saved, try again") from exc
    if expected is not None and received != expected:
        raise FlowganError(
            f"download from {url} is truncated: got {received:,} of {expected:,} bytes; nothing was saved, try again"
        )
    return digest.hexdigest()


def _copy_body(response, out, digest, expected: int | None, progress: bool) -> int:
    from tqdm.auto import tqdm

    received = 0
    with tqdm(total=expected, unit="B", unit_scale=True, desc="downloading HIKARI-2021", disable=not progress, delay=0.5) as bar:
        while chunk := response.read(_CHUNK):
            out.write(chunk)
            digest.update(chunk)
            received += len(chunk)
            bar.update(len(chunk))
    return received
