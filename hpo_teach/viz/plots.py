"""The course's plot style and the plots every notebook reuses.

Figures have a fixed size so a notebook's saved output (``<Figure size 640x400 with 1 Axes>``)
is the same on every machine, which nbval compares. Each function draws on an ``ax`` it is
given (pyplot figures or the pyplot-free figures of :mod:`hpo_teach.viz.widgets`), labels the
axes, sets a title, returns the artists it made (so a slider callback can update them)
and never calls ``plt.show()``.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from .._validate import require_choice, require_int, require_positive

COURSE_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "figure.max_open_warning": 50,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.6,
    "image.cmap": "viridis",
}

# Two-class colours (blue / orange) readable by colour-blind learners.
CLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def use_course_style():
    """Apply :data:`COURSE_STYLE` to Matplotlib's rcParams (call once at the top of a notebook)."""
    mpl.rcParams.update(COURSE_STYLE)


def new_figure(ncols=1, nrows=1, width=None, height=None):
    """A pyplot figure of fixed size and its axes (one Axes, or an array like ``plt.subplots``).

    Default size: 6.4 x 4.0 inches for one panel; 3.6 inches per extra column and 3.0 per
    extra row. The size never depends on rcParams, so outputs match across machines.
    """
    ncols = require_int("ncols", ncols, low=1, high=6)
    nrows = require_int("nrows", nrows, low=1, high=6)
    width = 6.4 + 3.6 * (ncols - 1) if width is None else require_positive("width", width)
    height = 4.0 + 3.0 * (nrows - 1) if height is None else require_positive("height", height)
    return plt.subplots(nrows, ncols, figsize=(width, height), dpi=100, layout="constrained", squeeze=True)


def _label(ax, defaults, **given):
    """Set xlabel, ylabel and title: a given value wins, else the default fills an empty one.

    So an overlay (a path on a contour plot) keeps the labels the first plot set.
    """
    for key, default in defaults.items():
        value = given.get(key)
        if value is not None:
            getattr(ax, f"set_{key}")(value)
        elif not getattr(ax, f"get_{key}")():
            getattr(ax, f"set_{key}")(default)


def plot_learning_curves(ax, history, metric="loss", logy=False, label_prefix="", title=None, xlabel=None,
                         ylabel=None):
    """Training and validation curves of a :class:`hpo_teach.training.loop.History`.

    ``metric="loss"``: training loss (the running mean of the minibatch losses since the previous
    evaluation, so it lags and includes dropout/noise) and validation loss; ``"error"``: training
    and validation error in %. Train is dashed and validation solid, as in every plot of the course.
    A dotted line marks the best validation step when the run stopped early. The x axis counts
    gradient evaluations (the course's budget).
    """
    metric = require_choice("metric", metric, ("loss", "error"))
    if metric == "loss":
        series = [("train (running mean)", history.train_loss, "--"), ("valid", history.valid_loss, "-")]
        default_ylabel = "cross-entropy loss"
    else:
        series = [("train", [100 * e for e in history.train_error], "--"),
                  ("valid", [100 * e for e in history.valid_error], "-")]
        default_ylabel = "error (%)"
    lines = []
    for name, values, style in series:
        if values:
            steps = history.steps[:len(values)]
            lines += ax.plot(steps, values, style, label=f"{label_prefix}{name}")
    if history.stopped_early and history.best_step is not None:
        lines.append(ax.axvline(history.best_step, color="0.4", linestyle=":", label="best (restored)"))
    if logy:
        ax.set_yscale("log")
    if lines:
        ax.legend()
    _label(ax, {"xlabel": "gradient evaluations (minibatch steps)", "ylabel": default_ylabel,
                "title": f"learning curves ({metric})"}, xlabel=xlabel, ylabel=ylabel, title=title)
    return lines


def _grid(xlim, ylim, resolution):
    resolution = require_int("resolution", resolution, low=2, high=2000)
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        if len(lim) != 2 or not lim[0] < lim[1]:
            raise ValueError(f"{name} must be (low, high) with low < high, got {lim!r}")
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    return np.meshgrid(xs, ys)


