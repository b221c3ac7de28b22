"""Views for Part IV, gradient-based tuning without reversal: the slider views of notebooks 11-13.

T1-T2 online tuning (notebook 11), hypernetworks (notebook 12) and implicit differentiation (notebook 13).
Each function takes what the notebook has already computed (the tuned runs' per-epoch records, the exact and
hypernet best responses, the Neumann partial sums), builds the figure once and returns a
:class:`~hpo_teach.viz.widgets.SliderView` whose callback only redraws. The notebook shows the view in one line;
``tests/test_hypergrad_views.py`` builds each one on small data and moves every slider over its range.
"""

import ipywidgets as widgets
import numpy as np

from .widgets import SliderView, new_view_figure


def t1t2_epochs_view(epoch_rho, epoch_sigma, epoch_err, epoch=None, err_range=(0.08, 0.2)):
    """Notebook 11 §9: every T1-T2 run's hyperparameters and test error, epoch by epoch.

    ``epoch_rho[k, e]`` is run ``k``'s mean log10 λ after epoch ``e`` (epoch 0: the start), ``epoch_sigma[k, e]``
    its input-noise σ and ``epoch_err[k, e]`` its test error (a fraction). Left: each run's position in
    (mean log10 λ, σ), its path so far, coloured by its current test error. Right: test error against epochs
    (dotted: test curves are never dashed), with a line at the epoch shown. The result is a dict with
    ``epoch``, ``sigma spread`` (max − min of σ over the runs) and ``mean test error``.
    """
    epoch_rho, epoch_sigma, epoch_err = (np.asarray(a, float) for a in (epoch_rho, epoch_sigma, epoch_err))
    n_runs, n_epochs = epoch_err.shape[0], epoch_err.shape[1] - 1
    epoch = n_epochs if epoch is None else epoch
    fig, (ax_pos, ax_err) = new_view_figure(width=9, height=3.6, ncols=2)
    paths = [ax_pos.plot([], [], "-", color="gray", lw=0.8)[0] for _ in range(n_runs)]
    points = ax_pos.scatter(epoch_rho[:, 0], epoch_sigma[:, 0], c=epoch_err[:, 0], cmap="viridis_r",
                            vmin=err_range[0], vmax=err_range[1], s=40, zorder=3)
    fig.colorbar(points, ax=ax_pos, label="test error")
    rho_lo, rho_hi = np.nanmin(epoch_rho), np.nanmax(epoch_rho)
    sigma_hi = max(np.nanmax(epoch_sigma), 0.1)
    ax_pos.set(xlim=(rho_lo - 0.3, rho_hi + 0.3), ylim=(-0.05, 1.06 * sigma_hi + 0.01),
               xlabel=r"mean log$_{10}\lambda$", ylabel=r"input noise $\sigma$")
    for k in range(n_runs):
        ax_err.plot(np.arange(n_epochs + 1), epoch_err[k], ":", color=f"C{k % 10}", lw=1.5)
    ax_err.set(ylim=(0.05, 0.5), yscale="log", xlabel="epoch", ylabel="test error (tuned runs)",
               title="Test error of every start (dotted: test)")
    epoch_line = ax_err.axvline(0, color="k", lw=1)
    title = ax_pos.set_title(" ", fontsize=10)

    def show_epoch(epoch):
        for k, line in enumerate(paths):
            line.set_data(epoch_rho[k, :epoch + 1], epoch_sigma[k, :epoch + 1])
        points.set_offsets(np.column_stack([epoch_rho[:, epoch], epoch_sigma[:, epoch]]))
        points.set_array(epoch_err[:, epoch])
        epoch_line.set_xdata([epoch, epoch])
        title.set_text(f"epoch {epoch}: σ in [{epoch_sigma[:, epoch].min():.2f}, {epoch_sigma[:, epoch].max():.2f}]")
        return {"epoch": epoch, "sigma spread": float(np.ptp(epoch_sigma[:, epoch])),
                "mean test error": float(epoch_err[:, epoch].mean())}

    slider = widgets.IntSlider(min=0, max=n_epochs, value=epoch, description="epoch")
    return SliderView(fig, show_epoch, {"epoch": slider}, animated=[*paths, points, epoch_line, title])


