"""Report section for the validity of generated rows (identities, signs, integers)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from flowgan.report.html import Section, escape, paragraph, table_html


def validity_section(table: pd.DataFrame, identities: Sequence[object]) -> Section:
    """Identity violations, negative and non-integral values per model and class."""
    described = "".join(f"<li><code>{escape(i.describe())}</code></li>" for i in identities)
    body = [
        paragraph(
            f"{len(identities)} identities hold on at least 99.9% of the training rows (found from the "
            "data, not from column names). Each source is checked against the same list; the held-out "
            "real rows show how often real flows break them."
        ),
        table_html(table),
        f"<details><summary>The {len(identities)} identities</summary><ul>{described}</ul></details>",
    ]
    return Section("Validity: identities, signs, integers", "\n".join(body), anchor="validity")
