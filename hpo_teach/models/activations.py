"""Activation functions with their first and second derivatives: one table for every use.

The autograd reference MLP calls ``f``; the hand-written backprop and R-op need ``f'`` and
``f''`` and get them from the layer's output h = f(z) (cheaper than from z); the diagnostics of
notebook 05 read ``f'`` and the largest slope. Each formula is written once, with a namespace
``xp`` (autograd.numpy by default, or NumPy, CuPy, array-api-strict).
"""

from dataclasses import dataclass
from typing import Callable, Optional

import autograd.numpy as anp

from .._validate import require_choice


@dataclass(frozen=True)
class Activation:
    """``f(z)``, ``d1(z, h) = f'(z)`` with h = f(z), ``d2(h, d1) = f''(z)`` (None where f'' = 0).

    ``d2`` is written in terms of f' so that it also takes ``mask * f'(z)`` and returns
    ``mask * f''(z)`` (dropout). ``max_slope`` is the largest value of f'.
    """

    name: str
    formula: Callable
    first: Callable
    second: Optional[Callable]
    max_slope: float

    def __call__(self, z, xp=anp):
        return self.formula(xp, z)

    def d1(self, z, h, xp=anp):
        return self.first(xp, z, h)

    def d2(self, h, d1):
        return None if self.second is None else self.second(h, d1)


def _step(xp, z):
    """1.0 where z > 0, else 0.0 (ReLU's derivative; 0 at z = 0, as the fast path uses)."""
    return xp.astype(z > 0, z.dtype)


ACTIVATIONS = {
    # tanh: zero-centred, slope 1 at 0; f' = 1 - h^2, f'' = -2 h f'
    "tanh": Activation("tanh", lambda xp, z: xp.tanh(z), lambda xp, z, h: 1.0 - h * h,
                       lambda h, d1: -2.0 * h * d1, 1.0),
    # sigmoid 1 / (1 + e^-z), as 0.5 (tanh(z/2) + 1) so it never overflows; f' = h (1 - h), f'' = f' (1 - 2h)
    "sigmoid": Activation("sigmoid", lambda xp, z: 0.5 * (xp.tanh(0.5 * z) + 1.0), lambda xp, z, h: h * (1.0 - h),
                          lambda h, d1: d1 * (1.0 - 2.0 * h), 0.25),
    # ReLU max(z, 0): f' is a step, f'' = 0 wherever it exists
    "relu": Activation("relu", lambda xp, z: z * _step(xp, z), lambda xp, z, h: _step(xp, z), None, 1.0),
    # the identity: a network of linear layers is still one linear map
    "linear": Activation("linear", lambda xp, z: z, lambda xp, z, h: 1.0, None, 1.0),
}


def activation(name):
    """The :class:`Activation` called ``name`` (one of :data:`ACTIVATIONS`); call it on z for f(z)."""
    return ACTIVATIONS[require_choice("activation", name, tuple(ACTIVATIONS))]
