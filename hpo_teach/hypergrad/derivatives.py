"""The derivatives protocol: what hypergradient methods need from a training loss, and autograd's version.

A training loss ``train_loss(w, meta, t)`` provides derivatives by having two methods:

- ``grad(w, meta, t)`` -> g = dL/dw;
- ``grad_and_hvps(w, meta, t, u)`` -> ``(g, H u, (d2L/dmeta dw) u)``, where g is bit-identical to
  ``grad(w, meta, t)`` (exact reversal recomputes the forward's gradients and relies on it).

A loss may also have ``check(w, meta)``: the hypergradient methods call it once before the first
step (:func:`check_arguments`), so the per-step methods can run without checks.

The course's problems (:mod:`hpo_teach.problems`) implement it with hand-written backprop and
R-op HVPs; any other autograd-differentiable loss gets :class:`AutogradDerivatives`.
:func:`derivatives_of` picks one, so callers pass the loss alone.
"""

from autograd import grad
from autograd.differential_operators import grad_and_aux

PROTOCOL = ("grad", "grad_and_hvps")


class AutogradDerivatives:
    """Gradient and Hessian-vector products of ``train_loss(w, meta, t)`` by autograd.

    The general path of the protocol; the HVPs are reverse-over-reverse: the gradient of <dL/dw, u> with respect to w and meta.
    """

    def __init__(self, train_loss):
        self._grad = grad(train_loss)

        def inner_product_and_gradient(w, meta, t, u):
            g = self._grad(w, meta, t)
            return g @ u, g

        self._grad_and_hvps = grad_and_aux(inner_product_and_gradient, argnum=(0, 1))

    def grad(self, w, meta, t):
        return self._grad(w, meta, t)

    def grad_and_hvps(self, w, meta, t, u):
        (hvp_w, hvp_meta), g = self._grad_and_hvps(w, meta, t, u)
        return g, hvp_w, hvp_meta


def provides_derivatives(obj):
    """True if ``obj`` implements the protocol (callable ``grad`` and ``grad_and_hvps``)."""
    return all(callable(getattr(obj, name, None)) for name in PROTOCOL)


def derivatives_of(train_loss, derivatives=None):
    """The derivatives to use for ``train_loss``: ``derivatives`` if given, the loss's own, or autograd's."""
    if derivatives is not None:
        if not provides_derivatives(derivatives):
            raise TypeError(f"derivatives must have methods {' and '.join(PROTOCOL)}, got {type(derivatives).__name__}")
        return derivatives
    if not callable(train_loss):
        raise TypeError(f"train_loss must be a callable, got {type(train_loss).__name__}")
    return train_loss if provides_derivatives(train_loss) else AutogradDerivatives(train_loss)


def check_arguments(train_loss, w0, meta):
    """Let a loss that knows its shapes validate ``w0`` and ``meta`` once (its optional ``check`` method)."""
    check = getattr(train_loss, "check", None)
    if callable(check):
        check(w0, meta)
