"""NumPy vs CuPy: gradient, HVP, one `fit` epoch and three hypergradients, at several MLP sizes.

The hypergradients (float64): reversible (T = 1000 steps), one T1-T2 hyper-step (input noise and per-layer
L2, `t1t2.hypergradient`) and an implicit (IFT) one by K = 100 Neumann terms on the fast path's HVPs.

Prints one table row per (size, dtype) with median times and the CuPy speed-up. Without a usable
GPU it says why (the backend probe's reason) and times NumPy alone at the sizes small enough for a
CPU. Ratios are measured in one run, round-robin.

    OMP_NUM_THREADS=1 python tools/bench_gpu.py                 # default sizes
    python tools/bench_gpu.py --sizes 784-100-10 --repeats 5    # one size
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before NumPy loads BLAS (exact reversal needs a fixed count)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from hpo_teach import backend  # noqa: E402
from hpo_teach.hypergrad import implicit, reversible, t1t2  # noqa: E402
from hpo_teach.models.mlp import MLP  # noqa: E402
from hpo_teach.problems.mlp_l2 import MLPTrainLoss  # noqa: E402
from hpo_teach.problems.mlp_t1t2 import T1T2TrainLoss, T2ValidLoss  # noqa: E402
from hpo_teach.training.loop import fit  # noqa: E402
from hpo_teach.training.optim import Momentum  # noqa: E402

# (sizes, batch, dtypes); the CPU runs only the first (the others take minutes a call there)
SIZES = [((784, 100, 10), 128, ("float64",)), ((784, 1000, 1000, 10), 1000, ("float64",)),
         ((784, 4000, 4000, 10), 4000, ("float32", "float64"))]
T_REVERSIBLE = 1000
K_NEUMANN, ALPHA_NEUMANN = 100, 1e-4  # alpha * |eigenvalue of H| stays far below 2 at every size here


def timed(fn, sync, repeats):
    """Median seconds of ``fn()`` over ``repeats`` calls (after one warm-up), synchronising the device."""
    fn()
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ift_neumann(mlp, loss, w, meta, X_valid, y_valid):
    """IFT hypergradient on the fast path: v = K Neumann terms of H^-1 grad L_V, then d_meta = -B^T v."""
    d_w = mlp.loss_and_grad(w, X_valid, y_valid, check_input=False)[1]
    Xb, yb = loss.batch(0)
    strength = loss.l2_strength(meta)
    v = implicit.neumann(lambda u: mlp.hvp(w, u, Xb, yb, l2=strength, check_input=False), d_w, K_NEUMANN, ALPHA_NEUMANN)
    return -loss.grad_and_hvps(w, meta, 0, v)[2]


def measure(sizes, batch, dtype, like, sync, repeats):
    """{what: seconds} for one size on one backend (``like`` = a Backend, None for NumPy)."""
    rng = np.random.default_rng(0)
    mlp = MLP(list(sizes), "tanh")
    on = (lambda a: backend.asarray(a, like=like, dtype=dtype))
    w, v = on(mlp.init(0)), on(rng.standard_normal(mlp.n_params) * 1e-3)
    X, y = on(rng.random((batch * 4, sizes[0]))), backend.asarray(rng.integers(0, sizes[-1], batch * 4), like=like)
    Xb, yb = X[:batch], y[:batch]
    out = {
        "grad": timed(lambda: mlp.loss_and_grad(w, Xb, yb, check_input=False), sync, repeats),
        "HVP": timed(lambda: mlp.hvp(w, v, Xb, yb, check_input=False), sync, repeats),
        "fit epoch": timed(lambda: fit(mlp, w, X, y, Momentum(0.1), epochs=1, batch_size=batch, progress=False),
                           sync, max(1, repeats // 3)),
    }
    if dtype == "float64":  # exact reversal is defined on float64 weights; the hypergradients are all float64
        loss = MLPTrainLoss(mlp, X, y, batch_size=batch, seed=0, l2="layer")
        meta = on(np.log(np.full(mlp.n_layers, 1e-4)))
        X_valid, y_valid = backend.to_numpy(X[:batch]), backend.to_numpy(y[:batch])
        out[f"reversible T={T_REVERSIBLE}"] = timed(
            lambda: reversible.hypergrad(loss, lambda w, m: mlp.loss(w, X_valid, y_valid), w, meta,
                                         np.full(T_REVERSIBLE, 0.05), np.full(T_REVERSIBLE, 0.9)), sync, 1)
        t1, t2 = T1T2TrainLoss(mlp, X[:3 * batch], y[:3 * batch], batch), T2ValidLoss(mlp, X[3 * batch:], y[3 * batch:])
        meta_t1t2 = on(np.array([-4.0] * mlp.n_layers + [0.1]))
        out["T1-T2 hyper-step"] = timed(lambda: t1t2.hypergradient(t1.at(0), t2.at(0), w, meta_t1t2, 1e-3), sync,
                                        repeats)
        out[f"IFT Neumann K={K_NEUMANN}"] = timed(lambda: ift_neumann(mlp, loss, w, meta, X[batch:2 * batch],
                                                                      y[batch:2 * batch]), sync, max(1, repeats // 3))
    return out


def main(args):
    cupy, reason = backend.probe_cupy()
    print(f"float64/float32 timings, median of {args.repeats}; OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")
    if cupy is None:
        print(f"no GPU: {reason}. NumPy times only, at the sizes a CPU finishes quickly.")
    gpu = None if cupy is None else backend.get_backend("cupy")
    chosen = [s for s in SIZES if "-".join(map(str, s[0])) in args.sizes] if args.sizes else \
        (SIZES if gpu else SIZES[:1])
    for sizes, batch, dtypes in chosen:
        for dtype in dtypes:
            name = f"{'-'.join(map(str, sizes))} batch {batch} {dtype}"
            host = measure(sizes, batch, dtype, None, lambda: None, args.repeats)
            device = (measure(sizes, batch, dtype, gpu, cupy.cuda.Device().synchronize, args.repeats)
                      if gpu else {})
            for what, seconds in host.items():
                line = f"{name:38s} {what:18s} NumPy {1e3 * seconds:10.2f} ms"
                if what in device:
                    line += f"   CuPy {1e3 * device[what]:9.2f} ms   speed-up {seconds / device[what]:6.1f}x"
                print(line, flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", help="e.g. 784-100-10 784-1000-1000-10")
    parser.add_argument("--repeats", type=int, default=7)
    main(parser.parse_args())
