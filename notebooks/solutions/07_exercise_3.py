# Exercise 3 of notebook 07: Hyperband's brackets for R = 81, eta = 3 (Li et al. 2017, Algorithm 1).
import math

from hpo_teach.search.methods import hyperband_brackets

R, eta = 81, 3
s_max = 0                                            # the floor of log_eta(R), in exact integer arithmetic:
while eta ** (s_max + 1) <= R:                       # math.log(R, eta) can land just below an integer
    s_max += 1                                       # (R = 81 -> 4; R = 200 -> 4, where rounding would give 5)
B = (s_max + 1) * R
total = 0
for s in range(s_max, -1, -1):
    n = math.ceil(B / R * eta**s / (s + 1))
    r = R / eta**s
    rungs = [(n // eta**i, round(r * eta**i)) for i in range(s + 1)]
    cost = sum(ni * ri for ni, ri in rungs)
    total += cost
    print(f"s={s}: starts {n:2d} configs at {r:g} steps; rungs {rungs}; costs {cost}")
print("total steps:", total)
print("package:", [b.n for b in hyperband_brackets(R, eta)], sum(b.cost for b in hyperband_brackets(R, eta)))
# Table 1 of the paper lists 81, 27, 9, 6, 5: floor((s_max + 1) / (s + 1)) * eta**s, what the authors' Python 2
# code computes with integer division. Algorithm 1 takes the ceiling of the whole product: 81, 34, 15, 8, 5.
