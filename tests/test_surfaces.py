"""2-D test surfaces: values at known minima, autograd gradients against finite differences."""

import numpy as np
import pytest
from autograd.test_util import check_grads

from hpo_teach.training.surfaces import BEALE, ROSENBROCK, largest_curvature, quadratic


@pytest.mark.parametrize("surface", [quadratic((1, 10), 0.3), ROSENBROCK, BEALE], ids=lambda s: s.name)
def test_minimum_is_zero_with_zero_gradient(surface):
    assert surface(np.array(surface.minimum)) == pytest.approx(0.0, abs=1e-12)
    assert np.allclose(surface.grad(surface.minimum), 0.0, atol=1e-9)
    assert surface(np.array(surface.start)) > 0.1


@pytest.mark.parametrize("surface", [quadratic((0.5, 20), 1.0), ROSENBROCK, BEALE], ids=lambda s: s.name)
def test_gradients_match_finite_differences_to_second_order(surface):
    check_grads(surface.f, modes=["rev", "fwd"], order=2)(np.array([0.3, -0.7]))


@pytest.mark.parametrize("surface", [quadratic((0.5, 20), 1.0), ROSENBROCK, BEALE], ids=lambda s: s.name)
def test_hand_written_gradient_equals_autograd(surface):
    rng = np.random.default_rng(0)
    for point in rng.uniform(-2, 2, size=(20, 2)):
        assert np.allclose(surface.grad(point), surface.autograd_grad(point), rtol=1e-12, atol=1e-12)


def test_surface_evaluates_a_whole_path_at_once():
    path = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 2.0]])
    assert np.allclose(ROSENBROCK(path.T), [ROSENBROCK(p) for p in path])


def test_quadratic_hessian_and_curvature():
    surface = quadratic((2.0, 8.0), rotation=0.4)
    assert largest_curvature(surface) == pytest.approx(8.0)
    w = np.array([0.2, -1.1])
    assert np.allclose(surface.grad(w), surface.hessian @ w)
    with pytest.raises(ValueError, match="must be a quadratic"):
        largest_curvature(ROSENBROCK)
    with pytest.raises(ValueError, match=r"curvatures\[1\] must be > 0"):
        quadratic((1.0, -1.0))


def test_grid_evaluates_whole_window():
    x, y, z = ROSENBROCK.grid(50)
    assert x.shape == y.shape == z.shape == (50, 50)
    assert z[25, 25] == pytest.approx(ROSENBROCK(np.array([x[25, 25], y[25, 25]])))
    with pytest.raises(ValueError, match="w must have shape"):
        ROSENBROCK.grad([1.0, 2.0, 3.0])
