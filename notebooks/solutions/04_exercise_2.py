# Exercise 2 of notebook 04: the critical batch size, where gradient noise equals the gradient signal.
import numpy as np

from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.training.gradnoise import gradient_variance_trace, predicted_noise
from hpo_teach.models.mlp import MLP
from hpo_teach.training.optim import SGD
from hpo_teach.training.loop import fit

# Rebuild the notebook's setting (skip this part inside the notebook: trace, noise and N exist there).
X, y = mnist_small("train")
mlp = MLP([196, 64, 10], activation="tanh")
w = fit(mlp, mlp.init(0), X, y, SGD(0.5), epochs=1, batch_size=32, progress=False).w
N = len(X)
g = mlp.loss_and_grad(w, X, y)[1]
trace = gradient_variance_trace(lambda idx: mlp.loss_and_grad(w, X[idx], y[idx])[1], N, full_grad=g)
signal = float(np.sum(g**2))

# trace/B * (N - B)/(N - 1) = signal  ->  trace * (N - B) = signal * B * (N - 1)
b_crit = trace * N / (signal * (N - 1) + trace)
print(f"tr Sigma = {trace:.3g}, ||g||^2 = {signal:.3g}, critical batch size = {b_crit:.3g}")
print(f"check: predicted noise there = {predicted_noise(trace, N, b_crit):.3g} (equals the signal)")
# Far below b_crit a step is mostly noise (take smaller rates or average more); far above it, a bigger
# batch costs more per step but barely improves the direction (McCandlish et al. 2018, "gradient noise scale").

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_04 import check_critical_batch
except ImportError:
    from checks_04 import check_critical_batch
check_critical_batch(b_crit, trace, signal, N)
