"""Tests for hpo_teach.hypergrad: reversible vs unrolled vs finite differences, naive drift."""

import autograd.numpy as anp
import numpy as np
import pytest

from hpo_teach.hypergrad import naive, reversible, unrolled
from hpo_teach.hypergrad.exact import ExactRangeError

from hpo_teach.testing import HYPERGRAD_FIELDS as FIELDS
from hpo_teach.testing import central_difference, relative_error


# --- a tiny tanh MLP (5-6-3) with per-parameter log L2, minibatches seeded by the step -----

rng = np.random.default_rng(0)
X = rng.normal(size=(300, 5))
Y = np.eye(3)[rng.integers(0, 3, 300)]
SHAPES = [(5, 6), (6,), (6, 3), (3,)]
N_PARAMS = sum(int(np.prod(s)) for s in SHAPES)
T = 60
BATCHES = [np.random.default_rng(t).choice(200, 50, replace=False) for t in range(T)]


def nll(w, X, Y):
    parts, start = [], 0
    for shape in SHAPES:
        size = int(np.prod(shape))
        parts.append(anp.reshape(w[start:start + size], shape))
        start += size
    W1, b1, W2, b2 = parts
    z = anp.tanh(X @ W1 + b1) @ W2 + b2
    z = z - anp.max(z, axis=1, keepdims=True)
    return -anp.mean(anp.sum(Y * (z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))), axis=1))


def train_loss(w, meta, t):
    batch = BATCHES[t]
    return nll(w, X[batch], Y[batch]) + anp.sum(anp.exp(meta) * w**2)


def valid_loss(w, meta):
    return nll(w, X[200:], Y[200:])


W0 = rng.normal(size=N_PARAMS) * 0.3
META = np.full(N_PARAMS, np.log(1e-3)) + rng.normal(size=N_PARAMS) * 0.1
ALPHAS = 0.5 + 0.1 * np.sin(np.arange(T))
BETAS = np.concatenate([np.full(10, 0.9), np.full(40, 0.5), np.full(10, 0.875)])
PROBLEM = dict(w0=W0, meta=META, alphas=ALPHAS, betas=BETAS)


@pytest.fixture(scope="module")
def results():
    exact = reversible.hypergrad(train_loss, valid_loss, **PROBLEM)
    reference = unrolled.hypergrad(train_loss, valid_loss, W0, META, ALPHAS, exact.betas_applied)
    return exact, reference


def test_betas_applied_exactly_or_rounded_to_nearest(results):
    exact, _ = results
    assert exact.betas_applied[0] == 58982 / 65536  # 0.9 rounded to the nearest n/2**16
    assert np.all(exact.betas_applied[10:50] == 0.5) and np.all(exact.betas_applied[50:] == 0.875)


def test_reversal_recovers_w0_bit_for_bit(results):
    assert results[0].w0_recovered_exactly is True


@pytest.mark.parametrize("field", FIELDS)
def test_reversible_matches_unrolled(results, field):
    exact, reference = results
    assert getattr(exact, field).shape == getattr(reference, field).shape
    assert relative_error(getattr(exact, field), getattr(reference, field)) <= 1e-6
    assert exact.valid_loss == pytest.approx(reference.valid_loss, rel=1e-9)


def test_hypergradients_are_not_trivial(results):
    exact, _ = results
    for field in FIELDS[:4]:
        assert np.all(np.isfinite(getattr(exact, field)))
        assert np.linalg.norm(getattr(exact, field)) > 1e-6


def exact_loss(name, index, step):
    """valid loss after the exact forward with one input coordinate moved by ``step``."""
    args = {k: v.copy() for k, v in PROBLEM.items()}
    args[name][index] += step
    return valid_loss(reversible.train_exact(train_loss, **args), args["meta"])


