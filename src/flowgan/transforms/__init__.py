"""flowgan.transforms."""
