"""Tests for hpo_teach.hypergrad.exact: fixed point, rational momenta, the information buffer."""

import math
from fractions import Fraction

import array_api_strict as xps
from array_api_compat import numpy as np_xp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from hpo_teach.backend import strict_asarray, strict_device, to_numpy
from hpo_teach.hypergrad.exact import (
    RADIX,
    ExactArray,
    ExactRangeError,
    InfoBuffer,
    beta_fraction,
    representable_beta,
    to_fixed,
    to_float,
)


def numpy_buffer(size):
    return InfoBuffer(size, np_xp)


# --- momenta as n / 2**16 ---------------------------------------------------------------


@pytest.mark.parametrize("beta", [0.875, 0.5, 230 / 256, 0.25, 1 - 2**-16, 2**-16])
def test_representable_beta_is_applied_unchanged(beta):
    ratio = beta_fraction(beta)
    assert ratio.denominator <= 2**16 and 2**16 % ratio.denominator == 0
    assert ratio * 2**16 == beta * 2**16  # the applied n/2**16 is beta itself, not nudged
    assert representable_beta(beta) == beta


def test_fractions_are_reduced():
    assert beta_fraction(0.875) == Fraction(7, 8) and beta_fraction(0.875).denominator == 8
    assert beta_fraction(0.5).denominator == 2
    assert beta_fraction(230 / 256) == Fraction(115, 128)


@pytest.mark.parametrize("beta", [0.9, 0.95, 0.99, 1 / 3, 0.123456789])
def test_other_betas_round_to_nearest_multiple_of_2_to_minus_16(beta):
    applied = representable_beta(beta)
    assert abs(applied - beta) <= 2**-17
    assert applied * 2**16 == round(beta * 2**16)
    neighbours = [applied - 2**-16, applied + 2**-16]
    assert all(abs(n - beta) >= abs(applied - beta) for n in neighbours)


def test_beta_09_is_rounded_down_not_nudged_up():
    assert beta_fraction(0.9) == Fraction(58982, 65536)
    assert representable_beta(0.9) < 0.9


@pytest.mark.parametrize("beta", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_beta_outside_open_interval_raises_naming_it(beta):
    with pytest.raises(ValueError, match=r"beta must be"):
        beta_fraction(beta)


@pytest.mark.parametrize("beta", [1 - 2**-18, 2**-18])
def test_beta_rounding_to_0_or_1_raises(beta):
    with pytest.raises(ValueError, match=r"momentum in \[2\*\*-16, 1 - 2\*\*-16\]"):
        beta_fraction(beta)


# --- fixed point ----------------------------------------------------------------------


def test_to_fixed_is_exact_for_values_with_few_fraction_bits():
    x = np.array([1.0, -3.25, 2047.5, 0.1 + 1.0, -1.0 - 2**-52])
    assert np.array_equal(to_float(to_fixed(x)), x)
    assert to_fixed(np.array([2.0**-52]))[0] == 1


def test_to_fixed_truncates_below_the_radix():
    assert to_fixed(np.array([0.6 * 2**-52, -0.6 * 2**-52])).tolist() == [0, 0]


@pytest.mark.parametrize("bad", [2048.0, -3000.0, float("nan"), float("inf")])
def test_overflow_error_names_the_range(bad):
    with pytest.raises(ExactRangeError, match=r"\|x\| < 2\*\*11 = 2048") as info:
        to_fixed(np.array([0.5, bad]), "w0")
    assert "w0" in str(info.value)
    assert isinstance(info.value, OverflowError)


def test_sum_leaving_range_raises_instead_of_wrapping():
    x = ExactArray(np.array([2000.0, -5.0]))
    with pytest.raises(ExactRangeError, match="2048"):
        x.add(np.array([100.0, 0.0]))
    with pytest.raises(ExactRangeError, match="2048"):
        ExactArray(np.array([-2000.0])).sub(np.array([100.0]))


def test_division_leaving_range_raises():
    with pytest.raises(ExactRangeError, match="fixed-point range"):
        ExactArray(np.array([1500.0])).div(Fraction(1, 2))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([1e-6, 1e-2, 1.0, 100.0]))
def test_add_then_sub_restores_bit_for_bit(seed, scale):
    rng = np.random.default_rng(seed)
    x = ExactArray(rng.normal(size=50))
    start = x.fixed.copy()
    steps = [rng.normal(size=50) * scale for _ in range(5)]
    for a in steps:
        x.add(a)
    for a in reversed(steps):
        x.sub(a)
    assert np.array_equal(x.fixed, start)


ratios = st.builds(Fraction, st.integers(1, 2**16), st.integers(1, 2**16))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sequence=st.lists(ratios, min_size=1, max_size=30))
def test_mul_then_div_restores_bit_for_bit_including_negatives(seed, sequence):
    rng = np.random.default_rng(seed)
    x0 = rng.normal(size=40) * rng.choice([1e-9, 1e-3, 1.0], size=40)
    x0[:4] = [0.0, -0.0, -1.0, 2.0**-52 * -3]
    x = ExactArray(x0)
    start = x.fixed.copy()
    sequence = [r for r in sequence if r <= 1]  # stay inside the range
    for r in sequence:
        x.mul(r)
    for r in reversed(sequence):
        x.div(r)
    assert np.array_equal(x.fixed, start)
    assert x.buffer.is_empty()


