# Exercise 2 of notebook 10a: what a per-layer momentum costs in the information buffer.
import math

import numpy as np

from hpo_teach.hypergrad.exact import ExactArray, beta_fraction


def buffer_bits(betas, params_per_layer):
    """Information the buffer holds after T steps with momenta betas (T, L): sum of n_k * log2(1/beta_tk)."""
    betas = np.asarray(betas, dtype=float)
    return float(np.sum(np.log2(1 / betas) * np.asarray(params_per_layer)))


try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10a import check_buffer_bits
except ImportError:
    from checks_10a import check_buffer_bits
check_buffer_bits(buffer_bits)

# The notebook's 196-32-32-10 network: weights and biases per layer.
sizes = [196 * 32 + 32, 32 * 32 + 32, 32 * 10 + 10]
T, per_layer = 100, (0.5, 0.7, 0.9)
applied = [float(beta_fraction(b)) for b in per_layer]  # the momenta exact arithmetic really applies
predicted = buffer_bits(np.tile(applied, (T, 1)), sizes)
rng = np.random.default_rng(0)
measured = 0
for size, beta in zip(sizes, per_layer):
    v = ExactArray(rng.normal(size=size) * 0.1)  # one exact array per layer, its own base n_k / 2**16
    for _ in range(T):
        v.mul(beta_fraction(beta))
    measured += v.buffer.bits()
shared = buffer_bits(np.full((T, 3), 0.5), sizes)
print(f"per-layer beta {per_layer}: predicted {predicted / 8e3:.1f} kB, measured {measured / 8e3:.1f} kB")
print(f"one shared beta = 0.5: {shared / 8e3:.1f} kB; float32 w per step: {32 * sum(sizes) * T / 8e3:.0f} kB")
# The measured buffer sits a few bits per weight below the prediction (a stored k-bit number has about one bit
# fewer, notebook 09 section 5). Per-layer momenta cost nothing special: each weight's buffer is its own stack of
# digits, so each can use its own base; the cost is set by the smallest momenta (beta = 0.5 costs 1 bit per step).
print(f"log2(1/beta) per step: {[round(math.log2(1 / b), 3) for b in applied]}")
