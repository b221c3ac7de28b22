# Notebook 14, exercise 1: the seed's gamma-gradient, with the fractional unit c = ceil(gamma) (counting from 1).
def my_gamma_grad(w, gamma):
    c = math.ceil(gamma)
    W1, b1, W2, b2 = net.unflatten(w)
    h = np.tanh(X @ W1 + b1)
    logits = (h * unit_mask(gamma, K)) @ W2 + b2
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)      # softmax
    p[np.arange(len(y)), y] -= 1.0          # d(cross-entropy)/d(logits) = p - onehot(y), per example
    return np.mean((p @ W2[c - 1]) * h[:, c - 1])   # the seed's dF/dy2 . y1_c W1_c


check_gamma_grad(my_gamma_grad, net, X, y)
