"""flowgan's own generator: a class-conditional WGAN-GP over reversibly transformed flow features.

Pipeline: flow identities discovered from the training rows; each column with ordering bounds
re-expressed as its coordinate between them (:mod:`flowgan.constraints.coordinates`) ->
:class:`~flowgan.transforms.TableTransformer` (atoms such as the point mass at zero as one-hot
choices, log-quantile normal scores for the rest) -> each class's rows split into flow modes
by their pattern of exact zeros (:mod:`flowgan.models.cgan_modes`) -> conditional generator and
critic (mode one-hot into both) trained with WGAN-GP and class-balanced batches -> exact
per-class sampling, each row's mode drawn with its training share -> outputs decoded onto each
mode's training marginals (:mod:`flowgan.models.cgan_decoder`) -> identities enforced on every
generated row, bounded columns placed at their coordinates.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import torch
from sklearn.utils import check_random_state

from flowgan.constraints import IdentityEnforcer
from flowgan.constraints.declared import as_identities
from flowgan.constraints.selection import select_identities
from flowgan.datasets.hikari_declared import hikari_identities
from flowgan.errors import FlowganError
from flowgan.models.base import (
    BaseFlowGenerator,
    check_class_counts,
    check_feature_frame,
    check_known_class,
    check_n_samples,
)
from flowgan.models.cgan_decoder import CalibratedDecoder
from flowgan.models.cgan_modes import FlowModes
from flowgan.models.cgan_networks import ConditionalCritic, ConditionalGenerator, LayoutIndex, init_weights
from flowgan.models.cgan_persistence import cgan_state, restore_cgan
from flowgan.models.cgan_relative import choose_relative, relative_table
from flowgan.models.cgan_sampling import draw_outputs, generate_modes, repair, sampling_layers, to_frame
from flowgan.models.cgan_training import ClassBatchSampler, TrainingSettings, planned_epochs, train_wgan_gp
from flowgan.models.device import resolve_device, torch_threads
from flowgan.models.persistence import load_model_dir, save_model_dir
from flowgan.transforms import TableTransformer

logger = logging.getLogger(__name__)

SAMPLE_CHUNK = 4096
"""Rows generated, decoded and enforced together: small enough to stay in cache, and for the
chunk's temporaries to be reused from the heap (at 8192 rows they are mapped afresh each time:
100k rows of Probing took 38k page faults and 0.12 s of system time, at 4096 about 600 and 0.01 s)."""
REPAIR_ROUNDS = 3
CALIBRATION_ROWS = 5_000
"""Generated rows per flow mode on which the marginal calibration is measured at the end of fit."""
DECODER_QUANTILES, DECODER_GRID = 256, 256
"""Size of the decoder's tables per flow mode and column (a saved model holds one set per mode)."""


