# Notebook 14, exercise 3: a Net2Net split. Unit k+1 copies unit k's incoming weights and bias (same h),
# and the two share unit k's outgoing weights half and half: at gamma = k+1 they add up to what unit k did.
def split(w, k):
    w = w.copy()
    old, new = wide.unit_param_indices(k), wide.unit_param_indices(k + 1)
    n_in_and_bias = wide.n_in + 1
    w[new[:n_in_and_bias]] = w[old[:n_in_and_bias]]
    w[old[n_in_and_bias:]] *= 0.5
    w[new[n_in_and_bias:]] = w[old[n_in_and_bias:]]
    return w


check_split(split, wide, X, y)
w_k = descend(wide, wide.init(0), 4.0, X, y, STEPS, lr_w=LR_W, lr_gamma=0.0).w
w_split = split(w_k, 4)
print(f"jump L(5) - L(4): {wide.loss(w_split, 5.0, X, y) - wide.loss(w_k, 4.0, X, y):.1e}")
print(f"gamma-gradient from the left at 5: split {wide.gamma_grad(w_split, 5.0, X, y, side='left'):+.2e}, "
      f"zero-init {wide.gamma_grad(zero_beyond(w_k, 4), 5.0, X, y, side='left'):+.2e}")
# The split unit's gamma-gradient is not zero: it is the scale derivative of half of unit 4, which training at
# gamma = 4 drove to (near) zero for the whole unit -- so it is small, but now it can move with the weights.
