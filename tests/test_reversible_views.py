"""The slider views of notebooks 09, 10a and 10b build on small data and every slider position redraws."""

import numpy as np

from hpo_teach.models.shared import correlations
from hpo_teach.testing import assert_view_responds
from hpo_teach.viz import reversible_views as rv

RNG = np.random.default_rng(0)


def moved(view):
    calls = assert_view_responds(view)
    assert view.image.value  # a JPEG was rendered
    return calls


def test_mosaic_tiles_images_with_blank_gaps():
    out = rv.mosaic(np.ones((3, 4)), 2, ncols=2, pad=1)
    assert out.shape == (5, 5) and np.isnan(out[2]).all() and out[0, 0] == 1


def test_reversal_view():
    grid = [10, 100, 1000]
    edges = np.arange(-20, 33, 4.0)
    hist = {T: np.full(len(edges), 1 / len(edges)) for T in grid}
    view = rv.reversal_view(grid, {10: 1e-16, 100: 1e-12, 1000: 1e27}, hist, hist, edges, 2.0**-52, 0.9)
    assert view.set(T=1000)["naive wrong by > 1e-6"] and not view.set(T=10)["naive wrong by > 1e-6"]
    moved(view)


def test_schedule_view():
    stored = [(RNG.uniform(0.1, 1, (20, 3)), RNG.uniform(0, 1, 20), np.ones(3)) for _ in range(5)]
    view = rv.schedule_view(stored, RNG.uniform(0, 1, 4), slice(15, 20), slice(5, 10))
    assert len(view.set(meta_iteration=0)["late/mid per layer"]) == 3
    moved(view)


def test_init_scale_view():
    moved(rv.init_scale_view(RNG.uniform(0, 0.2, (6, 3)), RNG.normal(size=(5, 3)), [196, 32, 32]))


def test_chaos_view_classifies_points():
    log_alphas = np.array([0.5, 1.0, 1.5, 2.0])
    f = {10: np.array([0.5, 0.3, 1.5, np.nan]), 20: np.array([0.4, 0.2, 0.3, 0.3])}
    g = {10: np.array([-0.1, 0.2, 30.0, np.nan]), 20: np.array([-0.1, 0.1, 50.0, -1e5])}
    view = rv.chaos_view(log_alphas, f, g, {10: 1.5, 20: 1.5}, 10.0)
    assert view.set(T_steps=10, log_alpha=1.5)["state"] == "diverged"
    assert view.set(T_steps=10, log_alpha=2.0)["state"] == "diverged"
    assert view.set(T_steps=20, log_alpha=1.5)["state"] == "chaotic"
    assert view.set(T_steps=20, log_alpha=0.5)["state"] == "smooth"
    moved(view)


def test_per_weight_l2_view():
    h = {"valid": list(RNG.uniform(0.3, 0.7, 4)), "test": list(RNG.uniform(0.3, 0.7, 4)),
         "test_error": list(RNG.uniform(0.1, 0.2, 4)), "log_lambda": [RNG.normal(size=(10, 16)) for _ in range(4)]}
    moved(rv.per_weight_l2_view(h, np.log10(0.027), side=4))


def test_distilled_view():
    h = {"test_error": list(RNG.uniform(0.1, 0.9, 4)), "images": [RNG.normal(size=(10, 16)) for _ in range(4)]}
    moved(rv.distilled_view(h, 0.14, side=4))


def test_sharing_view():
    mixings = [RNG.uniform(0, 1, (2, 4, 4)) for _ in range(4)]
    view = rv.sharing_view(list(RNG.uniform(0.3, 1.0, 3)), mixings, ["a", "b", "c", "d"], correlations)
    assert set(view.set(step=0)) == {"meta-step", "bottom", "top"}
    moved(view)
