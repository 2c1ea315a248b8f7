"""One self-contained HTML page built from sections; images are embedded as base64 PNG.

Stages of a run each contribute :class:`Section` objects; :func:`render_report` only lays
them out. Nothing here computes results.
"""

from __future__ import annotations

import base64
import html
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from flowgan.io import write_text


@dataclass(frozen=True)
class Section:
    """A titled block of the report; ``body`` is trusted HTML made by the helpers below."""

    title: str
    body: str
    anchor: str = field(default="")

    def slug(self) -> str:
        return self.anchor or "".join(ch if ch.isalnum() else "-" for ch in self.title.lower()).strip("-")


def escape(text: object) -> str:
    """HTML-escape any value for use in a section body."""
    return html.escape(str(text))


def paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def figure_html(fig, caption: str = "") -> str:
    """Embed a matplotlib figure as a PNG ``<img>`` and close the figure."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">{cap}</figure>'


def table_html(df: pd.DataFrame, *, float_format: str = "{:.4g}", index: bool = False, sortable: bool = True) -> str:
    """Render a DataFrame as an HTML table; ``sortable`` tables sort when a header is clicked."""
    formatters = {c: float_format.format for c in df.columns if pd.api.types.is_float_dtype(df[c])}
    body = df.to_html(index=index, escape=True, formatters=formatters, na_rep="", border=0)
    cls = "sortable" if sortable else "plain"
    return body.replace('<table class="dataframe">', f'<table class="dataframe {cls}">', 1)


_CSS = """
body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
h1{border-bottom:2px solid #444}h2{margin-top:2em;border-bottom:1px solid #bbb}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}th,td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}
th{background:#f3f3f3;cursor:pointer}td:first-child,th:first-child{text-align:left}
figure{display:inline-block;margin:0.5em}img{max-width:100%}
.note{background:#fff6d5;border-left:4px solid #e0b000;padding:0.5em 1em}
nav a{margin-right:1em}
"""

_SORT_JS = """
document.querySelectorAll('table.sortable th').forEach(function(th){th.addEventListener('click',function(){
var t=th.closest('table'),b=t.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th),
asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){var a=x.cells[i].innerText,c=y.cells[i].innerText,
na=parseFloat(a),nc=parseFloat(c);var r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c);return asc?r:-r;});
rows.forEach(function(r){b.appendChild(r);});});});
"""


def render_report(path: str | os.PathLike, title: str, sections: list[Section], *, intro: str = "") -> Path:
    """Write the report page to ``path`` atomically and return the path."""
    nav = " ".join(f'<a href="#{s.slug()}">{escape(s.title)}</a>' for s in sections)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        intro,
        f"<nav>{nav}</nav>",
    ]
    for s in sections:
        parts.append(f'<section id="{s.slug()}"><h2>{escape(s.title)}</h2>{s.body}</section>')
    parts.append(f"<script>{_SORT_JS}</script></body></html>")
    return write_text(path, "\n".join(parts))
