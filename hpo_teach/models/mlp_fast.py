"""Hand-written MLP loss, gradient and Hessian-vector product for any array library.

The model and loss are those of :meth:`hpo_teach.models.mlp.MLP.loss` (tests check this against
autograd to 1e-10), written with array-API calls only (``xp = namespace_of(w, X)``), so
the same code runs on NumPy, on CuPy (GPU) and on array-api-strict. Why by hand: on
minibatches autograd's per-operation overhead dominates, and this is several times faster
(``tools/bench_fastmlp.py``); autograd also cannot trace CuPy arrays.

The HVP is Pearlmutter's R-operator: ``R{f} = d/dr f(w + r v)`` at r = 0, pushed through
the forward pass and then through the backward pass, for about the cost of two gradients.

Common arguments: ``mlp`` (an :class:`hpo_teach.models.mlp.MLP`: layout and activation); ``w``;
``X``; integer labels ``y``; ``l2``, ``l1`` (a number or one value per parameter);
``dropout_masks`` (one multiplier array of shape (rows, width) per hidden layer, or None)
and ``noise`` (an array added to ``X``, or None), e.g. from :meth:`MLP.random_draws`.

These are the per-minibatch kernels: they check nothing (checks cost a third of a small step
and force GPU syncs). The :class:`~hpo_teach.models.mlp.MLP` methods that call them validate
their arguments, unless the caller already did once (``check_input=False``, as ``fit`` does).
"""

import array_api_compat

from ..backend import namespace_of
from .activations import ACTIVATIONS


def _unflatten(mlp, w, xp):
    pieces = [xp.reshape(w[mlp.slice(name)], shape) for name, shape in mlp.blocks]
    return list(zip(pieces[0::2], pieces[1::2]))


def _flatten(params, xp):
    return xp.concat([xp.reshape(p, (-1,)) for pair in params for p in pair])


def _forward(mlp, w, X, dropout_masks, noise, xp):
    """Layers ``[(W, b)]``, the input of each layer, hidden outputs before dropout,
    their derivatives ``mask * f'(z)``, and the logits."""
    layers = _unflatten(mlp, w, xp)
    a = X if noise is None else X + noise
    inputs, hs, d1s = [a], [], []
    f = ACTIVATIONS[mlp.activation]
    for k, (W, b) in enumerate(layers[:-1]):
        z = a @ W + b
        h = f(z, xp)
        d1 = f.d1(z, h, xp)
        a = h
        if dropout_masks is not None:
            a, d1 = h * dropout_masks[k], d1 * dropout_masks[k]
        inputs.append(a)
        hs.append(h)
        d1s.append(d1)
    W, b = layers[-1]
    return layers, inputs, hs, d1s, a @ W + b


def cross_entropy(Z, y, xp):
    """Mean softmax cross-entropy of logits ``Z``, the softmax P and the one-hot labels Y.

    The hand-written twin of :func:`hpo_teach.models.mlp.softmax_cross_entropy` (the autograd
    reference it is tested against); backprop and the R-op reuse P and Y.
    """
    m = xp.max(Z, axis=1, keepdims=True)
    E = xp.exp(Z - m)
    S = xp.sum(E, axis=1, keepdims=True)
    classes = xp.arange(Z.shape[1], device=array_api_compat.device(Z))
    Y = xp.astype(xp.reshape(y, (-1, 1)) == classes, Z.dtype)
    ce = xp.mean(xp.log(S) + m - xp.sum(Z * Y, axis=1, keepdims=True))
    return ce, E / S, Y


def _penalty(w, l2, l1, xp):
    """``l2 * sum(w**2) + l1 * sum(|w|)`` and its gradient; a strength of exactly 0 costs nothing."""
    value, grad = 0.0, 0.0
    if not _is_zero(l2):
        l2w = l2 * w
        value, grad = l2w @ w, 2.0 * l2w
    if not _is_zero(l1):
        value, grad = value + xp.sum(l1 * xp.abs(w)), grad + l1 * xp.sign(w)
    return value, grad


def _is_zero(strength):
    return isinstance(strength, (int, float)) and strength == 0


