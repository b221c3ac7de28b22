"""Slider views of notebooks 06-08, 07b and 15 (optimizers, black-box search, Bayesian optimization,
unrolled hypergradients, the capstone's ranking).

Each function builds one :class:`~hpo_teach.viz.widgets.SliderView` from numbers the notebook has
already computed (or, for the optimizer playground, from surfaces and the update rules), so the
notebook shows it in one line. ``tests/test_tuning_views.py`` builds each view on small data and moves
every slider over its range.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import NullLocator

from ..search import bayesopt
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
            value = run.budget.best_at(steps)
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


# --- notebook 07b: a GP on a 1-D slice, and where each acquisition would look next ---------

def bo_slice_view(gps, u_obs, y_obs, curve_x, curve_y, x_range=(-3.0, 1.0), n_initial=3, n=5, xi=0.01, kappa=2.0,
                  xlabel="log10 learning rate", n_grid=201):
    """Notebook 07b: the GP posterior after ``n`` observations on a 1-D slice, and EI, PI and UCB below it.

    ``gps[k]`` is the GP a run fitted to its first ``n_initial + k`` scores, standardized by their mean and
    standard deviation (as :func:`~hpo_teach.search.bayesopt.bayesian_optimization` keeps them with
    ``keep_gps=True``); ``u_obs`` are the run's trials on the unit interval, in order, ``y_obs`` their scores
    (fractions). The x axis shows ``x = lo + (hi - lo) u`` for ``x_range = (lo, hi)``; ``curve_x, curve_y``
    (fractions) are the dense objective drawn in gray. The sliders: observations (``n_initial`` to
    ``len(u_obs) - 1``; the dotted line is the proposal the run made next), EI and PI's ξ, UCB's κ.
    The callback returns each acquisition's proposal on the x axis, rounded to 2 decimals.
    """
    u_obs, y_obs = np.asarray(u_obs, float), np.asarray(y_obs, float)
    lo, hi = map(float, x_range)
    u_grid = np.linspace(0, 1, n_grid)
    x = lo + (hi - lo) * u_grid
    n_max = min(len(u_obs) - 1, n_initial + len(gps) - 1)
    fig, (ax_gp, ax_acq) = new_view_figure(width=8, height=5.2, nrows=2)
    ax_gp.plot(curve_x, 100 * np.asarray(curve_y), color="gray", lw=1, label=f"objective ({len(curve_x)} trainings)")
    (mean_line,) = ax_gp.plot([], [], color="C0", label="GP mean")
    band = ax_gp.fill_between(x, 0, 0, color="C0", alpha=0.2, label="±2σ")
    (obs_dots,) = ax_gp.plot([], [], "ko", ms=5, label="observations")
    (next_line,) = ax_gp.plot([], [], color="C3", ls=":", lw=1.5, label="next (EI, as run)")
    ax_gp.set(xlim=(lo, hi), ylim=(0, 100), xlabel=xlabel, ylabel="validation error (%)",
              title="GP posterior on the slice")
    ax_gp.legend(fontsize=7, loc="upper left", ncol=2)
    acq_lines = {name: ax_acq.plot([], [], color=c, label=name)[0] for name, c in (("EI", "C3"), ("PI", "C2"),
                                                                                   ("UCB", "C1"))}
    acq_marks = {name: ax_acq.plot([], [], "v", color=line.get_color(), ms=8)[0] for name, line in acq_lines.items()}
    ax_acq.set(xlim=(lo, hi), ylim=(-0.05, 1.1), xlabel=xlabel, ylabel="acquisition (max = 1)",
               title="Acquisitions and their proposals (triangles)")
    ax_acq.legend(fontsize=7, loc="upper left")

    def show_slice(n, xi, kappa):
        seen = y_obs[:n]
        mu, sd = seen.mean(), seen.std()
        sd = sd if sd > 0 else 1.0
        mean, std = gps[n - n_initial].predict(u_grid[:, None])
        best = ((seen - mu) / sd).min()
        acq = {"EI": bayesopt.expected_improvement(mean, std, best, xi),
               "PI": bayesopt.probability_of_improvement(mean, std, best, xi),
               "UCB": bayesopt.upper_confidence_bound(mean, std, kappa)}
        mean_line.set_data(x, 100 * (mu + sd * mean))
        lower, upper = 100 * (mu + sd * (mean - 2 * std)), 100 * (mu + sd * (mean + 2 * std))
        band.set_verts([np.r_[np.c_[x, lower], np.c_[x[::-1], upper[::-1]]]])
        obs_dots.set_data(lo + (hi - lo) * u_obs[:n], 100 * seen)
        next_line.set_data([lo + (hi - lo) * u_obs[n]] * 2, [0, 100])  # the proposal the run actually made
        proposals = {}
        for name, values in acq.items():
            values = np.asarray(values, dtype=float)
            if name == "UCB":  # it can be negative: scale its range to [0, 1]
                scaled = (values - values.min()) / max(values.max() - values.min(), 1e-300)
            else:
                scaled = values / max(values.max(), 1e-300)
            acq_lines[name].set_data(x, scaled)
            k = int(np.argmax(values))
            acq_marks[name].set_data([x[k]], [1.03])
            proposals[name] = round(float(x[k]), 2)
        return proposals

    return SliderView(fig, show_slice, {
        "n": widgets.IntSlider(value=min(max(n, n_initial), n_max), min=n_initial, max=n_max,
                               description="observations"),
        "xi": widgets.FloatSlider(value=xi, min=0.0, max=1.0, step=0.05, description="ξ (EI, PI)"),
        "kappa": widgets.FloatSlider(value=kappa, min=0.0, max=4.0, step=0.5, description="κ (UCB)")},
        animated=[mean_line, band, obs_dots, next_line, *acq_lines.values(), *acq_marks.values()])


# --- notebook 15: the ranking of every method as the budget grows ---------------------------

def ranking_view(curves, budget_grid, steps_per_training, methods=None, budget=None, xlim=(10, 25)):
    """Notebook 15: every method's mean best-so-far validation error at one budget, as sorted bars.

    ``curves[method]`` is a (seeds x ``len(budget_grid)``) array of best-so-far validation errors (fractions,
    NaN before the method's first score), ``budget_grid`` the ledger positions in gradient evaluations;
    the slider is in trainings (``budget_grid / steps_per_training``) and snaps to the grid. The bar's error
    bar is the standard deviation over seeds; a method with no score yet is listed with "(—)". Colours
    follow ``methods`` (default: the order of ``curves``). The callback returns the methods that have a
    score, best first.
    """
    methods = list(curves) if methods is None else list(methods)
    trainings = np.asarray(budget_grid, float) / steps_per_training
    step = float(np.min(np.diff(trainings))) if len(trainings) > 1 else 1.0
    budget = float(trainings[-1]) if budget is None else float(budget)
    fig, ax = new_view_figure(width=7.5, height=3.6)

    def show_ranking(budget):
        k = int(np.argmin(np.abs(trainings - budget)))  # the nearest ledger position
        means, spreads = {}, {}
        for m, c in curves.items():
            column = np.asarray(c, float)[:, k]
            scored = column[np.isfinite(column)]
            means[m] = scored.mean() if scored.size else np.inf
            spreads[m] = scored.std() if scored.size else 0.0
        order = sorted(means, key=means.get)
        ax.cla()
        ys = np.arange(len(order))[::-1]
        values = [100 * means[m] if np.isfinite(means[m]) else 0 for m in order]
        ax.barh(ys, values, xerr=[100 * spreads[m] for m in order],
                color=[f"C{methods.index(m) % 10}" if m in methods else "gray" for m in order])
        ax.set_yticks(ys, [m if np.isfinite(means[m]) else f"{m} (—)" for m in order])
        ax.set(xlim=xlim, xlabel="mean best-so-far validation error (%)",
               title=f"Ranking after {trainings[k]:.2f} trainings ({budget_grid[k]:.0f} gradient evaluations)")
        return [m for m in order if np.isfinite(means[m])]

    return SliderView(fig, show_ranking, {"budget": widgets.FloatSlider(
        value=budget, min=float(trainings[0]), max=float(trainings[-1]), step=step, description="trainings")})
