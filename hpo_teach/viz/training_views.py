"""Slider views of notebooks 03-05 (and 03b): regularizer grids, the learning rate on a quadratic, init scale by depth.

Each function builds the figure, the sliders and the callback, and returns a
:class:`~hpo_teach.viz.widgets.SliderView`; the notebook shows it in one line, and
``tests/test_training_views.py`` moves every slider over its range. The callbacks return the numbers
the view shows, so a test (or a curious learner) can read them.

- :func:`regularizer_grid_view` (notebooks 03 and 03b): precomputed runs over a dropout rate or a noise scale;
  :func:`print_regularizer_table` prints their final numbers.
- :func:`quadratic_lr_view` (notebook 04): gradient descent on a quadratic bowl, slider over the rate.
- :func:`init_scale_view` (notebook 05): a deep net's hidden outputs and gradients as the init gain changes.
"""

import ipywidgets as widgets
import numpy as np

from ..training.diagnostics import hidden_layers, layer_gradient_norms
from ..training.optim import SGD, minimize
from .plots import plot_contours
from .widgets import SliderView, new_view_figure


def print_regularizer_table(runs, name):
    """Print final train/valid error and loss of each run of a regularizer grid, and the loss gap
    (``runs`` as :func:`hpo_teach.training.loop.fit_and_score` returns them, keyed by the value)."""
    print(f"{name:>5} {'train err %':>11} {'valid err %':>11} {'train loss':>10} {'valid loss':>10} {'loss gap':>8}")
    for v, r in runs.items():
        print(f"{v:5.1f} {100 * r['train_err']:11.1f} {100 * r['valid_err']:11.1f} {r['train_loss']:10.3f} "
              f"{r['valid_loss']:10.3f} {r['valid_loss'] - r['train_loss']:8.3f}")


def regularizer_grid_view(runs, name, symbol):
    """A slider over precomputed runs, one per value of a regularizer (notebooks 03 and 03b).

    ``runs`` maps each value (e.g. a dropout rate) to a dict (as
    :func:`hpo_teach.training.loop.fit_and_score` returns) with ``hist`` (a training history with
    ``steps``, ``train_error``, ``valid_error``), ``train_err``, ``valid_err``, ``train_loss`` and
    ``valid_loss`` (final numbers, the training loss without dropout or noise). Left: error curves
    during training (train dashed, validation solid). Right: final losses for every value; the black
    bar is the train/valid gap of the selected run. Returns the view; its callback returns
    ``(train error %, valid error %, loss gap)`` of the selected run.
    """
    values = list(runs)
    fig, (ax_c, ax_g) = new_view_figure(width=9, height=3.3, ncols=2)
    first = runs[values[0]]["hist"]
    steps = first.steps
    (tr_line,) = ax_c.plot(steps, 100 * np.array(first.train_error), "--", color="C0", label="train error")
    (va_line,) = ax_c.plot(steps, 100 * np.array(first.valid_error), "-", color="C1", label="valid error")
    top = max(100 * max(list(r["hist"].valid_error) + list(r["hist"].train_error)) for r in runs.values())
    ax_c.set(xlim=(0, steps[-1]), ylim=(0, 1.05 * top), xlabel="gradient evaluations (minibatch steps)",
             ylabel="error (%)")
    ax_c.legend(loc="upper right", fontsize=8)
    ax_g.plot(values, [r["train_loss"] for r in runs.values()], "o--", color="C0",
              label="train loss (full set, no dropout or noise)")
    ax_g.plot(values, [r["valid_loss"] for r in runs.values()], "s-", color="C1", label="valid loss")
    (bar,) = ax_g.plot([], [], "k-", lw=3, label="gap of selected run")
    ax_g.set(xlabel=f"{name} {symbol}", ylabel="cross-entropy after training", ylim=(0, None))
    ax_g.legend(fontsize=8)

    def update(value):
        r = runs[value]
        tr_line.set_ydata(100 * np.array(r["hist"].train_error))
        va_line.set_ydata(100 * np.array(r["hist"].valid_error))
        gap = r["valid_loss"] - r["train_loss"]
        bar.set_data([value, value], [r["train_loss"], r["valid_loss"]])
        ax_c.set_title(f"{symbol} = {value}: train {100 * r['train_err']:.1f}%, valid {100 * r['valid_err']:.1f}%")
        ax_g.set_title(f"loss gap {gap:.3f}")
        return round(100 * r["train_err"], 1), round(100 * r["valid_err"], 1), round(gap, 3)

    slider = widgets.SelectionSlider(options=values, value=values[0], description=symbol)
    return SliderView(fig, update, {"value": slider}, animated=[tr_line, va_line, bar, ax_c.title, ax_g.title])


