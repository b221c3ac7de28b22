"""Time the hand-written gradient and HVP (hpo_teach.models.mlp_fast) against autograd's.

MLP 784-100-10, float64, one minibatch of 128 random rows, one BLAS thread. Prints median
times (round-robin repeats) and the speed-ups; the HVP target is at least 2x.

    python tools/bench_fastmlp.py [--repeats 51]
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before NumPy loads BLAS
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import autograd.numpy as anp  # noqa: E402
import numpy as np  # noqa: E402
from autograd import grad  # noqa: E402

from hpo_teach.models.mlp import MLP  # noqa: E402


def main(repeats):
    rng = np.random.default_rng(0)
    mlp = MLP([784, 100, 10], "tanh")
    w, v = mlp.init(0), rng.standard_normal(mlp.n_params)
    X, y = rng.random((128, 784)), rng.integers(0, 10, 128)
    l2 = 1e-4

    autograd_grad = grad(mlp.loss)
    autograd_hvp = grad(lambda u: anp.dot(autograd_grad(u, X, y, l2=l2), v))
    methods = {
        "grad, fast": lambda: mlp.loss_and_grad(w, X, y, l2=l2),
        "grad, autograd": lambda: autograd_grad(w, X, y, l2=l2),
        "HVP, fast (R-op)": lambda: mlp.hvp(w, v, X, y, l2=l2),
        "HVP, autograd": lambda: autograd_hvp(w),
    }
    times = {name: [] for name in methods}
    for _ in range(repeats):
        for name, f in methods.items():
            start = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - start)
    ms = {name: 1e3 * float(np.median(t)) for name, t in times.items()}
    print(f"MLP 784-100-10, batch 128, float64, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}, "
          f"median (and min) of {repeats}")
    for name, t in ms.items():
        print(f"  {name:18s} {t:7.2f} ms  ({1e3 * min(times[name]):.2f})")
    print(f"grad: autograd / fast = {ms['grad, autograd'] / ms['grad, fast']:.2f}x")
    print(f"HVP:  autograd / fast = {ms['HVP, autograd'] / ms['HVP, fast (R-op)']:.2f}x (target >= 2x)")
    print(f"fast HVP / fast grad  = {ms['HVP, fast (R-op)'] / ms['grad, fast']:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=51)
    main(parser.parse_args().repeats)