@pytest.mark.parametrize(
    "name, field, index, step",
    [
        ("w0", "d_w0", 3, 1e-3),
        ("meta", "d_meta", 40, 1e-3),
        ("alphas", "d_alphas", 55, 1e-3),
        ("betas", "d_betas", 30, 2**-10),  # a multiple of 2**-16, so beta +- step is exact
        ("betas", "d_betas", 5, 2**-10),
    ],
)
def test_reversible_matches_finite_differences_of_exact_forward(results, name, field, index, step):
    """Central differences through the same exact forward pass.

    The fixed point keeps 2**-52 absolute, coarser than float64 for |x| < 1, so this forward
    is a fine staircase; steps of 1e-3 stay well above it (tolerance 1e-3 as in HIPS/hypergrad).
    """
    fd = central_difference(lambda s: exact_loss(name, index, s), step)
    assert getattr(results[0], field)[index] == pytest.approx(fd, rel=1e-3)


@pytest.mark.parametrize("name, field, index", [("meta", "d_meta", 5), ("alphas", "d_alphas", 10)])
def test_unrolled_matches_finite_differences_of_float_forward(results, name, field, index):
    _, reference = results
    step = 1e-4
    args = {k: v.copy() for k, v in PROBLEM.items()}
    args["betas"] = results[0].betas_applied.copy()

    def moved_loss(displacement):
        moved = {k: v.copy() for k, v in args.items()}
        moved[name][index] += displacement
        w_final, _ = unrolled.train(train_loss, **moved)
        return valid_loss(w_final, moved["meta"])

    fd = central_difference(moved_loss, step)
    assert getattr(reference, field)[index] == pytest.approx(fd, rel=1e-6)


def test_bits_stored_match_log2_one_over_beta(results):
    exact, _ = results
    expected = np.mean(np.log2(1 / exact.betas_applied))
    assert exact.bits_expected_per_weight_per_step == pytest.approx(expected)
    assert exact.bits_per_weight_per_step == pytest.approx(expected, rel=0.05)
    assert exact.bits_stored == pytest.approx(exact.bits_per_weight_per_step * N_PARAMS * T)
    trajectory_bits = 2 * 64 * N_PARAMS * T  # float64 w and v at every step
    assert exact.bits_stored < trajectory_bits / 100
    assert exact.buffer_bytes >= exact.bits_stored / 8


def test_nondeterministic_gradients_break_exact_reversal():
    """The flag can fail: a loss whose noise is not seeded by the step is not reversible."""
    noise = np.random.default_rng(7)

    def noisy_train_loss(w, meta, t):
        return train_loss(w, meta, t) + anp.sum(w) * noise.normal() * 1e-3

    result = reversible.hypergrad(noisy_train_loss, valid_loss, W0, META, ALPHAS[:10], BETAS[:10])
    assert result.w0_recovered_exactly is False


# --- per-parameter step sizes: alphas of shape (T, d), e.g. per-layer schedules --------------

LAYER_OF_PARAM = np.repeat([0, 0, 1, 1], [int(np.prod(s)) for s in SHAPES])  # as MLP.layer_of_param
ALPHAS_LAYER = np.stack([0.6 + 0.2 * np.cos(np.arange(T) / 9), 0.3 + 0.1 * np.sin(np.arange(T) / 7)], axis=1)
ALPHAS_PARAM = ALPHAS_LAYER[:, LAYER_OF_PARAM]  # (T, d)


def per_layer(d_alphas):
    """(T, d) hypergradients -> (T, n_layers): the chain rule sums each layer's columns."""
    return np.stack([d_alphas[:, LAYER_OF_PARAM == k].sum(axis=1) for k in range(2)], axis=1)


@pytest.fixture(scope="module")
def per_param_results():
    exact = reversible.hypergrad(train_loss, valid_loss, W0, META, ALPHAS_PARAM, BETAS)
    reference = unrolled.hypergrad(train_loss, valid_loss, W0, META, ALPHAS_PARAM, exact.betas_applied)
    return exact, reference


@pytest.mark.parametrize("field", FIELDS)
def test_per_parameter_alphas_reversible_matches_unrolled(per_param_results, field):
    exact, reference = per_param_results
    assert exact.w0_recovered_exactly
    assert exact.d_alphas.shape == reference.d_alphas.shape == (T, N_PARAMS)
    assert relative_error(getattr(exact, field), getattr(reference, field)) <= 1e-6


