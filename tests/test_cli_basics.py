import subprocess
import sys

from flowgan import __version__
from flowgan.cli import main


def test_version_prints_package_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"flowgan {__version__}"


def test_python_dash_m_lists_help():
    out = subprocess.run([sys.executable, "-m", "flowgan", "--help"], capture_output=True, text=True, check=True).stdout
    assert "Balance network-intrusion flow datasets" in out