def logits(mlp, w, X, dropout_masks=None, noise=None):
    """Class scores for the rows of ``X``."""
    xp = namespace_of(w, X)
    return _forward(mlp, w, X, dropout_masks, noise, xp)[-1]


def loss(mlp, w, X, y, l2=0.0, l1=0.0, dropout_masks=None, noise=None):
    """Mean cross-entropy + ``l2 * sum(w**2)`` + ``l1 * sum(|w|)``, as a 0-d array."""
    xp = namespace_of(w, X)
    Z = _forward(mlp, w, X, dropout_masks, noise, xp)[-1]
    return cross_entropy(Z, y, xp)[0] + _penalty(w, l2, l1, xp)[0]


def loss_and_grad(mlp, w, X, y, l2=0.0, l1=0.0, dropout_masks=None, noise=None):
    """``(loss, gradient in w)`` by backpropagation; the loss is a 0-d array on w's device."""
    xp = namespace_of(w, X)
    layers, inputs, _, d1s, Z = _forward(mlp, w, X, dropout_masks, noise, xp)
    ce, P, Y = cross_entropy(Z, y, xp)
    dz = (P - Y) / X.shape[0]                        # d loss / d logits
    grads = [None] * len(layers)
    for k in reversed(range(len(layers))):
        grads[k] = (inputs[k].T @ dz, xp.sum(dz, axis=0))
        if k > 0:
            dz = (dz @ layers[k][0].T) * d1s[k - 1]  # back through W_k, dropout and f
    penalty, penalty_grad = _penalty(w, l2, l1, xp)
    return ce + penalty, _flatten(grads, xp) + penalty_grad


def hvp(mlp, w, v, X, y, l2=0.0, dropout_masks=None, noise=None, dX=None):
    """Hessian-vector product ``H v`` of :func:`loss` in ``w`` (R-operator; L1 adds nothing).

    With ``dX`` (shaped like X) the inputs move too: the result is the derivative of the
    gradient along (v, dX). With ``v = 0`` and ``dX = eps`` (the noise draws) this is
    d(gradient)/d(sigma) for input noise ``sigma * eps``, the mixed term T1-T2 needs.
    """
    xp = namespace_of(w, X)
    layers, inputs, hs, d1s, Z = _forward(mlp, w, X, dropout_masks, noise, xp)
    directions = _unflatten(mlp, v, xp)
    n_layers = len(layers)

    # R-forward: r_inputs[k] = R{input of layer k} (None = zero), r_z[k] = R{pre-activation}.
    r_inputs, r_z = [dX], []
    for k, ((W, _), (V, c)) in enumerate(zip(layers, directions)):
        a, ra = inputs[k], r_inputs[k]
        rz = a @ V + c if ra is None else ra @ W + a @ V + c
        r_z.append(rz)
        if k < n_layers - 1:
            r_inputs.append(d1s[k] * rz)

    # Output: dz = (P - Y)/n, and R{P} = P * (R{Z} - sum(P * R{Z})) (softmax Jacobian).
    _, P, Y = cross_entropy(Z, y, xp)
    n = X.shape[0]
    dz = (P - Y) / n
    rdz = P * (r_z[-1] - xp.sum(P * r_z[-1], axis=1, keepdims=True)) / n

    # R-backward: differentiate each backward-pass line along v.
    out = [None] * n_layers
    for k in reversed(range(n_layers)):
        (W, _), (V, _) = layers[k], directions[k]
        a, ra = inputs[k], r_inputs[k]
        r_gW = a.T @ rdz if ra is None else ra.T @ dz + a.T @ rdz
        out[k] = (r_gW, xp.sum(rdz, axis=0))
        if k > 0:
            da = dz @ W.T
            r_da = rdz @ W.T + dz @ V.T
            dz, rdz = da * d1s[k - 1], r_da * d1s[k - 1]
            d2 = ACTIVATIONS[mlp.activation].d2(hs[k - 1], d1s[k - 1])
            if d2 is not None:
                rdz = rdz + da * d2 * r_z[k - 1]
    hv = _flatten(out, xp)
    return hv if _is_zero(l2) else hv + 2.0 * l2 * v
