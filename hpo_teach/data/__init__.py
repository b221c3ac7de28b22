"""Data: the shipped MNIST subset and its splits, 2-D toy sets, the minibatch schedule, related tasks.

- :mod:`.mnist_subset`: 5,000 checksum-verified MNIST digits, splits train / t1 / t2 / valid / test.
- :mod:`.toy`: moons, spirals, circles, xor.
- :mod:`.batches`: the one minibatch schedule every training loop uses.
- :mod:`.tasks`: few-shot digit tasks and their rotations (learned weight sharing, notebook 10b).
"""

from .batches import minibatches
from .mnist_subset import (SPLIT_SIZES, SPLITS, DataFileError, load_mnist_raw, mnist, mnist_small, one_hot,
                           split_indices)
from .tasks import DIGIT_GROUPS, Task, holdout, rotate90, rotation_tasks
from .toy import circles, moons, spirals, xor

__all__ = ["SPLIT_SIZES", "SPLITS", "DataFileError", "load_mnist_raw", "mnist", "mnist_small", "one_hot",
           "split_indices", "moons", "spirals", "circles", "xor", "minibatches",
           "DIGIT_GROUPS", "Task", "rotate90", "rotation_tasks", "holdout"]