def test_per_parameter_alphas_with_equal_columns_reduce_to_the_contract(results):
    """alphas (T, d) with every column equal to the (T,) schedule is the same training run."""
    exact, _ = results
    wide = reversible.hypergrad(train_loss, valid_loss, W0, META, np.repeat(ALPHAS[:, None], N_PARAMS, 1), BETAS)
    assert wide.w0_recovered_exactly
    assert np.array_equal(wide.w_final, exact.w_final)  # alpha * v is the same float either way
    assert relative_error(wide.d_alphas.sum(axis=1), exact.d_alphas) <= 1e-12
    for field in ("d_w0", "d_meta", "d_betas"):
        assert relative_error(getattr(wide, field), getattr(exact, field)) <= 1e-12


@pytest.mark.parametrize("t, layer", [(3, 0), (40, 1)])
def test_per_layer_hypergradient_matches_finite_differences(per_param_results, t, layer):
    """Move layer ``layer``'s learning rate at step t; sum the per-parameter hypergradients."""
    step = 1e-3

    def moved_loss(displacement):
        alphas = ALPHAS_LAYER.copy()
        alphas[t, layer] += displacement
        return valid_loss(reversible.train_exact(train_loss, W0, META, alphas[:, LAYER_OF_PARAM], BETAS), META)

    fd = central_difference(moved_loss, step)
    assert per_layer(per_param_results[0].d_alphas)[t, layer] == pytest.approx(fd, rel=1e-3)


@pytest.mark.parametrize(
    "alphas, message",
    [
        (np.full((3, 5), 0.1), r"alphas must be a 1-D array \(T,\) or a 2-D array \(T, d\) with d = len\(w0\) = 4, "
                               r"got shape \(3, 5\)"),
        (np.full((3, 4, 1), 0.1), r"alphas must be a 1-D array \(T,\) or a 2-D array"),
        (np.full((4, 4), 0.1), r"same length T.*got 4 and 3"),
        (np.array([[0.1] * 4, [0.1, 0.1, -0.3, 0.1], [0.1] * 4]), r"alphas\[1, 2\] must be >= 0, got -0.3"),
        (np.array([[0.1] * 4, [0.1, np.inf, 0.1, 0.1], [0.1] * 4]), r"alphas must contain only finite"),
    ],
)
def test_bad_per_parameter_alphas_raise_naming_the_shape(alphas, message):
    for method in (reversible, unrolled):
        with pytest.raises(ValueError, match=message):
            method.hypergrad(quadratic_train_loss, quadratic_valid_loss, np.zeros(4), np.zeros(2), alphas,
                             np.full(3, 0.5))


# --- a quadratic with hand-written derivatives: the pluggable provider -----------------------

CURVATURES = np.random.default_rng(1).uniform(0.5, 2.0, size=(12, 4))
CENTRES = np.random.default_rng(2).normal(size=(12, 4))


def quadratic_train_loss(w, meta, t):
    return 0.5 * anp.sum(CURVATURES[t] * (w - CENTRES[t]) ** 2) + anp.exp(meta[0]) * anp.sum(w**2)


def quadratic_valid_loss(w, meta):  # depends on meta too, to exercise d valid / d meta
    return anp.exp(meta[1]) * anp.sum((w - 1.0) ** 2)


class HandWrittenQuadratic:
    """The provider protocol, written by hand as the MLP fast path will be."""

    def __init__(self):
        self.calls = {"grad": 0, "grad_and_hvps": 0}

    def grad(self, w, meta, t):
        self.calls["grad"] += 1
        return CURVATURES[t] * (w - CENTRES[t]) + 2 * np.exp(meta[0]) * w

    def grad_and_hvps(self, w, meta, t, u):
        self.calls["grad_and_hvps"] += 1
        g = CURVATURES[t] * (w - CENTRES[t]) + 2 * np.exp(meta[0]) * w
        return g, CURVATURES[t] * u + 2 * np.exp(meta[0]) * u, np.array([2 * np.exp(meta[0]) * (w @ u), 0.0])