class ConditionalFlowGAN(BaseFlowGenerator):
    """Class-conditional GAN for flow tables, with exact per-class sampling and flow identities.

    Parameters
    ----------
    epochs : int or None, default=None
        Passes over the training rows (one pass = ``ceil(n_rows / batch_size)`` generator steps).
        None: a budget of 3000 generator updates whatever the table's size
        (:data:`~flowgan.models.cgan_training.AUTO_STEPS`: about 90 s of one CPU core with the
        default networks), so that small tables and rare classes are trained as long as large
        ones; the number of updates matters more than the batch size (see
        benchmarks/results/robustness.md).
    batch_size : int, default=256
    latent_dim : int, default=64
        Size of the generator's noise input.
    generator_dims, critic_dims : tuple of int, default=(128, 128) and (256, 256)
        Hidden layer widths. The generator's matrix products are most of the sampling time; on
        the simulated stand-in (128, 128) matched the held-out rows as well as (256, 256) (mean
        KS and correlation differences equal or lower) and sampled 100k rows in 1.04 s against 1.33 s.
    learning_rate : float, default=5e-4
        Adam learning rate of both networks (betas 0.5, 0.9).
    n_critic : int, default=1
        Critic updates per generator update.
    gp_weight : float, default=10.0
        Weight of the WGAN-GP gradient penalty.
    class_balance : float, default=0.5
        Classes are drawn for each batch with probability proportional to ``count ** class_balance``
        (0: uniform over classes, 1: as in the data), so rare classes are trained on.
    mode_min_rows : int, default=50
        Rows of a class sharing one pattern of exactly-zero columns that make it a flow mode
        (:mod:`flowgan.models.cgan_modes`). Both networks are conditioned on the mode, each
        mode is decoded onto its own training marginals, and rows draw their mode with its
        training share, so zero patterns (one-packet flows, flows without payload) keep their
        joint shares. 0: one mode per class.
    identities : path, str, list of str or Identity, optional
        Declared identities (:mod:`flowgan.constraints.declared`: a file, a text of one relation
        a line, or a list), obeyed by every generated row. The training rows must obey them
        (one broken on more than 1% of the rows is an error). HIKARI-2021's own identities
        (:mod:`flowgan.datasets.hikari_declared`) are declared automatically for tables with
        HIKARI's columns.
    discover : bool, default=True
        Also obey relations discovered on the training rows: found on one half of each class,
        kept when confirmed on the other half and not implied by the declared ones
        (:mod:`flowgan.constraints.selection`; see ``identity_report_``).
    enforce_identities : bool, default=True
        Derive dependent columns and repair orderings so that generated rows obey the
        declared and discovered identities.
    calibrate_marginals : bool, default=True
        Decode the generator's outputs through fixed monotone maps onto each class's training
        marginals, atom shares included (see :mod:`flowgan.models.cgan_decoder`); keeps the GAN's ranks.
    max_categories, atom_share, max_atoms : int, float, int
        Passed to the :class:`~flowgan.transforms.TableTransformer`.
    device : {"auto", "cpu", "cuda"}, default="auto"
    threads : int or None, default=1
        Torch threads used by ``fit`` and ``sample`` (torch's own setting is restored after).
        One by default: on a 2-core machine a second thread spins whenever another process holds
        a core, and training ran several times slower; sampling gains nothing from a second
        thread (only its matrix products are threaded). None: keep torch's current setting.
    random_state : int, RandomState or None, default=None
        Same seed, same rows (on the CPU).
    verbose : bool, default=False
        Show a progress bar with losses and an ETA.

    Attributes
    ----------
    classes_ : list
        Classes seen in fit, in sorted order.
    feature_names_in_ : ndarray of str
    dtypes_ : dict
        dtype of every column, restored on sampled rows.
    transformer_ : TableTransformer
    identities_ : list of Identity
        Declared and kept discovered identities, obeyed by sampled rows.
    identity_report_ : list of dict
        Every declared and discovered identity, whether it was kept, and why not.
    history_ : list of dict
        Mean ``d_loss``, ``g_loss``, ``wasserstein``, ``gp`` and ``seconds`` of each epoch.

    Notes
    -----
    A class needs at least :attr:`min_rows_per_class` rows. Very small classes still work: the
    networks see them through class-balanced batches, and every sampled value is clipped to the
    range that class showed in training, so their rows stay inside the class's own box.
    """

    model_type: ClassVar[str] = "cgan"
    min_rows_per_class: ClassVar[int] = 2

    def __init__(
        self,
        epochs: int | None = None,
        batch_size: int = 256,
        latent_dim: int = 64,
        generator_dims: tuple[int, ...] = (128, 128),
        critic_dims: tuple[int, ...] = (256, 256),
        learning_rate: float = 5e-4,
        n_critic: int = 1,
        gp_weight: float = 10.0,
        class_balance: float = 0.5,
        mode_min_rows: int = 50,
        identities: Any = None,
        discover: bool = True,
        enforce_identities: bool = True,
        calibrate_marginals: bool = True,
        max_categories: int = 10,
        atom_share: float = 0.01,
        max_atoms: int = 6,
        device: str = "auto",
        threads: int | None = 1,
        random_state: Any = None,
        verbose: bool = False,
    ):
        self.epochs = epochs
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.generator_dims = generator_dims
        self.critic_dims = critic_dims
        self.learning_rate = learning_rate
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.class_balance = class_balance
        self.mode_min_rows = mode_min_rows
        self.identities = identities
        self.discover = discover
        self.enforce_identities = enforce_identities
        self.calibrate_marginals = calibrate_marginals
        self.max_categories = max_categories
        self.atom_share = atom_share
        self.max_atoms = max_atoms
        self.device = device
        self.threads = threads
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ fit
    def fit(self, X: pd.DataFrame, y: Any = None) -> ConditionalFlowGAN:
        """Fit transforms, identities and both networks on ``X`` (rows of class ``y``).

        Parameters
        ----------
        X : DataFrame or array of shape (n_rows, n_features)
            Numeric features, finite. By default callers pass attack rows only.
        y : array-like of shape (n_rows,), optional
            Class of each row; ``None`` trains one unnamed class.
        """
        self._check_params()
        with torch_threads(self.threads):
            return self._fit(X, y)

    def _fit(self, X: pd.DataFrame, y: Any) -> ConditionalFlowGAN:
        frame = check_feature_frame(X)
        labels = check_class_counts(np.zeros(len(frame), dtype=int) if y is None else _as_labels(y, len(frame)),
                                    self.min_rows_per_class, model=self.model_type)  # fmt: skip
        self.classes_ = sorted(pd.unique(labels).tolist(), key=_sort_key) if y is not None else [None]
        codes = np.zeros(len(frame), dtype=np.int64) if y is None else np.array([self.classes_.index(v) for v in labels])
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        rng, device = np.random.default_rng(seed), resolve_device(self.device)
        torch_gen = torch.Generator(device=device).manual_seed(seed)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.dtypes_ = {c: str(frame[c].dtype) for c in frame.columns}
        with _progress(self.verbose, planned_epochs(len(frame), self._settings()) + 2) as bar:
            bar.set_description("finding identities")
            values = frame.to_numpy(dtype=float)
            self.identities_, self.identity_report_ = select_identities(
                values, list(frame.columns), codes, as_identities(self.identities), hikari_identities(list(frame.columns)),
                discover=self.discover, rng=rng)  # fmt: skip
            self._build_enforcer()
            self.modes_ = FlowModes(self.mode_min_rows)
            row_modes = self.modes_.fit(values, codes, len(self.classes_))
            self.relative_columns_ = choose_relative(self.enforcer_, values, codes, rng) if self.enforce_identities else []
            table = relative_table(self.enforcer_, self.relative_columns_, frame, values, codes, rng)
            bar.update(1)
            bar.set_description("fitting transforms")
            self.transformer_ = TableTransformer(max_categories=self.max_categories, atom_share=self.atom_share,
                                                 max_atoms=self.max_atoms)
            encoded = self.transformer_.fit(table, codes).transform(table)
            bar.update(1)
            bar.set_description("training")
            self._build_networks(self.modes_.n_modes, device, torch_gen)
            data = torch.as_tensor(encoded, dtype=torch.float32, device=device)
            sampler = ClassBatchSampler(data, codes, len(self.classes_), self.class_balance, rng, row_modes, self.modes_.n_modes)

            def on_epoch(record):
                bar.set_postfix(d=f"{record['d_loss']:.3f}", g=f"{record['g_loss']:.3f}", refresh=False)
                bar.update(1)

            self.history_ = train_wgan_gp(self.generator_net_, self.critic_net_, sampler, self.layout_index_,
                                          self._settings(), torch_gen, on_epoch)  # fmt: skip
        self.sampling_generator_ = torch.Generator(device=device).manual_seed(int(rng.integers(2**62)))
        self.device_ = device
        self.decoder_ = None
        if self.calibrate_marginals:
            self._fit_decoder(table.to_numpy(dtype=float), row_modes)
        logger.info("trained cgan on %d rows, %d classes, %d flow modes, %d identities", len(frame), len(self.classes_),
                    self.modes_.n_modes, len(self.identities_))  # fmt: skip
        return self

    def _fit_decoder(self, values: np.ndarray, row_modes: np.ndarray) -> None:
        """Measure the generator's outputs per flow mode and map them onto that mode's training marginals."""
        real = [values[row_modes == m] for m in range(self.modes_.n_modes)]
        outputs = [self._sample_outputs(CALIBRATION_ROWS, m) for m in range(self.modes_.n_modes)]
        self.decoder_ = CalibratedDecoder(DECODER_QUANTILES, DECODER_GRID).fit(self.transformer_, real, outputs)

    def _check_params(self) -> None:
        for name in ("epochs", "batch_size", "latent_dim", "n_critic"):
            value = getattr(self, name)
            if name == "epochs" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise FlowganError(f"{name} must be a positive integer, got {value!r}")
        if isinstance(self.mode_min_rows, bool) or not isinstance(self.mode_min_rows, (int, np.integer)) or self.mode_min_rows < 0:
            raise FlowganError(f"mode_min_rows must be a non-negative integer, got {self.mode_min_rows!r}")
        if self.batch_size < 2:
            raise FlowganError(f"batch_size must be at least 2 (batch norm needs it), got {self.batch_size}")
        for name in ("generator_dims", "critic_dims"):
            dims = getattr(self, name)
            if not dims or any(not isinstance(d, (int, np.integer)) or d < 1 for d in dims):
                raise FlowganError(f"{name} must be a non-empty tuple of positive integers, got {dims!r}")
        if self.threads is not None and (isinstance(self.threads, bool) or not isinstance(self.threads, (int, np.integer))
                                         or self.threads < 1):  # fmt: skip
            raise FlowganError(f"threads must be a positive integer or None, got {self.threads!r}")
        if not self.learning_rate > 0 or self.gp_weight < 0 or not 0 <= self.class_balance <= 1:
            raise FlowganError("learning_rate must be > 0, gp_weight >= 0 and class_balance in [0, 1]")

    def _settings(self) -> TrainingSettings:
        return TrainingSettings(self.epochs, self.batch_size, self.latent_dim, self.n_critic,
                                float(self.gp_weight), float(self.learning_rate))  # fmt: skip

    def _build_networks(self, n_conditions: int, device: torch.device, torch_gen: torch.Generator | None) -> None:
        width = self.transformer_.output_width_
        self.layout_index_ = LayoutIndex([(b.width, b.activation) for b in self.transformer_.layout_], device)
        self.generator_net_ = ConditionalGenerator(self.latent_dim, n_conditions, tuple(self.generator_dims), width)
        self.critic_net_ = ConditionalCritic(width, n_conditions, tuple(self.critic_dims))
        if torch_gen is not None:
            init_gen = torch.Generator().manual_seed(int(torch.randint(2**62, (1,), generator=torch_gen, device=device)))
            init_weights(self.generator_net_, init_gen)
            init_weights(self.critic_net_, init_gen)
        self.generator_net_.to(device)
        self.critic_net_.to(device)

    def _build_enforcer(self) -> None:
        self.enforcer_ = IdentityEnforcer(self.identities_, list(self.feature_names_in_))

    # --------------------------------------------------------------- sample
    def sample(self, n_samples: int, klass: Any = None) -> pd.DataFrame:
        """Return exactly ``n_samples`` synthetic rows of class ``klass``.

        Rows are generated in one pass (no rejection): categorical parts are drawn from the
        generator's categorical outputs, values are clipped to the class's training range, and
        the identities are enforced when ``enforce_identities`` is on.
        """
        self._check_fitted()
        n_samples = check_n_samples(n_samples)
        if klass is None and len(self.classes_) > 1:
            raise FlowganError(f"this model knows several classes ({', '.join(map(repr, self.classes_))}): pass klass")
        klass = self.classes_[0] if klass is None else check_known_class(klass, self.classes_)
        modes = self.modes_.draw(n_samples, self.classes_.index(klass), self._numpy_rng())
        with torch_threads(self.threads):
            values, broken = self._generate(modes)
            if broken is not None:
                values = self._repair(values, broken, modes)
        return self._to_frame(values)

    def _to_frame(self, values: np.ndarray) -> pd.DataFrame:
        """Values as a DataFrame with the training columns and dtypes (whole numbers rounded first).

        Not the transformer's ``to_frame``: for a column learnt as a coordinate, the transformer
        describes the coordinate (which may be whole), not the column's values.
        """
        return to_frame(values, self.feature_names_in_, self.dtypes_)

    def _generate(self, modes: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Generated, calibrated and (when on) identity-enforced float64 values (column-major) of
        rows of flow modes ``modes``, and the mask of rows that still break an identity (None when
        identities are not enforced)."""
        return generate_modes(self, modes, SAMPLE_CHUNK)

    def _repair(self, values: np.ndarray, broken: np.ndarray, modes: np.ndarray) -> np.ndarray:
        """Redraw the few rows the enforcement plan could not fix, a bounded number of times.

        Rows still broken after :data:`REPAIR_ROUNDS` redraws are replaced by other valid rows
        of the same call, so the count stays exact and no loop is unbounded.
        """
        return repair(self, values, broken, modes, REPAIR_ROUNDS, SAMPLE_CHUNK)

    def _numpy_rng(self) -> np.random.Generator:
        seed = int(torch.randint(2**62, (1,), generator=self.sampling_generator_, device=self.device_))
        return np.random.default_rng(seed)

    def _sample_outputs(self, n: int, code: int) -> tuple[np.ndarray, np.ndarray]:
        """The generator's ``(choices, scores)`` for ``n`` rows of flow mode ``code``, as NumPy arrays."""
        choices, scores = draw_outputs(self, n, code, sampling_layers(self, code), self._numpy_rng())
        return choices.T, scores.T.astype(float)

    def _check_fitted(self) -> None:
        if not hasattr(self, "generator_net_"):
            raise FlowganError("this ConditionalFlowGAN is not fitted yet: call fit(X, y) or load a saved model")

    # ---------------------------------------------------------- persistence
    def save(self, path: str | os.PathLike) -> Path:
        """Write the fitted model to directory ``path`` (JSON config + tensors, no pickle)."""
        self._check_fitted()
        return save_model_dir(path, self.model_type, *cgan_state(self))

    @classmethod
    def load(cls, path: str | os.PathLike, device: str = "cpu") -> ConditionalFlowGAN:
        """Rebuild a model saved by :meth:`save` (on the CPU unless ``device`` says otherwise)."""
        meta, state = load_model_dir(path, cls.model_type)
        params = dict(meta["config"]["params"])
        params.update({k: tuple(params[k]) for k in ("generator_dims", "critic_dims")})
        return restore_cgan(cls(**params), meta["config"], state, resolve_device(device))


def _as_labels(y: Any, n_rows: int) -> np.ndarray:
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.shape[0] != n_rows:
        raise FlowganError(f"y must be one label per row of X ({n_rows}), got shape {labels.shape}")
    if pd.isna(pd.Series(labels)).any():
        raise FlowganError("y has missing class labels")
    return labels


def _sort_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value) if isinstance(value, (int, float, np.number)) else ("~", str(value))


def _progress(verbose: bool, total: int):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="step", dynamic_ncols=True, disable=not verbose)
