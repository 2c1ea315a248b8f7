"""An imbalanced-learn over-sampler that adds rows drawn from a flowgan generator."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler
from scipy import sparse
from sklearn.base import clone
from sklearn.utils import check_random_state

from flowgan.sampling.strategy import resolve_sampling_strategy


class GANOverSampler(BaseOverSampler):
    """Over-sample minority classes with rows from a class-conditional generator.

    The generator is cloned and fitted in ``fit_resample`` on the classes that receive rows,
    then asked for exactly the number of rows each class needs. The original rows come first,
    unchanged, followed by the synthetic rows class by class. Sparse input is densified for
    the generator and returned sparse.

    Very small classes work (down to the generator's ``min_rows_per_class``, 2 for the default
    generator): the conditional GAN trains on class-balanced batches and clips every sampled
    value to the range the class showed, so its rows stay inside that class's box.

    Parameters
    ----------
    generator : BaseFlowGenerator, default=None
        An unfitted flowgan generator; ``None`` uses :class:`~flowgan.models.conditional_gan.ConditionalFlowGAN`
        with its defaults.
    sampling_strategy : str, float or dict, default="auto"
        As in imbalanced-learn; a float ``r`` raises every class to ``r * majority`` rows.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator's fit and sampling.

    Attributes
    ----------
    generator_ : BaseFlowGenerator
        The fitted generator.
    sampling_strategy_ : dict
        Rows added per class.
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "sampling_strategy": [float, str, dict, callable],
        "generator": [object, None],
        "random_state": ["random_state"],
    }

    def __init__(self, generator: Any = None, sampling_strategy: Any = "auto", random_state: Any = None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.generator = generator
        self.random_state = random_state

    def fit_resample(self, X, y, **params):
        # A float is generalised to more than two classes (see flowgan.sampling.strategy).
        if isinstance(self.sampling_strategy, float):
            counts = resolve_sampling_strategy(self.sampling_strategy, y)
            as_dict = dict(pd.Series(np.asarray(y)).value_counts())
            targets = {k: int(as_dict[k] + v) for k, v in counts.items()}
            return clone(self).set_params(sampling_strategy=targets).fit_resample(X, y, **params)
        self._feature_frame_columns = list(X.columns) if isinstance(X, pd.DataFrame) else None
        return super().fit_resample(X, y, **params)

    def _make_generator(self):
        if self.generator is None:
            from flowgan.models.conditional_gan import ConditionalFlowGAN

            return ConditionalFlowGAN()
        return clone(self.generator)

    def _fit_resample(self, X, y):
        if sparse.issparse(X):
            # The generator works on dense rows; sparse in gives sparse out, with the same values.
            X_res, y_res = self._fit_resample(X.toarray(), y)
            return sparse.csr_matrix(X_res, dtype=X.dtype), y_res
        columns = getattr(self, "_feature_frame_columns", None) or [f"x{i}" for i in range(X.shape[1])]
        frame = pd.DataFrame(X, columns=columns)
        wanted = {k: n for k, n in self.sampling_strategy_.items() if n > 0}
        if not wanted:
            self.generator_ = None
            return X.copy(), y.copy()
        mask = np.isin(y, list(wanted))
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        generator = self._make_generator()
        if "random_state" in generator.get_params():
            generator.set_params(random_state=seed)
        self.generator_ = generator.fit(frame[mask].reset_index(drop=True), y[mask])
        X_parts, y_parts = [X], [y]
        for klass, n in wanted.items():
            rows = self.generator_.sample(int(n), klass)
            X_parts.append(rows[columns].to_numpy(dtype=X.dtype))
            y_parts.append(np.full(int(n), klass, dtype=y.dtype))
        return np.vstack(X_parts), np.concatenate(y_parts)
