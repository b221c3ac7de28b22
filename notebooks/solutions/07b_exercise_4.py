# Exercise 4 of notebook 07b: UCB with kappa = 0 (exploit) and kappa = 4 (explore) on the slice of section 5.
# Uses objective, slice_space, FULL and truth from the notebook.
import matplotlib.pyplot as plt
import numpy as np

from hpo_teach.search.bayesopt import bayesian_optimization
from hpo_teach.viz.plots import new_figure

fig, axes = new_figure(ncols=2, width=10, height=3.4)
for ax, kappa in zip(axes, (0.0, 4.0)):
    bests = []
    for seed in range(4):
        run = bayesian_optimization(objective, slice_space, n_trials=12, n_steps=FULL, n_initial=3,
                                    acquisition="ucb", kappa=kappa, seed=seed)
        ax.plot(range(1, 13), [np.log10(t.config["lr"]) for t in run.trials], "o-", ms=4, label=f"seed {seed}")
        bests.append(run.best_score)
    ax.set(xlabel="trial", ylabel="log10 learning rate proposed",
           title=f"UCB, kappa = {kappa:g}: mean best {100 * np.mean(bests):.1f}%")
    ax.legend(fontsize=7)
plt.show()
print(f"best of the dense curve: {100 * truth.min():.1f}%")
# kappa = 0 sits on the posterior mean's minimum: after the 3 starts it repeats nearly the same learning rate.
# kappa = 4 visits the edges of the box first (large std), then settles; with 12 trials on a 1-D problem
# both usually reach the valley, and kappa = 0 can stall at a start that was merely good.
