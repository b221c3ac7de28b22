"""Check functions for the exercises of notebook 06 (optimizers). Each prints "correct" or raises
AssertionError with a hint."""

import math


def check_fastest_beta(beta):
    """Exercise 1: at lr' = 1/L on the κ = 100 quadratic, the fastest β is near critical damping, 0.81."""
    critical = (1 - math.sqrt(1 / 100)) ** 2
    assert 0.0 <= beta < 1.0, f"β must lie in [0, 1), got {beta}"
    assert abs(beta - critical) <= 0.03, (
        f"got β = {beta:.3g}; scan β at lr = 1/((1-β)L) and count steps until f < 1e-6 f(w0). "
        f"Critical damping (1-√β)² = μ/L predicts β = {critical:.2f}")
    print(f"correct: the fastest β ≈ {beta:.2f}, close to critical damping (1-√β)² = μ/L -> β = {critical:.2f}")


def check_half_step_gradient(g_half, eps=1e-3):
    """Exercise 2: Adam's step lr |g| / (|g| + ε) is lr/2 exactly when |g| = ε."""
    assert g_half > 0, f"the gradient size must be positive, got {g_half}"
    assert abs(g_half / eps - 1) <= 0.02, (
        f"got |g| = {g_half:.3g}; the first Adam step is lr·|g|/(|g| + ε) — solve |g|/(|g| + ε) = 1/2")
    print(f"correct: Adam's step is half of lr at |g| = ε = {eps:g}; below that Adam acts like SGD with rate lr/ε")


def check_scale_invariance(change_adam_l2, change_adamw):
    """Exercise 3: scaling every gradient by 1000 moves Adam + L2's answer, not AdamW's."""
    assert change_adamw < 1e-6, (
        f"AdamW's weights changed by {change_adamw:.3g}: its normalised step and decoupled decay do not see a "
        "constant gradient scale (up to ε); check that only the data gradient was scaled")
    assert change_adam_l2 > 0.5, (
        f"Adam + L2's weights changed by only {change_adam_l2:.3g}: its answer is the L2 optimum s/(s + 2λ), "
        "which moves when s grows 1000-fold (0.091 -> 0.990 for s = 0.01)")
    print("correct: ×1000 gradients move Adam + L2's weights by more than 0.5, AdamW's by less than 1e-6")