def test_mul_really_multiplies():
    x0 = np.array([1.0, -1.0, 3.7, -1e-3, 0.0])
    x = ExactArray(x0).mul(Fraction(7, 8))
    for before, after in zip(to_fixed(x0).tolist(), x.fixed.tolist()):
        assert 0 <= after - (before // 8) * 7 < 7  # (x // 8) * 7 + a popped digit < 7
    assert np.allclose(x.value, 0.875 * x0, rtol=0, atol=8 / RADIX)


def test_momentum_steps_round_trip_like_sgd():
    """The forward/backward pattern of reversible SGD, with a gradient that depends on x."""
    rng = np.random.default_rng(1)
    w, v = ExactArray(rng.normal(size=100)), ExactArray(np.zeros(100))
    start = w.fixed.copy()
    beta = beta_fraction(0.9)
    for t in range(60):
        v.mul(beta).sub(0.1 * np.sin(w.value + t))
        w.add(0.3 * v.value)
    for t in reversed(range(60)):
        w.sub(0.3 * v.value)
        v.add(0.1 * np.sin(w.value + t)).div(beta)
    assert np.array_equal(w.fixed, start) and not np.any(v.fixed) and v.buffer.is_empty()


# --- the information buffer -------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    bases=st.lists(st.integers(1, 2**31), min_size=1, max_size=40),
)
def test_push_pop_is_lifo_and_matches_python_integers(seed, bases):
    rng = np.random.default_rng(seed)
    size = 7
    buffer = numpy_buffer(size)
    pushed, reference = [], [0] * size
    for base in bases:
        digits = rng.integers(0, base, size=size)
        buffer.push(digits, base)
        pushed.append(digits)
        reference = [s * base + int(r) for s, r in zip(reference, digits)]
    assert buffer.bits() == sum(s.bit_length() for s in reference)
    assert all(s < buffer.bound for s in reference)
    for base, digits in zip(reversed(bases), reversed(pushed)):
        assert np.array_equal(buffer.pop(base), digits)
    assert buffer.is_empty()


def test_large_counts_of_pushes_grow_the_store():
    rng = np.random.default_rng(2)
    buffer = numpy_buffer(30)
    pushed = [rng.integers(0, 2**31, size=30) for _ in range(300)]  # 9300 bits per weight
    for digits in pushed:
        buffer.push(digits, 2**31)
    assert buffer.rows_in_use == math.ceil(300 * 31 / 32)
    assert buffer.nbytes >= 8 * 30 * buffer.rows_in_use
    for digits in reversed(pushed):
        assert np.array_equal(buffer.pop(2**31), digits)
    assert buffer.is_empty()


def test_pop_from_empty_buffer_gives_zeros():
    buffer = numpy_buffer(3)
    assert buffer.pop(7).tolist() == [0, 0, 0] and buffer.is_empty()


@pytest.mark.parametrize("base", [0, -3, 2**31 + 1, 2.0, True])
def test_bad_base_raises(base):
    with pytest.raises(ValueError, match=r"base must be an int in \[1, 2\*\*31\]"):
        numpy_buffer(2).push(np.zeros(2, dtype=np.int64), base)


def test_digits_outside_base_raise():
    with pytest.raises(ValueError, match=r"digits must lie in \[0, base\) = \[0, 5\)"):
        numpy_buffer(2).push(np.array([1, 5]), 5)


@pytest.mark.parametrize("beta", [0.9, 0.875, 0.5])
def test_bits_per_multiplication_approach_log2_one_over_beta(beta):
    rng = np.random.default_rng(3)
    v = ExactArray(rng.normal(size=200) * 0.01)
    ratio = beta_fraction(beta)
    steps = 600
    for _ in range(steps):
        v.mul(ratio).add(rng.normal(size=200) * 1e-3)
    per_step = v.buffer.bits() / (200 * steps)
    assert per_step == pytest.approx(math.log2(1 / float(ratio)), rel=0.05)


# --- the same code on array-api-strict's non-default device (a GPU stand-in) ------------


def test_buffer_and_exact_array_run_on_strict_device():
    rng = np.random.default_rng(4)
    x0 = rng.normal(size=25)
    on_device, on_host = ExactArray(strict_asarray(x0)), ExactArray(x0)
    assert on_device.fixed.device == strict_device()
    for beta in (0.9, 0.875, 0.5):
        ratio = beta_fraction(beta)
        a = rng.normal(size=25) * 0.1
        on_device.mul(ratio).sub(strict_asarray(a))
        on_host.mul(ratio).sub(a)
    assert np.array_equal(to_numpy(on_device.fixed), on_host.fixed)
    assert on_device.buffer.bits() == on_host.buffer.bits()
    buffer = InfoBuffer(25, xps, strict_device())
    digits = [strict_asarray(rng.integers(0, b, size=25), dtype="int64") for b in (3, 2**31, 10)]
    for d, b in zip(digits, (3, 2**31, 10)):
        buffer.push(d, b)
    for d, b in zip(reversed(digits), (10, 2**31, 3)):
        assert np.array_equal(to_numpy(buffer.pop(b)), to_numpy(d))
    assert buffer.is_empty()
