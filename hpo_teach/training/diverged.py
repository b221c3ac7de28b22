"""What happens when training blows up: it stops with a message that says what to change.

Divergence rule: a run has diverged when a minibatch loss is NaN or infinite, or exceeds
``DIVERGENCE_FACTOR`` (1000) times ``max(|first loss|, 1)``, or a validation loss is not finite.
Then :class:`TrainingDiverged` is raised instead of carrying on through a wall of NaN.
"""

DIVERGENCE_FACTOR = 1e3


class TrainingDiverged(FloatingPointError):
    """A run blew up. The message names the step and the learning rate to lower.

    Example: "loss became NaN at step 37; lower the learning rate (now 3.0)".
    ``reason``, ``step`` and ``lr`` are kept as attributes.
    """

    def __init__(self, reason, step, lr=None):
        self.reason, self.step, self.lr = reason, step, lr
        advice = "lower the learning rate" + ("" if lr is None else f" (now {float(f'{lr:.4g}')!r})")
        super().__init__(f"{reason} at step {step}; {advice}")
