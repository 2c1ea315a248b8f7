"""flowgan.datasets."""
