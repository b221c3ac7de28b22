"""The course plots on the Agg backend: fixed sizes, labelled axes, titles, returned artists."""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from hpo_teach import data  # noqa: E402
from hpo_teach.training import optim  # noqa: E402
from hpo_teach.viz import plots  # noqa: E402
from hpo_teach.training.loop import History  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def rosenbrock(w):
    return (1.0 - w[0]) ** 2 + 100.0 * (w[1] - w[0] ** 2) ** 2


def assert_labelled(ax):
    assert ax.get_xlabel() != "" and ax.get_ylabel() != "" and ax.get_title() != ""


def test_course_style_sets_rcparams():
    with matplotlib.rc_context():
        plots.use_course_style()
        assert tuple(matplotlib.rcParams["figure.figsize"]) == (6.4, 4.0)
        assert matplotlib.rcParams["axes.grid"] is True and matplotlib.rcParams["figure.dpi"] == 100


@pytest.mark.parametrize("kwargs, size", [({}, (6.4, 4.0)), ({"ncols": 2}, (10.0, 4.0)),
                                          ({"ncols": 3, "nrows": 2}, (13.6, 7.0)),
                                          ({"width": 5.0, "height": 2.5}, (5.0, 2.5))])
def test_new_figure_has_a_fixed_size(kwargs, size):
    with matplotlib.rc_context({"figure.figsize": (3.0, 3.0), "figure.dpi": 72}):
        fig, axes = plots.new_figure(**kwargs)
    np.testing.assert_allclose(fig.get_size_inches(), size)
    assert fig.dpi == 100
    assert np.size(axes) == kwargs.get("ncols", 1) * kwargs.get("nrows", 1)
    with pytest.raises(ValueError, match="width must be > 0"):
        plots.new_figure(width=0)


def test_learning_curves_from_a_history():
    history = History(steps=[10, 20, 30], train_loss=[2.0, 1.0, 0.5], valid_loss=[2.1, 1.2, 1.3],
                      valid_error=[0.5, 0.3, 0.35], train_error=[0.4, 0.2, 0.1], best_step=20, stopped_early=True)
    fig, (ax_loss, ax_err) = plots.new_figure(ncols=2)
    lines = plots.plot_learning_curves(ax_loss, history, logy=True)
    assert len(lines) == 3  # train, valid, best-step marker
    np.testing.assert_array_equal(lines[1].get_ydata(), [2.1, 1.2, 1.3])
    assert [line.get_linestyle() for line in lines[:2]] == ["--", "-"]  # the course's train dashed, valid solid
    assert ax_loss.get_yscale() == "log"
    plots.plot_learning_curves(ax_err, history, metric="error", title="MNIST")
    np.testing.assert_allclose(ax_err.get_lines()[1].get_ydata(), [50, 30, 35])
    assert ax_err.get_title() == "MNIST" and ax_err.get_ylabel() == "error (%)"
    for ax in (ax_loss, ax_err):
        assert_labelled(ax)
    with pytest.raises(ValueError, match="metric must be one of 'loss', 'error'"):
        plots.plot_learning_curves(ax_loss, history, metric="accuracy")


def test_decision_boundary_with_labels_and_probabilities():
    X, y = data.moons(n=60)
    fig, (ax_labels, ax_prob) = plots.new_figure(ncols=2)
    plots.plot_decision_boundary(ax_labels, lambda P: (P[:, 1] < 0.25).astype(int), X, y, resolution=50)
    filled = plots.plot_decision_boundary(ax_prob, lambda P: 1 / (1 + np.exp(-4 * P[:, 0])), X, y,
                                          resolution=50, title="logistic")
    assert_labelled(ax_labels)
    assert ax_prob.get_title() == "logistic"
    assert filled.levels[0] == 0.0 and filled.levels[-1] == 1.0
    assert ax_labels.get_xlim() == pytest.approx((X[:, 0].min() - 0.5, X[:, 0].max() + 0.5))
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        plots.plot_decision_boundary(ax_labels, lambda P: P[:, 0], np.zeros((5, 3)), np.zeros(5))


def test_contours_and_trajectory_on_a_pyplot_free_figure():
    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.subplots()
    contours = plots.plot_contours(ax, rosenbrock, (-2, 2), (-1, 3), levels=15, log=True, resolution=60,
                                   title="Rosenbrock")
    assert len(contours.levels) == 15 and contours.levels[0] > 0
    path = optim.minimize(lambda w: np.array([-2 * (1 - w[0]) - 400 * w[0] * (w[1] - w[0] ** 2),
                                              200 * (w[1] - w[0] ** 2)]),
                          np.array([-1.5, 2.0]), optim.Adam(0.05), 100)
    line = plots.plot_trajectory(ax, path, label="Adam")
    np.testing.assert_array_equal(line.get_xdata(), path[:, 0])
    assert ax.get_title() == "Rosenbrock" and ax.get_xlabel() == "$w_1$"  # overlay keeps the labels
    assert ax.get_legend() is not None
    plots.plot_trajectory(ax, [[0.0, 0.0], [50.0, -80.0]], label="runaway")
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1, 3)  # limits kept
    fig.savefig(io.BytesIO(), format="png")  # renders without pyplot


def test_contours_point_by_point_match_the_vectorized_call():
    fig, (a, b) = plots.new_figure(ncols=2)
    quadratic = lambda w: w[0] ** 2 + 3 * w[1] ** 2  # noqa: E731
    fast = plots.plot_contours(a, quadratic, (-1, 1), (-1, 1), levels=5, resolution=20)
    slow = plots.plot_contours(b, lambda w: float(w @ np.array([[1.0, 0.0], [0.0, 3.0]]) @ w), (-1, 1), (-1, 1),
                               levels=5, resolution=20, vectorized=False)
    np.testing.assert_allclose(fast.levels, slow.levels)
    assert_labelled(a)
    with pytest.raises(ValueError, match=r"pass vectorized=False"):
        plots.plot_contours(a, lambda w: 1.0, (-1, 1), (-1, 1), resolution=20)
    with pytest.raises(ValueError, match=r"xlim must be \(low, high\) with low < high"):
        plots.plot_contours(a, quadratic, (1, -1), (-1, 1))


def test_trajectory_alone_labels_its_axes():
    fig, ax = plots.new_figure()
    plots.plot_trajectory(ax, np.zeros((3, 2)))
    assert_labelled(ax)
    with pytest.raises(ValueError, match=r"trajectory must have shape \(n, 2\)"):
        plots.plot_trajectory(ax, np.zeros((3, 3)))
