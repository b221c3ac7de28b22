"""Slider views that redraw a figure in place, fast enough to feel instant.

A view owns a Matplotlib figure (not a pyplot one, so nothing is shown twice), a set of
ipywidgets sliders and an ``update(**values)`` function that changes the figure's artists.
Each slider move calls ``update`` and re-renders the figure into an ``ipywidgets.Image``
(JPEG: it encodes ~8x faster than PNG, which matters when a frame must take < 100 ms);
the time of each callback + redraw is kept, so a notebook can report its median latency.

A full redraw of a two-panel figure costs ~100 ms (mostly text and ticks). Views whose axes stay
fixed name the artists that change (``animated=[line, marker, ax.title]``): the rest is rendered
once as a background and each update only *blits* the changed artists onto it (~10 ms).

CI cannot drag a slider, so notebooks call :meth:`SliderView.exercise`, which sets every
slider to its ends and to points in between: any callback that would raise, raises in CI.
What nbval cannot see (a squeezed track, a control off-screen) ``tests/test_browser.py`` checks in
JupyterLab in headless Chromium; the controls sit in rows that wrap, each at least
``CONTROL_MIN_WIDTH`` wide, so a narrow output area gets more rows, not squeezed sliders.
"""

import io
import statistics
import time

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from .._validate import require_int


def new_view_figure(width=7.0, height=3.2, ncols=1, nrows=1, dpi=80):
    """A pyplot-free figure and its axes for a slider view (fixed size, modest dpi for speed)."""
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols)
    return fig, axes


def _canvas_jpeg(canvas):
    """JPEG bytes of what the Agg canvas holds now (quality 90: crisp enough for plots, fast)."""
    image = PILImage.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="jpeg", quality=90)
    return buffer.getvalue()


class SliderView:
    """Sliders wired to ``update(**values)``; the figure redraws as an image on each change.

    ``sliders`` maps keyword names of ``update`` to ipywidgets value widgets. Views whose
    update is expensive pass ``continuous_update=False`` so they redraw on release only.
    ``animated`` lists the artists ``update`` changes, when nothing else (axis limits, ticks)
    changes: those views blit instead of redrawing everything. ``widget`` is what a notebook
    shows: ``controls`` (the sliders in rows that wrap) above ``image``.
    """

    def __init__(self, fig, update, sliders, continuous_update=True, animated=()):
        self.fig = fig
        self.sliders = dict(sliders)
        self._update = update
        self._animated = list(animated)
        self._background = None
        self.latencies_ms = []
        self.image = widgets.Image(format="jpeg")
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        for slider in self.sliders.values():
            slider.continuous_update = continuous_update
            slider.observe(self._on_change, names="value")
        self.controls = _wrapping_controls(list(self.sliders.values()))
        self.widget = widgets.VBox([self.controls, self.image])
        self.widget.add_class("hpo-slider-view")  # how the browser test (tests/test_browser.py) finds views
        self.refresh()

    def values(self):
        """The current slider values, by keyword."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def refresh(self):
        """Call ``update`` with the slider values and redraw; record the time taken."""
        start = time.perf_counter()
        self.result = self._update(**self.values())
        self.image.value = self._render()
        self.latencies_ms.append(1000.0 * (time.perf_counter() - start))
        return self.result

    def _render(self):
        canvas = self.fig.canvas
        if not self._animated:
            canvas.draw()
            return _canvas_jpeg(canvas)
        if self._background is None:
            for artist in self._animated:
                artist.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self._background)
        for artist in self._animated:
            self.fig.draw_artist(artist)
        return _canvas_jpeg(canvas)

    def snapshot(self):
        """The current view as a static image, so the figure also shows where widgets cannot."""
        from IPython.display import Image

        return Image(data=bytes(self.image.value), format="jpeg")

    def _on_change(self, change):
        self.refresh()

    def set(self, **values):
        """Move sliders programmatically (as a learner would); returns what ``update`` returned."""
        for name, value in values.items():
            if name not in self.sliders:
                raise KeyError(f"no slider named {name!r}; sliders are {sorted(self.sliders)}")
            self.sliders[name].value = value
        return self.result

    def exercise(self, points=5):
        """Move each slider to its minimum, maximum and ``points`` values between; restore.

        Returns the number of callbacks run. Options widgets run every option.
        """
        points = require_int("points", points, low=2)
        start_values = self.values()
        calls = 0
        for name, slider in self.sliders.items():
            for value in _allowed_values(slider, points):
                if value != slider.value:
                    slider.value = value
                    calls += 1
        self.set(**start_values)
        return calls

    def median_latency_ms(self):
        """Median callback + redraw time in milliseconds over all updates so far."""
        return statistics.median(self.latencies_ms)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


# A slider is a label (~80 px), a track and a readout (~64 px): at 260 px its track keeps ~100 px.
CONTROL_MIN_WIDTH = "260px"


def _wrapping_controls(controls):
    """The controls in rows that wrap: a control moves to the next row rather than shrink.

    A one-row ``HBox`` squeezes its children to fit the output area: with six controls (notebook
    06) the sliders shrank to a bare handle and the last one ended off-screen. Here each control
    keeps at least ``CONTROL_MIN_WIDTH`` (unless the caller set its own ``min_width``) and the row
    wraps, so every track stays visible and every control stays inside the output area.
    """
    for control in controls:
        if not control.layout.min_width:
            control.layout.min_width = CONTROL_MIN_WIDTH
    box = widgets.Box(controls, layout=widgets.Layout(display="flex", flex_flow="row wrap",
                                                      align_items="center", width="100%"))
    box.add_class("hpo-slider-view-controls")
    return box


def _allowed_values(slider, points):
    """Values a learner can reach: every option, or both ends and ``points`` between."""
    if isinstance(slider, widgets.widget_selection._Selection):
        return list(slider._options_values)
    low, high = slider.min, slider.max
    if isinstance(slider, widgets.IntSlider):
        step = max(slider.step, (high - low) // (points - 1))
        return sorted(set(range(low, high + 1, step)) | {high})
    exponents = [low + (high - low) * i / (points - 1) for i in range(points)]
    if isinstance(slider, widgets.FloatLogSlider):
        return [slider.base**e for e in exponents]
    return exponents
