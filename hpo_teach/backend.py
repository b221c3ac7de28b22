"""Array backend: NumPy on CPU by default, CuPy on a GPU on request.

Why two layers: autograd (the course's reference for every derivative) cannot trace CuPy
arrays, so the notebooks differentiate NumPy code with autograd. The hot model maths is
written once against the array API (``xp = namespace_of(x)``) and so runs unchanged on
NumPy and CuPy; tests run it on array-api-strict's ``"device1"``, which refuses host
conversion the way a GPU array does.

``HPO_TEACH_BACKEND`` picks the backend: ``numpy`` (default), ``auto`` (CuPy if the probe
passes, else NumPy with one warning giving the reason) or ``cupy`` (raises if unavailable).

Random numbers are always drawn on the host from a seed (an int or a tuple of ints such as
``(seed, step)``) and then moved to the device. The same seed therefore gives bit-identical
draws on every backend, which lets a reverse pass redraw the exact dropout masks and noise
of the forward pass.
"""

import functools
import os
import warnings
from dataclasses import dataclass

import array_api_compat
import numpy as np
from array_api_compat import numpy as numpy_xp

from ._validate import require_choice, require_int, require_number, require_range

ENV_VAR = "HPO_TEACH_BACKEND"
BACKEND_NAMES = ("numpy", "auto", "cupy")
DTYPE_NAMES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64")
GPU_INSTALL_HINT = "install `cupy-cuda12x[ctk]` (the hpo-teach `gpu` extra)"


@dataclass(frozen=True)
class Backend:
    """The chosen backend.

    ``name`` is "numpy" or "cupy"; ``xp`` the array-API namespace
    (``array_api_compat.numpy`` or ``array_api_compat.cupy``); ``device`` where new arrays
    go ("cpu" or a ``cupy.cuda.Device``); ``reason`` says why the GPU was not used when
    "auto" fell back to NumPy, else None.
    """

    name: str
    xp: object
    device: object
    reason: str | None = None


def probe_cupy():
    """Return ``(cupy_module, None)`` if CuPy can run on a GPU here, else ``(None, reason)``.

    Steps: import cupy; count CUDA devices; run a smoke test (compile an elementwise kernel,
    matmul, random draw, copy to host). This is the only place that catches exceptions.
    """
    try:
        import cupy
    except Exception as exc:  # ImportError, or a broken install failing at import time
        return None, f"cannot import cupy ({type(exc).__name__}: {exc}); {GPU_INSTALL_HINT}"
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:
        return None, f"CuPy cannot reach a CUDA device ({type(exc).__name__}: {exc})"
    if count == 0:
        return None, "CuPy found no CUDA device (getDeviceCount() returned 0)"
    try:
        _smoke_test(cupy)
    except Exception as exc:
        return None, f"CuPy smoke test failed ({type(exc).__name__}: {exc}); {GPU_INSTALL_HINT}"
    return cupy, None


def _smoke_test(cupy):
    """Exercise NVRTC (kernel compile), cuBLAS, cuRAND and a device-to-host copy."""
    square = cupy.ElementwiseKernel("float64 x", "float64 y", "y = x * x", "hpo_teach_square")
    a = cupy.arange(6, dtype=cupy.float64).reshape(2, 3)
    product = cupy.asnumpy(a @ square(a).T)
    draws = cupy.asnumpy(cupy.random.default_rng(0).standard_normal(4))
    host = np.arange(6.0).reshape(2, 3)
    if not np.allclose(product, host @ (host**2).T) or not np.all(np.isfinite(draws)):
        raise RuntimeError("wrong results from the GPU")


def get_backend(name=None):
    """Return the :class:`Backend` named ``name``, or by ``HPO_TEACH_BACKEND`` if None.

    "auto" probes CuPy and falls back to NumPy with one RuntimeWarning per process;
    "cupy" raises RuntimeError with the probe's reason if CuPy cannot run. Results are
    cached; :func:`clear_backend_cache` forgets them (for tests).
    """
    if name is None:
        label, name = ENV_VAR, os.environ.get(ENV_VAR, "").strip().lower() or "numpy"
    else:
        label = f"name (as for {ENV_VAR})"
        name = name.strip().lower() if isinstance(name, str) else name
    return _backend_for(require_choice(label, name, BACKEND_NAMES))


@functools.lru_cache(maxsize=None)
def _backend_for(name):
    if name == "numpy":
        return _numpy_backend()
    cupy, reason = probe_cupy()
    if cupy is not None:
        import array_api_compat.cupy as xp

        return Backend("cupy", xp, cupy.cuda.Device())
    if name == "cupy":
        raise RuntimeError(f"the cupy backend was requested but CuPy cannot run: {reason}")
    warnings.warn(
        f"GPU backend unavailable, falling back to NumPy on CPU. Reason: {reason}",
        RuntimeWarning,
        stacklevel=3,
    )
    return _numpy_backend(reason)


def _numpy_backend(reason=None):
    return Backend("numpy", numpy_xp, "cpu", reason)


def clear_backend_cache():
    """Forget cached backends, so the next :func:`get_backend` probes (and warns) again."""
    _backend_for.cache_clear()


