# Exercise 1 and 2 of notebook 00: the best degree as the noise level and the training-set size change.
import numpy as np
from numpy.polynomial import Polynomial


def best_degree(noise, n_train, seed=0, max_degree=15):
    rng = np.random.default_rng(seed)
    x_tr, x_va = rng.uniform(0, 1, n_train), rng.uniform(0, 1, 200)
    y_tr = np.sin(2 * np.pi * x_tr) + rng.normal(0, noise, n_train)
    y_va = np.sin(2 * np.pi * x_va) + rng.normal(0, noise, 200)
    valid = [np.mean((Polynomial.fit(x_tr, y_tr, d)(x_va) - y_va) ** 2) for d in range(max_degree + 1)]
    return int(np.argmin(valid)), valid[-1]


for noise in (0.05, 0.25, 0.5):
    print(f"noise {noise}: best degree {best_degree(noise, 20)[0]}")
# Less noise lets a flexible model follow the true curve; more noise favours simpler fits.
for n in (20, 200):
    d, v15 = best_degree(0.25, n)
    print(f"{n} training points: best degree {d}, validation MSE at degree 15 = {v15:.3g}")
# With 200 points, degree 15 no longer overfits badly: more data supports more capacity.
