# Notebook 12, exercise 3: Algorithm 4 depends on where the hypernet's origin (z = 0) is.
# Same run as section 4 (from log λ = +1, σ = 0), once with the origin at 0 and once at the start, +1.
ends = {}
for center in (0.0, 1.0):
    net = hypernet.LinearHypernet(1, problem.n_weights, center=center)
    run = hypernet.joint(net, problem.train_loss_many, problem.valid_loss, net.init(), 1.0, 0.0, ALG4_STEPS,
                         lr_phi=LR_PHI, lr_lam=LR_LAM, n_samples=1, batched=True, desc=f"Alg 4, origin {center:+g}")
    ends[center] = run.lambdas[-1, 0]
    print(f"origin at {center:+g}: log λ̂ 1 -> {ends[center]:+.2f} (exact argmin {exact_argmin:+.2f})")
# With σ = 0 the φ-gradient of the slope A is z times that of the offset c (z = (λ̂ − center) / scale), so A is
# whatever the path of λ̂ relative to the origin made it, not the slope of w*(λ). Origin at 0 (our run: +1 -> +3.3):
# A picks up a spurious slope and λ̂ walks away from the optimum. Origin at the start: z = 0 there, so A gets a zero
# gradient, stays 0, the hypergradient through the hypernet A · ∇L_valid / scale is exactly 0, and λ̂ never moves
# (our run: +1.00 after 600 steps). Same model, same data, same algorithm: only the arbitrary origin differs.
# Neither run follows the true hypergradient of the validation loss after training.
