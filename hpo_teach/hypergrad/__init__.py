"""Hypergradients: derivatives of the validation loss after training w.r.t. hyperparameters.

- :mod:`.unrolled`: autograd through the unrolled training loop (the reference; O(T*d) memory).
- :mod:`.reversible`: the same by exactly reversing SGD with momentum (Maclaurin et al. 2015).
- :mod:`.exact`: the fixed-point numbers and information buffer that make reversal exact.
- :mod:`.naive`: float64 reversal, to show why exactness is needed.

All take ``(train_loss, valid_loss, w0, meta, alphas, betas)`` as in the course contract.
"""

from . import derivatives, exact, naive, reversible, unrolled

__all__ = ["derivatives", "exact", "naive", "reversible", "unrolled"]
