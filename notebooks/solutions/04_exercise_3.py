# Exercise 3 of notebook 04: the large batch with as many steps as the small batch (16x the compute).
from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.models.mlp import MLP
from hpo_teach.training.optim import SGD
from hpo_teach.training.loop import fit

X, y = mnist_small("train")
Xv, yv = mnist_small("valid")
mlp = MLP([196, 64, 10], activation="tanh")
LR_SMALL, LR_LARGE = 0.5, 1.0  # the tuned rates from section 6 of the notebook; use yours if they differ

runs = {"B = 32, 8 epochs": (32, LR_SMALL, 8), "B = 512, 8 epochs": (512, LR_LARGE, 8),
        "B = 512, 128 epochs": (512, LR_LARGE, 128)}
for name, (b, lr, epochs) in runs.items():
    h = fit(mlp, mlp.init(0), X, y, SGD(lr), epochs=epochs, batch_size=b, X_valid=Xv, y_valid=yv, progress=False)
    print(f"{name:20s}: {h.n_grad_evals:4d} steps, {h.n_grad_evals * b:7d} examples, "
          f"train loss {h.train_loss[-1]:.3f}, final valid loss {h.valid_loss[-1]:.3f}, "
          f"best valid loss {min(h.valid_loss):.3f}")
# "train loss" is the mean minibatch loss over the last epoch. With equal steps the large batch reaches a
# much lower training loss (each step is less noisy) and, here, a slightly lower validation loss than the
# small batch -- but it processed 16x the examples. At equal compute (equal epochs) the small batch wins.
