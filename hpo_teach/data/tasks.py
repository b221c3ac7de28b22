"""Related few-shot tasks from MNIST: digits 0-4, 5-9 and both rotated by 90 degrees.

The small-scale stand-in for Maclaurin et al.'s (2015) Omniglot alphabets and their rotations,
used to learn how much weight to share across tasks (notebook 10b).
"""

from dataclasses import dataclass

import numpy as np

from .._validate import require_int
from .mnist_subset import mnist_small

DIGIT_GROUPS = ((0, 1, 2, 3, 4), (5, 6, 7, 8, 9))


@dataclass(frozen=True)
class Task:
    """One classification task: images of ``digits`` (labelled 0..len-1), maybe rotated."""

    name: str
    digits: tuple
    rotated: bool
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def rotate90(X, side):
    """Rotate each row of ``X`` (a flattened ``side`` x ``side`` image) by 90 degrees counter-clockwise."""
    side = require_int("side", side, low=1)
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != side * side:
        raise ValueError(f"X must have shape (n, side*side) = (n, {side * side}), got {X.shape}")
    return np.rot90(X.reshape(-1, side, side), 1, axes=(1, 2)).reshape(len(X), side * side)


def rotation_tasks(n_per_class=15, digit_groups=DIGIT_GROUPS, side=14, seed=0):
    """Tasks for each group of digits and the same tasks rotated by 90 degrees.

    Each task gets ``n_per_class`` training images per digit (drawn with ``seed`` from
    ``mnist_small("train")``) and every test-split image of its digits. A rotated task uses
    the very same images turned by 90 degrees, as the paper's rotated alphabets do. Labels
    are the digit's position in its group, so every task has ``len(group)`` classes.
    """
    n_per_class = require_int("n_per_class", n_per_class, low=1, high=200)
    seed = require_int("seed", seed, low=0)
    groups = [tuple(int(d) for d in group) for group in digit_groups]
    if not groups or any(len(g) < 2 or len(set(g)) != len(g) or not set(g) <= set(range(10)) for g in groups):
        raise ValueError(f"digit_groups must be groups of >= 2 distinct digits in 0..9, got {digit_groups!r}")
    X_train, y_train = mnist_small("train", side)
    X_test, y_test = mnist_small("test", side)
    rng = np.random.default_rng(seed)
    upright = []
    for group in groups:
        picks = np.concatenate([rng.choice(np.flatnonzero(y_train == d), n_per_class, replace=False)
                                for d in group])
        in_test = np.isin(y_test, group)
        name = f"{group[0]}-{group[-1]}" if group == tuple(range(group[0], group[-1] + 1)) else "".join(map(str, group))
        upright.append(Task(name, group, False, X_train[picks], np.repeat(np.arange(len(group)), n_per_class),
                            X_test[in_test], np.searchsorted(group, y_test[in_test])))
    turned = [Task(t.name + " rot", t.digits, True, rotate90(t.X_train, side), t.y_train,
                   rotate90(t.X_test, side), t.y_test) for t in upright]
    return upright + turned


def holdout(tasks, n_valid_per_class, seed):
    """Split every task's training images into (train, valid) pairs, stratified by class.

    Returns two lists of ``(X, y)``, one entry per task. The paper redraws this split at each
    meta-iteration so the mixing matrices cannot overfit one small validation set.
    """
    n_valid_per_class = require_int("n_valid_per_class", n_valid_per_class, low=1)
    rng = np.random.default_rng([require_int("seed", seed, low=0), 1])
    train, valid = [], []
    for task in tasks:
        counts = np.bincount(task.y_train)
        if n_valid_per_class >= counts.min():
            raise ValueError(f"n_valid_per_class must be below the smallest class size {counts.min()} "
                             f"(task {task.name!r}), got {n_valid_per_class}")
        held = np.zeros(len(task.y_train), dtype=bool)
        for c in range(len(counts)):
            held[rng.choice(np.flatnonzero(task.y_train == c), n_valid_per_class, replace=False)] = True
        train.append((task.X_train[~held], task.y_train[~held]))
        valid.append((task.X_train[held], task.y_train[held]))
    return train, valid
