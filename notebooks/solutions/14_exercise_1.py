# Notebook 14, exercise 1: on [k, k+1] the frozen L is convex, so its gamma-gradient only rises there.
# If it is already >= 0 just right of k, the minimum is k; if still <= 0 just left of k+1, it is k+1;
# otherwise bisect on the sign of the closed-form gradient (units counted from 1, c = ceil(gamma)).
def interval_minimum(w, k):
    if net.gamma_grad(w, float(k), X, y, side="right") >= 0:
        return float(k)
    if net.gamma_grad(w, k + 1.0, X, y, side="left") <= 0:
        return k + 1.0
    lo, hi = float(k), k + 1.0
    for _ in range(50):                      # 2**-50: far below the 1e-5 asked
        mid = 0.5 * (lo + hi)
        if net.gamma_grad(w, mid, X, y) < 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


check_interval_minimum(interval_minimum, net, w_frozen, X, y)
bottoms = {k: interval_minimum(w_frozen, k) for k in range(1, K)}
for k, g in bottoms.items():
    if k < g < k + 1:
        print(f"bowl in [{k}, {k + 1}]: minimum at gamma = {g:.4f}, L = {net.loss(w_frozen, g, X, y):.4f}")
fig, ax = new_figure(width=7.5, height=3.4)
ax.plot(gamma_grid, frozen_curve, "--", color="C0", label="training loss, weights frozen")
ax.plot(list(bottoms.values()), [net.loss(w_frozen, g, X, y) for g in bottoms.values()], "o", color="C3",
        label="lowest point of each unit interval")
ax.set(xlabel="gamma (weights frozen)", ylabel="training cross-entropy", yscale="log",
       title="The bottoms of the pieces of L(gamma)")
ax.legend()
plt.show()
# The bowl in [6, 7] bottoms out next to 6.5, the width the weights were trained at: there Adam has tuned
# the fractional unit's outgoing weights, so <W2_c, dL/dW2_c> / m_c -- the gamma-gradient -- is ~0.
