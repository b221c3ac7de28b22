# Exercise 4 of notebook 04: a linear-decay schedule, against a constant rate, in a longer run.
from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.models.mlp import MLP
from hpo_teach.training.optim import SGD, Schedule
from hpo_teach.training.loop import fit


def linear_decay(lr, n):
    """lr * (1 - t/n) for t < n, then 0."""
    return Schedule(lambda t: lr * max(0.0, 1.0 - t / n), f"linear_decay(lr={lr:g}, n={n})")


X, y = mnist_small("train")
Xv, yv = mnist_small("valid")
mlp = MLP([196, 64, 10], activation="tanh")
EPOCHS, BATCH, LR = 48, 128, 1.0
n_steps = EPOCHS * -(-len(X) // BATCH)
for name, lr in (("constant", LR), ("linear decay", linear_decay(LR, n_steps))):
    h = fit(mlp, mlp.init(0), X, y, SGD(lr), epochs=EPOCHS, batch_size=BATCH, X_valid=Xv, y_valid=yv,
            eval_every=n_steps // 8, progress=False)
    print(f"{name:13s}: train loss (running mean of the last minibatches) {h.train_loss[-1]:.3f}, final valid loss {h.valid_loss[-1]:.3f}, "
          f"best valid loss {min(h.valid_loss):.3f} at step {h.best_step}")
# In this 4x longer run the linear decay ends with the lower validation loss. The constant rate goes further
# on the training loss (it keeps taking big steps) but its validation loss has started to rise: compare its
# final and best values. The decayed rate's last steps are small, so the run settles instead of bouncing.

try:  # check the schedule (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_04 import check_linear_decay
except ImportError:
    from checks_04 import check_linear_decay
check_linear_decay(linear_decay(0.5, 100), 0.5, 100)
