"""Tests for hpo_teach.backend: backend choice, CuPy probe, transfers and seeded draws."""

import sys
import types
import warnings

import array_api_strict
import numpy as np
import pytest

from hpo_teach import backend


@pytest.fixture(autouse=True)
def fresh_backend_cache(monkeypatch):
    monkeypatch.delenv(backend.ENV_VAR, raising=False)
    backend.clear_backend_cache()
    yield
    backend.clear_backend_cache()


@pytest.fixture
def no_cupy(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # makes `import cupy` raise ImportError


def fake_cupy(monkeypatch, get_device_count):
    module = types.ModuleType("cupy")
    module.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(getDeviceCount=get_device_count))
    monkeypatch.setitem(sys.modules, "cupy", module)
    return module


# --- choosing the backend ---------------------------------------------------------------


def test_default_backend_is_numpy():
    chosen = backend.get_backend()
    assert chosen.name == "numpy"
    assert chosen.xp is backend.namespace_of(np.zeros(2))
    assert chosen.device == "cpu" and chosen.reason is None
    assert backend.describe().startswith(f"numpy {np.__version__} on CPU")
    assert "HPO_TEACH_BACKEND unset -> numpy" in backend.describe()


def test_env_var_is_read_case_insensitively(monkeypatch):
    monkeypatch.setenv("HPO_TEACH_BACKEND", " NumPy ")
    assert backend.get_backend().name == "numpy"


def test_unknown_backend_names_env_var_and_allowed_values(monkeypatch):
    monkeypatch.setenv("HPO_TEACH_BACKEND", "torch")
    with pytest.raises(ValueError, match="HPO_TEACH_BACKEND") as info:
        backend.get_backend()
    for allowed in ("'numpy'", "'auto'", "'cupy'", "'torch'"):
        assert allowed in str(info.value)
    with pytest.raises(ValueError, match="HPO_TEACH_BACKEND.*'numpy', 'auto', 'cupy'"):
        backend.get_backend("jax")


# --- the CuPy probe ---------------------------------------------------------------------


def test_probe_reports_missing_cupy(no_cupy):
    module, reason = backend.probe_cupy()
    assert module is None
    assert "import" in reason and "cupy-cuda12x[ctk]" in reason


def test_auto_warns_once_and_falls_back_to_numpy(no_cupy, monkeypatch):
    monkeypatch.setenv("HPO_TEACH_BACKEND", "auto")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = backend.get_backend()
        second = backend.get_backend("auto")
        line = backend.describe()
    assert len(caught) == 1 and caught[0].category is RuntimeWarning
    message = str(caught[0].message)
    assert message.startswith("GPU backend unavailable, falling back to NumPy on CPU. Reason: ")
    assert "import" in message
    assert first is second and first.name == "numpy" and "import" in first.reason
    assert "HPO_TEACH_BACKEND=auto -> numpy; GPU unavailable: cannot import cupy" in line


def test_explicit_cupy_raises_with_reason(no_cupy):
    _, reason = backend.probe_cupy()
    with pytest.raises(RuntimeError) as info:
        backend.get_backend("cupy")
    assert reason in str(info.value)


def test_probe_reports_driver_error(monkeypatch):
    def no_driver():
        raise RuntimeError("cudaErrorInsufficientDriver: CUDA driver version is insufficient")

    fake_cupy(monkeypatch, no_driver)
    module, reason = backend.probe_cupy()
    assert module is None and "cudaErrorInsufficientDriver" in reason
    with pytest.raises(RuntimeError, match="cudaErrorInsufficientDriver"):
        backend.get_backend("cupy")


def test_probe_reports_zero_devices(monkeypatch):
    fake_cupy(monkeypatch, lambda: 0)
    module, reason = backend.probe_cupy()
    assert module is None and "no CUDA device" in reason


def test_probe_reports_failed_smoke_test_with_install_hint(monkeypatch):
    fake_cupy(monkeypatch, lambda: 1)  # a device, but no kernels, BLAS or RNG
    module, reason = backend.probe_cupy()
    assert module is None and "smoke test" in reason and "cupy-cuda12x[ctk]" in reason


# --- transfers --------------------------------------------------------------------------


def test_strict_device_refuses_host_conversion():
    on_device = backend.strict_asarray([1.0, 2.0])
    assert on_device.device == backend.strict_device() == array_api_strict.Device("device1")
    with pytest.raises(RuntimeError):
        np.asarray(on_device)


def test_round_trip_through_strict_device():
    host = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    like = backend.strict_asarray(np.zeros(1))
    on_device = backend.asarray(host, like=like)
    assert on_device.device == backend.strict_device()
    assert on_device.dtype == array_api_strict.float64
    back = backend.to_numpy(on_device)
    assert isinstance(back, np.ndarray) and np.array_equal(back, host)
    as32 = backend.asarray(host, like=like, dtype="float32")
    assert as32.dtype == array_api_strict.float32
    assert np.array_equal(backend.to_numpy(as32), host.astype(np.float32))


