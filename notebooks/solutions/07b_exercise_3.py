# Exercise 3 of notebook 07b: the gradient of the log marginal likelihood w.r.t. log(noise_var), in closed form.
import numpy as np


def noise_gradient(X, y, ell, signal_var, noise_var):
    sq = (X[:, None, :] - X[None, :, :]) ** 2
    K = signal_var * np.exp(-0.5 * sq.sum(-1) / ell**2) + noise_var * np.eye(len(y))
    K_inv = np.linalg.inv(K)   # fine for a check; the package never forms the inverse
    alpha = K_inv @ y
    dK = noise_var * np.eye(len(y))   # d K / d log(noise_var)
    return 0.5 * np.trace((np.outer(alpha, alpha) - K_inv) @ dK)


try:
    from solutions.checks_07b import check_noise_gradient
except ImportError:
    from checks_07b import check_noise_gradient
check_noise_gradient(noise_gradient)
