# Notebook 13, exercise 3: HOAG (Pedregosa 2016) for the ridge problem of section 1, one log lambda.
# Inner problem: H(m) w = X^T Y / n with H = A + e^m I (per output), solved by CG to tolerance eps_k, warm-started.
# Hypergradient: H q = grad_w L_V by CG to eps_k; p = -e^m w . q (no direct term); step m <- m - p / L.
# L x 0.95 after a success; if the validation loss rose by more than 20%: undo the step, L x 2, eps_k halved.
b_train = (X.T @ Y / n).ravel()


def make_hvp(m):
    def hvp(u):
        U = u.reshape(D, C)
        return (A @ U + np.exp(m) * U).ravel()
    return hvp


m, eps, L = 0.0, 1e-3, None
w_k = np.zeros(D * C)
previous = None  # (m, w, validation loss) of the last accepted step
path = []
for k in range(30):
    hvp_m = make_hvp(m)
    residual = b_train - hvp_m(w_k)
    delta, _ = implicit.conjugate_gradient(hvp_m, residual, tol=eps)  # inner solve to eps, warm start
    w_k = w_k + delta
    f = valid_loss(w_k, None)
    if previous is not None and f > 1.2 * previous[2]:  # too long a step: undo it, halve the step and eps
        m, w_k, f = previous
        L, eps = 2 * L, eps / 2
        continue
    g_valid_k = Xv.T @ (Xv @ w_k.reshape(D, C) - Yv) / len(Yv)
    q, _ = implicit.conjugate_gradient(hvp_m, g_valid_k.ravel(), tol=eps)  # H q = grad L_V to eps
    p = -np.exp(m) * (w_k @ q)
    if L is None:
        L = abs(p)  # first step of length 1 in log lambda
    else:
        L = 0.95 * L
    previous = (m, w_k, f)
    path.append((m, f, p))
    m = m - p / L
    eps = 0.9 * eps
print(f"HOAG: log lambda 0 -> {m:.3f} after 30 outer steps (validation loss {valid_loss(w_k, None):.5f})")

fig, ax = new_figure(width=6.4, height=3.2)
grid = np.linspace(-6, 1, 71)
ax.plot(grid, [valid_loss(w_star(g_), None) for g_ in grid], "-", color="gray", label="validation loss (exact)")
ax.plot([p_[0] for p_ in path], [p_[1] for p_ in path], "o-", ms=3, color="C3", label="HOAG iterates")
ax.set(xlabel="log λ", ylabel="validation loss", title="HOAG on ridge")
ax.legend(fontsize=8)
plt.show()
check_hoag(m)
