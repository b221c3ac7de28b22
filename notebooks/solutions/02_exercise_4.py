# Exercise 4 of notebook 02: the proximal operator of the elastic net t1|u| + t2 u².
# For u != 0 the objective (u - v)²/2 + t1|u| + t2 u² has derivative u - v + t1 sign(u) + 2 t2 u = 0,
# so u = (v - t1 sign(u)) / (1 + 2 t2); that has the sign of v only when |v| > t1, else u = 0.
# Together: u = soft_threshold(v, t1) / (1 + 2 t2) — threshold (exact zeros, from the L1 part),
# then shrink by a factor (from the L2 part).
import numpy as np

try:
    from solutions.checks_02 import check_elastic_net_prox
except ImportError:  # run as a script: python solutions/02_exercise_4.py
    from checks_02 import check_elastic_net_prox


def elastic_net_prox(v, t1, t2):
    return np.sign(v) * np.maximum(np.abs(v) - t1, 0.0) / (1.0 + 2.0 * t2)


check_elastic_net_prox(elastic_net_prox)
v = np.array([-2.0, -0.3, 0.1, 0.8, 3.0])
print("v               :", v)
print("prox (t1=0.5, t2=1):", elastic_net_prox(v, 0.5, 1.0))
# Yes: every |v| <= t1 still maps to exactly 0, so the elastic net is sparse like L1,
# while the division by 1 + 2 t2 shrinks the survivors like L2.
