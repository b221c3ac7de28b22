"""Check functions for the exercises of notebook 15 (the capstone).

Each prints "correct: ..." or "not yet: <hint>" and returns True or False; none prints the answer.
"""

import math

import numpy as np

from hpo_teach.testing import verdict


def check_costs(reversible, ift, T=300, c=1.5, V=20, K=20):
    """Exercise 1: gradient evaluations of one reversible hypergradient step and of one IFT step."""
    want_rev = T * (2 + c) + V
    want_ift = T + (K - 1) * c + V
    ok_rev = math.isclose(float(reversible), want_rev, rel_tol=1e-9)
    ok_ift = math.isclose(float(ift), want_ift, rel_tol=1e-9)
    if ok_rev and ok_ift:
        return verdict(True, "both costs are right: the reversible step pays a forward run and, per reverse step, "
                             "one gradient and one HVP; the IFT step pays its training and K - 1 HVPs", "")
    hint = []
    if not ok_rev:
        hint.append("reversible: count the forward run (T gradients), then per reverse step one recomputed gradient "
                    "and one HVP (c each), then the validation gradient")
    if not ok_ift:
        hint.append("IFT: the training run, then K - 1 HVPs (K Neumann terms need one fewer product), then the "
                    "validation gradient")
    return verdict(False, "", "; ".join(hint))


def check_paired_t(t, a, b):
    """Exercise 2: the paired t statistic of the per-seed differences a - b (either sign accepted)."""
    d = np.asarray(a, float) - np.asarray(b, float)
    sd = d.std(ddof=1)
    if sd == 0:
        return verdict(False, "", "these differences have zero spread: t is undefined; try other methods")
    want = d.mean() / (sd / math.sqrt(d.size))
    ok = math.isclose(abs(float(t)), abs(want), rel_tol=1e-6)
    return verdict(ok, f"t is right; |t| {'>' if abs(want) > 4.30 else '<='} 4.30, so the difference is "
                       f"{'' if abs(want) > 4.30 else 'not '}significant at 5% with {d.size - 1} degrees of freedom",
                   "pair the seeds: d = a - b per seed, then mean(d) / (sd(d, ddof=1) / sqrt(n))")
