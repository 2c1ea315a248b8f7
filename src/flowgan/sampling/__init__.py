"""flowgan.sampling."""
