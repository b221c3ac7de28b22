# Exercise 4 of notebook 01: "narrow each layer" at depth 2, equal parameter budget, 5 seeds.
import numpy as np

from hpo_teach import data
from hpo_teach.models.architecture import constant_width_for_budget, count_params
from hpo_teach.models.mlp import MLP
from hpo_teach.training.optim import Adam
from hpo_teach.training.loop import fit

X_all, y_all = data.mnist_small("train")
X_valid, y_valid = data.mnist_small("valid")
pyramid = (196, 64, 16, 10)
h = constant_width_for_budget(196, 10, depth=2, n_params=count_params(pyramid))
constant = (196, h, h, 10)
print(f"pyramid {count_params(pyramid)} params, constant {list(constant)} {count_params(constant)} params")

errors = {}
for name, sizes in (("pyramid", pyramid), ("constant", constant)):
    errs = []
    for seed in range(5):
        mlp = MLP(sizes)
        hist = fit(mlp, mlp.init(seed=seed), X_all, y_all, Adam(lr=2e-3), epochs=10, batch_size=100, seed=seed,
                   progress=False)
        errs.append(100 * mlp.error(hist.w, X_valid, y_valid))
    errors[name] = np.array(errs)
    print(f"{name:>8}: {errors[name].mean():.1f} ± {errors[name].std(ddof=1):.1f} % valid error")
diff = errors["pyramid"].mean() - errors["constant"].mean()
se = np.sqrt(sum(e.var(ddof=1) / len(e) for e in errors.values()))
print(f"difference {diff:+.1f} points, standard error {se:.1f}: "
      + ("no reliable difference" if abs(diff) < 2 * se else "a difference larger than the seed-to-seed noise"))
# Measured when this course was written: pyramid 8.6 ± 0.3 %, constant width 53 7.7 ± 0.1 % -- at depth 2 the
# constant-width net was reliably *better*, the opposite of the rule (the 16-unit layer is a bottleneck before the
# 10 classes). Together with section 4 (depth 3: no reliable difference), "always narrow" is not a law.
