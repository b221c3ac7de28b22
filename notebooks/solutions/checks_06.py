"""Check functions for the exercises of notebook 06 (optimizers).

Each prints "correct: ..." or "not yet: <hint>" (via ``hpo_teach.testing.verdict``) and returns a bool; a hint
says where to look, never the answer.
"""

import math

from hpo_teach.testing import verdict


def check_fastest_beta(beta):
    """Exercise 1: at lr' = 1/L on the κ = 400 quadratic, the fastest β of the scan is near critical damping."""
    critical = (1 - math.sqrt(1 / 400)) ** 2
    if not 0.0 <= beta < 1.0:
        return verdict(False, "", "β is a momentum: it lies in [0, 1)")
    return verdict(abs(beta - critical) <= 0.03,
                   "your scan's fastest β is within 0.03 of critical damping, (1-√β)² = μ/L",
                   "on the κ = 400 bowl, run momentum with lr = 1/((1-β)L) for each β of the scan, count the steps "
                   "until the loss is below 1e-6 of its start, and take the β with the fewest")


def check_half_step_gradient(g_half, eps=1e-3):
    """Exercise 2: the gradient size at which Adam's first step (ε = 1e-3) is half of lr."""
    if not g_half > 0:
        return verdict(False, "", "a gradient size is positive")
    return verdict(abs(g_half / eps - 1) <= 0.02,
                   "Adam's first step is half of lr where |g| equals ε; below that it acts like SGD with rate lr/ε",
                   "bisect on the gradient size, on a log scale, until one Adam step (with the ε of the exercise) "
                   "moves the weight by lr/2")


def check_scale_invariance(change_adam_l2, change_adamw):
    """Exercise 3: scaling every gradient by 1000 moves Adam + L2's answer, not AdamW's."""
    if not change_adamw < 1e-6:
        return verdict(False, "", "scale only the data term's gradient (s -> 1000 s), not the decay, and compare "
                                  "AdamW's final weights with section 6's, weight by weight")
    return verdict(change_adam_l2 > 0.5,
                   "×1000 gradients move Adam + L2's weights a lot and AdamW's not at all",
                   "Adam + L2 minimises the penalised loss: where does its minimum s/(s + 2λ) go when s grows "
                   "1000-fold? Check that the penalty's gradient 2λw is added, unscaled, to the scaled data gradient")
