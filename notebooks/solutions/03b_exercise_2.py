# Exercise 2 of notebook 03b: dropout on the inputs of a linear model is a data-dependent L2 penalty.
# With r_j = m_j / (1 - p):  E[r_j] = 1,  Var[r_j] = p / (1 - p), and the r_j are independent, so
# E[(sum_j w_j x_j r_j - y)^2] = (w . x - y)^2 + sum_j w_j^2 x_j^2 Var[r_j]
#                              = (w . x - y)^2 + p/(1-p) * sum_j w_j^2 x_j^2.
# Mean over examples: (1/n)||Xw - y||^2 + p/(1-p) * sum_j w_j^2 * mean_i(x_ij^2)
# -> normal equations (X^T X + p/(1-p) diag(X^T X)) w = X^T y.
import numpy as np


def dropout_ridge(X, y, p):
    """Minimizer of the mean expected squared loss with inverted dropout (rate p) on the inputs."""
    G = X.T @ X
    return np.linalg.solve(G + p / (1 - p) * np.diag(np.diag(G)), X.T @ y)


rng = np.random.default_rng(0)
n, d, p = 60, 4, 0.3
X = rng.normal(size=(n, d)) * np.array([0.2, 1.0, 1.0, 3.0])  # features of very different sizes
y = X @ np.array([1.0, -2.0, 0.5, 0.3]) + 0.3 * rng.normal(size=n)
copies = 2000
masks = rng.random((copies, n, d)) >= p
X_dropped = (X[None] * masks / (1 - p)).reshape(-1, d)
w_mc = np.linalg.lstsq(X_dropped, np.tile(y, copies), rcond=None)[0]
print("closed form        :", np.round(dropout_ridge(X, y, p), 3))
print("dropped-out copies :", np.round(w_mc, 3))
print("penalty per weight :", np.round(p / (1 - p) * np.mean(X**2, axis=0), 3), "(large features: stronger L2)")

try:
    from solutions.checks_03b import check_dropout_ridge
except ImportError:
    from checks_03b import check_dropout_ridge
check_dropout_ridge(dropout_ridge)
