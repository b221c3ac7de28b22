"""Check functions for notebook 11's exercises (they never print the reference answer)."""

import numpy as np

from hpo_teach.hypergrad import t1t2
from hpo_teach.testing import verdict


def check_l2_component(answer, train_loss, valid_loss, w, meta, t, s, lr):
    """Exercise 1: the layer-2 L2 component of the greedy hypergradient, against the package."""
    reference = t1t2.hypergradient(train_loss.at(t), valid_loss.at(s), w, meta, lr)[1]
    ok = np.isfinite(answer) and abs(answer - reference) <= 1e-8 * abs(reference)
    return verdict(ok, "your closed-form value equals the package's hypergradient for layer 2 (to 1e-8)",
                   "check where the validation gradient is taken (before or after the T1 step?), which part of w "
                   "layer 2's penalty touches, and the derivative of 10**rho with respect to rho.")


def check_negative_alpha(beta, loss_and_grad, schedule, alpha0=1e-2, n_steps=300):
    """Exercise 2: does SGD-HD with hyper-rate ``beta`` drive the learning rate below zero?"""
    def step(w, t):
        return loss_and_grad(w, *schedule(t))

    with np.errstate(all="ignore"):
        alphas = t1t2.hypergradient_descent(step, np.zeros(7850), alpha0, beta, n_steps).alphas
    ok = bool(np.any(alphas < 0))
    return verdict(ok, "with this beta the learning rate goes negative at some step",
                   "alpha stayed positive: a larger beta makes the rate overshoot, and after an overshoot successive "
                   "gradients point in opposite directions.")


def check_official_variant(fn, train_loss, valid_loss, w, meta, t, s):
    """Exercise 3: -(d2 C1 / dmeta dw) grad C2(w), with C2's gradient at w and no learning rate."""
    u = valid_loss.value_and_grads(w, meta, s)[1]
    reference = -train_loss.mixed_vjp(w, meta, t, u)
    answer = np.asarray(fn(train_loss.at(t), valid_loss.at(s), w, meta), dtype=float)
    ok = answer.shape == reference.shape and np.allclose(answer, reference, rtol=1e-8, atol=0)
    return verdict(ok, "your function computes the official code's hypergradient",
                   "evaluate the T2 gradient at w itself (no T1 step first), leave out the learning rate, and use one "
                   "mixed product with it (the bound losses have grad and mixed_vjp methods).")
