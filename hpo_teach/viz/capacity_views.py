"""The slider views of notebooks 00-02 and 14: polynomial degree, network width and depth, L1/L2 strength,
continuous width γ.

Each function takes what the notebook has already computed (every fit, every trained network, every
penalized optimum), builds the figure once and returns a :class:`~hpo_teach.viz.widgets.SliderView`
whose callback only redraws. The notebook shows the view in one line; ``tests/test_capacity_views.py``
builds each one on small data and moves every slider over its range.
"""

import ipywidgets as widgets
import numpy as np

from .plots import CLASS_COLORS, plot_contours
from .widgets import SliderView, new_view_figure


def polynomial_degree_view(x_train, y_train, fits, train_mse, valid_mse, degree=1, true_fn=None):
    """Notebook 00: the fitted polynomial of each degree (left) and train/valid MSE against degree (right).

    ``fits[d]`` is a callable (the degree-``d`` fit); ``train_mse[d]``, ``valid_mse[d]`` its errors.
    The view's result is ``(train MSE, valid MSE)`` of the degree shown.
    """
    degrees = np.arange(len(fits))
    train_mse, valid_mse = np.asarray(train_mse), np.asarray(valid_mse)
    fig, (ax_fit, ax_err) = new_view_figure(width=9, height=3.4, ncols=2)
    grid = np.linspace(0, 1, 300)
    ax_fit.plot(x_train, y_train, "o", label="training points")
    if true_fn is not None:
        ax_fit.plot(grid, true_fn(grid), ":", color="gray", label="true function")
    (fit_line,) = ax_fit.plot(grid, fits[degree](grid), lw=2, label="fitted polynomial")
    ax_fit.set(ylim=(-2, 2), xlabel="x", ylabel="y")
    ax_fit.legend(loc="lower left", fontsize=8)
    ax_err.semilogy(degrees, train_mse, "o--", label="training MSE")
    ax_err.semilogy(degrees, valid_mse, "s-", label="validation MSE")
    (marker,) = ax_err.plot([degree], [valid_mse[degree]], "k*", ms=14, label="current degree")
    ax_err.set(xlabel="polynomial degree d", ylabel="mean squared error", title="Error vs degree")
    ax_err.legend(fontsize=8)

    def show_degree(degree):
        fit_line.set_ydata(fits[degree](grid))
        marker.set_data([degree], [valid_mse[degree]])
        ax_fit.set_title(f"degree {degree}: train MSE {train_mse[degree]:.3f}, valid MSE {valid_mse[degree]:.3f}")
        return train_mse[degree], valid_mse[degree]

    slider = widgets.IntSlider(value=degree, min=0, max=len(fits) - 1, description="degree")
    return SliderView(fig, show_degree, {"degree": slider}, animated=[fit_line, marker, ax_fit.title])


