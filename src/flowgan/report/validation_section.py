"""Report sections for training and validation results.

Each builder returns one :class:`flowgan.report.html.Section` from results computed
elsewhere (figures are drawn here, nothing is computed); a run assembles the sections it
needs and passes them to :func:`flowgan.report.html.render_report`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from flowgan.report.html import Section, escape, figure_html, paragraph, table_html
from flowgan.validation import figures
from flowgan.validation.comparison import ClassComparison

KEY_FEATURES: tuple[str, ...] = ("flow_iat.tot", "active.max")
"""The two features whose KS statistics the seed paper reported."""

PAPER_KS: dict[str, float] = {"flow_iat.tot": 0.8671, "active.max": 0.6726}
"""The seed paper's KS statistics (synthetic vs all 555,278 real rows)."""

_TABLE_COLUMNS = (
    "feature", "ks_statistic", "p_value", "real_mean", "synthetic_mean", "mean_diff_pct",
    "real_std", "synthetic_std", "std_diff_pct", "real_median", "synthetic_median",
    "real_zero_share", "synthetic_zero_share", "error",
)  # fmt: skip


def _note(text: str) -> str:
    return f'<div class="note">{escape(text)}</div>'


def overview_section(facts: Mapping[str, Any], *, simulated: bool, notes: Sequence[str] = ()) -> Section:
    """What was run on what data: a two-column table of ``facts`` and warning notes.

    When ``simulated`` the section says plainly that the data is simulated.
    """
    body = []
    if simulated:
        body.append(_note(
            "The data in this run is SIMULATED (flowgan's HIKARI-shaped stand-in), not the real "
            "ALLFLOWMETER_HIKARI2021.csv. Its numbers show that the pipeline works; they say nothing "
            "about how well a model imitates real HIKARI-2021 traffic."
        ))  # fmt: skip
    body += [_note(n) for n in notes]
    table = pd.DataFrame({"item": list(facts), "value": [str(v) for v in facts.values()]})
    body.append(table_html(table, sortable=False))
    return Section("What was run", "\n".join(body), anchor="overview")


def class_counts_section(
    train_counts: Mapping[Any, int], test_counts: Mapping[Any, int], added: Mapping[str, Mapping[Any, int]]
) -> Section:
    """Real rows per class (training and held-out split) and rows each model added."""
    classes = list(dict.fromkeys([*train_counts, *test_counts]))
    table = pd.DataFrame({
        "class": [str(k) for k in classes],
        "train (real)": [int(train_counts.get(k, 0)) for k in classes],
        "test (real, held out)": [int(test_counts.get(k, 0)) for k in classes],
    })  # fmt: skip
    parts = []
    for model, rows in added.items():
        table[f"added by {model}"] = [int(rows.get(k, 0)) for k in classes]
        table[f"train after {model}"] = table["train (real)"] + table[f"added by {model}"]
    if added:
        model, rows = next(iter(added.items()))
        after = {k: int(train_counts.get(k, 0)) + int(rows.get(k, 0)) for k in classes}
        parts.append(figure_html(figures.plot_class_counts(dict(train_counts), after, title=f"training rows per class, before and after {model}"),
                                 caption="Rows per class in the training split before and after adding synthetic rows (log scale)."))  # fmt: skip
    body = paragraph("Class counts before and after adding synthetic rows to the training split.")
    return Section("Class counts", body + table_html(table, sortable=True) + "".join(parts), anchor="class-counts")


def loss_curves_section(histories: Mapping[str, Sequence[Mapping[str, Any]]]) -> Section:
    """One loss-curve figure per model (``history_`` records: class, epoch, *_loss)."""
    parts = [paragraph("Mean discriminator and generator loss per epoch (one colour per class network).")]
    for model, history in histories.items():
        fig = figures.plot_loss_curves(history, title=f"{model}: training losses")
        parts.append(figure_html(fig, caption=f"{model} training losses"))
    return Section("Loss curves", "".join(parts), anchor="loss-curves")


def key_features_section(comparisons: Mapping[str, Sequence[ClassComparison]], key_features: Sequence[str] = KEY_FEATURES) -> Section:
    """KS statistics of the paper's named features per model and class, beside the paper's values."""
    rows = [{"model": "seed paper (vs all real rows)", "class": "all", **{f: PAPER_KS.get(f) for f in key_features}, "mean KS": None}]
    for model, items in comparisons.items():
        for item in items:
            ks = item.ks()
            rows.append({"model": model, "class": str(item.klass), **{f: ks.get(f) for f in key_features},
                         "mean KS": float(item.table["ks_statistic"].mean())})  # fmt: skip
    body = paragraph(
        "KS statistic (0 = same distribution, 1 = disjoint) of synthetic rows against held-out real rows of "
        "the same class. The seed paper compared with all real rows, which is a different question."
    )
    table = pd.DataFrame(rows).rename(columns={f: f"KS {f}" for f in key_features})
    return Section("Key features", body + table_html(table, sortable=True), anchor="key-features")


def statistics_section(model: str, comparisons: Sequence[ClassComparison]) -> Section:
    """Per class, the statistics and KS table of every feature, worst KS statistic first."""
    parts = [paragraph("Per feature: KS statistic and p-value, means, standard deviations, medians and shares of "
                       "exact zeros; sorted by KS statistic (click a header to re-sort).")]  # fmt: skip
    for item in comparisons:
        columns = [c for c in _TABLE_COLUMNS if c in item.table.columns]
        parts.append(f"<h3>{escape(model)}: class {escape(item.klass)} "
                     f"({len(item.synthetic):,} synthetic vs {len(item.real):,} real rows)</h3>")  # fmt: skip
        parts.append(table_html(item.table[columns], sortable=True))
    return Section(f"Statistics and KS test: {model}", "".join(parts), anchor=f"statistics-{model}")


def distributions_section(
    model: str, comparisons: Sequence[ClassComparison], *, top_k: int = 4, named: Sequence[str] = KEY_FEATURES
) -> Section:
    """ECDF figures per class: the ``top_k`` worst features by KS plus the ``named`` ones."""
    parts = [paragraph("Empirical CDFs on a symmetric-log axis (linear near zero), so that heavy tails and point "
                       "masses at zero stay visible; the legend gives each side's share of exact zeros.")]  # fmt: skip
    for item in comparisons:
        worst = [f for f in item.table["feature"] if f in item.real.columns][:top_k]
        chosen = list(dict.fromkeys([*[f for f in named if f in item.real.columns], *worst]))
        fig = figures.plot_distributions(item.real, item.synthetic, chosen, item.ks())
        parts.append(figure_html(fig, caption=f"{model}, class {item.klass}: {', '.join(chosen)}"))
    return Section(f"Distributions: {model}", "".join(parts), anchor=f"distributions-{model}")


def correlations_section(model: str, comparisons: Sequence[ClassComparison]) -> Section:
    """Real, synthetic and difference correlation heatmaps per class."""
    parts = [paragraph("Pearson correlations between features; grey cells are undefined (a constant column).")]
    for item in comparisons:
        fig = figures.plot_correlation_heatmaps(item.correlations, title=f"{model}, class {item.klass}")
        parts.append(figure_html(fig, caption=f"{model}, class {item.klass}: correlation matrices"))
    return Section(f"Correlations: {model}", "".join(parts), anchor=f"correlations-{model}")
