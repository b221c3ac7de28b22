# Notebook 08, exercise 2: one L2 strength per output class (10 hyperparameters), tuned by hypergradients.
def train_loss_per_class(w, meta, t):
    W = anp.reshape(w[: D * C], (D, C))
    penalty = anp.sum(anp.exp(meta) * anp.sum(W**2, axis=0))
    return softmax_cross_entropy(predict(w, X_train), y_train) + penalty


meta_opt = Adam(lr=0.5)
m = np.full(C, log_lambdas[best])
for step in range(10):
    r = unrolled.hypergrad(train_loss_per_class, valid_loss, w0, m, alphas, betas)
    m = meta_opt.step(m, r.d_meta)
print(f"validation loss {r.valid_loss:.3f}")
for c in np.argsort(m)[::-1]:
    print(f"class {c}: log λ = {m[c]:+.2f}")
