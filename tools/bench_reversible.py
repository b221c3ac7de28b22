"""Benchmark exact reversible SGD (hpo_teach.hypergrad) on an MNIST MLP.

Prints, for a 784-16-10 tanh MLP (12,730 weights) on the course's MNIST training split:
naive float64 reversal error at T = 10, 100, 1000; exact reversal at T = 1000 (bit-exact or
not, bits stored per weight per step vs log2(1/beta), memory vs the float64 trajectory,
reverse time / forward time); and at a shorter T the relative error of the reversible
hypergradients against autograd through the unrolled loop and against finite differences,
with the peak memory of both methods.

Run:  OMP_NUM_THREADS=1 .venv/bin/python tools/bench_reversible.py        (about 1-2 min)
      ... --quick      (smaller T, a few seconds; for checking the tool itself)
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # exactness and speed: one BLAS thread

import argparse  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402

import autograd.numpy as anp  # noqa: E402
import numpy as np  # noqa: E402

from hpo_teach.hypergrad import naive, reversible, unrolled  # noqa: E402
from hpo_teach.hypergrad.exact import representable_beta  # noqa: E402
from hpo_teach.testing import relative_error  # noqa: E402


def load_data():
    """MNIST train/valid from hpo_teach.data, or synthetic data of the same shape."""
    try:
        from hpo_teach.data.mnist_subset import mnist

        (X, y), (Xv, yv) = mnist("train"), mnist("valid")
        return X, y, Xv, yv, "MNIST (hpo_teach.data)"
    except Exception as error:  # the tool must run even while data.py is unfinished
        rng = np.random.default_rng(0)
        X, Xv = rng.uniform(size=(3000, 784)), rng.uniform(size=(1000, 784))
        teacher = rng.normal(size=(784, 10))
        return X, np.argmax(X @ teacher, 1), Xv, np.argmax(Xv @ teacher, 1), f"synthetic ({error})"


def make_problem(hidden, batch, max_steps):
    X, y, Xv, yv, source = load_data()
    sizes = [(784, hidden), (hidden,), (hidden, 10), (10,)]
    n_params = sum(math.prod(s) for s in sizes)
    Y, Yv = np.eye(10)[y], np.eye(10)[yv]
    batches = [np.random.default_rng([1, t]).choice(len(X), batch, replace=False) for t in range(max_steps)]

    def nll(w, X, Y):
        parts, start = [], 0
        for shape in sizes:
            parts.append(anp.reshape(w[start:start + math.prod(shape)], shape))
            start += math.prod(shape)
        W1, b1, W2, b2 = parts
        z = anp.tanh(X @ W1 + b1) @ W2 + b2
        z = z - anp.max(z, axis=1, keepdims=True)
        return -anp.mean(anp.sum(Y * (z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))), axis=1))

    def train_loss(w, meta, t):
        i = batches[t]
        return nll(w, X[i], Y[i]) + anp.exp(meta[0]) * anp.sum(w**2)

    def valid_loss(w, meta):
        return nll(w, Xv, Yv)

    rng = np.random.default_rng(0)
    w0 = np.concatenate([rng.normal(size=math.prod(s)) / math.sqrt(s[0]) if len(s) == 2 else np.zeros(s)
                         for s in sizes])
    return train_loss, valid_loss, w0, np.array([math.log(1e-4)]), n_params, source


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000, help="T for the exact-reversal run")
    parser.add_argument("--compare-steps", type=int, default=100, help="T for unrolled and FD comparisons")
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--alpha", type=float, default=0.3)
    parser.add_argument("--beta", type=float, default=0.9)
    parser.add_argument("--quick", action="store_true", help="T = 100 / 20, for a smoke test")
    args = parser.parse_args()
    if args.quick:
        args.steps, args.compare_steps = 100, 20
    T, Tc = args.steps, args.compare_steps
    train_loss, valid_loss, w0, meta, d, source = make_problem(args.hidden, args.batch, max(T, Tc, 1000))
    beta_applied = representable_beta(args.beta)
    print(f"data: {source}; MLP 784-{args.hidden}-10 tanh, d = {d} weights, batch {args.batch}, "
          f"alpha = {args.alpha}, beta = {args.beta} (applied {beta_applied!r}), "
          f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")

    print("\n1. Naive float64 reversal: max |w0_recovered - w0|")
    for n in (10, 100, 1000) if not args.quick else (10, 100):
        run = naive.naive_reverse(train_loss, w0, meta, np.full(n, args.alpha), np.full(n, args.beta))
        print(f"   T = {n:5d}: {run.error:.3g}")

    print(f"\n2. Exact reversal, T = {T}")
    alphas, betas = np.full(T, args.alpha), np.full(T, args.beta)
    start = time.perf_counter()
    result = reversible.hypergrad(train_loss, valid_loss, w0, meta, alphas, betas)
    wall = time.perf_counter() - start
    trajectory_bytes = 2 * T * d * 8  # float64 w and v at every step
    theory = math.log2(1 / beta_applied)
    print(f"   w0 and v0 recovered bit for bit: {result.w0_recovered_exactly}")
    print(f"   bits stored per weight per step: {result.bits_per_weight_per_step:.4f} "
          f"(log2(1/beta) = {theory:.4f}; ratio {result.bits_per_weight_per_step / theory:.3f})")
    print(f"   information stored: {result.bits_stored / 8 / 1e3:.1f} kB; limb store allocated "
          f"{result.buffer_bytes / 1e3:.1f} kB; float64 (w, v) trajectory {trajectory_bytes / 1e6:.1f} MB")
    print(f"   memory ratio trajectory / information = {trajectory_bytes * 8 / result.bits_stored:.0f}x; "
          f"trajectory / allocated buffer = {trajectory_bytes / result.buffer_bytes:.0f}x")
    forward, reverse = result.forward_seconds, result.reverse_seconds
    print(f"   CPU time: forward {forward:.2f} s ({1e3 * forward / T:.1f} ms/step), reverse {reverse:.2f} s, "
          f"reverse / forward = {reverse / forward:.2f} (wall clock {wall:.1f} s in all)")

    print(f"\n3. Reversible vs unrolled vs finite differences, T = {Tc}")
    alphas, betas = np.full(Tc, args.alpha), np.linspace(0.5, 0.95, Tc)
    exact, exact_peak = unrolled.measure_peak_bytes(
        reversible.hypergrad, train_loss, valid_loss, w0, meta, alphas, betas)
    reference, unrolled_peak = unrolled.measure_peak_bytes(
        unrolled.hypergrad, train_loss, valid_loss, w0, meta, alphas, exact.betas_applied)
    print(f"   recovered exactly: {exact.w0_recovered_exactly}")
    for field in ("d_w0", "d_meta", "d_alphas", "d_betas", "w_final"):
        print(f"   {field:9s} relative error reversible vs unrolled: "
              f"{relative_error(getattr(exact, field), getattr(reference, field)):.2e}")
    print(f"   peak memory: reversible {exact_peak / 1e6:.1f} MB, unrolled {unrolled_peak / 1e6:.1f} MB "
          f"(trajectory alone {2 * Tc * d * 8 / 1e6:.1f} MB)")

    def fd(name, index, step):
        values = []
        for sign in (1, -1):
            moved = dict(w0=w0.copy(), meta=meta.copy(), alphas=alphas.copy(), betas=exact.betas_applied.copy())
            moved[name][index] += sign * step
            values.append(valid_loss(reversible.train_exact(train_loss, **moved), moved["meta"]))
        return (values[0] - values[1]) / (2 * step)

    checks = [("meta", "d_meta", 0, 1e-3), ("alphas", "d_alphas", Tc // 2, 1e-3),
              ("betas", "d_betas", Tc // 4, 2**-10), ("w0", "d_w0", int(np.argmax(np.abs(exact.d_w0))), 1e-3)]
    for name, field, index, step in checks:
        value, estimate = getattr(exact, field)[index], fd(name, index, step)
        print(f"   {field}[{index}] = {value:.6e}; central FD (exact forward, step {step:.2g}) = "
              f"{estimate:.6e}; relative error {abs(value - estimate) / abs(estimate):.1e}")


if __name__ == "__main__":
    main()
