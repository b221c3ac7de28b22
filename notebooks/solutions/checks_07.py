"""Check functions for the exercises of notebook 07 (black-box search).

Each prints "correct: ..." or "not yet: <hint>" (via ``hpo_teach.testing.verdict``) and returns a bool; a hint
says where to look, never the answer.
"""

import math

from hpo_teach.search.methods import hyperband_brackets
from hpo_teach.testing import verdict


def check_band_chance(p_nine, n_for_95):
    """Exercise 1: chance that 9 log-uniform trials hit a half-decade band in a 4-decade box; trials for 95%."""
    p_one = 0.5 / 4
    if not 0.0 <= p_nine <= 1.0:
        return verdict(False, "", "a probability lies between 0 and 1: chances of separate trials cannot simply be added")
    if abs(p_nine - (1 - (1 - p_one) ** 9)) > 0.005:
        return verdict(False, "", "start from the chance that one log-uniform draw lands in the band (measure the band "
                                  "and the box on the log scale), and use that the 9 draws are independent")
    if n_for_95 != int(n_for_95) or n_for_95 < 1:
        return verdict(False, "", "the number of trials is a whole number, at least 1")
    n_needed = math.ceil(math.log(0.05) / math.log(1 - p_one))
    return verdict(int(n_for_95) == n_needed,
                   "both are right: random search's chance of a hit grows with every trial, whatever the other axes do",
                   "the chance for 9 trials is right; for the count, take the smallest number of trials whose chance "
                   "of a hit reaches 0.95, and compare your count with one trial fewer")


def check_halving_bill(sh_steps, full_steps):
    """Exercise 2: steps charged by successive halving (81 configs, 10 -> 270 steps, eta 3) and by training all 81."""
    if full_steps != 81 * 270:
        return verdict(False, "", "training every configuration to max_steps costs (configurations) x (steps each)")
    return verdict(sh_steps == 4 * 81 * 10, "both bills are right; their ratio is successive halving's saving",
                   "write down every rung (configurations x steps) until the rung that reaches max_steps, and add "
                   "them up; each rung keeps 1/eta of the configurations and multiplies the steps by eta")


def check_hyperband(starts, total_steps):
    """Exercise 3: configurations each Hyperband bracket starts with, and the total steps, for R = 243, eta = 3."""
    brackets = hyperband_brackets(243, eta=3, min_steps=1)
    if len(starts) != len(brackets):
        return verdict(False, "", "the number of brackets is s_max + 1, with s_max the floor of log_eta(R)")
    if list(starts) != [b.n for b in brackets]:
        return verdict(False, "", "recompute n for each bracket with the formula of section 6 (Algorithm 1 rounds "
                                  "the whole product up, once)")
    return verdict(total_steps == sum(b.cost for b in brackets),
                   "the brackets and Hyperband's total bill are right",
                   "add up configurations x steps over every rung of every bracket, keeping floor(n / eta**i) "
                   "configurations at rung i")
