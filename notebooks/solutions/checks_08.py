"""Check functions for notebook 08's exercises."""

import numpy as np

from hpo_teach.hypergrad import unrolled


def check_beta_hypergradient(answer, train_loss, valid_loss, w0, meta, alphas, betas, h=1e-5):
    """Compare a claimed d(valid loss)/d(shared beta) with a central finite difference."""
    def f(beta):
        w_final, _ = unrolled.train(train_loss, w0, meta, alphas, np.full(len(betas), beta))
        return valid_loss(w_final, meta)

    beta = float(betas[0])
    fd = (f(beta + h) - f(beta - h)) / (2 * h)
    if abs(answer - fd) <= 1e-4 * max(1.0, abs(fd)):
        print("correct: your d/dβ agrees with a central finite difference (to 1e-4)")
        return True
    print(f"not yet: you have {answer:+.4f}, a finite difference gives {fd:+.4f}. "
          "Hint: β is shared by all steps, so add up d_betas over t.")
    return False
