"""Check functions for the exercises of notebook 01 (capacity and network design).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

from hpo_teach.models.architecture import count_params


def _report(ok, message):
    print(("correct: " if ok else "not yet: ") + message)
    return ok


def check_count_params(fn):
    """Exercise 1: ``fn(sizes)`` must count weights and biases like ``hpo_teach.models.architecture.count_params``."""
    for sizes in ([2, 1], [2, 3, 2], [196, 64, 32, 16, 10], [784, 100, 100, 10], [5, 1, 1, 1, 3]):
        got, want = fn(list(sizes)), count_params(sizes)
        if got != want:
            hint = " (did you forget the biases?)" if got == want - sum(sizes[1:]) else ""
            return _report(False, f"for sizes {sizes} you count {got}, the answer is {want}{hint}")
    return _report(True, "parameter counts match on 5 networks")


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
    for (losses, patience), want in _PATIENCE_CASES:
        got = fn(list(losses), patience)
        if tuple(got) != want:
            return _report(False, f"for losses {losses} and patience {patience} you return {tuple(got)}, "
                                  f"expected (stop, best) = {want}")
    return _report(True, f"patience rule right on {len(_PATIENCE_CASES)} loss sequences")


def check_gap_shrinks(gap_500, gap_3000):
    """Exercise 3: the valid - train gap (fractions) of 196-128-10 on 500 vs 3000 training images."""
    if not (0 <= gap_500 < 1 and -0.05 < gap_3000 < 1):
        return _report(False, "give the gaps as fractions (valid error - train error), e.g. 0.12 for 12 points")
    if gap_3000 >= gap_500:
        return _report(False, "the 3000-image gap should be smaller than the 500-image gap; "
                              "did you train on X_all, y_all?")
    return _report(True, "the gap is smaller with 3000 images than with 500: more data, less overfitting")
