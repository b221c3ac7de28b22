# Exercise 1 of notebook 01: count parameters by hand, and the constant width for a budget.
import math

from hpo_teach.models.architecture import constant_width_for_budget


def my_count_params(sizes):
    """Weights (fan_in * fan_out) plus biases (fan_out) of every layer."""
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


budget = my_count_params([196, 64, 32, 16, 10])
print("pyramid budget:", budget)  # 15386

# Two hidden layers (d = 2): h^2 + (196 + 2 + 10) h + 10 = budget  ->  solve the quadratic.
a, b, c = 1, 196 + 2 + 10, 10 - budget
h = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
print(f"real root h = {h:.2f}; nearest widths give {my_count_params([196, math.floor(h), math.floor(h), 10])} "
      f"and {my_count_params([196, math.ceil(h), math.ceil(h), 10])} parameters")
print("constant_width_for_budget:", constant_width_for_budget(196, 10, depth=2, n_params=budget))

try:
    from checks_01 import check_count_params  # run from notebooks/solutions/
except ImportError:
    from solutions.checks_01 import check_count_params  # run from notebooks/ or %load-ed
check_count_params(my_count_params)
