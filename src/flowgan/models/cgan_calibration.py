"""Per-class marginal calibration of generated columns (a fixed monotone map per class and column).

A GAN trained for a few minutes on two CPU cores learns the dependence between columns much
sooner than it learns each heavy-tailed, zero-inflated marginal exactly. After training, the
generator's own distribution of each column for each class is measured once (on
``n_probe`` generated rows), and every later value is moved through the monotone map that
turns that distribution into the class's training distribution: ``x -> F_real^-1(F_gen(x))``
(the one-dimensional optimal transport map). Ranks, hence the dependence the GAN learned, are
kept; ties (atoms such as zero) are spread uniformly over their probability range, so point
masses are matched too. Both quantile functions are stored on a log scale and interpolated
between ``n_quantiles`` points, so calibrated values fall between real ones rather than copying
them. The map is fixed after fit: rows are independent of how many are sampled at once.
"""

from __future__ import annotations

import numpy as np
import torch

from flowgan.transforms.quantile import signed_exp, signed_log


class MarginalCalibrator:
    """Monotone per-class, per-column maps from generated to real marginals.

    Parameters
    ----------
    columns : list of int
        Indices of the columns to calibrate (free columns; derived ones are recomputed later).
    n_quantiles : int
        Points of each stored quantile function.
    """

    def __init__(self, columns: list[int], n_quantiles: int = 512):
        self.columns = list(columns)
        self.n_quantiles = n_quantiles

    def fit(self, real_by_class: list[np.ndarray], generated_by_class: list[np.ndarray]) -> MarginalCalibrator:
        """Store quantiles of real and generated values (rows x all columns) for every class."""
        probs = np.linspace(0.0, 1.0, self.n_quantiles)
        cols = self.columns
        self.real_q_ = np.stack([np.quantile(signed_log(r[:, cols]), probs, axis=0).T for r in real_by_class])
        self.gen_q_ = np.stack([np.quantile(signed_log(g[:, cols]), probs, axis=0).T for g in generated_by_class])
        return self

    def apply(self, values: np.ndarray, code: int, rng: np.random.Generator) -> np.ndarray:
        """Calibrate rows of one class in place (float64, all columns); returns ``values``."""
        n_q = self.n_quantiles
        probs = np.linspace(0.0, 1.0, n_q)
        for i, j in enumerate(self.columns):
            gen_q, real_q = self.gen_q_[code, i], self.real_q_[code, i]
            v = signed_log(values[:, j])
            u = np.interp(v, gen_q, probs)
            lo = np.searchsorted(gen_q, v, side="left")
            hi = np.searchsorted(gen_q, v, side="right")
            tied = hi - lo > 1
            if tied.any():
                start, stop = probs[lo[tied]], probs[hi[tied] - 1]
                u[tied] = start + rng.random(int(tied.sum())) * (stop - start)
            pos = u * (n_q - 1)
            left = np.minimum(pos.astype(np.int64), n_q - 2)
            frac = pos - left
            values[:, j] = signed_exp(real_q[left] + frac * (real_q[left + 1] - real_q[left]))
        return values

    def get_state(self) -> tuple[dict, dict[str, torch.Tensor]]:
        return ({"columns": self.columns, "n_quantiles": self.n_quantiles},
                {"real_q": torch.from_numpy(self.real_q_), "gen_q": torch.from_numpy(self.gen_q_)})  # fmt: skip

    @classmethod
    def from_state(cls, config: dict, tensors: dict[str, torch.Tensor]) -> MarginalCalibrator:
        self = cls(config["columns"], config["n_quantiles"])
        self.real_q_ = tensors["real_q"].numpy().astype(float)
        self.gen_q_ = tensors["gen_q"].numpy().astype(float)
        return self
