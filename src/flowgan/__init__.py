"""flowgan: GAN-based class balancing for network-intrusion flow datasets."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("flowgan")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.1.0"

__all__ = ["__version__"]
