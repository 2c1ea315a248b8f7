"""Turn a sampling strategy into the number of rows to add for each class.

Accepted strategies:

- imbalanced-learn's strings: ``"auto"``/``"not majority"`` (every class up to the majority),
  ``"minority"``, ``"not minority"``, ``"all"``;
- a float ``r`` in (0, 1]: every class below ``r * majority`` is raised to that count
  (imbalanced-learn accepts floats for two classes only; flowgan generalises it);
- a dict ``{class: target rows after resampling}`` as in imbalanced-learn.
"""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd
from imblearn.utils import check_sampling_strategy

from flowgan.errors import FlowganError

_STRINGS = ("auto", "minority", "not minority", "not majority", "all")


def resolve_sampling_strategy(sampling_strategy: Any, y: Any) -> OrderedDict:
    """Return ``{class: rows to add}`` for ``y`` under ``sampling_strategy``."""
    labels = pd.Series(np.asarray(y))
    counts = labels.value_counts()
    if isinstance(sampling_strategy, (float, np.floating)) and not isinstance(sampling_strategy, bool):
        ratio = float(sampling_strategy)
        if not 0 < ratio <= 1:
            raise FlowganError(f"a ratio strategy must be in (0, 1], got {ratio}")
        target = math.ceil(ratio * counts.max())
        return OrderedDict((k, int(max(0, target - v))) for k, v in sorted(counts.items(), key=lambda kv: str(kv[0])))
    if isinstance(sampling_strategy, dict):
        unknown = [k for k in sampling_strategy if k not in counts.index]
        if unknown:
            raise FlowganError(
                f"unknown class(es) in sampling_strategy: {', '.join(map(repr, unknown))}; "
                f"the data has {', '.join(map(repr, counts.index))}"
            )
        for k, v in sampling_strategy.items():
            if int(v) < counts[k]:
                raise FlowganError(
                    f"sampling_strategy asks for {v} rows of {k!r}, fewer than the {counts[k]} it already has; "
                    "give the total wanted after over-sampling"
                )
        return OrderedDict((k, int(v) - int(counts[k])) for k, v in sampling_strategy.items())
    if isinstance(sampling_strategy, str) and sampling_strategy not in _STRINGS:
        raise FlowganError(f"unknown sampling strategy {sampling_strategy!r}: use {', '.join(_STRINGS)}, a ratio or a dict")
    return OrderedDict(check_sampling_strategy(sampling_strategy, labels.to_numpy(), "over-sampling"))


def parse_strategy(text: str) -> Any:
    """Parse a CLI ``--strategy`` value: a name, a ratio such as ``0.5``, or JSON ``{"class": rows}``."""
    text = text.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FlowganError(f"--strategy is not valid JSON: {exc}") from exc
        bad = {k: v for k, v in value.items() if not isinstance(v, int) or isinstance(v, bool) or v < 0}
        if bad:
            raise FlowganError(f"--strategy JSON counts must be non-negative integers, got {bad}")
        return value
    try:
        return float(text)
    except ValueError:
        pass
    if text not in _STRINGS:
        raise FlowganError(f"unknown --strategy {text!r}: use {', '.join(_STRINGS)}, a ratio in (0, 1], or JSON")
    return text