def describe():
    """One line for the environment check, e.g. "numpy 2.4.6 on CPU (HPO_TEACH_BACKEND unset -> numpy)"."""
    backend = get_backend()
    setting = os.environ.get(ENV_VAR, "").strip()
    choice = f"{ENV_VAR}={setting}" if setting else f"{ENV_VAR} unset"
    if backend.name == "cupy":
        import cupy

        gpu = cupy.cuda.runtime.getDeviceProperties(backend.device.id)["name"]
        gpu = gpu.decode() if isinstance(gpu, bytes) else gpu
        return f"cupy {cupy.__version__} on GPU {backend.device.id} ({gpu}) ({choice} -> cupy)"
    fallback = f"; GPU unavailable: {backend.reason}" if backend.reason else ""
    return f"numpy {np.__version__} on CPU ({choice} -> numpy{fallback})"


def namespace_of(*arrays):
    """The array-API namespace of ``arrays`` (``array_api_compat.array_namespace``)."""
    return array_api_compat.array_namespace(*arrays)


def to_numpy(x):
    """Copy ``x`` (NumPy, CuPy, array-api-strict or DLPack array, or Python data) to a NumPy array."""
    if isinstance(x, (np.ndarray, np.generic)):
        return np.asarray(x)
    if array_api_compat.is_cupy_array(x):
        return x.get()
    if type(x).__module__.startswith("array_api_strict."):
        import array_api_strict

        return np.asarray(x.to_device(array_api_strict.Device("CPU_DEVICE")))
    if hasattr(x, "__dlpack__"):
        return np.from_dlpack(x)
    return np.asarray(x)


def asarray(x, like=None, dtype=None):
    """Put host data ``x`` on the namespace and device of ``like`` (an array or a Backend).

    ``like=None`` means NumPy on CPU. ``dtype`` is None (keep x's), a name such as
    "float32", or a dtype of the target namespace.
    """
    if like is None:
        xp, device = numpy_xp, "cpu"
    elif isinstance(like, Backend):
        xp, device = like.xp, like.device
    else:
        xp, device = namespace_of(like), array_api_compat.device(like)
    return xp.asarray(x, dtype=_dtype(xp, dtype), device=device)


def _dtype(xp, dtype):
    if isinstance(dtype, str):
        return getattr(xp, require_choice("dtype", dtype, DTYPE_NAMES))
    return dtype


# Distinct streams per kind of draw, so normal(s) and bernoulli_mask(s) are independent.
_NORMAL, _UNIFORM, _BERNOULLI = 0, 1, 2


def _host_rng(seed, kind):
    """NumPy Generator for ``seed`` (int or tuple of ints >= 0) and the kind of draw.

    The seed words are prefixed with their count: SeedSequence alone gives
    ``5``, ``(5,)`` and ``(5, 0)`` the same stream.
    """
    words = (seed,) if not isinstance(seed, (tuple, list)) else tuple(seed)
    if not words:
        raise ValueError("seed must be an int or a non-empty tuple of ints, got ()")
    words = [require_int("seed", w, low=0) for w in words]
    return np.random.default_rng(np.random.SeedSequence([len(words), *words], spawn_key=(kind,)))


def _shape(shape):
    dims = (shape,) if not isinstance(shape, (tuple, list)) else tuple(shape)
    return tuple(require_int("shape", d, low=0) for d in dims)


def normal(seed, shape, like=None, dtype="float64"):
    """Standard normal draws for ``seed``, identical on every backend, on ``like``'s device."""
    draws = _host_rng(seed, _NORMAL).standard_normal(_shape(shape))
    return asarray(draws, like=like, dtype=dtype)


def uniform(seed, shape, like=None, dtype="float64", low=0.0, high=1.0):
    """Uniform draws in [low, high) for ``seed``, identical on every backend, on ``like``'s device."""
    low = require_number("low", low)
    high = require_range("high", high, low=low, low_open=True)
    draws = _host_rng(seed, _UNIFORM).uniform(low, high, _shape(shape))
    return asarray(draws, like=like, dtype=dtype)


def bernoulli_mask(seed, shape, keep_prob, like=None, dtype="float64"):
    """Mask of 1.0 (kept, probability ``keep_prob``) and 0.0 for dropout, on ``like``'s device.

    The mask is not rescaled: inverted dropout multiplies by ``mask / keep_prob``.
    """
    keep_prob = require_range("keep_prob", keep_prob, low=0.0, high=1.0, low_open=True)
    kept = _host_rng(seed, _BERNOULLI).random(_shape(shape)) < keep_prob
    return asarray(kept.astype(np.float64), like=like, dtype=dtype)


def strict_device():
    """array-api-strict's non-default device "device1": a test stand-in for a GPU.

    Arrays there refuse ``np.asarray``, mixing with CPU arrays and non-standard functions.
    """
    import array_api_strict

    return array_api_strict.Device("device1")


def strict_asarray(x, dtype=None):
    """Put host data ``x`` on array-api-strict's "device1" (see :func:`strict_device`)."""
    import array_api_strict

    return array_api_strict.asarray(
        np.asarray(x), dtype=_dtype(array_api_strict, dtype), device=strict_device()
    )