def plot_decision_boundary(ax, predict_fn, X, y, resolution=200, padding=0.5, title=None, xlabel=None,
                           ylabel=None):
    """Regions a classifier assigns to each class on a 2-D data set, with the points on top.

    ``predict_fn(P)`` gets points P of shape (m, 2) and returns either integer labels, or
    floats = probability of class 1 (then the colours shade the probability and a black
    line marks 0.5). Returns the filled-contour artist.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    padding = require_positive("padding", padding, allow_zero=True)
    xx, yy = _grid((X[:, 0].min() - padding, X[:, 0].max() + padding),
                   (X[:, 1].min() - padding, X[:, 1].max() + padding), resolution)
    z = np.asarray(predict_fn(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    classes = np.unique(y)
    colors = ListedColormap(CLASS_COLORS[:max(len(classes), 2)])
    if np.issubdtype(z.dtype, np.integer) or z.dtype == bool:
        k = max(int(z.max()), int(classes.max())) + 1
        filled = ax.contourf(xx, yy, z, levels=np.arange(k + 1) - 0.5, cmap=ListedColormap(CLASS_COLORS[:k]),
                             alpha=0.3)
    else:
        filled = ax.contourf(xx, yy, z, levels=np.linspace(0, 1, 11), cmap="coolwarm", alpha=0.4)
        ax.contour(xx, yy, z, levels=[0.5], colors="k", linewidths=1.2)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=colors, vmin=classes.min(), vmax=max(classes.max(), classes.min() + 1),
               s=14, edgecolors="k", linewidths=0.3)
    ax.set_xlim(xx[0, 0], xx[0, -1])
    ax.set_ylim(yy[0, 0], yy[-1, 0])
    _label(ax, {"xlabel": "$x_1$", "ylabel": "$x_2$", "title": "decision boundary"},
           xlabel=xlabel, ylabel=ylabel, title=title)
    return filled


def plot_contours(ax, f, xlim, ylim, levels=20, log=False, resolution=200, vectorized=True, title=None,
                  xlabel=None, ylabel=None):
    """Contour lines of a 2-D function ``f(w)`` (a loss surface) over ``xlim`` x ``ylim``.

    ``f`` is written with ``w[0]``, ``w[1]`` and elementwise operations; with
    ``vectorized=True`` it is called once on a stacked grid of shape (2, ny, nx), else once
    per point. ``log=True`` spaces the levels geometrically, which suits valleys like
    Rosenbrock's. Returns the contour set.
    """
    levels = require_int("levels", levels, low=2, high=200)
    xx, yy = _grid(xlim, ylim, resolution)
    if vectorized:
        z = np.asarray(f(np.stack([xx, yy])), dtype=float)
        if z.shape != xx.shape:
            raise ValueError(f"f returned shape {z.shape} on a (2, {xx.shape[0]}, {xx.shape[1]}) grid; "
                             "write f with w[0], w[1] and elementwise operations, or pass vectorized=False")
    else:
        z = np.array([float(f(np.array([a, b]))) for a, b in zip(xx.ravel(), yy.ravel())]).reshape(xx.shape)
    if log:
        positive = z[z > 0]
        if positive.size == 0:
            raise ValueError("log=True needs f > 0 somewhere on the grid")
        lines = ax.contour(xx, yy, z, levels=np.geomspace(positive.min(), z.max(), levels),
                           norm=mpl.colors.LogNorm(), cmap="viridis", linewidths=0.8)
    else:
        lines = ax.contour(xx, yy, z, levels=levels, cmap="viridis", linewidths=0.8)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    _label(ax, {"xlabel": "$w_1$", "ylabel": "$w_2$", "title": "loss surface"},
           xlabel=xlabel, ylabel=ylabel, title=title)
    return lines


def plot_trajectory(ax, trajectory, label=None, color=None, title=None, xlabel=None, ylabel=None):
    """An optimizer's path through 2-D weight space, shape (n_steps + 1, 2), e.g. from ``optim.minimize``.

    A circle marks the start and a cross the end. The axes keep their limits if something
    (say, :func:`plot_contours`) already set them, so a runaway path does not squash the
    picture. Returns the path's ``Line2D`` (update it with ``set_data``).
    """
    path = np.asarray(trajectory, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or path.shape[0] < 1:
        raise ValueError(f"trajectory must have shape (n, 2) with n >= 1, got {path.shape}")
    had_data = ax.has_data()
    limits = ax.get_xlim(), ax.get_ylim()
    (line,) = ax.plot(path[:, 0], path[:, 1], ".-", color=color, markersize=3, linewidth=1.2, label=label)
    ax.plot(path[0, 0], path[0, 1], "o", color=line.get_color(), markersize=6)
    ax.plot(path[-1, 0], path[-1, 1], "x", color=line.get_color(), markersize=8, markeredgewidth=2)
    if had_data:
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
    if label is not None:
        ax.legend()
    _label(ax, {"xlabel": "$w_1$", "ylabel": "$w_2$", "title": "optimizer path"},
           xlabel=xlabel, ylabel=ylabel, title=title)
    return line
