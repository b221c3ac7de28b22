"""Slider views: callbacks run on every reachable slider value, and redraws are timed."""

import io

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from hpo_teach.viz.widgets import SliderView, _allowed_values, new_view_figure


def make_view(log=False):
    fig, ax = new_view_figure()
    (line,) = ax.plot([0, 1], [0, 0])
    seen = []

    def update(a, kind):
        seen.append((a, kind))
        line.set_ydata([0, a])
        return a

    slider = widgets.FloatLogSlider(min=-3, max=1, value=0.1) if log else widgets.FloatSlider(min=0, max=2, value=1)
    kind = widgets.Dropdown(options=["x", "y", "z"], value="x")
    return SliderView(fig, update, {"a": slider, "kind": kind}), seen


def test_view_redraws_and_returns_update_result():
    view, seen = make_view()
    assert seen == [(1.0, "x")]
    assert bytes(view.image.value[:2]) == b"\xff\xd8", "frames are JPEG"
    assert view.set(a=2.0) == 2.0
    assert seen[-1] == (2.0, "x")
    assert len(view.latencies_ms) == 2 and view.median_latency_ms() > 0


def test_exercise_visits_ends_and_every_option_then_restores():
    view, seen = make_view(log=True)
    calls = view.exercise(points=3)
    values = {a for a, _ in seen}
    assert {0.001, 10.0} <= values
    assert {"x", "y", "z"} <= {k for _, k in seen}
    assert calls >= 4
    assert view.values() == {"a": 0.1, "kind": "x"}


def test_allowed_values_for_int_slider_include_both_ends():
    assert _allowed_values(widgets.IntSlider(min=2, max=9), 3) == [2, 5, 8, 9]


def test_unknown_slider_name_is_reported():
    view, _ = make_view()
    with pytest.raises(KeyError, match="no slider named 'b'"):
        view.set(b=1)
    with pytest.raises(ValueError, match="points must be an integer in"):
        view.exercise(points=1)


def test_blitted_view_matches_a_full_redraw():
    def build(animated):
        fig, ax = new_view_figure()
        ax.plot([0, 1], [0, 1], color="gray")
        (line,) = ax.plot([0, 1], [0, 0])
        ax.set_ylim(-1, 1)

        def update(a):
            line.set_ydata([0, a])
            ax.set_title(f"a = {a:.2f}")

        return SliderView(fig, update, {"a": widgets.FloatSlider(min=-1, max=1, value=0)},
                          animated=[line, ax.title] if animated else ())

    pixels = []
    for animated in (True, False):
        view = build(animated)
        view.set(a=0.5)
        pixels.append(np.asarray(Image.open(io.BytesIO(bytes(view.image.value)))))
    assert pixels[0].shape == pixels[1].shape
    assert np.mean(pixels[0] != pixels[1]) < 0.01, "blitted frame differs from the full redraw"


def test_controls_wrap_instead_of_shrinking():
    view, _ = make_view()
    box = view.controls
    assert view.widget.children == (box, view.image)
    assert box.layout.flex_flow == "row wrap"
    assert all(c.layout.min_width for c in box.children), "a control without a minimum width can shrink to nothing"
    assert "hpo-slider-view" in view.widget._dom_classes, "the browser test finds views by this class"
    fig, _ = new_view_figure()
    narrow = widgets.FloatSlider(layout=widgets.Layout(min_width="120px"))
    assert SliderView(fig, lambda a: a, {"a": narrow}).controls.children[0].layout.min_width == "120px"
