# Notebook 08, exercise 3: truncated hypergradients. Backpropagate through the last K of T = 100 steps only.
def truncated(log_alpha, K):
    """d(validation loss)/d(shared log α), treating w and v after the first T - K steps as constants."""
    alpha = np.exp(log_alpha[0])
    w, v = w0.copy(), np.zeros_like(w0)
    for t in range(T - K):                        # plain NumPy: no tape, no derivative through these steps
        v = betas[t] * v - (1 - betas[t]) * grad(train_loss)(w, m_fixed, t)
        w = w + alpha * v

    def last_k_steps(la):
        ww, vv = w, v
        for t in range(T - K, T):
            vv = betas[t] * vv - (1 - betas[t]) * grad(train_loss)(ww, m_fixed, t)
            ww = ww + anp.exp(la[0]) * vv
        return valid_loss(ww, m_fixed)

    return grad(last_k_steps)(log_alpha)[0]


for alpha in (0.3, 1.16):
    la = np.array([np.log(alpha)])
    row = {K: truncated(la, K) for K in (1, 10, 30, T)}
    print(f"α = {alpha}: " + ", ".join(f"K = {K}: {g:+.2e}" for K, g in row.items()) + "  (K = T is the full one)")
check_truncated_hypergradient(truncated, train_loss, valid_loss, w0, m_fixed, betas)
# Measured: truncation mostly gets the SIZE wrong: at α = 0.3, K = 10 gives about 15% of the full hypergradient
# and K = 30 about half. Near the optimum (α ≈ 1.16) K = 1 even gets the SIGN wrong (it sees only the last step's
# effect, not how α shaped the whole path). Short truncations are biased, not just noisy (Shaban et al. 2019).
