"""Argument checks that fail early with a message naming the argument and its allowed range.

A learner who types ``lr=-0.1`` should read "lr must be > 0, got -0.1", not a NaN
fifty steps later. Every public function in hpo_teach validates through these.
"""

import math
import numbers

from array_api_compat import array_namespace


def _fmt(value):
    return repr(value) if not isinstance(value, float) else f"{value:g}"


def require_number(name, value):
    """Return ``value`` as a float, rejecting non-numbers, NaN and infinities."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {_fmt(value)}")
    return value


def require_range(name, value, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float after checking ``low <(=) value <(=) high``.

    The error spells the interval in the usual notation, e.g. "p must be in [0, 1), got 1.2".
    """
    value = require_number(name, value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        if low is not None and high is not None:
            interval = f"in {'(' if low_open else '['}{_fmt(low)}, {_fmt(high)}{')' if high_open else ']'}"
        elif low is not None:
            interval = f"{'>' if low_open else '>='} {_fmt(low)}"
        else:
            interval = f"{'<' if high_open else '<='} {_fmt(high)}"
        raise ValueError(f"{name} must be {interval}, got {_fmt(value)}")
    return value


def require_positive(name, value, allow_zero=False):
    """Return ``value`` as a float after checking it is > 0 (or >= 0 with ``allow_zero``)."""
    return require_range(name, value, low=0.0, low_open=not allow_zero)


def require_int(name, value, low=None, high=None):
    """Return ``value`` as an int after checking ``low <= value <= high``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value}")
    return value


def require_choice(name, value, choices):
    """Return ``value`` after checking it is one of ``choices``."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def require_finite_array(name, array, ndim=None, shape=None):
    """Return ``array`` after checking its rank, shape and that it holds no NaN or infinity.

    ``shape`` may use None for "any size" on an axis. Works on NumPy arrays; other
    array-API arrays are checked through their own namespace.
    """
    xp = array_namespace(array)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {tuple(array.shape)}")
    if shape is not None:
        if len(shape) != array.ndim or any(s is not None and s != a for s, a in zip(shape, array.shape)):
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want}, got {tuple(array.shape)}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {tuple(array.shape)}")
    if xp.isdtype(array.dtype, ("real floating", "complex floating")) and not bool(xp.all(xp.isfinite(array))):
        raise ValueError(f"{name} must contain only finite values (found NaN or infinity)")
    return array
