# Exercise 4 of notebook 05: does a warm-up keep the ReLU units alive at a too-large rate?
from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.training.diagnostics import layer_activation_stats
from hpo_teach.models.mlp import MLP
from hpo_teach.training.optim import Momentum, warmup
from hpo_teach.training.diverged import TrainingDiverged
from hpo_teach.training.loop import fit

X, y = mnist_small("train")
Xv, yv = mnist_small("valid")
net = MLP([196] + [32] * 6 + [10], "relu")
for n_warm in (1, 28, 56, 141):  # 1: no warm-up; 141: half of the 282 steps
    try:
        hist = fit(net, net.init(0, "he"), X, y, Momentum(warmup(2.0, n_warm), 0.9), epochs=6, batch_size=64,
                   X_valid=Xv, y_valid=yv, progress=False)
    except TrainingDiverged as err:
        print(f"warm-up over {n_warm} steps: {err}")
        continue
    dead = layer_activation_stats(net, hist.w, Xv).dead
    print(f"warm-up over {n_warm:3d} steps: dead units {100 * dead.mean():.1f} % "
          f"(per hidden layer: {', '.join(f'{100 * d:.0f}' for d in dead)}), "
          f"validation error {100 * hist.valid_error[-1]:.1f} %")
    if n_warm == 28:
        fraction = float(dead.mean())
# Warm-up does not save this run: once the rate reaches 2 (with momentum 0.9 the steps are up to ten
# times lr * gradient), the steps are too large for the net whatever came before, and the units die
# then. Warm-up helps when the peak rate is stable once training has settled a little (notebook 04);
# here the cure is a smaller peak rate.

try:
    from solutions.checks_05 import check_warmup_dead
except ImportError:
    from checks_05 import check_warmup_dead
check_warmup_dead(fraction)
