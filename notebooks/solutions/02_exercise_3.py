# Exercise 3 of notebook 02: a Gaussian prior fitted to the trained weights, read back as λ.
# Run after the notebook's cells (it uses runs, lams, best, log_lams and curves from section 3).
# The maximum-likelihood σ² of a zero-mean Gaussian is the mean of w²; the MAP formula of section 4 then
# gives λ = 1 / (2 n σ²) with n = 500.
import numpy as np

try:
    from solutions.checks_02 import check_fitted_prior_lambda
except ImportError:  # run as a script: python solutions/02_exercise_3.py
    from checks_02 import check_fitted_prior_lambda

n = 500
w = runs["L2", lams[best["L2"]]]["w"]  # noqa: F821  (from the notebook)
sigma2 = np.mean(w**2)
lam_fit = 1.0 / (2 * n * sigma2)
check_fitted_prior_lambda(lam_fit, w)

lam_val = lams[best["L2"]]  # noqa: F821
print(f"fitted σ = {np.sqrt(sigma2):.3f} -> λ = {lam_fit:.3g} (log10 {np.log10(lam_fit):.2f}); "
      f"validation chose λ = {lam_val:.3g} (log10 {np.log10(lam_val):.2f}): {lam_fit / lam_val:.0f} times larger")
k = int(np.argmin(np.abs(log_lams - np.log10(lam_fit))))  # noqa: F821
print(f"nearest grid λ = 10^{log_lams[k]:.1f}: validation loss {curves['L2'][k]:.3f}, "  # noqa: F821
      f"against {curves['L2'][best['L2']]:.3f} at the best λ")  # noqa: F821
# The prior that fits the trained weights is far narrower than the prior the validated λ stands for, and the
# λ it implies lies on the underfitting side of section 3's curve. Training at that λ would shrink the weights
# further, and a prior refitted to them would ask for a still larger λ: fitting the prior to MAP weights
# does not choose λ. The validation curve does (a Bayesian would use the marginal likelihood instead).
