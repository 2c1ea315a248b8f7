"""The seed paper's GAN: its own interface (:class:`NetworkTrafficGAN`) and flowgan's
generator contract (:class:`PaperGANGenerator`, model type ``paper``).

The networks, scaling, batch size, optimiser and loss are the seed's (see
:mod:`flowgan.models.paper_core`). What flowgan adds: a device parameter, a local
``random_state`` (same seed, same rows on the CPU), a loss history, a progress bar, clear
errors, and saving to a model directory.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from flowgan.errors import DataValidationError, FlowganError, ModelFileError
from flowgan.models.base import (
    BaseFlowGenerator,
    check_class_counts,
    check_feature_frame,
    check_known_class,
    check_n_samples,
)
from flowgan.models.device import resolve_device
from flowgan.models.paper_core import (
    BATCH_SIZE,
    LATENT_DIM,
    PaperNetworks,
    generate_rows,
    networks_from_state,
    networks_state,
    scaler_to_config,
    train_paper_networks,
)
from flowgan.models.persistence import load_model_dir, save_model_dir
from flowgan.models.training import check_epochs, derive_seeds, make_torch_generator

logger = logging.getLogger(__name__)

MODEL_TYPE = "paper"


class PaperGANGenerator(BaseFlowGenerator):
    """The seed paper's vanilla GAN behind flowgan's generator contract.

    With ``per_class=True`` (default) one seed network is trained per class of ``y``; the seed
    itself trained one network on all rows, which is ``fit(X)`` (``y=None``) or
    ``per_class=False``.

    Parameters
    ----------
    epochs : int, default=500
        Passes over each class's rows (the seed's default).
    latent_dim : int, default=100
        Size of the generator's noise input.
    batch_size : int, default=32
        Rows per mini-batch (the seed's value).
    per_class : bool, default=True
        Train one network per class of ``y``.
    device : {"auto", "cpu", "cuda"}, default="auto"
        Where to train; a fitted model is always loaded on the CPU.
    random_state : int, numpy Generator or None, default=None
        Seeds weight initialisation, shuffling, noise and sampling.
    verbose : bool, default=False
        Show a progress bar per network.

    Attributes
    ----------
    classes_ : list
        Classes seen in ``fit`` (``[None]`` without ``y``).
    feature_names_in_ : numpy.ndarray
        Column names of ``X``.
    dtypes_ : dict
        dtype name of each column of ``X``; ``sample`` returns the same dtypes.
    history_ : list of dict
        ``{"class", "epoch", "d_loss", "g_loss"}`` per network and epoch.
    networks_ : list of PaperNetworks
        The trained networks (one per class when ``per_class``).

    Notes
    -----
    The seed returned raw float output for every column. ``sample`` follows flowgan's
    contract instead: integer columns are rounded and cast back (bool columns thresholded at
    0.5); float columns are the seed's raw inverse-scaled output. For the seed's exact output
    use :meth:`NetworkTrafficGAN.generate_samples`.
    """

    model_type = MODEL_TYPE

    def __init__(
        self,
        epochs: int = 500,
        latent_dim: int = LATENT_DIM,
        batch_size: int = BATCH_SIZE,
        per_class: bool = True,
        device: str = "auto",
        random_state: Any = None,
        verbose: bool = False,
    ) -> None:
        self.epochs = epochs
        self.latent_dim = latent_dim
        self.batch_size = batch_size
        self.per_class = per_class
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X: Any, y: Any = None) -> PaperGANGenerator:
        """Train the seed's GAN on ``X`` (one network per class of ``y`` when ``per_class``)."""
        check_epochs(self.epochs)
        for name in ("latent_dim", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
                raise FlowganError(f"{name} must be a positive integer, got {value!r}")
        frame = check_feature_frame(X)
        device = resolve_device(self.device)
        groups = self._group_rows(frame, y)
        seeds = derive_seeds(self.random_state)
        self.networks_ = []
        self.history_ = []
        for index, (klass, rows) in enumerate(groups.items()):
            net_seeds = derive_seeds(np.random.default_rng([seeds["init"], index]))
            desc = "paper GAN" if klass is None else f"paper GAN [{klass}]"
            networks = train_paper_networks(
                rows.to_numpy(dtype=np.float64), latent_dim=int(self.latent_dim), epochs=int(self.epochs),
                batch_size=int(self.batch_size), device=device, seeds=net_seeds, verbose=self.verbose, desc=desc,
            )  # fmt: skip
            self.networks_.append(networks)
            self.history_ += [{"class": klass, **record} for record in networks.history]
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        self.dtypes_ = {str(c): str(frame[c].dtype) for c in frame.columns}
        self.network_classes_ = list(groups)
        self.sample_seed_ = seeds["sample"]
        self._sample_generator = make_torch_generator(self.sample_seed_)
        return self

    def _group_rows(self, frame: pd.DataFrame, y: Any) -> dict[Any, pd.DataFrame]:
        if y is None:
            self.classes_ = [None]
            return {None: frame}
        labels = check_class_counts(y, self.min_rows_per_class, model=MODEL_TYPE)
        if len(labels) != len(frame):
            raise FlowganError(f"X has {len(frame)} rows but y has {len(labels)} labels")
        self.classes_ = sorted(labels.unique().tolist(), key=str)
        if not self.per_class:
            return {None: frame}
        values = labels.to_numpy()
        return {k: frame[values == k].reset_index(drop=True) for k in self.classes_}

    def sample(self, n_samples: int, klass: Any = None) -> pd.DataFrame:
        """Return exactly ``n_samples`` synthetic rows with ``X``'s columns and dtypes.

        ``klass`` picks the class's network; it is required when one network per class was
        trained on several classes. Without per-class networks every class gets rows from the
        one network trained on all rows (the seed's behaviour).
        """
        if not hasattr(self, "networks_"):
            raise FlowganError("this PaperGANGenerator is not fitted yet; call fit(X, y) first")
        n_samples = check_n_samples(n_samples)
        index = self._network_index(klass)
        values = generate_rows(self.networks_[index], n_samples, self._sample_generator)
        frame = pd.DataFrame(values, columns=list(self.feature_names_in_))
        return restore_dtypes(frame, self.dtypes_)

    def _network_index(self, klass: Any) -> int:
        if klass is not None:
            check_known_class(klass, self.classes_)
        if self.network_classes_ == [None]:
            return 0
        if klass is None:
            if len(self.network_classes_) == 1:
                return 0
            known = ", ".join(map(repr, self.network_classes_))
            raise FlowganError(f"this model has one network per class; pass klass (one of {known})")
        return self.network_classes_.index(klass)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the model directory (config.json with scaler parameters and history, state.pt)."""
        if not hasattr(self, "networks_"):
            raise FlowganError("cannot save an unfitted PaperGANGenerator; call fit first")
        params = {k: v for k, v in self.get_params().items() if k != "random_state"}
        params["random_state"] = self.random_state if isinstance(self.random_state, (int, type(None))) else None
        config = {
            "params": params,
            "feature_names": list(self.feature_names_in_),
            "dtypes": self.dtypes_,
            "classes": list(self.classes_),
            "network_classes": list(self.network_classes_),
            "scalers": [scaler_to_config(n.scaler) for n in self.networks_],
            "history": self.history_,
            "sample_seed": self.sample_seed_,
        }
        state = {f"network_{i}": networks_state(n) for i, n in enumerate(self.networks_)}
        return save_model_dir(path, MODEL_TYPE, config, state)

    @classmethod
    def load(cls, path: str | os.PathLike) -> PaperGANGenerator:
        """Rebuild a saved model on the CPU (weights read with ``weights_only=True``)."""
        meta, state = load_model_dir(path, MODEL_TYPE)
        try:
            config = meta["config"]
            model = cls(**config["params"])
            names = list(config["feature_names"])
            histories = _split_history(config["history"], config["network_classes"])
            model.networks_ = [
                networks_from_state(state[f"network_{i}"], scaler, len(names), int(model.latent_dim), hist)
                for i, (scaler, hist) in enumerate(zip(config["scalers"], histories, strict=True))
            ]
            model.feature_names_in_ = np.asarray(names, dtype=object)
            model.n_features_in_ = len(names)
            model.dtypes_ = dict(config["dtypes"])
            model.classes_ = list(config["classes"])
            model.network_classes_ = list(config["network_classes"])
            model.history_ = list(config["history"])
            model.sample_seed_ = int(config["sample_seed"])
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            raise ModelFileError(f"{path} is not a readable paper model ({type(exc).__name__}: {exc})") from exc
        model._sample_generator = make_torch_generator(model.sample_seed_)
        return model


def _split_history(history: list[dict[str, Any]], network_classes: list[Any]) -> list[list[dict[str, Any]]]:
    return [[{k: v for k, v in r.items() if k != "class"} for r in history if r.get("class") == k] for k in network_classes]


def restore_dtypes(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """Cast generated float columns back to ``dtypes`` (integers rounded, bools at 0.5)."""
    out = {}
    for col in frame.columns:
        target = pd.api.types.pandas_dtype(dtypes.get(col, "float64"))
        values = frame[col].to_numpy(dtype=np.float64)
        if pd.api.types.is_bool_dtype(target):
            out[col] = pd.array(values > 0.5, dtype=target)
        elif pd.api.types.is_integer_dtype(target):
            np_type = getattr(target, "numpy_dtype", target)
            info = np.iinfo(np_type)
            out[col] = pd.array(np.clip(np.rint(values), info.min, info.max).astype(np_type), dtype=target)
        else:
            out[col] = pd.array(values, dtype=target)
    return pd.DataFrame(out, columns=frame.columns)


class NetworkTrafficGAN:
    """The seed paper's class, with its interface: ``prepare_data``, ``train``, ``generate_samples``.

    Parameters
    ----------
    data_path : str or PathLike
        CSV of preprocessed rows (the seed's ``raw_data_preprocessed.csv``).
    selected_features : list of str
        Columns to train on.
    device : {"auto", "cpu", "cuda"}, default="auto"
        The seed used CUDA when available, which ``auto`` reproduces.
    random_state : int or None, default=None
        Makes CPU runs repeat exactly (the seed was not seeded).
    verbose : bool, default=False
        Show a progress bar with epoch, d_loss, g_loss and ETA.

    Attributes
    ----------
    history_ : list of dict
        ``{"epoch", "d_loss", "g_loss"}`` per epoch, after ``train``.
    """

    def __init__(self, data_path: str | os.PathLike, selected_features: list[str], *, device: str = "auto", random_state: Any = None, verbose: bool = False) -> None:  # fmt: skip
        self.data_path = data_path
        self.selected_features = list(selected_features)
        self.device = resolve_device(device)
        self.random_state = random_state
        self.verbose = verbose
        self.history_: list[dict[str, float]] = []

    def prepare_data(self) -> int:
        """Read the CSV, select and scale the features; return the number of features."""
        path = Path(self.data_path)
        if not path.is_file():
            raise DataValidationError(f"data file {path} does not exist")
        header = pd.read_csv(path, nrows=0).columns
        missing = [f for f in self.selected_features if f not in header]
        if missing or not self.selected_features:
            raise DataValidationError(f"{path}: unknown feature(s) {', '.join(map(repr, missing)) or '(none selected)'}; "
                                      f"the file has {', '.join(map(str, header[:12]))}{' ...' if len(header) > 12 else ''}")  # fmt: skip
        self.data_ = check_feature_frame(pd.read_csv(path, usecols=self.selected_features)[self.selected_features], name=str(path))
        return len(self.selected_features)

    def train(self, latent_dim: int = LATENT_DIM, epochs: int = 500) -> list[dict[str, float]]:
        """Train the seed's GAN on all rows; return (and keep in ``history_``) the epoch losses."""
        check_epochs(epochs)
        self.prepare_data()
        self._model = PaperGANGenerator(
            epochs=epochs, latent_dim=latent_dim, per_class=False, device=str(self.device),
            random_state=self.random_state, verbose=self.verbose,
        ).fit(self.data_)  # fmt: skip
        self.scaler = self._model.networks_[0].scaler
        self.generator = self._model.networks_[0].generator
        self.discriminator = self._model.networks_[0].discriminator
        self.history_ = [{k: v for k, v in r.items() if k != "class"} for r in self._model.history_]
        return self.history_

    def generate_samples(self, n_samples: int = 100, latent_dim: int = LATENT_DIM) -> pd.DataFrame:
        """``n_samples`` rows of raw inverse-scaled float output, as the seed returned them."""
        if not hasattr(self, "_model"):
            raise FlowganError("NetworkTrafficGAN is not trained yet; call train() first")
        n_samples = check_n_samples(n_samples)
        if latent_dim != self._model.latent_dim:
            raise FlowganError(f"latent_dim {latent_dim} differs from the {self._model.latent_dim} the model was trained with")
        networks: PaperNetworks = self._model.networks_[0]
        values = generate_rows(networks, n_samples, self._model._sample_generator)
        return pd.DataFrame(values, columns=self.selected_features)

    def save(self, path: str | os.PathLike) -> Path:
        """Save as a ``paper`` model directory (readable by :meth:`PaperGANGenerator.load`)."""
        if not hasattr(self, "_model"):
            raise FlowganError("NetworkTrafficGAN is not trained yet; call train() first")
        return self._model.save(path)
