# Notebook 08, exercise 3: short-horizon bias. Tune one shared learning rate with T = 10 and T = 100.
def tune_learning_rate(n_steps, meta_steps=8):
    meta_opt = Adam(lr=0.25)
    log_alpha = np.array([np.log(0.3)])
    for _ in range(meta_steps):
        alpha = np.exp(log_alpha[0])
        r = unrolled.hypergrad(train_loss, valid_loss, w0, np.array([log_lambdas[best]]),
                               np.full(n_steps, alpha), np.full(n_steps, 0.9))
        log_alpha = meta_opt.step(log_alpha, np.array([np.sum(r.d_alphas) * alpha]))
    return np.exp(log_alpha[0])


for n in (10, 100):
    print(f"T = {n:3d}: learned α = {tune_learning_rate(n):.2f}")
# Compare the two: the horizon changes which step size looks best, although the problem is the same.
# Measured: T = 10 learns a larger α (about 1.85) than T = 100 (about 1.23): with only 10 exact full-batch steps,
# the validation loss after training rewards big steps. Wu et al. 2018 show the opposite direction with noisy
# minibatch gradients (a short horizon prefers too small a rate, which lowers the noise soon); either way the
# rate tuned on a short horizon is wrong for the long run.
