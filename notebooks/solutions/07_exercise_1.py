# Exercise 1 of notebook 07: how likely random search is to land a trial in a narrow band of good learning rates.
import math

import numpy as np

from hpo_teach.search.spaces import LogUniform, sample_config

try:
    from solutions.checks_07 import check_band_chance
except ImportError:  # run as a script: python solutions/07_exercise_1.py
    from checks_07 import check_band_chance

box_decades, band_decades = 4.0, 0.5
p_one = band_decades / box_decades            # one log-uniform draw: the band's share of the box's log-width
p_nine = 1 - (1 - p_one) ** 9                 # at least one hit = 1 - (all 9 miss); the draws are independent
n_for_95 = math.ceil(math.log(0.05) / math.log(1 - p_one))
print(f"one trial: {p_one:.3f}; at least one of 9: {p_nine:.3f}; trials for a 95% chance: {n_for_95}")

# The same by simulation, with the course's sampler: a band at a random place inside the box, 9 draws each time.
rng = np.random.default_rng(0)
space = {"lr": LogUniform(1e-3, 10)}
hits = []
for _ in range(20000):
    low = rng.uniform(-3, 1 - band_decades)
    draws = np.log10([sample_config(space, rng)["lr"] for _ in range(9)])
    hits.append(np.any((draws >= low) & (draws <= low + band_decades)))
print(f"simulated chance for 9 trials: {np.mean(hits):.3f}")
check_band_chance(p_nine, n_for_95)

# The cell-centred grid's 3 learning rates are 4/3 of a decade apart, more than the band's width: the band holds
# at most one of them, whichever way the 9 trials are spent on the other axis. Whether it holds one depends only
# on where the band sits relative to the grid lines (for a band at a uniformly random place: 3 x 0.5 / 3.5, about
# 0.43). Random search's chance grows with every trial; the grid's does not grow with the trials spent on L2.
