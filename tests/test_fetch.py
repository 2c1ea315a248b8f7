"""fetch_hikari against a local HTTP server on 127.0.0.1 serving a small zip."""

import hashlib
import http.server
import io
import threading
import zipfile
from pathlib import Path

import pytest

from flowgan.cli import main
from flowgan.datasets import load_hikari
from flowgan.datasets.fetch import HIKARI_FILENAME, default_data_dir, fetch_hikari
from flowgan.errors import FlowganError

FIXTURE = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"


def _small_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(FIXTURE, "ALLFLOWMETER_HIKARI2021.csv")
    return buffer.getvalue()


ZIP = _small_zip()
ZIP_MD5 = hashlib.md5(ZIP, usedforsecurity=False).hexdigest()


class _Handler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        if self.path.startswith("/good"):
            self._send(ZIP, len(ZIP))
        elif self.path.startswith("/corrupt"):
            body = bytearray(ZIP)
            body[100] ^= 0xFF
            self._send(bytes(body), len(body))
        elif self.path.startswith("/truncated"):
            self._send(ZIP[: len(ZIP) // 2], len(ZIP))
        else:
            self.send_error(404, "Not Found")

    def _send(self, body: bytes, length: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_good_download_is_verified_and_loadable(server, tmp_path):
    path = fetch_hikari(tmp_path, url=f"{server}/good", md5=ZIP_MD5)
    assert path == tmp_path / HIKARI_FILENAME
    assert path.read_bytes() == ZIP
    assert [p.name for p in tmp_path.iterdir()] == [HIKARI_FILENAME]
    assert len(load_hikari(path)) == 24


def test_existing_verified_file_is_not_downloaded_again(server, tmp_path):
    fetch_hikari(tmp_path, url=f"{server}/good", md5=ZIP_MD5)
    before = len(_Handler.requests)
    fetch_hikari(tmp_path, url=f"{server}/good", md5=ZIP_MD5)
    assert len(_Handler.requests) == before


def test_corrupted_body_leaves_no_file(server, tmp_path):
    with pytest.raises(FlowganError, match=f"corrupted: MD5 [0-9a-f]{{32}}, expected {ZIP_MD5}"):
        fetch_hikari(tmp_path, url=f"{server}/corrupt", md5=ZIP_MD5)
    assert list(tmp_path.iterdir()) == []


def test_truncated_body_leaves_no_file(server, tmp_path):
    with pytest.raises(FlowganError, match="truncated|cut off"):
        fetch_hikari(tmp_path, url=f"{server}/truncated", md5=ZIP_MD5)
    assert list(tmp_path.iterdir()) == []


def test_404_leaves_no_file(server, tmp_path):
    with pytest.raises(FlowganError, match="HTTP 404"):
        fetch_hikari(tmp_path, url=f"{server}/missing.zip", md5=ZIP_MD5)
    assert list(tmp_path.iterdir()) == []


def test_bad_md5_argument(tmp_path):
    with pytest.raises(FlowganError, match="32 hexadecimal digits"):
        fetch_hikari(tmp_path, url="http://127.0.0.1:9/x", md5="abc")


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FLOWGAN_DATA", str(tmp_path / "cache"))
    assert default_data_dir() == tmp_path / "cache"
    monkeypatch.delenv("FLOWGAN_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "flowgan"


def test_cli_fetch_uses_flowgan_data(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLOWGAN_DATA", str(tmp_path))
    main(["fetch", "hikari", "--url", f"{server}/good", "--md5", ZIP_MD5])
    assert (tmp_path / HIKARI_FILENAME).read_bytes() == ZIP
    assert "verified" in capsys.readouterr().out


def test_cli_fetch_404_is_one_line_error(server, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["fetch", "hikari", "--dest", str(tmp_path), "--url", f"{server}/nope", "--md5", ZIP_MD5])
    assert exit_info.value.code == 2
    assert "HTTP 404" in capsys.readouterr().err
