"""The seed's plain-text validation report, rendered from validation results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def render_validation_text(results: Mapping[str, Mapping[str, Any]], *, context: Sequence[str] = ()) -> str:
    """Text in the seed's layout: per feature the statistics table and the KS result.

    ``results`` maps feature -> ``{"statistics": DataFrame, "ks_test": {...}}`` as returned by
    :meth:`flowgan.validation.GANValidator.validate_all_features`; ``context`` lines (what was
    compared) follow the title.
    """
    lines = ["GAN Validation Report", "=" * 20, ""]
    if context:
        lines += [*context, ""]
    parts = ["\n".join(lines) + "\n"]
    for feature, result in results.items():
        ks = result["ks_test"]
        parts.append(
            f"Feature: {feature}\n"
            + "-" * (len(feature) + 9) + "\n"
            + "\nStatistical Comparison:\n"
            + result["statistics"].to_string()
            + "\n\nKS Test Results:\n"
            + f"KS statistic: {ks['ks_statistic']:.4f}\n"
            + f"p-value: {ks['p_value']:.4f}\n"
            + "\n" + "=" * 50 + "\n\n"
        )  # fmt: skip
    return "".join(parts)
