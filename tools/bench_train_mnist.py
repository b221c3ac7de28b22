"""Measure the course's reference MNIST run: MLP 784-100-10 trained with ``hpo_teach.training.loop.fit``.

Target (course budget for a notebook cell): validation error <= 12% within 30 s on 2 cores.
Run from the repository root:

    OMP_NUM_THREADS=1 .venv/bin/python tools/bench_train_mnist.py [--seeds 0 1 2]

Prints, per seed, the validation error after each epoch, the final error, the wall time and
the first gradient evaluation at which the error was <= 12%; exits 1 if a seed misses the target.
"""

import argparse
import os
import sys
import time

from hpo_teach import data
from hpo_teach.models import mlp as nn
from hpo_teach.training import optim
from hpo_teach.training.loop import fit

TARGET_ERROR, TARGET_SECONDS = 0.12, 30.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--optimizer", default="momentum", choices=sorted(optim.OPTIMIZERS))
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()

    X, y = data.mnist("train")
    X_valid, y_valid = data.mnist("valid")
    mlp = nn.MLP([784, 100, 10], activation="tanh")
    print(f"{mlp}; {args.optimizer}(lr={args.lr}) batch {args.batch_size}, {args.epochs} epochs; "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    ok = True
    for seed in args.seeds:
        start = time.perf_counter()
        history = fit(mlp, mlp.init(seed, "glorot"), X, y, optim.make_optimizer(args.optimizer, lr=args.lr),
                      epochs=args.epochs, batch_size=args.batch_size, X_valid=X_valid, y_valid=y_valid,
                      seed=seed, progress=False)
        seconds = time.perf_counter() - start
        final = history.valid_error[-1]
        reached = next((s for s, e in zip(history.steps, history.valid_error) if e <= TARGET_ERROR), None)
        ok &= final <= TARGET_ERROR and seconds <= TARGET_SECONDS
        print(f"seed {seed}: valid error by epoch {[round(100 * e, 1) for e in history.valid_error]} -> "
              f"{100 * final:.1f}% in {seconds:.1f} s ({history.n_grad_evals} gradient evaluations); "
              f"<= {100 * TARGET_ERROR:.0f}% first at step {reached}")
    print("target met" if ok else f"TARGET MISSED (<= {100 * TARGET_ERROR:.0f}% in <= {TARGET_SECONDS:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
