"""Two-dimensional loss surfaces for watching optimizers move (notebooks 04 and 06).

Each :class:`Surface` bundles a function of ``w = (x, y)``, its gradient written out by hand
(a slider that reruns 200 optimizer steps needs microseconds per gradient, not autograd's
milliseconds; the tests check it against autograd), a plotting window, a start point and the
known minimum. The function also accepts stacked points of shape (2, ...), so a contour grid or
a whole trajectory ``surface(path.T)`` is evaluated in one call.
"""

from dataclasses import dataclass

import numpy as np
from autograd import grad

from .._validate import require_finite_array, require_positive


@dataclass(frozen=True)
class Surface:
    """A 2-D test function with its gradient, window, start and minimum."""

    name: str
    f: object
    gradient: object
    xlim: tuple
    ylim: tuple
    start: tuple
    minimum: tuple
    log_contours: bool = False
    hessian: object = None

    def __call__(self, w):
        return self.f(w)

    def grad(self, w):
        """Gradient at a point ``w`` of shape (2,) (hand-written; equals autograd's)."""
        w = np.asarray(w, dtype=float)
        if w.shape != (2,):
            raise ValueError(f"w must have shape (2,), got {w.shape}")
        return self.gradient(w)

    def autograd_grad(self, w):
        """The same gradient by autograd: the reference the hand-written one is tested against."""
        return grad(self.f)(require_finite_array("w", np.asarray(w, dtype=float), shape=(2,)))

    def grid(self, n=200):
        """(X, Y, Z) on an n×n grid over the window, ready for ``contour``."""
        x, y = np.meshgrid(np.linspace(*self.xlim, n), np.linspace(*self.ylim, n))
        return x, y, self.f(np.stack([x, y]))


def quadratic(curvatures=(1.0, 10.0), rotation=0.0):
    """f(w) = ½ wᵀ A w with eigenvalues ``curvatures``, axes rotated by ``rotation`` radians.

    Gradient descent on it converges exactly when lr < 2 / max(curvatures) (= 2/L).
    """
    low, high = (require_positive(f"curvatures[{i}]", c) for i, c in enumerate(curvatures))
    c, s = np.cos(rotation), np.sin(rotation)
    rotate = np.array([[c, -s], [s, c]])
    hessian = rotate @ np.diag([low, high]) @ rotate.T

    def f(w):
        return 0.5 * (hessian[0, 0] * w[0] ** 2 + 2 * hessian[0, 1] * w[0] * w[1] + hessian[1, 1] * w[1] ** 2)

    return Surface(f"quadratic (curvatures {low:g}, {high:g})", f, lambda w: hessian @ w,
                   (-2.5, 2.5), (-2.5, 2.5), (-2.0, 1.5), (0.0, 0.0), hessian=hessian)


def _rosenbrock(w):
    return (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2


def _rosenbrock_gradient(w):
    x, y = w
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def _beale(w):
    x, y = w[0], w[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _beale_gradient(w):
    x, y = w
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    return np.array([2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1),
                     2 * a * x + 4 * b * x * y + 6 * c * x * y**2])


ROSENBROCK = Surface("Rosenbrock", _rosenbrock, _rosenbrock_gradient, (-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.5),
                     (1.0, 1.0), True)
BEALE = Surface("Beale", _beale, _beale_gradient, (-4.5, 4.5), (-4.5, 4.5), (-3.0, -3.0), (3.0, 0.5), True)


def largest_curvature(surface):
    """L = the largest Hessian eigenvalue of a :func:`quadratic` surface."""
    if surface.hessian is None:
        raise ValueError(f"surface must be a quadratic (it has a constant Hessian); got {surface.name}")
    return float(np.linalg.eigvalsh(surface.hessian)[-1])

