# Notebook 11, exercise 2: a hyper-rate large enough to make alpha negative, and the multiplicative rule.
beta_big = 1.0
with np.errstate(all="ignore"):
    r_big = t1t2.hypergradient_descent(lambda w, t: logistic_loss_and_grad(w, *schedule(t)), np.zeros(7850), 1e-2,
                                       beta_big, 300)
first = int(np.argmax(r_big.alphas < 0)) if np.any(r_big.alphas < 0) else None
print(f"beta = {beta_big}: alpha in [{r_big.alphas.min():.3g}, {r_big.alphas.max():.3g}], first negative at step {first}")
check_negative_alpha(beta_big, logistic_loss_and_grad, schedule)
r_mult = t1t2.hypergradient_descent(lambda w, t: logistic_loss_and_grad(w, *schedule(t)), np.zeros(7850), 1e-2,
                                    0.5, 300, multiplicative=True)
print(f"multiplicative, beta = 0.5: smallest alpha {r_mult.alphas.min():.3g} (> 0), "
      f"final minibatch loss {r_mult.losses[-1]:.3f}")
fig, ax = new_figure()
ax.plot(r_big.alphas, label=f"additive, beta = {beta_big}")
ax.plot(r_mult.alphas, label="multiplicative, beta = 0.5")
ax.axhline(0, color="gray", lw=0.8)
ax.set(xlabel="step", ylabel="learning rate", title="Additive HD can cross zero; multiplicative cannot")
ax.legend()
plt.show()
