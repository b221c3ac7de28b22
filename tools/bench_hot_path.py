"""Time one training step's derivatives with per-call validation (check_input=True) and without.

The per-minibatch path (``fit``, the problems' ``grad``/``grad_and_hvps``) validates once at its
entry point and then calls ``MLP.loss_and_grad`` / ``MLP.hvp`` with ``check_input=False``; a
checked call repeats the checks (finite X, label range, penalty shapes) on every minibatch,
as every call did before. Both are timed in one run, round-robin, median of the repeats.

    python tools/bench_hot_path.py [--repeats 201]
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before NumPy loads BLAS
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from hpo_teach.models.mlp import MLP  # noqa: E402

CASES = [((196, 32, 10), 50), ((784, 100, 10), 128)]


def time_case(sizes, batch, repeats):
    rng = np.random.default_rng(0)
    mlp = MLP(list(sizes), "tanh")
    w, v = mlp.init(0), rng.standard_normal(mlp.n_params)
    X, y = rng.random((batch, sizes[0])), rng.integers(0, sizes[-1], batch)
    l2 = np.full(mlp.n_params, 1e-4)  # a per-parameter strength, as per-layer L2 gives

    def grad_hvp(check):
        mlp.loss_and_grad(w, X, y, l2=l2, check_input=check)
        mlp.hvp(w, v, X, y, l2=l2, check_input=check)

    methods = {
        ("loss_and_grad", True): lambda: mlp.loss_and_grad(w, X, y, l2=l2, check_input=True),
        ("loss_and_grad", False): lambda: mlp.loss_and_grad(w, X, y, l2=l2, check_input=False),
        ("grad + HVP", True): lambda: grad_hvp(True),
        ("grad + HVP", False): lambda: grad_hvp(False),
    }
    times = {key: [] for key in methods}
    for _ in range(repeats):
        for key, f in methods.items():
            start = time.perf_counter()
            f()
            times[key].append(time.perf_counter() - start)
    return {key: 1e6 * float(np.median(t)) for key, t in times.items()}


def main(repeats):
    print(f"float64, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}, median of {repeats} round-robin repeats")
    for sizes, batch in CASES:
        us = time_case(sizes, batch, repeats)
        name = "-".join(map(str, sizes))
        for what in ("loss_and_grad", "grad + HVP"):
            checked, bare = us[(what, True)], us[(what, False)]
            print(f"{name:>10s} batch {batch:3d}  {what:13s}  checked {checked:7.1f} us   bare {bare:7.1f} us   "
                  f"checks = {100 * (checked - bare) / checked:4.1f}% of a checked call")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=201)
    main(parser.parse_args().repeats)