def network_capacity_view(nets, widths, depths, X, y, gx, gy, width=None, depth=None):
    """Notebook 01: a trained net's decision boundary (left) and train/valid error against width (right).

    ``nets[width, depth]`` is a dict with ``train`` and ``valid`` (error fractions), ``prob`` (probability of
    class 1 on the ``len(gy) x len(gx)`` grid, flattened), ``boundary`` (an (n, 2) polyline, NaN-separated)
    and ``n_params``. ``X, y`` are the training points. The result is ``(train %, valid %)``, rounded.
    """
    widths, depths = tuple(widths), tuple(depths)
    width = widths[len(widths) // 2] if width is None else width
    depth = depths[0] if depth is None else depth
    shape = (len(gy), len(gx))
    fig, (ax_db, ax_err) = new_view_figure(width=9, height=3.6, ncols=2)
    image = ax_db.imshow(nets[width, depth]["prob"].reshape(shape), extent=(gx[0], gx[-1], gy[0], gy[-1]),
                         origin="lower", cmap="coolwarm", vmin=0, vmax=1, alpha=0.4, aspect="auto")
    points = ax_db.scatter(X[:, 0], X[:, 1], c=[CLASS_COLORS[k] for k in y], s=14, edgecolors="k", linewidths=0.3)
    (boundary,) = ax_db.plot([], [], "k-", lw=1.2)
    ax_db.set(xlabel="$x_1$", ylabel="$x_2$")
    for d, color in zip(depths, ("C0", "C1", "C2", "C3", "C4")):
        ax_err.plot(widths, [100 * nets[w, d]["train"] for w in widths], "--", color=color)
        ax_err.plot(widths, [100 * nets[w, d]["valid"] for w in widths], "o-", color=color, label=f"depth {d}")
    (star,) = ax_err.plot([], [], "k*", ms=14, label="shown")
    ax_err.set(xscale="log", xticks=widths, xticklabels=[str(w) for w in widths], xlabel="width (units per layer)",
               ylabel="error (%)  (dashed: train, solid: valid)", title="error vs width")
    ax_err.legend(fontsize=8)

    def show_net(width, depth):
        r = nets[width, depth]
        image.set_data(r["prob"].reshape(shape))
        boundary.set_data(r["boundary"][:, 0], r["boundary"][:, 1])
        star.set_data([width], [100 * r["valid"]])
        ax_db.set_title(f"width {width}, depth {depth} ({r['n_params']} params): "
                        f"train {100 * r['train']:.0f}%, valid {100 * r['valid']:.1f}%", fontsize=9)
        return round(100 * r["train"]), round(100 * r["valid"])

    return SliderView(fig, show_net, {
        "width": widgets.SelectionSlider(options=widths, value=width, description="width"),
        "depth": widgets.IntSlider(value=depth, min=min(depths), max=max(depths), description="depth")},
        animated=[image, points, boundary, star, ax_db.title])  # redrawn in this order onto a fixed background


def penalty_path_view(A, w_star, log_lams, paths, log_lam=-0.5, penalty="L1"):
    """Notebook 02 §1: where the L1 or L2 optimum of a 2-weight quadratic sits as λ grows.

    The data loss is ``f(w) = (w - w_star)ᵀ A (w - w_star) / 2``; ``paths[name][i]`` is the penalized optimum
    (a 2-vector) at λ = 10**log_lams[i] for ``name`` in ``("L1", "L2")``. Left: contours of f, the optimum,
    the penalty contour (diamond or circle) and the f contour through it. Right: both coordinates against
    log λ. The result is the optimum shown, rounded to 3 decimals.
    """
    A, w_star, log_lams = np.asarray(A, float), np.asarray(w_star, float), np.asarray(log_lams, float)
    lams = 10.0**log_lams

    def data_loss(w):
        d0, d1 = w[0] - w_star[0], w[1] - w_star[1]
        return 0.5 * (A[0, 0] * d0**2 + 2 * A[0, 1] * d0 * d1 + A[1, 1] * d1**2)

    fig, (ax_w, ax_c) = new_view_figure(width=9.0, height=3.6, ncols=2)
    lo, hi = np.minimum(0.0, w_star) - 0.6, np.maximum(0.0, w_star) + np.array([0.6, 0.8])
    plot_contours(ax_w, data_loss, (lo[0], hi[0]), (lo[1], hi[1]), levels=14, title="", xlabel="$w_1$",
                  ylabel="$w_2$")
    ax_w.set_aspect("equal")
    ax_w.axhline(0, color="0.3", lw=0.8)
    ax_w.axvline(0, color="0.3", lw=0.8)
    ax_w.plot(*w_star, "*", color="k", ms=12, label="$w^*$ (no penalty)")
    (path_line,) = ax_w.plot([], [], "-", color="C3", lw=1, alpha=0.6, label="optimum as λ grows")
    (ball_line,) = ax_w.plot([], [], "-", color="C3", lw=2, label="penalty contour")
    (level_line,) = ax_w.plot([], [], "--", color="C0", lw=1.5, label="loss contour")
    (opt_dot,) = ax_w.plot([], [], "o", color="C3", ms=8, mec="k", label="penalized optimum")
    ax_w.legend(loc="upper left", fontsize=7)
    (w1_line,) = ax_c.plot(log_lams, paths[penalty][:, 0], label="$w_1$")
    (w2_line,) = ax_c.plot(log_lams, paths[penalty][:, 1], label="$w_2$")
    lam_marker = ax_c.axvline(log_lam, color="0.4", ls=":")
    ax_c.axhline(0, color="0.3", lw=0.8)
    top = max(np.abs(p).max() for p in paths.values())
    ax_c.set(xlabel="log$_{10}$ λ", ylabel="coordinate of the optimum", ylim=(-0.05 * top - 0.05, 1.05 * top))
    ax_c.legend()

    theta = np.linspace(0, 2 * np.pi, 200)
    evals, evecs = np.linalg.eigh(A)
    A_inv_sqrt = evecs @ np.diag(evals**-0.5) @ evecs.T

    def show_penalty(log_lam, penalty):
        i = int(np.argmin(np.abs(log_lams - log_lam)))  # nearest precomputed λ
        path = paths[penalty]
        w = path[i]
        path_line.set_data(path[:, 0], path[:, 1])
        if penalty == "L1":
            r = np.abs(w).sum()
            ball_line.set_data([r, 0, -r, 0, r], [0, r, 0, -r, 0])
        else:
            r = np.linalg.norm(w)
            ball_line.set_data(r * np.cos(theta), r * np.sin(theta))
        ellipse = w_star[:, None] + np.sqrt(2 * data_loss(w)) * A_inv_sqrt @ np.stack([np.cos(theta), np.sin(theta)])
        level_line.set_data(ellipse[0], ellipse[1])
        opt_dot.set_data([w[0]], [w[1]])
        w1_line.set_ydata(path[:, 0])
        w2_line.set_ydata(path[:, 1])
        lam_marker.set_xdata([log_lams[i]])
        on_axis = " — on an axis!" if np.any(w == 0) else ""
        ax_w.set_title(f"{penalty}, λ = {lams[i]:.3g}: w = ({w[0]:.3f}, {w[1]:.3f}){on_axis}", fontsize=9)
        ax_c.set_title(f"{penalty} optimum vs λ", fontsize=10)
        return round(float(w[0]), 3), round(float(w[1]), 3)

    step = float(np.round(np.diff(log_lams).min(), 6)) if len(log_lams) > 1 else 0.1
    return SliderView(fig, show_penalty, {
        "log_lam": widgets.FloatSlider(value=log_lam, min=log_lams[0], max=log_lams[-1], step=step,
                                       description="log10 λ"),
        "penalty": widgets.ToggleButtons(options=list(paths), value=penalty, description="penalty"),
    }, animated=[path_line, ball_line, level_line, opt_dot, w1_line, w2_line, lam_marker, ax_w.title, ax_c.title])


def weight_templates_view(runs, log_lams, w_block, image_shape=(14, 14), n_classes=10, log_lam=None,
                          penalty="L1"):
    """Notebook 02 §3: the class templates (weights into each output) and the weight histogram along λ.

    ``runs[penalty, 10**log_lams[i]]`` is a dict with ``w`` (flat weights), ``zeros`` (exact zeros) and
    ``valid_loss``; ``w_block`` is the slice of ``w`` holding the input-to-output weight matrix. The
    result is ``(exact zeros, validation loss rounded to 3 decimals)`` of the run shown.
    """
    log_lams = np.asarray(log_lams, float)
    lams = 10.0**log_lams
    penalties = sorted({p for p, _ in runs})
    log_lam = log_lams[len(log_lams) // 2] if log_lam is None else log_lam
    w_max = max(np.abs(run["w"][w_block]).max() for run in runs.values())
    bins = np.linspace(-w_max, w_max, 61)  # one fixed set of bins for every run
    h, w_img = image_shape
    per_row = (n_classes + 1) // 2

    def templates(w):
        Wm = w[w_block].reshape(h, w_img, n_classes)
        rows = [np.hstack([Wm[:, :, k] if k < n_classes else np.zeros((h, w_img))
                           for k in range(r * per_row, r * per_row + per_row)]) for r in (0, 1)]
        return np.vstack(rows)

    def run_at(log_lam, penalty):
        i = int(np.argmin(np.abs(log_lams - log_lam)))
        key = next(k for k in runs if k[0] == penalty and np.isclose(k[1], lams[i]))
        return i, runs[key]

    fig, (ax_img, ax_hist) = new_view_figure(width=9.0, height=3.2, ncols=2)
    _, first = run_at(log_lam, penalty)
    image = ax_img.imshow(templates(first["w"]), cmap="RdBu_r", vmin=-1.0, vmax=1.0)
    ax_img.grid(False)
    ax_img.set(xticks=[], yticks=[], xlabel=f"classes 0-{per_row - 1} (top), {per_row}-{n_classes - 1} (bottom)",
               ylabel=f"{h} x {w_img} input weights")
    fig.colorbar(image, ax=ax_img, shrink=0.8, label="weight")
    hist = ax_hist.stairs(np.ones(len(bins) - 1), bins, fill=True, alpha=0.7)
    ax_hist.set(yscale="log", ylim=(0.8, 3000), xlabel="weight value", ylabel="number of weights")

    def show_weights(log_lam, penalty):
        i, run = run_at(log_lam, penalty)
        w = run["w"]
        image.set_data(templates(w))
        hist.set_data(np.maximum(np.histogram(w[w_block], bins)[0], 0.1))
        ax_img.set_title(f"{penalty}, λ = 10^{log_lams[i]:.1f}: {run['zeros']} exact zeros", fontsize=10)
        ax_hist.set_title(f"valid loss {run['valid_loss']:.3f}, |w|₂ = {np.linalg.norm(w):.1f}", fontsize=10)
        return run["zeros"], round(run["valid_loss"], 3)

    step = float(np.round(np.diff(log_lams).min(), 6)) if len(log_lams) > 1 else 0.5
    return SliderView(fig, show_weights, {
        "log_lam": widgets.FloatSlider(value=log_lam, min=log_lams[0], max=log_lams[-1], step=step,
                                       description="log10 λ"),
        "penalty": widgets.ToggleButtons(options=penalties, value=penalty, description="penalty"),
    }, animated=[image, hist, ax_img.title, ax_hist.title])


# --- notebook 14: width as a continuous hyperparameter ---------------------------------------

def class1_probability_grid(model, w, gamma, extent=2.3, resolution=60):
    """P(class 1) of a 2-class :class:`~hpo_teach.models.width.ContinuousWidthMLP` at width γ on a square grid.

    The grid covers ``[-extent, extent]²`` with ``resolution`` points a side; the result is a
    ``(resolution, resolution)`` array, rows along x₂ (for ``imshow(..., origin="lower")``).
    """
    axis = np.linspace(-extent, extent, resolution)
    gx, gy = np.meshgrid(axis, axis)
    logits = model.logits(w, float(gamma), np.column_stack([gx.ravel(), gy.ravel()]))
    return (1.0 / (1.0 + np.exp(logits[:, 0] - logits[:, 1]))).reshape(gx.shape)


def _region_panel(ax, model, w, gamma, X, y, extent, resolution):
    image = ax.imshow(class1_probability_grid(model, w, gamma, extent, resolution),
                      extent=(-extent, extent, -extent, extent), origin="lower", cmap="RdBu_r", vmin=0, vmax=1,
                      alpha=0.5)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", s=8, edgecolors="k", linewidths=0.2)
    ax.set(xlabel="$x_1$", ylabel="$x_2$")
    return image, ax.set_title(" ")


def frozen_width_view(model, w, X, y, gamma_grid, curve, gamma=6.5, trained_at=6.5, step=0.05, extent=2.3,
                      resolution=60):
    """Notebook 14 §7.1: weights frozen, γ moves. Left: the training loss L(γ) (``curve`` on ``gamma_grid``,
    dashed: it is a training curve) with the current point; right: the γ-width net's decision regions on the
    training points ``X, y`` (2 classes, 2 inputs).

    The slider spans ``gamma_grid``. The result is a dict with ``gamma``, ``loss`` (training cross-entropy)
    and ``error`` (training error, a fraction) at the γ shown.
    """
    gamma_grid, curve = np.asarray(gamma_grid, float), np.asarray(curve, float)
    fig, (ax_curve, ax_region) = new_view_figure(width=9, height=3.6, ncols=2)
    ax_curve.plot(gamma_grid, curve, "--", color="C0", label="training loss L(γ)")
    ax_curve.set(xlabel="γ (width, weights frozen)", ylabel="training cross-entropy", yscale="log",
                 title=f"Frozen weights (trained at γ = {trained_at:g})")
    (point,) = ax_curve.plot([gamma], [model.loss(w, float(gamma), X, y)], "o", color="C3", label="γ shown")
    ax_curve.legend(fontsize=8, loc="upper right")
    region, region_title = _region_panel(ax_region, model, w, gamma, X, y, extent, resolution)

    def show_gamma(gamma):
        loss = model.loss(w, float(gamma), X, y)
        point.set_data([gamma], [loss])
        region.set_data(class1_probability_grid(model, w, gamma, extent, resolution))
        error = model.error(w, float(gamma), X, y)
        region_title.set_text(f"γ = {gamma:.2f}: training error {error:.0%}")
        return {"gamma": gamma, "loss": loss, "error": error}

    slider = widgets.FloatSlider(value=gamma, min=float(gamma_grid[0]), max=float(gamma_grid[-1]), step=step,
                                 description="γ")
    return SliderView(fig, show_gamma, {"gamma": slider},
                      animated=[point, region, region_title])  # axes stay fixed: blit only what changes


def width_descent_view(model, run, X_valid, y_valid, step=0, extent=2.3, resolution=60):
    """Notebook 14 §7.2: the steps of one γ-descent run on the validation loss (``descend(..., valid=...,
    keep_every=n)``). Left: γ(t), with the training loss (dashed) and the validation loss (solid) on a second
    axis; right: the decision regions at the kept step, on the validation points.

    The slider moves over the kept steps (``run.snapshots``). The result is a dict with ``step``, ``gamma``
    and ``valid_error`` (a fraction) at the step shown.
    """
    kept = np.array(sorted(run.snapshots))
    if len(kept) < 2:
        raise ValueError("run must keep at least two snapshots; pass keep_every=n to descend")
    steps_axis = np.arange(1, len(run.gammas) + 1)
    fig, (ax_run, ax_map) = new_view_figure(width=9, height=3.6, ncols=2)
    ax_run.plot(steps_axis, run.gammas, color="C2", lw=0.8)
    ax_run.set(xlabel="step", ylabel="γ (green)", title="γ-descent on the validation loss")
    ax_loss = ax_run.twinx()
    ax_loss.plot(steps_axis, run.train_losses, "--", color="gray", lw=0.8, label="training loss")
    if run.valid_losses is not None:
        ax_loss.plot(steps_axis, run.valid_losses, "-", color="k", lw=0.8, label="validation loss")
    ax_loss.set(ylabel="cross-entropy", yscale="log")
    ax_loss.legend(fontsize=7, loc="center right")
    step_line = ax_run.axvline(step, color="C3")
    w0, gamma0 = run.snapshots[int(kept[np.argmin(np.abs(kept - step))])]
    region, map_title = _region_panel(ax_map, model, w0, gamma0, X_valid, y_valid, extent, resolution)

    def show_step(step):
        step = int(kept[np.argmin(np.abs(kept - step))])  # the nearest kept step
        w, gamma = run.snapshots[step]
        step_line.set_xdata([step, step])
        region.set_data(class1_probability_grid(model, w, gamma, extent, resolution))
        error = model.error(w, gamma, X_valid, y_valid)
        map_title.set_text(f"step {step}: γ = {gamma:.2f}, validation error {error:.0%}")
        return {"step": step, "gamma": gamma, "valid_error": error}

    slider = widgets.IntSlider(value=step, min=int(kept[0]), max=int(kept[-1]), step=int(np.min(np.diff(kept))),
                               description="step")
    return SliderView(fig, show_step, {"step": slider}, animated=[step_line, region, map_title])
