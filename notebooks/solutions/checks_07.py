"""Check functions for the exercises of notebook 07 (black-box search).

Each prints "correct: ..." or "not yet: <hint>" (via ``hpo_teach.testing.verdict``) and returns a bool; a hint
says where to look, never the answer.
"""

from hpo_teach.search.methods import hyperband_brackets
from hpo_teach.testing import verdict


def check_distinct_learning_rates(grid, random):
    """Exercise 1: distinct learning rates tried by a 3x3x3 grid and by 27 random trials."""
    if grid != 3:
        return verdict(False, "", "list the grid's configurations and count the different values in the learning-rate "
                                  "column only; the other two columns do not make a learning rate new")
    return verdict(random == 27, "a 3 x 3 x 3 grid tries 3 learning rates, 27 random trials try 27",
                   "how likely is it that two draws from a continuous distribution are exactly equal?")


def check_halving_bill(sh_steps, full_steps):
    """Exercise 2: steps charged by successive halving (81 configs, 10 -> 270 steps, eta 3) and by training all 81."""
    if full_steps != 81 * 270:
        return verdict(False, "", "training every configuration to max_steps costs (configurations) x (steps each)")
    return verdict(sh_steps == 4 * 81 * 10, "both bills are right; their ratio is successive halving's saving",
                   "write down every rung (configurations x steps) until the rung that reaches max_steps, and add "
                   "them up; each rung keeps 1/eta of the configurations and multiplies the steps by eta")


def check_hyperband(starts, total_steps):
    """Exercise 3: configurations each Hyperband bracket starts with, and the total steps, for R = 81, eta = 3."""
    brackets = hyperband_brackets(81, eta=3, min_steps=1)
    if len(starts) != len(brackets):
        return verdict(False, "", "the number of brackets is s_max + 1, with s_max the floor of log_eta(R)")
    if list(starts) != [b.n for b in brackets]:
        return verdict(False, "", "recompute n for each bracket with the formula of section 6 (Algorithm 1 rounds "
                                  "the whole product up, once)")
    return verdict(total_steps == sum(b.cost for b in brackets),
                   "the brackets and Hyperband's total bill are right",
                   "add up configurations x steps over every rung of every bracket, keeping floor(n / eta**i) "
                   "configurations at rung i")
