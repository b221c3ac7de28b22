"""Slider views of notebooks 06-08 (optimizers, black-box search, unrolled hypergradients).

Each function builds one :class:`~hpo_teach.viz.widgets.SliderView` from numbers the notebook has
already computed (or, for the optimizer playground, from surfaces and the update rules), so the
notebook shows it in one line. ``tests/test_tuning_views.py`` builds each view on small data and moves
every slider over its range.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import NullLocator

from ..training import optim
from ..training.optim import make_optimizer, minimize
from .plots import plot_contours
from .widgets import SliderView, new_view_figure


# --- notebook 06: the optimizer playground -------------------------------------------------

def optimizer_kwargs(optimizer, lr, beta=0.9, beta2=0.999, eps=1e-8, adamw_decay=0.1):
    """The keyword arguments each optimizer takes, from the slider values."""
    if optimizer == "sgd":
        return dict(lr=lr)
    if optimizer in ("momentum", "nesterov"):
        return dict(lr=lr, beta=beta)
    if optimizer == "rmsprop":
        return dict(lr=lr, rho=beta, eps=eps)
    extra = dict(weight_decay=adamw_decay) if optimizer == "adamw" else {}
    return dict(lr=lr, b1=beta, b2=beta2, eps=eps, **extra)


def optimizer_view(surfaces, n_steps=200, adamw_decay=0.1):
    """Optimizers on 2-D surfaces: one panel per surface plus the loss curve.

    ``surfaces`` maps a name to ``(surface, grad_fn, start)``. Each slider move runs ``n_steps``
    steps of the chosen optimizer from ``start`` and redraws; a run that blows up stops and says
    so in the loss panel's title. The callback returns ``(steps completed, final loss)``.
    """
    fig, axes = new_view_figure(width=11, height=3.1, ncols=len(surfaces) + 1, dpi=72)
    paths, ends = {}, {}
    for ax, (name, (surface, _, start)) in zip(axes, surfaces.items()):
        plot_contours(ax, surface.f, surface.xlim, surface.ylim, levels=15, log=True, resolution=80, title=name)
        ax.title.set_fontsize(9)
        ax.plot(*surface.minimum, "*", color="k", markersize=10)
        ax.plot(*start, "o", color="C3")
        (paths[name],) = ax.plot([], [], ".-", color="C3", markersize=2, linewidth=1)
        (ends[name],) = ax.plot([], [], "x", color="C3", markersize=9, markeredgewidth=2)
    ax_loss = axes[-1]
    (loss_line,) = ax_loss.semilogy([0], [1.0], color="C3")
    ax_loss.set(xlim=(0, n_steps), ylim=(1e-12, 1e6), xlabel="step", ylabel="loss f(w)")
    ax_loss.set_title(f"loss after {n_steps} steps", fontsize=9)

    def show(surface, optimizer, lr, beta, beta2, eps):
        surf, grad_fn, start = surfaces[surface]
        opt = make_optimizer(optimizer, **optimizer_kwargs(optimizer, lr, beta, beta2, eps, adamw_decay))
        with np.errstate(all="ignore"):  # overflow on the way to divergence is expected; minimize stops there
            path = minimize(grad_fn, np.array(start), opt, n_steps, on_diverge="stop")
            losses = surf.f(path.T)
        n_done = len(path) - 1
        for name in surfaces:
            shown = path if name == surface else np.empty((0, 2))
            paths[name].set_data(shown[:, 0], shown[:, 1])
            ends[name].set_data(shown[-1:, 0], shown[-1:, 1])
        loss_line.set_data(np.arange(len(path)), np.maximum(losses, 1e-300))
        diverged = n_done < n_steps
        ax_loss.title.set_text(f"DIVERGED at step {n_done + 1}: lower lr" if diverged
                               else f"loss {losses[-1]:.2g} after {n_steps} steps")
        ax_loss.title.set_color("C3" if diverged else "k")
        return n_done, float(losses[-1])

    first = next(iter(surfaces))
    return SliderView(fig, show, {
        "surface": widgets.Dropdown(options=list(surfaces), value=first, description="surface"),
        "optimizer": widgets.Dropdown(options=list(optim.OPTIMIZERS), value="momentum", description="optimizer"),
        "lr": widgets.FloatLogSlider(value=0.1, base=10, min=-4, max=1, step=0.05, description="lr",
                                     readout_format=".2g"),
        "beta": widgets.FloatSlider(value=0.9, min=0.0, max=0.999, step=0.001, description="β (β₁, ρ)",
                                    readout_format=".3f"),
        "beta2": widgets.FloatSlider(value=0.999, min=0.0, max=0.9999, step=0.0001, description="β₂",
                                     readout_format=".4f"),
        "eps": widgets.FloatLogSlider(value=1e-8, base=10, min=-10, max=0, step=0.5, description="ε",
                                      readout_format=".0e"),
    }, animated=[*paths.values(), *ends.values(), loss_line, ax_loss.title])


# --- notebook 07: what each search method knows after a given budget -----------------------

def incumbent_at(run, steps):
    """A search's best validation error after ``steps`` steps spent (NaN before its first trial ends)."""
    spent, best = run.budget.incumbent_curve()
    k = np.searchsorted(spent, steps, side="right")
    return np.where(k > 0, best[np.maximum(k - 1, 0)], np.nan)


def _log_coords(trials):
    return np.log10([t.config["lr"] for t in trials]), np.log10([t.config["l2"] for t in trials])


