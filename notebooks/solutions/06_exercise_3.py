# Exercise 3 of notebook 06: scaling every gradient by 1000 changes Adam + L2's answer but not AdamW's.
import numpy as np

from hpo_teach.training.optim import Adam, AdamW

try:
    from solutions.checks_06 import check_scale_invariance
except ImportError:  # run as a script: python solutions/06_exercise_3.py
    from checks_06 import check_scale_invariance

lam, n_steps = 0.05, 3000
scales = 10.0 ** np.arange(-2, 3)


def final_weights(opt, scale, l2=0.0):
    w = np.zeros(len(scale))
    for _ in range(n_steps):
        w = opt.step(w, scale * (w - 1) + 2 * l2 * w)
    return w


adam_l2 = [final_weights(Adam(0.01), c * scales, l2=lam) for c in (1, 1000)]
adamw = [final_weights(AdamW(0.01, weight_decay=2 * lam), c * scales) for c in (1, 1000)]
change_adam_l2 = np.max(np.abs(adam_l2[1] - adam_l2[0]))
change_adamw = np.max(np.abs(adamw[1] - adamw[0]))
print("Adam + L2, scale ×1   :", adam_l2[0].round(3))
print("Adam + L2, scale ×1000:", adam_l2[1].round(3))
print("AdamW,     scale ×1   :", adamw[0].round(3))
print("AdamW,     scale ×1000:", adamw[1].round(3))
check_scale_invariance(change_adam_l2, change_adamw)
# Adam + L2 converges to the L2 optimum s/(s + 2λ), which depends on s. AdamW's normalised step m̂/√ŝ is the
# same for any gradient scale (while |g| >> ε), and the decay wd·w is applied outside it: same path, same answer.
