# Notebook 13, exercise 1: the step-size limit of the Neumann series, from Hessian-vector products only.
# Along eigen-direction i the j-th term is (1 - alpha mu_i)^j: it shrinks iff |1 - alpha mu_i| < 1, i.e.
# 0 < alpha < 2 / mu_i. The largest eigenvalue gives the tightest limit: alpha < 2 / lambda_max(H).
# Power iteration finds lambda_max with products only: u <- H u / ||H u|| lines up with the top eigenvector.
u = np.random.default_rng(0).normal(size=w.size)
for _ in range(300):
    u = hvp_ridge(u)
    u = u / np.linalg.norm(u)
lambda_max = u @ hvp_ridge(u)   # the Rayleigh quotient at the converged direction
alpha_max = 2.0 / lambda_max
print(f"power iteration: lambda_max = {lambda_max:.5f}; alpha must stay below 2 / lambda_max = {alpha_max:.5f}")
check_alpha_limit(alpha_max, hvp_ridge, w.size)

inside = implicit.hypergrad(train_loss, valid_loss, w, meta, method="neumann", n_terms=2000, alpha=0.99 * alpha_max)
print(f"0.99 x limit: relative error after 2000 terms {relative_error(inside.d_meta[0], closed):.1e}")
try:
    implicit.hypergrad(train_loss, valid_loss, w, meta, method="neumann", n_terms=2000, alpha=1.01 * alpha_max)
except TrainingDiverged as error:
    print("1.01 x limit:", error)
# Just inside the limit the top direction flips sign every term (1 - alpha mu_max = -0.98) but still shrinks;
# just outside it grows by 1.02 per term and passes 1e8 times its start within about a thousand terms.
# (Power iteration converges at the rate mu_2 / mu_1 per product; here the top eigenvalue is well separated.)