def test_asarray_defaults_to_numpy_and_accepts_a_backend():
    assert isinstance(backend.asarray([1, 2]), np.ndarray)
    on_backend = backend.asarray([1.0, 2.0], like=backend.get_backend("numpy"), dtype="float32")
    assert isinstance(on_backend, np.ndarray) and on_backend.dtype == np.float32
    with pytest.raises(ValueError, match="dtype must be one of"):
        backend.asarray([1.0], dtype="float16")


def test_to_numpy_passes_numpy_and_python_data():
    x = np.arange(3.0)
    assert backend.to_numpy(x) is x
    assert np.array_equal(backend.to_numpy([1, 2]), [1, 2])


def test_namespace_of_tells_backends_apart():
    assert backend.namespace_of(backend.strict_asarray([1.0])) is array_api_strict
    assert backend.namespace_of(np.ones(2), np.ones(3)) is backend.get_backend("numpy").xp


# --- seeded draws -----------------------------------------------------------------------


@pytest.mark.parametrize("draw", [backend.normal, backend.uniform])
def test_same_seed_same_draws_and_step_changes_them(draw):
    a = draw((7, 3), (4, 5))
    assert a.shape == (4, 5) and a.dtype == np.float64
    assert np.array_equal(a, draw((7, 3), (4, 5)))
    assert not np.allclose(a, draw((7, 4), (4, 5)))
    assert not np.allclose(a, draw((8, 3), (4, 5)))


def test_int_seed_and_padded_tuple_give_different_draws():
    # SeedSequence alone maps 5, (5,) and (5, 0) to one stream; the adapters must not.
    assert np.array_equal(backend.normal(5, 10), backend.normal((5,), 10))
    assert not np.allclose(backend.normal(5, 10), backend.normal((5, 0), 10))


def test_kinds_of_draw_use_independent_streams():
    u = backend.uniform(3, 1000)
    mask = backend.bernoulli_mask(3, 1000, 0.5)
    assert not np.array_equal(mask, (u < 0.5).astype(float))


def test_draws_on_strict_device_equal_numpy_bit_for_bit():
    like = backend.strict_asarray(np.zeros(1))
    for draw, extra in [(backend.normal, ()), (backend.uniform, ()), (backend.bernoulli_mask, (0.8,))]:
        on_device = draw((11, 2), (3, 4), *extra, like=like)
        assert on_device.device == backend.strict_device()
        assert np.array_equal(backend.to_numpy(on_device), draw((11, 2), (3, 4), *extra))
    as32 = backend.normal(1, 5, like=like, dtype="float32")
    assert as32.dtype == array_api_strict.float32
    assert np.array_equal(backend.to_numpy(as32), backend.normal(1, 5).astype(np.float32))


def test_uniform_respects_bounds():
    u = backend.uniform(0, 2000, low=-2.0, high=3.0)
    assert u.min() >= -2.0 and u.max() < 3.0 and abs(u.mean() - 0.5) < 0.15
    with pytest.raises(ValueError, match="high must be > 1"):
        backend.uniform(0, 3, low=1.0, high=1.0)


def test_normal_moments():
    z = backend.normal(2, 20000)
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1.0) < 0.03


def test_bernoulli_mask_keeps_the_right_fraction():
    mask = backend.bernoulli_mask((0, 1), (200, 100), 0.3)
    assert set(np.unique(mask)) == {0.0, 1.0}
    assert abs(mask.mean() - 0.3) < 0.01  # sd of the mean is 0.0032
    assert np.all(backend.bernoulli_mask(4, 50, 1.0) == 1.0)


@pytest.mark.parametrize("keep_prob", [0.0, -0.1, 1.5])
def test_bernoulli_mask_rejects_bad_keep_prob(keep_prob):
    with pytest.raises(ValueError, match=r"keep_prob must be in \(0, 1\]"):
        backend.bernoulli_mask(0, 3, keep_prob)


@pytest.mark.parametrize("seed", [-1, (1, -2), (), 1.5, (1, "a")])
def test_bad_seed_raises_naming_seed(seed):
    with pytest.raises((ValueError, TypeError), match="seed must be"):
        backend.normal(seed, 3)


def test_bad_shape_raises_naming_shape():
    with pytest.raises(ValueError, match="shape must be"):
        backend.normal(0, (2, -1))


# --- a real GPU, when one is lent -------------------------------------------------------


@pytest.mark.gpu
def test_cupy_matmul_and_draws_on_gpu():
    cupy, reason = backend.probe_cupy()
    if cupy is None:
        pytest.skip(reason)
    gpu = backend.get_backend("cupy")
    host = np.arange(6.0).reshape(2, 3)
    a = backend.asarray(host, like=gpu)
    assert backend.namespace_of(a) is gpu.xp
    assert np.allclose(backend.to_numpy(a @ a.T), host @ host.T)
    draws = backend.normal((5, 1), (2, 3), like=a)
    assert np.array_equal(backend.to_numpy(draws), backend.normal((5, 1), (2, 3)))