def quadratic_lr_view(bowl, n_steps=50, lr=0.1, lr_range=(1e-3, 10**-0.5)):
    """Gradient descent on a quadratic ``bowl`` with a log slider over the learning rate (notebook 04).

    ``bowl`` is a :func:`hpo_teach.training.surfaces.quadratic` surface. Left: ``n_steps`` steps over
    the contours; right: the loss against the step. The title shows both contraction factors
    ``|1 - lr * lambda_i|``; a run whose weights leave the picture (``|w| > 1e4``) is stopped and the
    view says at which step. The callback returns ``(steps run, last loss, worst factor)``.
    """
    curvatures = np.linalg.eigvalsh(bowl.hessian)
    L = curvatures[-1]
    w_start = np.array(bowl.start, dtype=float)
    fig, (ax_path, ax_loss) = new_view_figure(width=9, height=3.6, ncols=2)
    plot_contours(ax_path, bowl.f, bowl.xlim, bowl.ylim, levels=12, resolution=80)
    (path_line,) = ax_path.plot([], [], ".-", color="C3", markersize=3, linewidth=1)
    (end_marker,) = ax_path.plot([], [], "x", color="C3", markersize=9, markeredgewidth=2)
    ax_path.plot(*w_start, "o", color="C3")
    (loss_line,) = ax_loss.semilogy([0], [1.0], color="C3")
    ax_loss.set(xlim=(0, n_steps), ylim=(1e-12, 1e8), xlabel="step", ylabel="loss f(w)")

    def update(lr):
        path = minimize(bowl.grad, w_start, SGD(lr), n_steps, on_diverge="stop", limit=1e4)
        losses = bowl(path.T)
        path_line.set_data(path[:, 0], path[:, 1])
        end_marker.set_data(path[-1:, 0], path[-1:, 1])
        loss_line.set_data(np.arange(len(path)), np.maximum(losses, 1e-300))
        factors = np.abs(1 - lr * curvatures)
        ax_path.set_title(f"lr = {lr:.3g} (2/L = {2 / L:.3g}): factors {factors[0]:.2f}, {factors[-1]:.2f}",
                          fontsize=9)
        stopped = len(path) - 1 < n_steps
        verdict = f"diverged: stopped at step {len(path) - 1}" if stopped else f"after {n_steps} steps: {losses[-1]:.2g}"
        ax_loss.set_title(f"loss vs step ({verdict})", fontsize=9)
        return len(path) - 1, float(losses[-1]), float(factors.max())

    low, high = np.log10(lr_range[0]), np.log10(lr_range[1])
    slider = widgets.FloatLogSlider(value=lr, base=10, min=low, max=high, step=0.02, description="lr",
                                    readout_format=".3g")
    return SliderView(fig, update, {"lr": slider},
                      animated=[path_line, end_marker, loss_line, ax_path.title, ax_loss.title])


