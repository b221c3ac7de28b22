# Exercise 3 of notebook 07: Hyperband's brackets for R = 243, eta = 3 (Li et al. 2017, Algorithm 1).
import math

from hpo_teach.search.methods import hyperband_brackets

try:
    from solutions.checks_07 import check_hyperband
except ImportError:  # run as a script: python solutions/07_exercise_3.py
    from checks_07 import check_hyperband

R, eta = 243, 3
s_max = 0                                            # the floor of log_eta(R), in exact integer arithmetic:
while eta ** (s_max + 1) <= R:                       # math.log(R, eta) can land just below an integer
    s_max += 1                                       # (R = 243 -> 5; R = 200 -> 4)
B = (s_max + 1) * R
starts, total = [], 0
for s in range(s_max, -1, -1):
    n = math.ceil(B / R * eta**s / (s + 1))
    r = R / eta**s
    rungs = [(n // eta**i, round(r * eta**i)) for i in range(s + 1)]
    cost = sum(ni * ri for ni, ri in rungs)
    starts.append(n)
    total += cost
    print(f"s={s}: starts {n:3d} configs at {r:g} steps; rungs {rungs}; costs {cost}")
print("total steps:", total)
print("package:", [b.n for b in hyperband_brackets(R, eta)], sum(b.cost for b in hyperband_brackets(R, eta)))
table1_rule = [((s_max + 1) // (s + 1)) * eta**s for s in range(s_max, -1, -1)]
print("integer division, as behind the paper's Table 1:", table1_rule)
check_hyperband(starts, total)
# Algorithm 1 takes the ceiling of the whole product (s_max + 1) / (s + 1) * eta**s; the authors' Python 2 code
# (which produced Table 1) divides (s_max + 1) // (s + 1) first. The two agree where s + 1 divides s_max + 1
# (here s = 5, 2, 1, 0) and differ otherwise (s = 4 and 3).
