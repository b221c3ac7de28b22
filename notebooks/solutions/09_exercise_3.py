# Exercise 3 of notebook 09: the information buffer's size for a momentum schedule.
import math

from hpo_teach.hypergrad.exact import beta_fraction

n_weights, schedule = 10**6, [(1000, 0.5), (9000, 0.99)]
# Each step at momentum beta adds log2(1/beta) bits per weight, with the beta actually applied.
bits_per_weight = sum(steps * math.log2(1 / beta_fraction(beta)) for steps, beta in schedule)
buffer_mb = bits_per_weight * n_weights / 8 / 1e6
float32_mb = 32 * sum(steps for steps, _ in schedule) * n_weights / 8 / 1e6
print(f"0.99 is applied as {beta_fraction(0.99)}; bits per weight: {bits_per_weight:.1f}")
print(f"buffer: {buffer_mb:.0f} MB; float32 w at every step: {float32_mb:.0f} MB ({float32_mb / buffer_mb:.0f}x more)")
# The 1000 steps at beta = 0.5 cost 1000 bits per weight, almost 8x the 9000 steps at 0.99:
# low momentum forgets a whole bit per step. (In practice the buffer's integers also round up
# to whole 32-bit digits: allocated memory is somewhat larger than the information.)

try:
    from solutions.checks_09 import check_buffer_megabytes
except ImportError:
    from checks_09 import check_buffer_megabytes
check_buffer_megabytes(buffer_mb)
