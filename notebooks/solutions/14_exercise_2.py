# Notebook 14, exercise 2: the function only uses the products m_k(gamma) * W2_k, so price those:
# a group-lasso cost on the effective outgoing weights (Alvarez & Salzmann 2016; MorphNet prices unit scales).
def scale_cost(w, gamma):
    W2 = net.unflatten(w)[2]                                   # row k: unit k's outgoing weights
    return LAMBDA * np.sum(unit_mask(gamma, K) * np.linalg.norm(W2, axis=1))


check_scale_cost(scale_cost, net)
r = prune_runs[0.0][0]                                         # pruned from 16 without weight decay (section 4)
w_cheat, gamma_cheat = cheat(r.w, r.gamma)
print(f"lambda * gamma: {LAMBDA * r.gamma:.4f} -> {LAMBDA * gamma_cheat:.4f} after the cheat (it fell)")
print(f"scale_cost:     {scale_cost(r.w, r.gamma):.4f} -> {scale_cost(w_cheat, gamma_cheat):.4f} after the cheat")
