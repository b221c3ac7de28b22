"""Slider views of notebooks 09, 10a and 10b (reversible learning and its experiments).

Each function takes results a notebook already computed and returns a :class:`SliderView` that only
redraws them (no training in a callback). ``tests/test_reversible_views.py`` builds each view on small
made-up data and moves every slider, so the notebooks need not.
"""

import ipywidgets as widgets
import numpy as np

from .widgets import SliderView, new_view_figure


def mosaic(images, side, ncols=5, pad=2):
    """Tile square images (rows of ``images``) into one array, NaN between tiles (drawn blank)."""
    images = np.asarray(images)
    nrows = -(-len(images) // ncols)
    out = np.full((nrows * (side + pad) - pad, ncols * (side + pad) - pad), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, ncols)
        out[r * (side + pad):r * (side + pad) + side, c * (side + pad):c * (side + pad) + side] = image.reshape(side, side)
    return out


# ---------------------------------------------------------------- notebook 09

def reversal_view(T_grid, naive_error, naive_hist, exact_hist, bin_edges, eps, beta, start=100):
    """Notebook 09 §8: naive vs exact reversal error over T (left) and per weight (right).

    ``naive_error[T]`` is the max error of the naive reversal; ``naive_hist[T]`` and ``exact_hist[T]`` are
    fractions of weights: exactly 0 first, then per bin of log10 |error| over ``bin_edges``.
    """
    grid = np.array(T_grid, dtype=float)
    errors = np.array([naive_error[T] for T in T_grid])
    zero_pos = bin_edges[0] - 4
    positions = np.concatenate([[zero_pos], np.asarray(bin_edges[:-1]) + 2])
    fig, (ax_curve, ax_hist) = new_view_figure(width=9, height=3.4, ncols=2)
    ax_curve.semilogy(grid, errors, "o-", color="C1", label="naive float64")
    ax_curve.semilogy(grid, eps * beta ** (-grid), "--", color="gray", label=r"$\varepsilon\,\beta^{-T}$")
    ax_curve.semilogy(grid, np.full(len(grid), 1e-19), "s", color="C0", clip_on=False,
                      label="exact: error 0 (at the edge)")
    ax_curve.set(ylim=(1e-19, 1e32), xlabel="training steps T", ylabel="max |recovered w0 - w0|")
    ax_curve.legend(fontsize=7, loc="upper left")
    marker_line = ax_curve.axvline(start, color="k", lw=1)
    naive_bars = ax_hist.bar(positions - 0.9, naive_hist[start], width=1.8, color="C1", label="naive")
    exact_bars = ax_hist.bar(positions + 0.9, exact_hist[start], width=1.8, color="C0", label="exact")
    ax_hist.set(ylim=(0, 1.05), xlabel="log10 |recovered - true| per weight", ylabel="fraction of weights",
                title="Recovered w0, weight by weight")
    ticks = [zero_pos] + [b for b in (-16, -8, 0, 8, 16, 24, 32) if bin_edges[0] <= b <= bin_edges[-1]]
    ax_hist.set_xticks(ticks, ["exact 0"] + [str(t) for t in ticks[1:]])
    ax_hist.legend(fontsize=8, loc="upper right")
    title = ax_curve.set_title("")

    def show_T(T):
        marker_line.set_xdata([T, T])
        for bar, h in zip(naive_bars, naive_hist[T]):
            bar.set_height(h)
        for bar, h in zip(exact_bars, exact_hist[T]):
            bar.set_height(h)
        title.set_text(f"T = {T}: naive error {naive_error[T]:.1e}, exact error 0")
        return {"T": T, "naive wrong by > 1e-6": naive_error[T] > 1e-6, "exact bit-exact fraction": float(exact_hist[T][0])}

    return SliderView(fig, show_T, {"T": widgets.SelectionSlider(options=list(T_grid), value=start, description="T")},
                      animated=[marker_line, *naive_bars, *exact_bars, title])


# ---------------------------------------------------------------- notebook 10a

def schedule_view(stored, losses, late, mid):
    """Notebook 10a §3: per-layer learning-rate schedules and the momentum schedule at each meta-iteration.

    ``stored[i] = (alphas (T, L), betas (T,), scales)`` after i meta-steps (one more than ``losses``);
    ``late`` and ``mid`` are slices of steps whose mean rates the callback compares.
    """
    n_meta = len(losses)
    T, L = stored[0][0].shape
    steps = np.arange(T)
    fig, (ax_lr, ax_mom, ax_hl) = new_view_figure(width=11, height=3.4, ncols=3)
    lr_lines = [ax_lr.plot(steps, stored[0][0][:, k], color=f"C{k}", label=f"layer {k + 1}")[0] for k in range(L)]
    ax_lr.set(ylim=(0, 1.1 * max(float(np.max(s[0])) for s in stored)), xlabel="training step t",
              ylabel="learning rate")
    ax_lr.legend(fontsize=8, loc="lower left")
    mom_line, = ax_mom.plot(steps, stored[0][1], color="k")
    ax_mom.set(ylim=(0, 1), xlabel="training step t", ylabel="momentum", title="Momentum schedule")
    ax_hl.plot(np.arange(n_meta), losses, "-", color="gray")
    hl_marker, = ax_hl.plot([0], [losses[0]], "o", color="C3", ms=8)
    ax_hl.set(xlabel="meta-iteration", ylabel="training loss after T steps", title="Hyper-loss")
    lr_title = ax_lr.set_title(" ")

    def show_meta_iteration(meta_iteration):
        alphas, betas = stored[meta_iteration][0], stored[meta_iteration][1]
        for k, line in enumerate(lr_lines):
            line.set_ydata(alphas[:, k])
        mom_line.set_ydata(betas)
        i = min(meta_iteration, n_meta - 1)  # the last stored theta was never trained with: show the last loss
        hl_marker.set_data([i], [losses[i]])
        lr_title.set_text(f"Learning rates, meta-iteration {meta_iteration}")
        late_over_mid = np.mean(alphas[late], axis=0) / np.mean(alphas[mid], axis=0)
        return {"meta_iteration": meta_iteration, "late/mid per layer": [round(float(r), 2) for r in late_over_mid]}

    return SliderView(fig, show_meta_iteration,
                      {"meta_iteration": widgets.IntSlider(value=len(stored) - 1, min=0, max=len(stored) - 1,
                                                           description="meta-iter")},
                      animated=[*lr_lines, mom_line, hl_marker, lr_title])


def init_scale_view(scale_path, d_scale_path, fan_in):
    """Notebook 10a §4: one layer's learned init scale over the meta-iterations and its hypergradient."""
    scale_path, d_scale_path, fan_in = np.asarray(scale_path), np.asarray(d_scale_path), np.asarray(fan_in)
    fig, (ax_s, ax_g) = new_view_figure(width=9, height=3.4, ncols=2)
    scale_line, = ax_s.plot(np.arange(len(scale_path)), scale_path[:, 0], "o-", ms=3)
    fan_line = ax_s.axhline(1 / np.sqrt(fan_in[0]), color="k", ls="--", lw=1, label="1/sqrt(fan_in)")
    ax_s.set(ylim=(0, 1.2 * max(float(scale_path.max()), float(1 / np.sqrt(fan_in.min())))),
             xlabel="meta-iteration", ylabel="initial weight scale")
    ax_s.legend(fontsize=8, loc="lower right")
    grad_line, = ax_g.plot(np.arange(len(d_scale_path)), d_scale_path[:, 0], "o-", ms=3, color="C3")
    ax_g.axhline(0, color="gray", lw=0.8)
    span = float(np.abs(d_scale_path).max()) or 1.0
    ax_g.set(ylim=(-1.05 * span, 1.05 * span), xlabel="meta-iteration", ylabel=r"$\partial f / \partial \log s_k$",
             title="Hypergradient of the log scale")
    scale_title = ax_s.set_title(" ")

    def show_layer(layer):
        k = layer - 1
        scale_line.set_ydata(scale_path[:, k])
        scale_line.set_color(f"C{k}")
        fan_line.set_ydata([1 / np.sqrt(fan_in[k])] * 2)
        grad_line.set_ydata(d_scale_path[:, k])
        scale_title.set_text(f"Layer {layer}: {scale_path[0, k]:.3f} -> {scale_path[-1, k]:.3f} "
                             f"(1/sqrt({fan_in[k]}) = {1 / np.sqrt(fan_in[k]):.3f})")
        return {"layer": layer, "final scale": round(float(scale_path[-1, k]), 2)}

    return SliderView(fig, show_layer,
                      {"layer": widgets.IntSlider(value=1, min=1, max=scale_path.shape[1], description="layer")},
                      animated=[scale_line, fan_line, grad_line, scale_title])


def chaos_view(log_alphas, f_scan, g_scan, onsets, threshold, f_diverged=1.0):
    """Notebook 10a §5: the hyper-loss and |hypergradient| scan for one horizon T, with a marker.

    ``f_scan[T]`` and ``g_scan[T]`` are arrays over ``log_alphas`` (NaN where training diverged). A point
    is "diverged" when training failed (NaN, or f above ``f_diverged``), "chaotic" when |g| > ``threshold``
    with the loss still small, "smooth" otherwise.
    """
    log_alphas = np.asarray(log_alphas, dtype=float)
    horizons = list(f_scan)
    last = horizons[-1]
    fig, (ax_f, ax_g) = new_view_figure(width=9, height=3.4, ncols=2)
    f_line, = ax_f.plot(log_alphas, np.nan_to_num(f_scan[last], nan=2.5), "o-", ms=3)
    f_marker, = ax_f.plot([log_alphas[0]], [np.nan_to_num(f_scan[last][0], nan=2.5)], "o", color="C3", ms=9)
    ax_f.axhline(f_diverged, color="gray", ls=":", lw=0.8)
    ax_f.set(xlim=(log_alphas[0] - 0.1, log_alphas[-1] + 0.1), ylim=(0, 2.5), xlabel=r"$\log \alpha$",
             ylabel="training loss after T steps")
    clip = 1e-4  # a zero or missing (diverged) value is drawn at the bottom edge
    g_line, = ax_g.semilogy(log_alphas, np.clip(np.nan_to_num(np.abs(g_scan[last]), nan=1e13), clip, None), "o-",
                            ms=3, color="C1")
    g_marker, = ax_g.semilogy([log_alphas[0]], [clip], "o", color="C3", ms=9)
    onset_line = ax_g.axvline(onsets[last], color="k", ls=":", lw=1)
    ax_g.axhline(threshold, color="gray", ls="--", lw=0.8)
    ax_g.set(xlim=(log_alphas[0] - 0.1, log_alphas[-1] + 0.1), ylim=(clip, 1e13), xlabel=r"$\log \alpha$",
             ylabel=r"$|\partial f / \partial \log \alpha|$")
    f_title, g_title = ax_f.set_title(" "), ax_g.set_title(" ")

    def show_scan(T_steps, log_alpha):
        i = int(np.argmin(np.abs(log_alphas - log_alpha)))
        f, g = np.asarray(f_scan[T_steps]), np.asarray(g_scan[T_steps])
        f_line.set_ydata(np.nan_to_num(f, nan=2.5))
        g_line.set_ydata(np.clip(np.nan_to_num(np.abs(g), nan=1e13), clip, None))
        f_marker.set_data([log_alphas[i]], [np.nan_to_num(f[i], nan=2.5)])
        g_marker.set_data([log_alphas[i]], [max(np.nan_to_num(abs(g[i]), nan=1e13), clip)])
        onset_line.set_xdata([onsets[T_steps]] * 2)
        if np.isnan(g[i]) or not f[i] <= f_diverged:
            state = "diverged"
        else:
            state = "chaotic" if abs(g[i]) > threshold else "smooth"
        f_title.set_text(f"T = {T_steps}, log alpha = {log_alphas[i]:.3f}: f = {f[i]:.3g}")
        g_title.set_text(f"df/dlog alpha = {g[i]:+.2g} ({state})")
        return {"T": T_steps, "log_alpha": float(log_alphas[i]), "state": state}

    return SliderView(
        fig, show_scan,
        {"T_steps": widgets.SelectionSlider(options=horizons, value=last, description="T"),
         "log_alpha": widgets.SelectionSlider(options=[float(v) for v in log_alphas],
                                              value=float(log_alphas[len(log_alphas) // 2]), description="log α")},
        animated=[f_line, f_marker, g_line, g_marker, onset_line, f_title, g_title])


# ---------------------------------------------------------------- notebook 10b

def per_weight_l2_view(history, log10_start, side=28):
    """Notebook 10b §2: validation and test loss per meta-step, and the learned log10 λ maps.

    ``history`` has lists "valid", "test", "test_error" and "log_lambda" (one (classes, side²) array of
    natural-log λ per meta-step).
    """
    h = history
    n = len(h["valid"]) - 1
    fig, (ax_c, ax_m) = new_view_figure(width=9, height=3.4, ncols=2)
    ax_c.plot(h["valid"], "-", color="C0", label="validation (hyper-loss)")
    ax_c.plot(h["test"], ":", color="C1", label="test")
    values = np.concatenate([h["valid"], h["test"]])
    ax_c.set(xlabel="meta-iteration", ylabel="cross-entropy", xlim=(-1, n + 1),
             ylim=(0.9 * float(values.min()), 1.1 * float(values.max())))
    ax_c.legend(loc="upper right", fontsize=8)
    dot_valid, = ax_c.plot([0], [h["valid"][0]], "o", color="C0")
    dot_test, = ax_c.plot([0], [h["test"][0]], "s", color="C1")
    img_lam = ax_m.imshow(mosaic(np.asarray(h["log_lambda"][0]) / np.log(10), side), cmap="RdBu_r",
                          vmin=log10_start - 2, vmax=log10_start + 2)
    ax_m.set_axis_off()
    title_c, title_m = ax_c.set_title(""), ax_m.set_title("")

    def show_ard(step):
        dot_valid.set_data([step], [h["valid"][step]])
        dot_test.set_data([step], [h["test"][step]])
        img_lam.set_data(mosaic(np.asarray(h["log_lambda"][step]) / np.log(10), side))
        title_c.set_text(f"meta-step {step}: validation {h['valid'][step]:.3f}")
        title_m.set_text(f"log10 lambda, test error {100 * h['test_error'][step]:.1f}%")
        return {"meta-step": step}

    return SliderView(fig, show_ard, {"step": widgets.IntSlider(value=n, min=0, max=n, description="meta-step")},
                      animated=[dot_valid, dot_test, img_lam, title_c, title_m])


def distilled_view(history, reference_error, side=28):
    """Notebook 10b §3: test error per meta-step and the distilled images at that step."""
    errors = 100 * np.asarray(history["test_error"])
    n = len(errors) - 1
    fig, (ax_e, ax_i) = new_view_figure(width=9, height=3.4, ncols=2)
    ax_e.plot(errors, "-", color="C2")
    ax_e.axhline(100 * reference_error, color="gray", ls="--", label="3,000 real images")
    ax_e.set(xlabel="meta-iteration", ylabel="test error (%)", xlim=(-1, n + 1), ylim=(0, 100))
    ax_e.legend(loc="upper right", fontsize=8)
    dot_err, = ax_e.plot([0], [errors[0]], "o", color="C2")
    img_d = ax_i.imshow(mosaic(history["images"][0], side), cmap="RdBu_r", vmin=-0.4, vmax=0.4)
    ax_i.set_axis_off()
    title_e, title_i = ax_e.set_title(""), ax_i.set_title("")

    def show_distilled(step):
        dot_err.set_data([step], [errors[step]])
        img_d.set_data(mosaic(history["images"][step], side))
        title_e.set_text(f"meta-step {step}: test error {errors[step]:.1f}%")
        title_i.set_text(f"the training images (labels 0-9), step {step}")
        return {"meta-step": step}

    return SliderView(fig, show_distilled, {"step": widgets.IntSlider(value=n, min=0, max=n, description="meta-step")},
                      animated=[dot_err, img_d, title_e, title_i])


def sharing_view(valid, mixings, names, correlations):
    """Notebook 10b §4: validation NLL per meta-step and the task correlations of both layers' mixing.

    ``mixings[i]`` is the (layers, K, K) array of mixing matrices after i meta-steps (one more than
    ``valid``); ``correlations(M)`` turns one K x K matrix into the task-correlation matrix.
    """
    n = len(valid)
    K = len(names)
    off = ~np.eye(K, dtype=bool)
    fig, (ax_v, ax_b, ax_t) = new_view_figure(width=10, height=3.2, ncols=3)
    ax_v.plot(range(1, n + 1), valid, "-", color="C3")
    ax_v.set(xlabel="meta-iteration", ylabel="validation NLL (fresh split)", xlim=(0, n + 1),
             ylim=(0.0, 1.2 * float(np.max(valid))))
    dot_v, = ax_v.plot([1], [valid[0]], "o", color="C3")
    imgs = []
    for ax, layer in ((ax_b, "bottom"), (ax_t, "top")):
        imgs.append(ax.imshow(np.eye(K), cmap="Greys", vmin=0, vmax=1))
        ax.set_xticks(range(K), names, rotation=45, fontsize=7)
        ax.set_yticks(range(K), names, fontsize=7)
        ax.grid(False)
        ax.set_title(f"{layer} layer: task correlation", fontsize=9)
    fig.colorbar(imgs[1], ax=ax_t, label="correlation (black = identical)", shrink=0.8)
    title_v = ax_v.set_title("")

    def show_sharing(step):
        M = np.asarray(mixings[step])
        Cb, Ct = correlations(M[0]), correlations(M[-1])
        imgs[0].set_data(np.clip(Cb, 0, 1))
        imgs[1].set_data(np.clip(Ct, 0, 1))
        shown = max(step, 1)
        dot_v.set_data([shown], [valid[shown - 1]])
        title_v.set_text(f"after {step} meta-steps")
        return {"meta-step": step, "bottom": round(float(Cb[off].mean()), 2), "top": round(float(Ct[off].mean()), 2)}

    return SliderView(fig, show_sharing, {"step": widgets.IntSlider(value=n, min=0, max=n, description="meta-step")},
                      animated=[*imgs, dot_v, title_v])