def best_response_view(grid, exact_curve, hypernet_curve, image_grid, exact_images, hypernet_images, digit=3,
                       log_lambda=-1.5):
    """Notebook 12 §5: the exact best response's weights, the hypernet's, and both validation curves, along λ.

    ``exact_curve[i]`` and ``hypernet_curve[i]`` are the validation losses at ``w*(grid[i])`` and ``w_φ(grid[i])``;
    ``exact_images[j]`` and ``hypernet_images[j]`` are the weights into output ``digit`` (square images) at
    ``image_grid[j]`` (evenly spaced, a subset of ``grid``). The slider moves over ``image_grid``; the result is
    a dict with ``log λ`` (the grid point shown) and ``gap`` (|hypernet − exact| validation loss there).
    """
    grid, exact_curve, hypernet_curve = (np.asarray(a, float) for a in (grid, exact_curve, hypernet_curve))
    image_grid = np.asarray(image_grid, float)
    exact_images, hypernet_images = np.asarray(exact_images, float), np.asarray(hypernet_images, float)
    limit = np.percentile(np.abs(exact_images), 99.5) or 1.0
    j0 = int(np.argmin(np.abs(image_grid - log_lambda)))

    fig, (ax_exact, ax_net, ax_curve) = new_view_figure(width=10.5, height=3.4, ncols=3)
    im_exact = ax_exact.imshow(exact_images[j0], cmap="RdBu_r", vmin=-limit, vmax=limit)
    im_net = ax_net.imshow(hypernet_images[j0], cmap="RdBu_r", vmin=-limit, vmax=limit)
    for ax, name in ((ax_exact, "exact w*(λ)"), (ax_net, "hypernet w_φ(λ)")):
        ax.set(xticks=[], yticks=[], title=f"{name}, weights into '{digit}'",
               xlabel=f"input pixels ({exact_images.shape[2]} x {exact_images.shape[1]})")
        ax.grid(False)
    ax_curve.plot(grid, exact_curve, "k-", label="exact (validation)")
    ax_curve.plot(grid, hypernet_curve, "C0-", label="hypernet (validation)")
    (mark_exact,) = ax_curve.plot([], [], "ko", ms=7)
    (mark_net,) = ax_curve.plot([], [], "o", color="C0", ms=5)
    low, high = min(exact_curve.min(), hypernet_curve.min()), max(exact_curve.max(), hypernet_curve.max())
    pad = 0.1 * (high - low) + 1e-3
    ax_curve.set(xlabel="log λ", ylabel="validation MSE", ylim=(low - pad, high + pad))
    ax_curve.legend(fontsize=8, loc="upper center")
    curve_title = ax_curve.set_title(" ", fontsize=10)

    def show_lambda(log_lambda):
        j = int(np.argmin(np.abs(image_grid - log_lambda)))
        i = int(np.argmin(np.abs(grid - image_grid[j])))
        im_exact.set_data(exact_images[j])
        im_net.set_data(hypernet_images[j])
        mark_exact.set_data([grid[i]], [exact_curve[i]])
        mark_net.set_data([grid[i]], [hypernet_curve[i]])
        curve_title.set_text(f"log λ = {grid[i]:+.1f}: exact {exact_curve[i]:.3f}, hypernet {hypernet_curve[i]:.3f}")
        return {"log λ": round(float(grid[i]), 6), "gap": float(abs(hypernet_curve[i] - exact_curve[i]))}

    step = float(np.round(np.diff(image_grid).min(), 6)) if len(image_grid) > 1 else 0.1
    slider = widgets.FloatSlider(value=float(image_grid[j0]), min=float(image_grid[0]), max=float(image_grid[-1]),
                                 step=step, description="log λ")
    return SliderView(fig, show_lambda, {"log_lambda": slider},
                      animated=[im_exact, im_net, mark_exact, mark_net, curve_title])


def neumann_terms_view(neumann_curve, exact_value, v_images, v_exact_image, unrolled=None, K=1, digit=3):
    """Notebook 13 §5: the Neumann hypergradient after K terms approaching the exact (IFT) value.

    ``neumann_curve[K - 1]`` is the hypergradient after K terms; ``v_images[K]`` the solved vector v after K terms
    for output ``digit`` (a square image), for the K the slider offers; ``v_exact_image`` the exact v = H⁻¹∇L_V;
    ``unrolled`` maps some K to the value from autograd through K unrolled steps (drawn as circles). Left: the
    hypergradient against K (log scale); middle and right: v after K terms and exact. The result is a dict with
    ``K``, ``hypergradient``, ``relative error`` (against ``exact_value``) and ``unrolled`` (None where not computed).
    """
    neumann_curve = np.asarray(neumann_curve, float)
    unrolled = dict(unrolled or {})
    K_grid = sorted(v_images)
    scale = float(np.abs(v_exact_image).max()) or 1.0
    K_axis = np.arange(1, len(neumann_curve) + 1)
    fig, (ax_k, ax_v, ax_e) = new_view_figure(width=10, height=3.2, ncols=3)
    ax_k.semilogx(K_axis, neumann_curve, label="Neumann, K terms")
    if unrolled:
        ax_k.semilogx(list(unrolled), list(unrolled.values()), "o", mfc="none", ms=8, label="unrolled K steps")
    ax_k.axhline(exact_value, color="k", ls=":", lw=1.2, label="exact (IFT)")
    (marker,) = ax_k.plot([], [], "ro", ms=7)
    ax_k.set(xlabel="K (terms = Hessian-vector products)", ylabel="dL_V / dlog λ", title="Hypergradient after K terms")
    ax_k.legend(fontsize=7, loc="upper right")
    image_k = ax_v.imshow(v_images[K], cmap="RdBu_r", vmin=-scale, vmax=scale)
    ax_e.imshow(v_exact_image, cmap="RdBu_r", vmin=-scale, vmax=scale)
    ax_e.set_title(f"exact v = H⁻¹∇L_V (digit {digit})", fontsize=10)
    title_v = ax_v.set_title(" ", fontsize=10)
    for ax in (ax_v, ax_e):
        ax.set(xticks=[], yticks=[], xlabel="pixel column", ylabel="pixel row")
        ax.grid(False)

    def show_K(K):
        value = float(neumann_curve[K - 1])
        error = float(abs(value - exact_value) / abs(exact_value))
        marker.set_data([K], [value])
        image_k.set_data(v_images[K])
        title_v.set_text(f"v after K = {K} terms (error {error:.1%})")
        return {"K": K, "hypergradient": value, "relative error": error, "unrolled": unrolled.get(K)}

    slider = widgets.SelectionSlider(options=K_grid, value=K, description="K")
    return SliderView(fig, show_K, {"K": slider}, animated=[marker, image_k, title_v])
