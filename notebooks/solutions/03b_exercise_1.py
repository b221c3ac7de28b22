# Exercise 1 of notebook 03b: per-feature input noise is a per-weight L2 penalty.
# E[(w . (x + eps) - y)^2] = (w . x - y)^2 + sum_j sigma_j^2 w_j^2   (eps_j independent, variance sigma_j^2)
# Mean over n examples + this penalty -> normal equations (X^T X + n diag(sigma^2)) w = X^T y.
import numpy as np


def noise_ridge(X, y, sigmas):
    """Minimizer of the expected noisy squared loss (mean over examples), noise scale sigmas[j] on feature j."""
    return np.linalg.solve(X.T @ X + len(y) * np.diag(np.asarray(sigmas, dtype=float) ** 2), X.T @ y)


# Compare with plain least squares on many noisy copies of the data.
rng = np.random.default_rng(0)
n, d = 60, 4
X = rng.normal(size=(n, d))
y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.3 * rng.normal(size=n)
sigmas = np.array([0.0, 0.3, 0.6, 1.2])
copies = 2000
X_noisy = (X[None] + sigmas * rng.normal(size=(copies, n, d))).reshape(-1, d)
w_noisy = np.linalg.lstsq(X_noisy, np.tile(y, copies), rcond=None)[0]
print("closed form :", np.round(noise_ridge(X, y, sigmas), 3))
print("noisy copies:", np.round(w_noisy, 3))
print("L2 strength per weight, lambda_j = sigma_j^2:", np.round(sigmas**2, 2), "(feature 0 is not penalized)")

try:
    from solutions.checks_03b import check_noise_ridge
except ImportError:
    from checks_03b import check_noise_ridge
check_noise_ridge(noise_ridge)
