"""flowgan.validation."""
