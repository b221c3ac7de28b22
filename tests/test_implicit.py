"""Implicit-function hypergradients: exact, CG and Neumann, against closed forms, finite differences,
SciPy's CG and autograd through unrolled gradient steps."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from scipy.optimize import minimize
from scipy.sparse.linalg import LinearOperator, cg

from hpo_teach import backend
from hpo_teach.hypergrad import implicit, unrolled
from hpo_teach.models.mlp import MLP
from hpo_teach.problems.mlp_l2 import MLPTrainLoss
from hpo_teach.testing import central_difference, relative_error
from hpo_teach.training.diverged import TrainingDiverged

RNG = np.random.default_rng(0)
N, D, K = 40, 12, 3  # ridge: 40 examples, 12 features, 3 outputs -> 36 weights
X, Y = RNG.normal(size=(N, D)), RNG.normal(size=(N, K))
XV, YV = RNG.normal(size=(30, D)), RNG.normal(size=(30, K))
A = X.T @ X / N


def ridge_train(w, meta):
    W = anp.reshape(w, (D, K))
    return 0.5 * anp.sum((X @ W - Y) ** 2) / N + 0.5 * anp.exp(meta[0]) * anp.sum(w**2)


def ridge_valid(w, meta):
    return 0.5 * anp.sum((XV @ anp.reshape(w, (D, K)) - YV) ** 2) / len(YV)


def ridge_w_star(m):
    return np.linalg.solve(A + np.exp(m) * np.eye(D), X.T @ Y / N).ravel()


def ridge_closed_form(m):
    """d/dm L_V(w*(m)): dw*/dm = -e^m (A + e^m I)^-1 W*."""
    W = ridge_w_star(m).reshape(D, K)
    dW = -np.exp(m) * np.linalg.solve(A + np.exp(m) * np.eye(D), W)
    return np.sum(grad(ridge_valid)(W.ravel(), None).reshape(D, K) * dW)


M = -1.0
W_STAR, META = ridge_w_star(M), np.array([M])
L_MAX = np.linalg.eigvalsh(A)[-1] + np.exp(M)


@pytest.mark.parametrize("method", ["exact", "cg"])
def test_ridge_hypergradient_three_ways(method):
    result = implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, method=method)
    fd = central_difference(lambda h: ridge_valid(ridge_w_star(M + h), None), 1e-5)
    closed = ridge_closed_form(M)
    assert result.d_meta.shape == META.shape
    assert relative_error(result.d_meta[0], closed) < 1e-9
    assert relative_error(result.d_meta[0], fd) < 1e-7
    assert result.valid_loss == pytest.approx(ridge_valid(W_STAR, None), rel=1e-14)
    assert np.all(result.direct == 0) and result.residual < 1e-9 and result.grad_norm < 1e-12


def test_solved_vector_against_finite_difference_hvp():
    """v solves H v = grad L_V, with H v by a central difference of the training gradient (second order)."""
    result = implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, method="exact")
    g = grad(ridge_train)
    hv = central_difference(lambda h: g(W_STAR + h * result.v, META), 1e-4)
    assert relative_error(hv, result.d_w) < 1e-8


# a logistic regression with one log L2 per weight and a direct term in the validation loss
XL = RNG.normal(size=(60, 5))
YL = (XL @ RNG.normal(size=5) + 0.5 * RNG.normal(size=60) > 0).astype(float)
XLV = RNG.normal(size=(40, 5))
YLV = (XLV @ RNG.normal(size=5) > 0).astype(float)


def logistic_train(w, meta):
    z = XL @ w
    return anp.mean(anp.logaddexp(0.0, z) - YL * z) + anp.sum(anp.exp(meta) * w**2)


def logistic_valid(w, meta):
    z = XLV @ w
    return anp.mean(anp.logaddexp(0.0, z) - YLV * z) + 0.01 * anp.sum(meta**2)  # direct term on purpose


def logistic_fit(meta):
    f, g = logistic_train, grad(logistic_train)
    return minimize(lambda w: f(w, meta), np.zeros(5), jac=lambda w: g(w, meta), method="BFGS", tol=1e-13).x


META_L = np.log(np.array([0.01, 0.03, 0.1, 0.003, 0.02]))
W_L = logistic_fit(META_L)


@pytest.mark.parametrize("method", ["exact", "cg"])
def test_vector_meta_against_finite_differences(method):
    result = implicit.hypergrad(logistic_train, logistic_valid, W_L, META_L, method=method)
    assert result.d_meta.shape == META_L.shape
    assert relative_error(result.direct, 0.02 * META_L) < 1e-12
    for i in range(len(META_L)):
        e = np.eye(len(META_L))[i]
        fd = central_difference(lambda h: logistic_valid(logistic_fit(META_L + h * e), META_L + h * e), 1e-4)
        assert abs(result.d_meta[i] - fd) < 1e-6 * max(1.0, abs(fd)), (i, result.d_meta[i], fd)


def test_cg_matches_scipy():
    M_ = RNG.normal(size=(25, 25))
    H = M_ @ M_.T + 0.5 * np.eye(25)
    b = RNG.normal(size=25)
    ours, residuals = implicit.conjugate_gradient(lambda u: H @ u, b, tol=1e-12)
    theirs, info = cg(LinearOperator((25, 25), matvec=lambda u: H @ u), b, rtol=1e-12, atol=0.0, maxiter=500)
    assert info == 0 and relative_error(ours, theirs) < 1e-9 and relative_error(H @ ours, b) < 1e-11
    assert residuals[-1] <= 1e-12 and len(residuals) <= 100


def test_cg_iteration_cap_and_nonpositive_curvature():
    result = implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, method="cg", n_terms=2)
    assert result.n_hvps == 2 and not result.converged and result.residual > 1e-6
    with pytest.raises(ValueError, match="not positive definite"):
        implicit.conjugate_gradient(lambda u: -u, np.ones(3))


@pytest.mark.parametrize("n_terms", [1, 2, 7, 40])
def test_neumann_equals_unrolled_gradient_steps(n_terms):
    """K Neumann terms = autograd through K steps w <- w - alpha grad L_T from the stationary w (7+ digits)."""
    alpha = 1.0 / L_MAX
    result = implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, method="neumann", n_terms=n_terms, alpha=alpha)
    steps = unrolled.hypergrad(lambda w, m, t: ridge_train(w, m), ridge_valid, W_STAR, META,
                               np.full(n_terms, alpha), np.zeros(n_terms))
    assert relative_error(result.d_meta, steps.d_meta) < 1e-10
    assert result.n_hvps == n_terms - 1


def test_neumann_one_term_is_the_greedy_one_step_value():
    alpha = 0.7 / L_MAX
    g = grad(ridge_train, 0)
    greedy = grad(lambda m: ridge_valid(W_STAR - alpha * g(W_STAR, m), m))(META)
    result = implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, method="neumann", n_terms=1, alpha=alpha)
    assert relative_error(result.d_meta, greedy) < 1e-10


def test_neumann_converges_to_exact_at_the_predicted_rate():
    exact = implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, method="exact")
    mu_min = np.linalg.eigvalsh(A)[0] + np.exp(M)
    errors = []
    for n_terms in (10, 100, 400):
        r = implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, method="neumann", n_terms=n_terms,
                               alpha=1.0 / L_MAX)
        bound = (1 - mu_min / L_MAX) ** n_terms  # ||v - v_K|| <= (1 - alpha mu_min)^K ||v||
        assert relative_error(r.v, exact.v) <= bound * (1 + 1e-9) + 1e-13
        errors.append(relative_error(r.d_meta, exact.d_meta))
    assert errors[0] > errors[1] > errors[2] and errors[2] < 1e-6


def test_neumann_diverges_with_a_clear_message():
    with pytest.raises(TrainingDiverged, match="Neumann series diverged"):
        implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, method="neumann", n_terms=2000,
                           alpha=2.2 / L_MAX)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(method="newton"), ValueError, "method must be one of"),
    (dict(method="neumann", alpha=0.1), ValueError, "needs n_terms"),
    (dict(method="neumann", n_terms=3), ValueError, "needs alpha"),
    (dict(method="neumann", n_terms=0, alpha=0.1), ValueError, "n_terms must be an integer in"),
    (dict(method="neumann", n_terms=2.5, alpha=0.1), TypeError, "n_terms must be an integer"),
    (dict(method="neumann", n_terms=3, alpha=0.0), ValueError, "alpha must be > 0"),
    (dict(method="neumann", n_terms=3, alpha=-1.0), ValueError, "alpha must be > 0"),
    (dict(method="cg", tol=0.0), ValueError, "tol must be > 0"),
])
def test_bad_arguments_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        implicit.hypergrad(ridge_train, ridge_valid, W_STAR, META, **kwargs)


def test_bad_arrays_and_callables():
    with pytest.raises(ValueError, match="w must be a 1-D array"):
        implicit.hypergrad(ridge_train, ridge_valid, W_STAR.reshape(D, K), META)
    with pytest.raises(ValueError, match="meta must contain only finite"):
        implicit.hypergrad(ridge_train, ridge_valid, W_STAR, np.array([np.nan]))
    with pytest.raises(TypeError, match="valid_loss must be a callable"):
        implicit.hypergrad(ridge_train, 3.0, W_STAR, META)
    with pytest.raises(ValueError, match="use method='cg'"):
        implicit.hypergrad(ridge_train, ridge_valid, np.zeros(implicit.MAX_EXACT_SIZE + 1), META)


def test_zero_validation_gradient_gives_the_direct_term_only():
    result = implicit.hypergrad(ridge_train, lambda w, m: anp.sum(m**2), W_STAR, META, method="cg")
    assert result.n_hvps == 0 and np.allclose(result.d_meta, 2 * META) and np.all(result.implicit == 0)


# --- the solvers on array-api-strict's "device1" (a GPU stand-in), with the fast path's HVP ---------------------


@pytest.fixture(scope="module")
def mlp_at_a_minimum():
    """A small tanh MLP with per-layer L2, trained by full-batch gradient descent until H is positive definite."""
    rng = np.random.default_rng(1)
    net = MLP([4, 5, 3])
    X_, y_ = rng.normal(size=(50, 4)), rng.integers(0, 3, 50)
    XV_, yV_ = rng.normal(size=(30, 4)), rng.integers(0, 3, 30)
    loss, meta, w = MLPTrainLoss(net, X_, y_, 50, l2="layer"), np.log([0.1, 0.05]), net.init(0)
    for _ in range(2000):
        w = w - loss.grad(w, meta, 0)
    device_loss = MLPTrainLoss(net, backend.strict_asarray(X_), backend.strict_asarray(y_), 50, l2="layer")
    return net, loss, device_loss, w, meta, (XV_, yV_)


def fast_ift(loss, net, w, meta, valid_data, method):
    """The module docstring's recipe: v by a solver on the fast HVP, then d_meta = -B^T v by the fast mixed term."""
    d_w = net.loss_and_grad(w, *valid_data, check_input=False)[1]

    def hvp(u):
        return loss.grad_and_hvps(w, meta, 0, u)[1]

    if method == "neumann":
        v, residuals = implicit.neumann(hvp, d_w, 100, 1.0), None
    else:
        v, residuals = implicit.conjugate_gradient(hvp, d_w, tol=1e-12)
    return v, -loss.grad_and_hvps(w, meta, 0, v)[2], residuals


