# Notebook 14, exercise 2: only m_c * W2_c matters, so halve the fractional mask and double W2_c.
def shrink(w, gamma):
    c = math.ceil(gamma)
    fraction = gamma - c + 1
    w = w.copy()
    w[net.unit_param_indices(c)[-net.n_out:]] *= 2.0   # unit c's outgoing weights
    return w, c - 1 + fraction / 2


check_shrink(shrink, net, X)
w_demo = net.init(0)
print("criterion drop at lambda = 0.02, gamma = 7.6:", LAMBDA * (7.6 - shrink(w_demo, 7.6)[1]))
