"""Pictures: the course's plot style and the slider views.

- :mod:`.plots`: one style (train dashed, validation solid), labelled figures, contour and boundary plots.
- :mod:`.widgets`: :class:`SliderView`, a figure redrawn in place as sliders move.
"""

from .plots import (CLASS_COLORS, COURSE_STYLE, new_figure, plot_contours, plot_decision_boundary,
                    plot_learning_curves, plot_trajectory, use_course_style)
from .widgets import SliderView, new_view_figure

__all__ = ["CLASS_COLORS", "COURSE_STYLE", "use_course_style", "new_figure", "plot_learning_curves",
           "plot_decision_boundary", "plot_contours", "plot_trajectory", "SliderView", "new_view_figure"]