def ledger_view(methods, colors, error_map, extent, full_steps, max_steps=None):
    """Each method's incumbent curve with a cursor, and the trials paid for so far on the (lr, L2) map.

    ``methods`` maps a name to a list of search results (one per repeat, each with ``.budget`` and
    ``.trials`` whose configs hold ``"lr"`` and ``"l2"``); ``error_map`` (lr x L2, fractions) is drawn
    under the trials over ``extent`` (log10 lr and log10 L2 limits). The callback returns each
    method's incumbent error in % (None before its first trial ends).
    """
    n_repeats = min(len(runs) for runs in methods.values())
    if max_steps is None:
        max_steps = max(r.steps for runs in methods.values() for r in runs)
    fig, (ax_led, ax_pl) = new_view_figure(width=9, height=3.3, ncols=2)
    ax_pl.imshow(100 * np.asarray(error_map).T, origin="lower", extent=extent, aspect="auto", cmap="viridis_r",
                 alpha=0.6)
    ax_pl.set(xlabel="log10 learning rate", ylabel="log10 L2 strength", xlim=extent[:2], ylim=extent[2:],
              title="Trials paid for so far (stars: incumbents)")
    curves, points, stars, marks = {}, {}, {}, {}
    for name in methods:
        color = colors[name]
        (curves[name],) = ax_led.step([], [], where="post", color=color, label=name)
        (marks[name],) = ax_led.plot([], [], "o", color=color)
        points[name] = ax_pl.scatter([], [], s=[], facecolor="none", edgecolor=color, lw=1.2)
        (stars[name],) = ax_pl.plot([], [], "*", color=color, ms=14, mec="k")
    cursor = ax_led.axvline(0, color="gray", ls=":")
    ax_led.set(xlim=(0, max_steps), ylim=(10, 90), yscale="log", xlabel="training steps spent",
               ylabel="best validation error so far (%)", title="Incumbent vs steps spent, one repeat")
    ax_led.set_yticks([10, 12, 15, 20, 30, 50, 90], labels=["10", "12", "15", "20", "30", "50", "90"])
    ax_led.yaxis.set_minor_locator(NullLocator())
    ax_led.legend(fontsize=7, loc="upper right")

    def show(steps, repeat):
        incumbents = {}
        for name, runs in methods.items():
            run = runs[repeat]
            spent, best = run.budget.incumbent_curve()
            curves[name].set_data(spent, 100 * best)
            paid = [t for t in run.trials if t.total_steps <= steps]
            value = incumbent_at(run, steps)
            incumbents[name] = None if np.isnan(value) else round(100 * float(value), 1)
            marks[name].set_data([steps], [100 * value] if paid else [np.nan])
            if paid:
                x, y = _log_coords(paid)
                points[name].set_offsets(np.c_[x, y])
                points[name].set_sizes([12 + 60 * t.n_steps / full_steps for t in paid])
                top = min(paid, key=lambda t: t.score)
                stars[name].set_data([np.log10(top.config["lr"])], [np.log10(top.config["l2"])])
            else:
                points[name].set_offsets(np.empty((0, 2)))
                stars[name].set_data([], [])
        cursor.set_xdata([steps, steps])
        return incumbents

    changing = [*curves.values(), *marks.values(), *points.values(), *stars.values(), cursor]
    # axes, titles and legend stay fixed, so the view redraws only the artists above (blitting)
    return SliderView(fig, show, {
        "steps": widgets.IntSlider(value=min(9 * full_steps, max_steps), min=0, max=max_steps, step=30,
                                   description="steps spent"),
        "repeat": widgets.IntSlider(value=0, min=0, max=n_repeats - 1, description="repeat")}, animated=changing)


# --- notebook 08: the tangent the hypergradient gives ---------------------------------------

def tangent_view(log_lambdas, f_values, slopes):
    """Validation loss against log λ with the tangent line the hypergradient gives at the nearest grid point.

    The callback returns ``(f, df/dlog λ)`` at that grid point.
    """
    log_lambdas, f_values, slopes = map(np.asarray, (log_lambdas, f_values, slopes))
    fig, ax = new_view_figure(width=7, height=3.6)
    ax.plot(log_lambdas, f_values, "o-", label="validation loss after training")
    ax.set(xlabel="log λ (L2 strength)", ylabel="validation cross-entropy",
           ylim=(f_values.min() - 0.15, f_values.max() + 0.15), xlim=(log_lambdas[0] - 0.5, log_lambdas[-1] + 0.5))
    (tangent,) = ax.plot([], [], "r-", lw=2, label="tangent from the hypergradient")
    (point,) = ax.plot([], [], "ro", ms=8)
    ax.legend(loc="upper center", fontsize=8)

    def show(log_lambda):
        i = int(np.argmin(np.abs(log_lambdas - log_lambda)))
        x = np.array([log_lambdas[i] - 1.0, log_lambdas[i] + 1.0])
        tangent.set_data(x, f_values[i] + slopes[i] * (x - log_lambdas[i]))
        point.set_data([log_lambdas[i]], [f_values[i]])
        ax.set_title(f"log λ = {log_lambdas[i]:.1f}: f = {f_values[i]:.3f}, df/dlog λ = {slopes[i]:+.3f}")
        return float(f_values[i]), float(slopes[i])

    step = float(np.min(np.diff(log_lambdas))) if len(log_lambdas) > 1 else 0.5
    start = float(log_lambdas[len(log_lambdas) // 3])
    return SliderView(fig, show, {"log_lambda": widgets.FloatSlider(
        value=start, min=float(log_lambdas[0]), max=float(log_lambdas[-1]), step=step, description="log λ")},
        animated=[tangent, point, ax.title])
