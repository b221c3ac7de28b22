# Exercise 4 of notebook 05: large learning rates kill ReLU units.
import matplotlib.pyplot as plt

from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.training.diagnostics import layer_activation_stats
from hpo_teach.models.mlp import MLP
from hpo_teach.training.optim import Momentum
from hpo_teach.viz.plots import new_figure, use_course_style
from hpo_teach.training.diverged import TrainingDiverged
from hpo_teach.training.loop import fit

use_course_style()
X, y = mnist_small("train")
Xv, yv = mnist_small("valid")
net = MLP([196] + [32] * 6 + [10], "relu")
lrs, dead, error = [], [], []
for lr in (0.3, 0.5, 1.0, 1.5, 2.0, 3.0):
    try:
        hist = fit(net, net.init(0, "he"), X, y, Momentum(lr, 0.9), epochs=6, batch_size=64,
                   X_valid=Xv, y_valid=yv, progress=False)
    except TrainingDiverged as err:
        print(f"lr {lr}: {err}")
        continue
    lrs.append(lr)
    dead.append(layer_activation_stats(net, hist.w, Xv).dead.mean())
    error.append(hist.valid_error[-1])
    print(f"lr {lr}: dead units {100 * dead[-1]:.1f} %, validation error {100 * error[-1]:.1f} %")

fig, ax = new_figure(width=5, height=3.2)
ax.plot(lrs, [100 * d for d in dead], "o-", label="dead units (%)")
ax.plot(lrs, [100 * e for e in error], "s-", label="validation error (%)")
ax.set(xscale="log", xlabel="learning rate", ylabel="%", title="Large rates kill ReLU units")
ax.legend()
plt.show()
# Large steps push some units' biases and weights so far that z <= 0 for every input: they stop
# receiving gradient and stay dead. Measured: 1 % dead at lr 0.3, 8 % at lr 1 (the net still reaches about
# 16 % error: it has quietly become narrower), most of the net at lr 2 and 3 (error near chance); lr 1.5
# diverged outright on this seed, so near the edge the outcome is erratic.
