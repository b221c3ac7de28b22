# Exercise 3 of notebook 02: the λ of a prior, for a loss that is a mean over n examples.
# MAP: minimize -(1/n) log p(data|w) - (1/n) Σ log p(w_i).
# Gaussian: -log p(w) = w²/(2σ²) + const -> λ = 1/(2 n σ²).  Laplace: -log p(w) = |w|/b + const -> λ = 1/(n b).
try:
    from solutions.checks_02 import check_prior_lambdas
except ImportError:  # run as a script: python solutions/02_exercise_3.py
    from checks_02 import check_prior_lambdas

n, sigma, b = 500, 0.1, 0.1
lam_l2, lam_l1 = 1 / (2 * n * sigma**2), 1 / (n * b)
check_prior_lambdas(lam_l2, lam_l1)

# The best λ in the notebook was 10^-3.5 ≈ 3.2e-4 for both penalties. Read back as priors:
best = 10**-3.5
print(f"L2 best λ = {best:.2g} <-> Gaussian prior with σ = {(1 / (2 * n * best)) ** 0.5:.2f}")
print(f"L1 best λ = {best:.2g} <-> Laplace prior with b = {1 / (n * best):.2f}")
# σ ≈ 1.8 and b ≈ 6.3 are broad priors: the trained weights have |w| mostly below 1, so the prior only
# gently discourages the largest weights. The MAP reading also says λ should scale like 1/n: with more
# training data, the same prior means a smaller λ.
