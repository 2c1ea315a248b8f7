"""flowgan.evaluation."""
