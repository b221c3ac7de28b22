"""The argument checks every public function uses: messages name the argument and the range."""

import math

import numpy as np
import pytest

from hpo_teach import _validate as checks


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: checks.require_positive("lr", -0.1), "lr must be > 0, got -0.1"),
        (lambda: checks.require_positive("lr", 0.0), "lr must be > 0, got 0"),
        (lambda: checks.require_positive("lr", math.nan), "lr must be a finite number, got nan"),
        (lambda: checks.require_range("p", 1.0, 0, 1, high_open=True), "p must be in [0, 1), got 1"),
        (lambda: checks.require_range("beta", -1, 0, 1), "beta must be in [0, 1], got -1"),
        (lambda: checks.require_range("x", 5, high=3), "x must be <= 3, got 5"),
        (lambda: checks.require_int("width", 0, low=1), "width must be an integer in [1, inf], got 0"),
        (lambda: checks.require_choice("activation", "swish", ("tanh", "relu")),
         "activation must be one of 'tanh', 'relu'; got 'swish'"),
        (lambda: checks.require_finite_array("X", np.array([1.0, np.nan])), "X must contain only finite values"),
        (lambda: checks.require_finite_array("X", np.zeros((0, 3))), "X must not be empty"),
        (lambda: checks.require_finite_array("X", np.zeros((2, 3)), shape=(None, 4)),
         "X must have shape (any, 4), got (2, 3)"),
        (lambda: checks.require_finite_array("w", np.zeros((2, 3)), ndim=1), "w must be a 1-D array"),
    ],
)
def test_bad_values_name_argument_and_range(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize("bad", ["0.1", None, True, [1.0]])
def test_non_numbers_are_type_errors(bad):
    with pytest.raises(TypeError, match="lr must be a real number"):
        checks.require_positive("lr", bad)


def test_good_values_pass_through_as_python_numbers():
    assert checks.require_positive("lr", np.float32(0.5)) == 0.5
    assert checks.require_range("p", 0, 0, 1, high_open=True) == 0.0
    assert checks.require_int("n", np.int64(3), low=1) == 3
    array = np.ones((2, 4))
    assert checks.require_finite_array("X", array, shape=(None, 4)) is array
