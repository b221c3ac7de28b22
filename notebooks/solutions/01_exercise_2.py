# Exercise 2 of notebook 01: the early-stopping (patience) rule, written out.


def patience_stop(valid_losses, patience):
    """Return (stop, best): where training stops and which evaluation's weights to restore.

    Stop at the first evaluation that is the `patience`-th in a row without a strictly lower
    validation loss than the best so far; if that never happens, run to the end.
    """
    best, waited = 0, 0
    for i, loss in enumerate(valid_losses):
        if i == 0 or loss < valid_losses[best]:
            best, waited = i, 0
        else:
            waited += 1
            if waited >= patience:
                return i, best
    return len(valid_losses) - 1, best


try:
    from checks_01 import check_patience_stop  # run from notebooks/solutions/
except ImportError:
    from solutions.checks_01 import check_patience_stop  # run from notebooks/ or %load-ed
check_patience_stop(patience_stop)

# In the notebook (h_wide, h_es defined there):
#   stop, best = patience_stop(h_wide.valid_loss, 3)
#   print(h_wide.steps[stop], h_es.n_grad_evals, h_wide.steps[best], h_es.best_step)   # equal pairs
