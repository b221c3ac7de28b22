"""The capstone comparison at full scale (notebook 15 runs the same code at a reduced scale).

Every tuning method of the course tunes the per-layer log L2 strengths of one MLP on 14x14 MNIST,
charged to one ledger of minibatch gradient evaluations (see hpo_teach/capstone.py). Writes
``results.csv`` (one row per method: validation and test error mean/std over seeds, the
hyperparameters found, steps and seconds), ``curves.csv`` (best-so-far validation error per
method, seed and budget) and ``capstone.png`` (the curves with bands) to ``--out``.

    python tools/capstone.py                 # full scale: 5 seeds, budget 40 trainings (minutes)
    python tools/capstone.py --quick         # a smoke run in seconds (what tests/test_capstone.py runs)

Each gradient method's step size is first chosen on the development problem (other digits; see
capstone.choose_settings), never on the problem compared.
"""

import argparse
import csv
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from tqdm.auto import tqdm  # noqa: E402

from hpo_teach import capstone  # noqa: E402


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="capstone_results", help="output folder (default: capstone_results/)")
    parser.add_argument("--seeds", type=int, default=5, help="number of seeds (default 5)")
    parser.add_argument("--budget", type=int, default=40, help="ledger size in standard trainings (default 40)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 seed, budget of 4 short trainings")
    parser.add_argument("--methods", default=",".join(capstone.METHODS), help="comma-separated subset")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    start = time.perf_counter()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = sorted(set(methods) - set(capstone.METHODS))
    if unknown:
        raise SystemExit(f"--methods: unknown {unknown}; choose from {','.join(capstone.METHODS)}")
    scale = dict(n_steps=60) if args.quick else {}
    problem = capstone.make_problem(**scale)
    seeds = [0] if args.quick else list(range(args.seeds))
    max_steps = (4 if args.quick else args.budget) * problem.n_steps
    hvp_cost = round(capstone.measure_hvp_cost(problem), 2)
    print(f"problem: MLP {list(problem.mlp.sizes)}, {len(problem.y)} training digits, {problem.n_steps} steps; "
          f"ledger {max_steps} gradient evaluations; one HVP = {hvp_cost} gradients (measured)")

    # settings are chosen on the dev problem (other digits), never on the problem compared
    dev = capstone.make_problem("dev", **scale)
    dev_seeds = (0,) if args.quick else (0, 1)
    n = len(dev_seeds) * sum(len(v) for _, v in capstone.CANDIDATES.values())
    with tqdm(total=n, desc="choosing settings on the dev problem") as bar:
        settings, table = capstone.choose_settings(dev, max(max_steps // 2, 4 * problem.n_steps), seeds=dev_seeds, hvp_cost=hvp_cost,
                                                   progress=bar)
    for row in table:
        print("  dev: %-10s %s=%-6g best valid error %.4f" % row)
    print("chosen:", settings)

    with tqdm(total=len(seeds) * len(methods), desc="capstone") as bar:
        runs = capstone.compare(problem, max_steps, seeds, methods, settings, hvp_cost, progress=bar)
    X_test, y_test = capstone.test_split()
    tests = capstone.test_errors(problem, runs, X_test, y_test)
    rows = capstone.results_table(problem, runs, tests)

    with open(out / "results.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    grid = np.linspace(problem.n_steps, max_steps, 50).astype(int)
    with open(out / "curves.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["method", "seed", "budget", "best_valid_error"])
        for m, rs in runs.items():
            for r in rs:
                for b, e in zip(grid, r.curve(grid)):
                    writer.writerow([m, r.seed, int(b), "" if np.isnan(e) else f"{e:.4f}"])

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5))
    with warnings.catch_warnings():  # budgets before a method's first score are all-NaN columns
        warnings.simplefilter("ignore", RuntimeWarning)
        for m, c in capstone.curves(runs, grid).items():
            mean = np.nanmean(c, axis=0)
            line, = ax.plot(grid, mean, "-" if m in capstone.BLACK_BOX else "--", label=m)
            ax.fill_between(grid, np.nanmin(c, axis=0), np.nanmax(c, axis=0), color=line.get_color(), alpha=0.15)
    ax.set(xlabel="gradient evaluations (ledger)", ylabel="best-so-far validation error",
           title=f"Capstone: {len(seeds)} seeds, bands = min..max")
    ax.legend(ncol=2, fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "capstone.png", dpi=120)

    seconds = time.perf_counter() - start
    print(f"\n{'method':<11} {'valid error':>15} {'test error':>15} {'steps':>7} {'sec/seed':>8}  best ln L2 (layer 1, 2)")
    for r in rows:
        metas = ", ".join(f"{r[f'{n}_mean']:.1f}" for n in problem.names)
        print(f"{r['method']:<11} {r['valid_mean']:.4f} ± {r['valid_std']:.4f} {r['test_mean']:.4f} ± {r['test_std']:.4f} "
              f"{r['steps']:>7.0f} {r['seconds']:>8.1f}  ({metas})")
    print(f"\nwrote {out / 'results.csv'}, {out / 'curves.csv'}, {out / 'capstone.png'} in {seconds:.0f} s")
    return rows


if __name__ == "__main__":
    main()
