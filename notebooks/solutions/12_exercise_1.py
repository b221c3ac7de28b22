# Notebook 12, exercise 1: the exact hypergradient of the ridge problem, by the chain rule.
# L_valid has no λ in it, so dL_valid(w*(λ))/dλ = ∇_w L_valid(w*(λ)) · dw*/dλ.
from autograd import grad

m0 = 0.0
w_star = problem.best_response(m0)
exact_hypergradient = grad(problem.valid_loss)(w_star) @ problem.best_response_slope(m0)
print(f"dL_valid(w*(λ))/dλ at log λ = {m0:g}: {exact_hypergradient:+.5f} (positive: less L2 would help)")
check_exact_hypergradient(exact_hypergradient, problem, m0)