def test_pluggable_derivatives_match_autograd_reference():
    w0, meta = np.array([0.3, -0.2, 1.5, 0.0]), np.array([np.log(0.05), 0.2])
    alphas, betas = np.full(12, 0.3), np.full(12, 0.875)
    provider = HandWrittenQuadratic()
    exact = reversible.hypergrad(quadratic_train_loss, quadratic_valid_loss, w0, meta, alphas, betas,
                                 derivatives=provider)
    reference = unrolled.hypergrad(quadratic_train_loss, quadratic_valid_loss, w0, meta, alphas, betas)
    assert provider.calls == {"grad": 12, "grad_and_hvps": 12}
    assert exact.w0_recovered_exactly
    assert exact.d_meta[1] == pytest.approx(exact.valid_loss)  # d/dm exp(m) * S = exp(m) * S
    for field in FIELDS:
        assert relative_error(getattr(exact, field), getattr(reference, field)) <= 1e-9


def test_unrolled_tape_memory_grows_linearly_in_T():
    w0, meta = np.zeros(2000), np.array([0.0])

    def train(w, meta, t):
        return 0.5 * anp.sum((w - t) ** 2) * (1 + 0.1 * anp.tanh(meta[0]))

    def valid(w, meta):
        return anp.sum(w**2)

    peaks = [unrolled.measure_peak_bytes(unrolled.hypergrad, train, valid, w0, meta,
                                         np.full(n, 0.1), np.full(n, 0.5))[1] for n in (10, 20, 40)]
    assert peaks[0] > 10 * 2000 * 8  # at least one float64 vector per step kept
    assert 1.6 < peaks[1] / peaks[0] < 2.4 and 1.6 < peaks[2] / peaks[1] < 2.4


# --- naive float reversal drifts --------------------------------------------------------

LOGISTIC_X = np.random.default_rng(3).normal(size=(100, 5))
LOGISTIC_Y = np.sign(LOGISTIC_X @ np.arange(1.0, 6.0) + np.random.default_rng(4).normal(size=100))


def logistic_loss(w, meta, t):
    return anp.mean(anp.logaddexp(0.0, -LOGISTIC_Y * (LOGISTIC_X @ w))) + anp.exp(meta[0]) * anp.sum(w**2)


def test_naive_reversal_error_grows_with_T():
    w0, meta = np.full(5, 0.1), np.array([np.log(1e-3)])
    errors = [naive.naive_reverse(logistic_loss, w0, meta, np.full(n, 0.5), np.full(n, 0.9)).error
              for n in (10, 100, 500)]
    assert errors[0] < 1e-12
    assert errors[0] < errors[1] < errors[2]
    assert errors[2] > 1.0  # meaningless after 500 steps (1000 steps: about 1e28, or inf)


def test_naive_forward_equals_float_training():
    w0, meta = np.full(5, 0.1), np.array([np.log(1e-3)])
    run = naive.naive_reverse(logistic_loss, w0, meta, np.full(20, 0.5), np.full(20, 0.9))
    w_final, _ = unrolled.train(logistic_loss, w0, meta, np.full(20, 0.5), np.full(20, 0.9))
    assert np.array_equal(run.w_final, w_final)
    assert run.error == float(np.max(np.abs(run.w0_recovered - w0)))


# --- errors -----------------------------------------------------------------------------


def test_divergence_raises_with_step_and_advice():
    w0, meta = np.full(5, 0.1), np.array([0.0])

    def exploding(w, meta, t):
        return -anp.sum(w**2)  # gradient ascent on |w|^2: every step doubles w

    with pytest.raises(ExactRangeError, match=r"at step \d+: .*2\*\*11.*lower alphas"):
        reversible.hypergrad(exploding, exploding, w0, meta, np.full(50, 1.0), np.full(50, 0.5))


def call(**changes):
    args = dict(train_loss=quadratic_train_loss, valid_loss=quadratic_valid_loss, w0=np.zeros(4),
                meta=np.zeros(2), alphas=np.full(3, 0.1), betas=np.full(3, 0.5))
    args.update(changes)
    return reversible.hypergrad(**args)