@pytest.mark.parametrize("method", ["neumann", "cg"])
def test_solvers_on_the_device_equal_numpy_and_the_autograd_route(mlp_at_a_minimum, method):
    net, loss, device_loss, w, meta, valid_data = mlp_at_a_minimum
    on = backend.strict_asarray
    settings = dict(n_terms=100, alpha=1.0) if method == "neumann" else dict(tol=1e-12)
    reference = implicit.hypergrad(lambda w_, m: loss(w_, m, 0), lambda w_, m: net.loss(w_, *valid_data), w, meta,
                                   method=method, **settings)
    v, d_meta, residuals = fast_ift(loss, net, w, meta, valid_data, method)
    v_d, d_meta_d, residuals_d = fast_ift(device_loss, net, on(w), on(meta), tuple(map(on, valid_data)), method)
    assert v_d.device == backend.strict_device() and d_meta_d.device == backend.strict_device()
    assert np.array_equal(backend.to_numpy(v_d), v) and np.array_equal(backend.to_numpy(d_meta_d), d_meta)
    assert relative_error(d_meta, reference.d_meta) < 1e-10 and relative_error(v, reference.v) < 1e-10
    if method == "cg":
        assert isinstance(residuals_d, np.ndarray) and np.array_equal(residuals_d, residuals)
        assert residuals[-1] <= 1e-12 and reference.converged


def test_solvers_on_the_device_raise_as_on_the_host():
    on = backend.strict_asarray
    with pytest.raises(TrainingDiverged, match="Neumann series diverged"):
        implicit.neumann(lambda u: 3.0 * u, on(np.ones(4)), 100, 1.0)
    with pytest.raises(ValueError, match="not positive definite"):
        implicit.conjugate_gradient(lambda u: -u, on(np.ones(3)))
    x, residuals = implicit.conjugate_gradient(lambda u: u, on(np.zeros(3)))
    assert x.device == backend.strict_device() and residuals.shape == (0,)


def test_hypergrad_refuses_device_arrays_naming_the_solvers():
    with pytest.raises(TypeError, match="autograd, which traces NumPy arrays only.*implicit.neumann"):
        implicit.hypergrad(ridge_train, ridge_valid, backend.strict_asarray(W_STAR), META)
