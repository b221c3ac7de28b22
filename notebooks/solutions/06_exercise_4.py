# Exercise 4 of notebook 06: does the momentum-vs-Adam ranking on MNIST survive other seeds? (about 20 s)
import numpy as np
from tqdm.auto import tqdm

from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.models.mlp import MLP
from hpo_teach.training.optim import make_optimizer
from hpo_teach.training.loop import fit

X_train, y_train = mnist_small("train")
X_valid, y_valid = mnist_small("valid")
mlp = MLP([196, 32, 10], activation="tanh")
grids = {"momentum": [0.3, 1.0, 3.0], "adam": [3e-3, 1e-2, 3e-2]}
seeds = (0, 1, 2)
errors = {}
for name, lrs in grids.items():
    for lr in tqdm(lrs, desc=name):
        errors[name, lr] = [fit(mlp, mlp.init(seed=s), X_train, y_train, make_optimizer(name, lr=lr), epochs=4,
                                batch_size=50, X_valid=X_valid, y_valid=y_valid, seed=s, progress=False).valid_error[-1]
                            for s in seeds]
for (name, lr), errs in errors.items():
    print(f"{name:>8} lr {lr:<5g}: valid error " + ", ".join(f"{100 * e:.1f}%" for e in errs)
          + f"  (mean {100 * np.mean(errs):.1f}%)")
for s_i, seed in enumerate(seeds):
    best = {name: min(errors[name, lr][s_i] for lr in lrs) for name, lrs in grids.items()}
    print(f"seed {seed}: best momentum {100 * best['momentum']:.1f}%, best adam {100 * best['adam']:.1f}% -> "
          f"{min(best, key=best.get)} wins")
spread = np.mean([np.ptp(errs) for errs in errors.values()])
print(f"mean seed-to-seed spread at a fixed (optimizer, lr): {100 * spread:.1f} points")
# If the winner changes with the seed, or the gap is smaller than the seed spread, one run cannot rank them.