@pytest.mark.parametrize(
    "changes, error, message",
    [
        (dict(alphas=[0.1, -0.2, 0.1]), ValueError, r"alphas\[1\] must be >= 0, got -0.2"),
        (dict(betas=[0.5, 1.0, 0.5]), ValueError, r"betas\[1\] must be in \(0, 1\), got 1"),
        (dict(betas=[0.0, 0.5, 0.5]), ValueError, r"betas\[0\] must be in \(0, 1\), got 0"),
        (dict(betas=[0.5, 0.5, 1 - 1e-6]), ValueError, r"betas\[2\]=.* rounds to 65536/65536"),
        (dict(betas=np.full(4, 0.5)), ValueError, r"same length T.*got 3 and 4"),
        (dict(alphas=[], betas=[]), ValueError, r"alphas must not be empty"),
        (dict(alphas=[[0.1]], betas=[[0.5]]), ValueError, r"alphas must be a 1-D array"),
        (dict(alphas=[0.1, np.nan, 0.1]), ValueError, r"alphas must contain only finite"),
        (dict(alphas="fast"), TypeError, r"alphas must be an array of real numbers"),
        (dict(w0=np.zeros((2, 2))), ValueError, r"w0 must be a 1-D array"),
        (dict(w0=np.array([0.0, np.inf, 0, 0])), ValueError, r"w0 must contain only finite"),
        (dict(w0=np.full(4, 3000.0)), ExactRangeError, r"w0 must be finite with \|x\| < 2\*\*11"),
        (dict(meta=np.zeros((1, 2))), ValueError, r"meta must be a 1-D array"),
        (dict(meta=np.array([np.nan, 0.0])), ValueError, r"meta must contain only finite"),
        (dict(train_loss=None), TypeError, r"train_loss must be a callable"),
        (dict(valid_loss="loss"), TypeError, r"valid_loss must be a callable"),
    ],
)
def test_bad_inputs_raise_naming_the_argument(changes, error, message):
    with pytest.raises(error, match=message):
        call(**changes)


def test_unrolled_allows_plain_sgd_but_not_negative_beta():
    w0, meta = np.array([0.3, -0.2, 1.5, 0.0]), np.array([0.0, 0.0])
    result = unrolled.hypergrad(quadratic_train_loss, quadratic_valid_loss, w0, meta,
                                np.full(3, 0.1), np.zeros(3))
    assert np.all(np.isfinite(result.d_betas))
    with pytest.raises(ValueError, match=r"betas\[0\] must be in \[0, 1\), got -0.1"):
        unrolled.hypergrad(quadratic_train_loss, quadratic_valid_loss, w0, meta,
                           np.full(3, 0.1), np.full(3, -0.1))


def test_empty_meta_is_allowed_for_tuning_only_alphas_and_betas():
    w0 = np.array([0.3, -0.2, 1.5, 0.0])
    args = (lambda w, meta, t: quadratic_train_loss(w, np.zeros(2), t),
            lambda w, meta: quadratic_valid_loss(w, np.zeros(2)), w0, np.zeros(0),
            np.full(5, 0.3), np.full(5, 0.5))
    exact, reference = reversible.hypergrad(*args), unrolled.hypergrad(*args)
    assert exact.d_meta.shape == (0,) and exact.w0_recovered_exactly
    assert relative_error(exact.d_alphas, reference.d_alphas) <= 1e-9


def test_one_exact_step_is_the_float_momentum_rule_to_the_fixed_point_resolution():
    """The exact forward step is optim.momentum_update in fixed point.

    Multiplying by beta = n/d keeps floor(x/d) * n plus a digit < n popped from the buffer, so v
    may differ from the float rule by up to n units of the resolution 2**-52 (Maclaurin et al.'s
    scheme); w then differs by alpha times that.
    """
    from hpo_teach.hypergrad.exact import ExactArray, beta_fraction
    from hpo_teach.training.optim import momentum_update

    rng = np.random.default_rng(7)
    w0, v0, g = rng.normal(size=200), rng.normal(size=200), rng.normal(size=200)
    for alpha, beta in [(0.3, 0.9), (1.7, 0.5), (0.05, 0.875)]:
        ratio = beta_fraction(beta)
        w, v = ExactArray(w0), ExactArray(v0)
        v.mul(ratio).sub((1.0 - float(ratio)) * g)
        w.add(alpha * v.value)
        w_rule, v_rule = momentum_update(w0, v0, g, alpha, float(ratio))
        v_tolerance = (ratio.numerator + 4) * 2.0**-52
        assert np.max(np.abs(v.value - v_rule)) <= v_tolerance
        assert np.max(np.abs(w.value - w_rule)) <= alpha * v_tolerance + 4 * 2.0**-52


