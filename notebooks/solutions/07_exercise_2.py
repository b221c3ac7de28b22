# Exercise 2 of notebook 07: the steps successive halving charges, checked on a ledger with a free objective.
from hpo_teach.search.methods import random_search, successive_halving
from hpo_teach.search.spaces import LogUniform

try:
    from solutions.checks_07 import check_halving_bill
except ImportError:  # run as a script: python solutions/07_exercise_2.py
    from checks_07 import check_halving_bill


def free_objective(config, n_steps, seed):
    """No training: a made-up score, so the ledger's bill is all we look at."""
    return abs(config["lr"] - 0.3) + 1.0 / n_steps


space = {"lr": LogUniform(1e-3, 10)}
# By hand: rungs 81 x 10, 27 x 30, 9 x 90, 3 x 270 -> 810 + 810 + 810 + 810 = 3240 steps.
by_hand = 81 * 10 + 27 * 30 + 9 * 90 + 3 * 270
sh = successive_halving(free_objective, space, n_configs=81, min_steps=10, eta=3, max_steps=270)
full = random_search(free_objective, space, n_trials=81, n_steps=270)
print(f"successive halving: {by_hand} by hand, {sh.steps} on the ledger; all 81 to 270 steps: {full.steps}")
print(f"saving: {full.steps / sh.steps:.2f}x  (= (R/r) / number of rungs = 27 / 4)")
check_halving_bill(sh.steps, full.steps)
