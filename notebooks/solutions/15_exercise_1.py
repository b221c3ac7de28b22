# Notebook 15, exercise 1: when does a hypergradient pay? The step's price is the table's of section 2.
import numpy as np

from hpo_teach.viz.plots import new_figure

T, c, V = 300, 1.5, 20
budget = 40 * T                      # the full-scale tool's ledger: 40 trainings
step = T * (2 + c) + V               # forward run; per reverse step a recomputed gradient + an HVP; validation gradient
n_steps = int(budget // step)        # a step that does not fit entirely is not taken
d = 1
while 3**d * T <= n_steps * step:    # a grid with 3 points per axis trains 3**d networks of T steps
    d += 1
print(f"one step: {step:g} gradient evaluations ({step / T:.2f} trainings); {n_steps} steps fit in 40 trainings; "
      f"a 3-per-axis grid costs more from d = {d} ({3**d} trainings)")

ds = np.arange(1, 7)
fig, ax = new_figure(width=6, height=3.4)
ax.semilogy(ds, 3.0**ds, "o-", label="grid, 3 points per axis")
ax.semilogy(ds, np.full(ds.shape, n_steps * step / T), "s-", color="C3",
            label=f"{n_steps} reversible hypergradient steps")
ax.set(xlabel="number of hyperparameters d", ylabel="cost (trainings)", title="The grid's price grows as 3^d; "
       "a hypergradient's does not")
ax.legend(fontsize=8)

try:  # works when run from notebooks/ or after %load in the notebook
    from solutions.checks_15 import check_break_even
except ImportError:
    from checks_15 import check_break_even
check_break_even(n_steps, d)