class QuadraticWithDerivatives(HandWrittenQuadratic):
    """A training loss that implements the derivatives protocol itself."""

    def __call__(self, w, meta, t):
        return quadratic_train_loss(w, meta, t)


def test_a_loss_with_its_own_derivatives_is_detected_without_being_passed_twice():
    from hpo_teach.hypergrad.derivatives import AutogradDerivatives, derivatives_of

    loss = QuadraticWithDerivatives()
    assert derivatives_of(loss) is loss
    assert isinstance(derivatives_of(quadratic_train_loss), AutogradDerivatives)
    w0, meta = np.array([0.3, -0.2, 1.5, 0.0]), np.array([np.log(0.05), 0.2])
    exact = reversible.hypergrad(loss, quadratic_valid_loss, w0, meta, np.full(12, 0.3), np.full(12, 0.875))
    assert loss.calls == {"grad": 12, "grad_and_hvps": 12} and exact.w0_recovered_exactly


def test_derivatives_that_miss_the_protocol_are_refused_by_name():
    from hpo_teach.hypergrad.derivatives import derivatives_of

    with pytest.raises(TypeError, match="derivatives must have methods grad and grad_and_hvps"):
        derivatives_of(quadratic_train_loss, derivatives=object())


def test_exact_training_primitive_lets_autograd_differentiate_a_parameterization():
    """Per-layer log learning rates and sigmoid-mapped momenta, differentiated by autograd through
    the exact reverse pass, equal the hand-applied chain rule and central differences."""
    from autograd import grad

    train = reversible.ExactTraining(train_loss)
    n_layers = 2

    def hyper_loss(theta):
        log_alphas, logit_betas = theta[:T * n_layers], theta[T * n_layers:]
        alphas = anp.reshape(anp.exp(log_alphas), (T, n_layers))
        betas = 1 / (1 + anp.exp(-logit_betas))
        return valid_loss(train(W0, META, alphas[:, LAYER_OF_PARAM], betas), META)

    theta = np.concatenate([np.log(ALPHAS_LAYER).ravel(), np.full(T, np.log(7.0))])  # beta = 7/8, exact
    d_theta = grad(hyper_loss)(theta)
    assert train.last_run.recovered
    # the chain rule by hand, from the contract's per-parameter result
    result = reversible.hypergrad(train_loss, valid_loss, W0, META, ALPHAS_PARAM, np.full(T, 0.875))
    by_hand_alphas = per_layer(result.d_alphas) * ALPHAS_LAYER
    by_hand_betas = result.d_betas * 0.875 * 0.125
    assert relative_error(d_theta[:T * n_layers], by_hand_alphas.ravel()) <= 1e-12
    assert relative_error(d_theta[T * n_layers:], by_hand_betas) <= 1e-12
    # and one component against central differences through the exact forward
    index = 2 * 17 + 1  # log alpha of layer 2 at step 17
    fd = central_difference(lambda s: hyper_loss(theta + s * np.eye(theta.size)[index]), 1e-4)
    assert d_theta[index] == pytest.approx(fd, rel=1e-4)


def test_exact_training_reverses_each_forward_once():
    from autograd import make_vjp

    train = reversible.ExactTraining(train_loss)
    vjp, w_final = make_vjp(lambda w0: train(w0, META, ALPHAS, BETAS))(W0)
    vjp(np.ones_like(w_final))
    assert train.last_run.recovered
    with pytest.raises(RuntimeError, match="already reversed"):
        vjp(np.ones_like(w_final))
