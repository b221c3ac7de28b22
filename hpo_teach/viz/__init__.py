"""Pictures: the course's plot style, the slider views, and the views each group of notebooks builds.

- :mod:`.plots`: one style (train dashed, validation solid), labelled figures, contour and boundary plots.
- :mod:`.widgets`: :class:`SliderView`, a figure redrawn in place as sliders move (controls wrap).
- :mod:`.capacity_views`: notebooks 00-02 and 14 (polynomial degree, network capacity, L1/L2 penalties,
  continuous width).
- :mod:`.training_views`: notebooks 03-05 (dropout and noise, learning rate, initialization scale).
- :mod:`.tuning_views`: notebooks 06-08, 07b and 15 (optimizer playground, search ledger, hypergradient
  tangent, a GP slice with its acquisitions, the capstone's ranking).
- :mod:`.reversible_views`: notebooks 09-10b (reversal, schedules, chaos, regularization and sharing).
- :mod:`.hypergrad_views`: notebooks 11-13 (T1-T2 over epochs, hypernet vs best response, Neumann terms).
"""

from .plots import (CLASS_COLORS, COURSE_STYLE, new_figure, plot_contours, plot_decision_boundary,
                    plot_learning_curves, plot_trajectory, use_course_style)
from .widgets import SliderView, new_view_figure

__all__ = ["CLASS_COLORS", "COURSE_STYLE", "use_course_style", "new_figure", "plot_learning_curves",
           "plot_decision_boundary", "plot_contours", "plot_trajectory", "SliderView", "new_view_figure"]
