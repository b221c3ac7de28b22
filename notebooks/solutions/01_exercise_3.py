# Exercise 3 of notebook 01: the same network and (about) the same number of steps on 500 vs 3000 images.
from hpo_teach import data
from hpo_teach.models.mlp import MLP
from hpo_teach.training.optim import Adam
from hpo_teach.training.loop import fit

X_all, y_all = data.mnist_small("train")
X_valid, y_valid = data.mnist_small("valid")
mlp = MLP((196, 128, 10))


def gap(X, y, epochs):
    h = fit(mlp, mlp.init(seed=0), X, y, Adam(lr=3e-3), epochs=epochs, batch_size=50, progress=False)
    print(f"{len(X)} images, {h.n_grad_evals} steps: train error {100 * mlp.error(h.w, X, y):.1f}%, "
          f"valid error {100 * mlp.error(h.w, X_valid, y_valid):.1f}%")
    return mlp.error(h.w, X_valid, y_valid) - mlp.error(h.w, X, y)


gap_500 = gap(X_all[:500], y_all[:500], epochs=40)  # 10 steps per epoch: 400 steps
gap_3000 = gap(X_all, y_all, epochs=7)              # 60 steps per epoch: 420 steps
print(f"valid - train gap: 500 images {100 * gap_500:.1f} points, 3000 images {100 * gap_3000:.1f} points")

try:
    from checks_01 import check_more_data_gap  # run from notebooks/solutions/
except ImportError:
    from solutions.checks_01 import check_more_data_gap  # run from notebooks/ or %load-ed
check_more_data_gap(gap_500, gap_3000)
# Six times more data closes most of the gap: in ~400 steps the net cannot memorise 3000 images,
# and what it learns from them carries over to the validation images.
