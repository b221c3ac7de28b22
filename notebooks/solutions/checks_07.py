"""Check functions for the exercises of notebook 07 (black-box search). Each prints a verdict and returns a bool."""

from hpo_teach.search.methods import hyperband_brackets


def _verdict(ok, message):
    print("correct" if ok else f"not yet: {message}")
    return ok


def check_distinct_learning_rates(grid, random):
    """Exercise 1: distinct learning rates tried by a 3x3x3 grid and by 27 random trials."""
    if grid != 3:
        return _verdict(False, "a 3 x 3 x 3 grid repeats each of its 3 learning rates 9 times (once per pair of the "
                               "other two hyperparameters)")
    return _verdict(random == 27, "27 draws from a continuous distribution are all different (with probability 1)")


def check_halving_bill(sh_steps, full_steps):
    """Exercise 2: steps charged by successive halving (81 configs, 10 -> 270 steps, eta 3) and by training all 81."""
    if full_steps != 81 * 270:
        return _verdict(False, "training all 81 configurations for 270 steps costs 81 x 270 steps")
    return _verdict(sh_steps == 4 * 81 * 10, "count the rungs: 81 x 10, then 27 x 30, then 9 x 90, then 3 x 270 "
                                             "(the rung at max_steps is the last one)")


def check_hyperband(starts, total_steps):
    """Exercise 3: configurations each Hyperband bracket starts with, and the total steps, for R = 81, eta = 3."""
    brackets = hyperband_brackets(81, eta=3, min_steps=1)
    if list(starts) != [b.n for b in brackets]:
        return _verdict(False, "n = ceil((s_max + 1) / (s + 1) * eta**s) for s = 4, 3, 2, 1, 0 (Algorithm 1 uses the "
                               "ceiling; Table 1 of the paper does not)")
    return _verdict(total_steps == sum(b.cost for b in brackets),
                    "add up n_i x r_i over every rung of every bracket, keeping floor(n / eta**i) configs at rung i")
