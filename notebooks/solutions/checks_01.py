"""Check functions for the exercises of notebook 01 (capacity and network design).

Each prints "correct: ..." or "not yet: <hint>" (``hpo_teach.testing.verdict``) and returns True or False.
A hint says what to look at, never the answer.
"""

from hpo_teach.models.architecture import count_params
from hpo_teach.testing import verdict


def check_count_params(fn):
    """Exercise 1: ``fn(sizes)`` must count weights and biases like ``hpo_teach.models.architecture.count_params``."""
    cases = ([2, 1], [2, 3, 2], [196, 64, 32, 16, 10], [784, 100, 100, 10], [5, 1, 1, 1, 3])
    for sizes in cases:
        got, want = fn(list(sizes)), count_params(sizes)
        if got != want:
            if got == want - sum(sizes[1:]):
                hint = "every layer after the input has one bias per unit; count those too"
            elif got < want:
                hint = "your count is too small: a layer of n_out units fed by n_in units has n_in * n_out weights"
            else:
                hint = "your count is too large: the input layer has no weights or biases of its own"
            return verdict(False, "", f"for sizes {list(sizes)} the count is wrong; {hint}")
    return verdict(True, f"parameter counts match on {len(cases)} networks", "")


# (valid losses, patience) -> (stop index, best index)
_PATIENCE_CASES = [
    (([3.0, 2.0, 1.0, 0.5], 2), (3, 3)),                 # never stops: still improving at the end
    (([3.0, 2.0, 2.5, 2.6, 1.0], 2), (3, 1)),            # two evaluations without improvement after index 1
    (([3.0, 2.0, 2.5, 1.5, 1.6, 1.7, 1.8], 3), (6, 3)),  # a new best resets the count
    (([1.0, 1.0, 1.0], 1), (1, 0)),                      # equal is not better
    (([2.0, 1.0, 1.5, 1.2, 1.1, 0.9], 5), (5, 5)),
]


def check_patience_stop(fn):
    """Exercise 2: ``fn(valid_losses, patience) -> (stop, best)`` indices, as ``hpo_teach.training.loop.fit`` stops."""
    for (losses, patience), (stop, best) in _PATIENCE_CASES:
        got = tuple(fn(list(losses), patience))
        if got == (stop, best):
            continue
        # the stop index first: the index to restore depends on where training stopped
        if got[0] != stop:
            hint = ("the stop index is wrong: count evaluations since the last improvement, reset the count on a "
                    "new best, and stop at the evaluation where the count reaches the patience")
        else:
            hint = ("the index to restore is wrong: it is the evaluation with the lowest loss seen up to the stop, "
                    "and a loss equal to the best is not an improvement")
        return verdict(False, "", f"for losses {losses} and patience {patience}: {hint}")
    return verdict(True, f"patience rule right on {len(_PATIENCE_CASES)} loss sequences", "")


def check_more_data_gap(gap_500, gap_3000):
    """Exercise 3: the valid - train gap (fractions) of 196-128-10 on 500 vs 3000 training images."""
    if not (0 <= gap_500 < 1 and -0.05 < gap_3000 < 1):
        return verdict(False, "", "give the gaps as fractions (valid error - train error), e.g. 0.12 for 12 points")
    if gap_3000 >= gap_500:
        return verdict(False, "", "this gap_3000 is not what the 196-128-10 network gives on all 3000 images: train "
                                  "on X_all, y_all (batch size 50, 7 epochs = 420 steps) and take valid error minus "
                                  "train error of the final weights")
    return verdict(True, "the gap is smaller with 3000 images than with 500: more data, smaller gap", "")
