# Exercise 1 of notebook 07: distinct learning rates tried by a 27-point grid and by 27 random trials.
import numpy as np

from hpo_teach.search.spaces import LogUniform, Uniform, grid_configs, sample_config

space = {"lr": LogUniform(1e-3, 10), "l2": LogUniform(1e-6, 1e-2), "momentum": Uniform(0.0, 0.95)}
grid = grid_configs(space, 3)                       # 3 x 3 x 3 = 27 configurations
rng = np.random.default_rng(0)
random = [sample_config(space, rng) for _ in range(27)]
n_grid = len({c["lr"] for c in grid})
n_random = len({c["lr"] for c in random})
print(f"{len(grid)} grid points try {n_grid} learning rates; {len(random)} random trials try {n_random}")
# With d hyperparameters and k points per axis a grid costs k**d trials but tries only k values of each one:
# if only the learning rate matters, 24 of the 27 grid trainings repeat a learning rate already tried.
