# Notebook 08, exercise 1: the hypergradient for a momentum shared by all steps.
# A shared beta enters every step, so by the chain rule d f / d beta = sum_t d f / d beta_t.
r = unrolled.hypergrad(train_loss, valid_loss, w0, np.array([log_lambdas[best]]), alphas, betas)
d_beta = np.sum(r.d_betas)
print(f"d validation loss / d beta = {d_beta:+.4f}")
check_beta_hypergradient(d_beta, train_loss, valid_loss, w0, np.array([log_lambdas[best]]), alphas, betas)
