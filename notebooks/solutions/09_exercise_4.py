# Exercise 4 of notebook 09: how wrong is the port's order (gradient before undoing the position step)?
#
# (a) One step back from the true (w_{t+1}, v_{t+1}), in exact arithmetic:
#   w  = w_{t+1} - alpha v_{t+1}                          = w_t exactly: the position comes back right;
#   v  = (v_{t+1} + (1 - beta) grad(w_{t+1})) / beta
#      = v_t + (1 - beta) / beta * (grad(w_{t+1}) - grad(w_t)),
# and on a quadratic grad(w_{t+1}) - grad(w_t) = H (w_{t+1} - w_t) = alpha H v_{t+1}. So the error is not
# rounding: the velocity is off by alpha (1 - beta) / beta * H v_{t+1} after one step, and the position
# inherits it one step later (w_{t-1} = w_t - alpha v_t uses the wrong v_t).
import numpy as np


def one_step_error(H, v_next, alpha, beta):
    """(error in w_t, error in v_t), returned minus true, for one reverse step in the port's order."""
    return np.zeros_like(v_next), alpha * (1 - beta) / beta * (H @ v_next)


try:
    from solutions.checks_09 import check_one_step_error
except ImportError:
    from checks_09 import check_one_step_error
check_one_step_error(one_step_error)

# (b) On this notebook's MLP (run after section 2: needs final_states, naive_error, train_loss, meta,
# ALPHA, BETA, w0). Reverse the stored float64 runs in the port's order.
if "final_states" in globals():
    def port_reverse(w, v, T):
        for t in reversed(range(T)):
            g = train_loss.grad(w, meta, t)  # at w_{t+1}: the port's order
            w = w - ALPHA * v
            v = (v + (1 - BETA) * g) / BETA
        return w

    port_error = {}
    with np.errstate(all="ignore"):
        for T in (10, 50, 100):
            port_error[T] = float(np.max(np.abs(port_reverse(*final_states[T], T) - w0)))
            print(f"T = {T:3d}: port's order {port_error[T]:.2g}, section 2's order {naive_error[T]:.2g}")
    slope = (np.log10(port_error[100]) - np.log10(port_error[50])) / 50
    print(f"growth per step from T = 50 to 100: 10**{slope:.3f}; log10(1/beta) = {np.log10(1 / BETA):.3f}")
# The port's error is about 14 orders of magnitude larger already at T = 10 (w0 is off by ~1e-2), but it
# grows at about the same rate, 1/beta per step: every reverse step divides v by beta, whatever error it
# carries. The difference is where the error starts: alpha (1 - beta) / beta * |H v| per step instead of
# a rounding error of eps. A reverse pass "tested" only against itself would not notice; the unrolled
# reference and finite differences would.