def init_scale_view(nets, base_w, X, y, gain_exponents=np.arange(-2, 2.01, 0.25), show_layers=None,
                    progress=None):
    """Hidden outputs and gradients of deep nets as the initial weight scale changes (notebook 05).

    ``nets`` maps an activation name to an MLP (all of the same sizes, biases initialized to 0);
    ``base_w`` maps an init scheme to its weights at gain 1, so the weights at gain g are
    ``g * base_w[scheme]``. Every (activation, scheme, gain = 2**e) setting is computed first on the
    rows of ``X`` (labels ``y``), so the sliders only redraw. Left: each hidden layer's spread across
    examples (the std over examples of each unit, averaged over units: what tells digits apart)
    and, dotted, the std over examples and units together (which also counts fixed differences
    between units). Middle: ``||dL/dW_l||`` per layer. Right: histograms of three hidden layers'
    outputs (values clipped to [-1.2, 1.2]). ``progress`` wraps the list of (activation, scheme) pairs
    (e.g. ``tqdm``). The callback returns ``(gain used, per-unit std ratio last/first hidden layer,
    gradient ratio first/last layer, first layer's gradient norm)``.
    """
    acts, schemes = list(nets), list(base_w)
    some_net = nets[acts[0]]
    n_hidden, n_layers = some_net.n_layers - 1, some_net.n_layers
    show_layers = tuple(show_layers or (1, (n_hidden + 1) // 2, n_hidden))
    bins = np.linspace(-1.2, 1.2, 49)
    exponents = np.asarray(gain_exponents, dtype=float)

    def frame(act, scheme, gain):
        net, w = nets[act], gain * base_w[scheme]
        outputs = [H for _, H in hidden_layers(net, w, X)]
        hists = [np.histogram(np.clip(outputs[k - 1], -1.19, 1.19), bins=bins)[0] / outputs[0].size
                 for k in show_layers]
        per_unit = np.array([np.mean(H.std(axis=0)) for H in outputs])
        overall = np.array([H.std() for H in outputs])
        return per_unit, overall, layer_gradient_norms(net, w, X, y), hists

    pairs = [(a, s) for a in acts for s in schemes]
    frames = {(a, s, e): frame(a, s, 2.0**e) for a, s in (progress(pairs) if progress else pairs) for e in exponents}

    fig, (ax_std, ax_grad, ax_hist) = new_view_figure(width=11, height=3.4, ncols=3)
    hidden_ids, layer_ids = np.arange(1, n_hidden + 1), np.arange(1, n_layers + 1)
    (std_line,) = ax_std.semilogy(hidden_ids, np.ones(n_hidden), "o-", ms=3, label="per unit, across examples")
    (all_line,) = ax_std.semilogy(hidden_ids, np.ones(n_hidden), ":", color="0.4", label="over examples and units")
    ax_std.set(xlim=(0.5, n_hidden + 0.5), ylim=(1e-16, 1e3), xlabel="hidden layer l", ylabel="std of outputs $H_l$")
    ax_std.legend(fontsize=7, loc="lower left")
    (grad_line,) = ax_grad.semilogy(layer_ids, np.ones(n_layers), "o-", ms=3, color="C1")
    ax_grad.set(xlim=(0.5, n_layers + 0.5), ylim=(1e-16, 1e6), xlabel="layer l", ylabel=r"$\|\partial L/\partial W_l\|$",
                title="gradient per layer")
    centres = 0.5 * (bins[1:] + bins[:-1])
    hist_lines = [ax_hist.semilogy(centres, np.ones(len(centres)), drawstyle="steps-mid", label=f"layer {k}")[0]
                  for k in show_layers]
    ax_hist.set(xlim=(-1.25, 1.25), ylim=(1e-4, 1.5), xlabel="output value (clipped)",
                ylabel="fraction of outputs", title="histograms of hidden outputs")
    ax_hist.legend(fontsize=8, loc="upper left")

    def update(activation_name, scheme, gain):
        e = exponents[np.argmin(np.abs(exponents - np.log2(gain)))]  # the nearest precomputed gain
        per_unit, overall, norms, hists = frames[activation_name, scheme, e]
        std_line.set_ydata(np.maximum(per_unit, 1e-30))
        all_line.set_ydata(np.maximum(overall, 1e-30))
        grad_line.set_ydata(np.maximum(norms, 1e-30))
        for line, h in zip(hist_lines, hists):
            line.set_ydata(np.where(h > 0, h, np.nan))
        ratio = per_unit[-1] / per_unit[0]
        ax_std.set_title(f"spread across examples, layer {n_hidden} / layer 1: {ratio:.1e}", fontsize=9)
        return 2.0**e, ratio, norms[0] / norms[-1], norms[0]

    default_act = "tanh" if "tanh" in acts else acts[0]
    default_scheme = "glorot" if "glorot" in schemes else schemes[0]
    sliders = {"activation_name": widgets.ToggleButtons(options=acts, value=default_act, description="activation"),
               "scheme": widgets.ToggleButtons(options=schemes, value=default_scheme, description="init"),
               "gain": widgets.FloatLogSlider(value=1.0, base=2, min=float(exponents.min()),
                                              max=float(exponents.max()), step=0.25, description="gain",
                                              readout_format=".2f")}
    return SliderView(fig, update, sliders, animated=[std_line, all_line, grad_line, *hist_lines, ax_std.title])
