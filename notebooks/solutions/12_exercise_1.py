# Notebook 12, exercise 1: the exact hypergradient of the ridge problem, from the closed form of §1.
# W*(λ) = V diag(1 / (s + e^λ)) Vᵀ XᵀY / n, so dW*/dλ = V diag(−e^λ / (s + e^λ)²) Vᵀ XᵀY / n, and b* = ȳ − x̄ W*
# gives db*/dλ = −x̄ dW*/dλ. L_valid has no λ in it, so dL_valid(w*(λ))/dλ = ∇_w L_valid(w*(λ)) · dw*/dλ.
from autograd import grad

m0 = 0.0
dW = V @ (XtY * (-np.exp(m0) / (s + np.exp(m0)) ** 2)[:, None])
db = -problem.X_train.mean(0) @ dW
slope = np.concatenate([dW.ravel(), db])
print(f"relative difference to problem.best_response_slope: {relative_error(slope, problem.best_response_slope(m0)):.1e}")
exact_hypergradient = grad(problem.valid_loss)(best_response(m0)) @ slope
print(f"dL_valid(w*(λ))/dλ at log λ = {m0:g}: {exact_hypergradient:+.5f} (positive: less L2 would help)")
check_exact_hypergradient(exact_hypergradient, problem, m0)
