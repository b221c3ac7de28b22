"""Hypergradients: derivatives of the validation loss after training w.r.t. hyperparameters.

- :mod:`.unrolled`: autograd through the unrolled training loop (the reference; O(T*d) memory).
- :mod:`.reversible`: the same by exactly reversing SGD with momentum (Maclaurin et al. 2015).
- :mod:`.exact`: the fixed-point numbers and information buffer that make reversal exact.
- :mod:`.naive`: float64 reversal, to show why exactness is needed.
- :mod:`.derivatives`: what these methods need from a training loss (gradients and HVPs), and autograd's version.
- :mod:`.t1t2`: the greedy one-step hypergradient, online T1-T2 tuning and hypergradient descent (notebook 11).
- :mod:`.hypernet`: hypernetworks that learn the best response w*(lambda) (notebook 12).
- :mod:`.implicit`: implicit differentiation at the trained weights, exact / CG / Neumann (notebook 13).

The methods through training take ``(train_loss, valid_loss, w0, meta, alphas, betas)`` as in the course
contract. None of them knows a model: the losses of :mod:`hpo_teach.problems` bring their own fast derivatives.
"""

from . import derivatives, exact, hypernet, implicit, naive, reversible, t1t2, unrolled

__all__ = ["derivatives", "exact", "hypernet", "implicit", "naive", "reversible", "t1t2", "unrolled"]
