"""Three generators of free variables for HIKARI-schema tables, each a different process.

- :class:`Mixture`: per class 2-4 components with heavy-tailed marginals (lognormal, Pareto,
  log-t) and dependent columns (payload per packet scales with the packet count by a
  per-component slope), zero-inflated where natural.
- :class:`Copula`: per class a Gaussian copula with a random correlation matrix over the free
  variables, marginals negative binomial (counts), zero-inflated gamma and lognormal.
- :class:`Adversarial`: per class a few discrete "tool" templates with small jitter, plus hard
  cases: a 1% rare mode in each attack class, a near-constant window size, a 20-row class,
  durations near 1e6 s (IAT and idle near 1e12 us) in Background, 30% of Bruteforce made of
  copies of a handful of benign rows, bulk columns all zero within Probing.

:func:`~flowgan.testing._hikari_frame.derive` turns the free variables into columns.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

_PORTS = {
    "Benign": (443, 80, 53, 22), "Background": (443, 123, 53, 5353, 137),
    "Probing": (21, 22, 23, 80, 443, 8080, 3389), "Bruteforce": (80, 443),
    "Bruteforce-XML": (80, 443), "XMRIGCC CryptoMiner": (443, 3333, 5555),
}  # fmt: skip
_WINDOWS = (0, 1024, 8192, 29200, 64240, 65535)


def _discrete_params(cls: str, rng) -> dict:
    return {
        "syn": rng.dirichlet((2, 3, 1)), "fin": rng.dirichlet((2, 2, 2)), "rst": rng.uniform(0, 0.3),
        "ack": (rng.uniform(0.5, 5), rng.uniform(0.5, 3)), "bulk": rng.uniform(0, 0.2),
        "hdr": rng.dirichlet((1, 2, 3)), "win": rng.dirichlet(np.ones(len(_WINDOWS))),
        "ports": _PORTS[cls],
    }  # fmt: skip


def _discrete(p: dict, n: int, rng) -> dict[str, np.ndarray]:
    windows = np.array(_WINDOWS)
    return {
        "syn": rng.choice(3, n, p=p["syn"]), "fin": rng.choice(3, n, p=p["fin"]),
        "rst": (rng.random(n) < p["rst"]).astype(np.int64), "ack": rng.beta(*p["ack"], n),
        "bulk": rng.random(n) < p["bulk"], "hdr": np.array([20, 32, 40])[rng.choice(3, n, p=p["hdr"])],
        "win_f": windows[rng.choice(windows.size, n, p=p["win"])],
        "win_b": windows[rng.choice(windows.size, n, p=p["win"][::-1])],
        "win_last": rng.integers(0, 65536, n), "port": np.array(p["ports"])[rng.integers(0, len(p["ports"]), n)],
    }  # fmt: skip


class Mixture:
    """Per class a mixture of heavy-tailed components."""

    fixed_counts: dict[str, int] = {}
    like_share = {"Probing": 0.6, "Bruteforce": 0.55, "Bruteforce-XML": 0.5, "XMRIGCC CryptoMiner": 0.4}
    shift = 1.0

    def params(self, cls: str, rng) -> dict:
        k = int(rng.integers(2, 5))
        comps = [self._component(rng, tight=cls not in ("Benign", "Background")) for _ in range(k)]
        return {"w": rng.dirichlet(np.full(k, 2.0)), "comps": comps, "disc": _discrete_params(cls, rng)}

    @staticmethod
    def _component(rng, tight: bool) -> dict:
        """One component; attack components are narrower (``tight``), so they stand out."""
        u = rng.uniform
        comp = {
            "pareto": rng.random() < 0.5, "f_mu": u(0.3, 3.0), "f_sig": u(0.4, 1.2), "f_alpha": u(1.3, 2.5),
            "f_scale": u(1, 10), "b_zero": u(0, 0.5), "b_mu": rng.normal(0, 0.4), "b_sig": u(0.1, 0.6),
            "d_mu": u(-6, 1), "d_beta": u(0.2, 1.2), "d_sig": u(0.3, 1.2), "d_df": u(2.5, 8),
            "fz": u(0, 0.4), "fa": u(3, 6.5), "fslope": u(-0.5, 0.5), "fsig": u(0.2, 0.8),
            "bz": u(0, 0.4), "bscale": u(20, 400), "balpha": u(1.5, 3.5), "bslope": u(-0.3, 0.3),
            "beta": (u(0.5, 4), u(0.5, 4)), "never_idle": u(0.2, 0.9), "s_mu": u(-2.5, -0.3),
        }  # fmt: skip
        if tight:
            comp.update({k: comp[k] * 0.35 for k in ("f_sig", "b_sig", "d_sig", "fsig")})
            comp.update(f_alpha=comp["f_alpha"] + 2, balpha=comp["balpha"] + 2, d_df=30.0)
            comp["beta"] = (comp["beta"][0] * 8, comp["beta"][1] * 8)
        return comp

    @staticmethod
    def _draw(c: dict, m: int, rng) -> dict[str, np.ndarray]:
        if c["pareto"]:
            fwd = 1 + np.floor(c["f_scale"] * rng.pareto(c["f_alpha"], m))
        else:
            fwd = 1 + np.floor(rng.lognormal(c["f_mu"], c["f_sig"], m))
        fwd = np.minimum(fwd, 1e5)
        bwd = np.where(rng.random(m) < c["b_zero"], 0, np.round(fwd * rng.lognormal(c["b_mu"], c["b_sig"], m)))
        logn = np.log(fwd + bwd)
        dur = np.exp(np.minimum(c["d_mu"] + c["d_beta"] * logn + c["d_sig"] * rng.standard_t(c["d_df"], m), 11.5))
        fpay = np.exp(c["fa"] + c["fslope"] * np.log(fwd) + c["fsig"] * rng.standard_normal(m))
        bpay = c["bscale"] * (1 + rng.pareto(c["balpha"], m)) * fwd ** c["bslope"]
        a, b = c["beta"]
        return {
            "fwd": fwd, "bwd": bwd, "dur": dur,
            "fpay": np.where(rng.random(m) < c["fz"], 0.0, np.clip(fpay, 1, 1460)),
            "bpay": np.where(rng.random(m) < c["bz"], 0.0, np.clip(bpay, 1, 1460)),
            "fdata": rng.beta(a, b, m), "bdata": rng.beta(b, a, m),
            "fshare": rng.beta(a, 1.5, m), "bshare": rng.beta(b, 1.5, m),
            "active": np.where(rng.random(m) < c["never_idle"], 1.0, rng.beta(a, b, m)),
            "spread": np.clip(rng.lognormal(c["s_mu"], 0.3, m), 0.01, 2.0),
        }  # fmt: skip

    def sample(self, p: dict, cls: str, n: int, rng) -> dict[str, np.ndarray]:
        which = rng.choice(len(p["w"]), n, p=p["w"])
        out: dict[str, np.ndarray] = {}
        for j, comp in enumerate(p["comps"]):
            idx = np.flatnonzero(which == j)
            for key, values in self._draw(comp, idx.size, rng).items():
                out.setdefault(key, np.zeros(n))[idx] = values
        out.update(_discrete(p["disc"], n, rng))
        return out

    def post(self, cols, classes, rng) -> None:
        return None


def _random_correlation(d: int, rng) -> np.ndarray:
    w = rng.normal(0, 1, (d, 3))
    s = w @ w.T + np.diag(rng.uniform(0.3, 1.0, d))
    scale = np.sqrt(np.diag(s))
    return s / np.outer(scale, scale)


def _zero_inflated(u: np.ndarray, p0: float, ppf) -> np.ndarray:
    """Zero below ``p0``, else ``ppf`` of the rescaled uniform."""
    rest = np.clip((u - p0) / (1 - p0), 1e-12, 1 - 1e-12)
    return np.where(u < p0, 0.0, ppf(rest))


class Copula:
    """Per class a Gaussian copula over the free variables."""

    fixed_counts: dict[str, int] = {}
    like_share = {"Probing": 0.62, "Bruteforce": 0.62, "Bruteforce-XML": 0.62, "XMRIGCC CryptoMiner": 0.6}
    shift = 1.0
    _DIM = 10

    def params(self, cls: str, rng) -> dict:
        u = rng.uniform
        return {
            "chol": np.linalg.cholesky(_random_correlation(self._DIM, rng)),
            "f_nb": (u(0.4, 3), u(1, 40)), "b_nb": (u(0.4, 3), u(1, 40)), "b_zero": u(0, 0.5),
            "d_gamma": (u(0.2, 1.5), 10 ** u(-3, 1)),
            "fz": u(0, 0.4), "f_logn": (u(3, 6.5), u(0.3, 1.2)),
            "bz": u(0, 0.4), "b_gamma": (u(0.5, 4), u(20, 300)),
            "powers": u(0.3, 3, 5), "one": u(0.2, 0.9), "s_mu": u(-2.5, -0.3),
            "disc": _discrete_params(cls, rng),
        }  # fmt: skip

    @staticmethod
    def _nb(u, r, mean):
        return stats.nbinom.ppf(u, r, r / (r + mean))

    def sample(self, p: dict, cls: str, n: int, rng) -> dict[str, np.ndarray]:
        z = rng.standard_normal((n, self._DIM)) @ p["chol"].T
        u = np.clip(special.ndtr(z), 1e-12, 1 - 1e-12).T
        fl_mu, fl_sig = p["f_logn"]
        bk, btheta = p["b_gamma"]
        dk, dtheta = p["d_gamma"]
        pw = p["powers"]
        out = {
            "fwd": 1 + self._nb(u[0], *p["f_nb"]),
            "bwd": _zero_inflated(u[1], p["b_zero"], lambda v: self._nb(v, *p["b_nb"])),
            "dur": np.minimum(special.gammaincinv(dk, u[2]) * dtheta, 1e5),
            "fpay": np.clip(_zero_inflated(u[3], p["fz"], lambda v: np.exp(fl_mu + fl_sig * special.ndtri(v))), 0, 1460),
            "bpay": np.clip(_zero_inflated(u[4], p["bz"], lambda v: special.gammaincinv(bk, v) * btheta), 0, 1460),
            "fdata": u[5] ** pw[0], "bdata": u[6] ** pw[1], "fshare": u[7] ** pw[2], "bshare": u[8] ** pw[3],
            "active": np.where(u[9] > 1 - p["one"], 1.0, (u[9] / (1 - p["one"])) ** pw[4]),
            "spread": np.clip(rng.lognormal(p["s_mu"], 0.3, n), 0.01, 2.0),
        }  # fmt: skip
        out["fpay"] = np.where((out["fpay"] > 0) & (out["fpay"] < 1), 1.0, out["fpay"])
        out["bpay"] = np.where((out["bpay"] > 0) & (out["bpay"] < 1), 1.0, out["bpay"])
        out.update(_discrete(p["disc"], n, rng))
        return out

    def post(self, cols, classes, rng) -> None:
        return None


DUPLICATE_CLASS = "Bruteforce"
"""Adversarial: the class 30% of whose rows are copies of a handful of benign rows."""
ZERO_CLASS = "Probing"
"""Adversarial: the class whose bulk columns are all zero."""
HUGE_CLASS = "Background"
"""Adversarial: the class with durations near 1e6 s (IAT, idle near 1e12 us)."""


class Adversarial:
    """Per class a few discrete templates with jitter, plus hard cases (module docstring)."""

    fixed_counts = {"XMRIGCC CryptoMiner": 20}
    like_share = {"Probing": 0.66, "Bruteforce": 0.55, "Bruteforce-XML": 0.62, "XMRIGCC CryptoMiner": 0.7}
    shift = 0.0  # benign-like rows are exact draws of the benign templates

    def params(self, cls: str, rng) -> dict:
        k = int(rng.integers(3, 7))
        u = rng.uniform
        templates = {
            "fwd": np.round(np.exp(u(0, 3.5, k))), "bwd": np.round(np.exp(u(-1, 3.5, k))) * (rng.random(k) > 0.2),
            "dur": 10 ** u(-4, 1.5, k), "fpay": np.where(rng.random(k) < 0.3, 0, np.round(u(20, 1460, k))),
            "bpay": np.where(rng.random(k) < 0.3, 0, np.round(u(20, 1460, k))),
            "fdata": u(0.2, 1, k), "bdata": u(0.2, 1, k), "fshare": u(0.1, 1, k), "bshare": u(0.1, 1, k),
            "active": np.where(rng.random(k) < 0.5, 1.0, u(0, 1, k)), "spread": u(0.02, 0.6, k),
        }  # fmt: skip
        return {"w": rng.dirichlet(np.full(k, 1.5)), "t": templates, "disc": _discrete_params(cls, rng)}

    @staticmethod
    def _jitter(t: dict, which: np.ndarray, rng) -> dict[str, np.ndarray]:
        n = which.size
        out = {k: v[which].astype(np.float64) for k, v in t.items()}
        out["fwd"] += (rng.random(n) < 0.3) * rng.poisson(1.0, n)
        out["bwd"] += (out["bwd"] > 0) * (rng.random(n) < 0.3) * rng.poisson(1.0, n)
        out["dur"] *= rng.lognormal(0, 0.05, n)
        for key in ("fpay", "bpay"):
            out[key] = np.where(out[key] > 0, np.maximum(out[key] + (rng.random(n) < 0.3) * rng.integers(-3, 4, n), 1), 0)
        for key in ("fdata", "bdata", "fshare", "bshare"):
            out[key] = np.clip(out[key] + rng.normal(0, 0.02, n), 0, 1)
        return out

    @staticmethod
    def _rare_mode(out: dict, idx: np.ndarray, rng) -> None:
        m = idx.size
        out["fwd"][idx] = np.round(np.exp(rng.uniform(6, 10, m)))
        out["bwd"][idx] = np.round(out["fwd"][idx] * rng.uniform(0.8, 1.0, m))
        out["dur"][idx] = rng.uniform(50, 3000, m)
        out["fpay"][idx] = rng.uniform(1000, 1460, m)
        out["active"][idx] = 1.0

    def sample(self, p: dict, cls: str, n: int, rng) -> dict[str, np.ndarray]:
        out = self._jitter(p["t"], rng.choice(p["w"].size, n, p=p["w"]), rng)
        out.update(_discrete(p["disc"], n, rng))
        out["win_f"] = np.where(rng.random(n) < 0.995, 65535, out["win_f"])
        if cls not in ("Benign", "Background"):
            self._rare_mode(out, np.flatnonzero(rng.random(n) < 0.01), rng)
        if cls == HUGE_CLASS:
            idx = np.flatnonzero(rng.random(n) < 0.01)
            out["dur"][idx] = rng.uniform(0.95e6, 1.15e6, idx.size)
            out["fwd"][idx] = np.maximum(out["fwd"][idx], 2)
            out["active"][idx] = rng.uniform(1e-5, 1e-3, idx.size)
        return out

    def post(self, cols: dict[str, np.ndarray], classes: np.ndarray, rng) -> None:
        """Copy 5 benign rows over 3% of Benign and 30% of Bruteforce; zero Probing's bulk columns."""
        benign = np.flatnonzero(classes == "Benign")
        sources = rng.choice(benign, 5, replace=False)
        rest = np.setdiff1d(benign, sources)
        targets = [rng.choice(rest, int(round(0.03 * benign.size)), replace=False)]
        victims = np.flatnonzero(classes == DUPLICATE_CLASS)
        targets.append(rng.choice(victims, int(np.ceil(0.3 * victims.size)), replace=False))
        targets = np.concatenate(targets)
        origin = sources[rng.integers(0, sources.size, targets.size)]
        for values in cols.values():
            values[targets] = values[origin]
        zero = classes == ZERO_CLASS
        for side in ("fwd", "bwd"):
            for stat in ("bytes", "packets", "rate"):
                cols[f"{side}_bulk_{stat}"][zero] = 0.0
