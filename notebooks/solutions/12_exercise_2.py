# Notebook 12, exercise 2: the tangent hypernet, the best a *local* linear hypernet can be.
# w_φ(λ) = c + A (λ − center) / scale touches w*(λ) at λ₀ with the same slope when
# center = λ₀, c = w*(λ₀) and A = scale · dw*/dλ(λ₀).
m0 = -1.5
tangent_net = hypernet.LinearHypernet(1, problem.n_weights, center=m0, scale=1.0)
tangent_phi = np.concatenate([problem.best_response(m0), 1.0 * problem.best_response_slope(m0)])
check_tangent_hypernet(tangent_net, tangent_phi, problem, m0)

tangent_curve = np.array([problem.valid_loss(tangent_net.weights(tangent_phi, np.array([m]))) for m in grid])
fig, ax = new_figure()
ax.plot(grid, exact_curve, "k-", label="exact L_valid(w*(λ))")
ax.plot(grid, tangent_curve, "C2-", label=f"tangent hypernet at log λ = {m0:g}")
ax.axvline(m0, color="gray", lw=0.8)
ax.set(xlabel="log λ", ylabel="validation loss (MSE)", ylim=(0.4, 1.0),
       title="A linear hypernet is accurate only near where it was fitted")
ax.legend()
plt.show()
# Within about ±0.5 of λ₀ the two curves agree; further away the straight line in weight space
# leaves the curved path of w*(λ) and its validation loss is far off. That is why Algorithm 3
# keeps refitting the linear hypernet around the current λ̂.
