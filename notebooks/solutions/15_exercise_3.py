# Notebook 15, exercise 3: three hyperparameters (two hidden layers), random search, BO and IFT.
deep = capstone.make_problem(hidden=(32, 16))
print(deep.mlp, "-", len(deep.names), "hyperparameters")
deep_runs = capstone.compare(deep, 8 * deep.n_steps, (0, 1), methods=("random", "bayesopt", "ift"),
                             settings=settings, hvp_cost=hvp_cost)
for method, rs in deep_runs.items():
    print(f"{method:9s} best validation error {100 * np.mean([r.budget.best().score for r in rs]):.1f}% "
          f"in {np.mean([len(r.budget) for r in rs]):.0f} ledger entries")
# Grid points per axis that 8 trainings allow: the largest k with k**d <= 8.
for d in (2, 3):
    print(f"d = {d}: {max(k for k in range(1, 9) if k ** d <= 8)} points per axis")
# The IFT step's cost T + (K - 1) c + V does not contain the number of hyperparameters.
