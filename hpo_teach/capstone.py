"""The capstone: every tuning method of the course on one problem and one ledger (notebook 15).

One problem: the per-layer log L2 strengths ``meta[k] = ln(strength of layer k)`` of a fixed small
MLP on 14x14 MNIST, trained by ``T`` steps of SGD with heavy-ball momentum (the training of
notebooks 08-09, :func:`hpo_teach.training.optim.momentum_update`). One ledger: a
:class:`hpo_teach.budget.Budget` counted in minibatch gradient evaluations. A Hessian-vector
product is charged ``hvp_cost`` gradients (measured by :func:`measure_hvp_cost`); a gradient of the
validation loss on all ``n_valid`` digits is charged ``n_valid / batch_size`` gradients; forward
passes that only *score* (a validation error) are not charged, for any method.

Methods (each a function ``run_<name>(problem, budget, seed, settings) -> MethodRun``):

- ``grid``, ``random``, ``hyperband`` (notebook 07), ``bayesopt`` (07b): black box, each trial a
  training run of the standard procedure;
- ``reversible``: hypergradient descent (Adam on meta) with the exact reversible hypergradient of the
  whole training run (09), ``T`` forward + ``T`` reverse steps (each a gradient and an HVP);
- ``ift``: train, then the implicit-function hypergradient at w_T with a Neumann series of ``K``
  minibatch HVPs (13; Lorraine et al. 2020's stochastic variant);
- ``t1t2``: online greedy hypergradients (11) during Adam training, restarted every ``T`` steps
  from the last meta;
- ``hypernet``: Algorithm 3 of Lorraine & Duvenaud (2018) with a linear hypernet (12).

A method's *score* at a point of its ledger is the validation error of the network it holds there
(for the black-box, reversible and IFT methods that is the standard training at its current meta;
T1-T2 and the hypernet hold their own networks). The test error is measured once, at the end, by
:func:`test_errors`: the standard training at each method's best meta, scored on the test split.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np
from autograd import grad

from ._validate import require_choice, require_int, require_positive, require_range
from .budget import Budget
from .data.mnist_subset import mnist_small
from .hypergrad import reversible
from .hypergrad.hypernet import LinearHypernet
from .hypergrad.t1t2 import tune
from .hypergrad.unrolled import quiet_autograd
from .models.mlp import MLP
from .problems.mlp_l2 import MLPTrainLoss
from .problems.mlp_t1t2 import T2ValidLoss
from .search.bayesopt import bayesian_optimization
from .search.methods import grid_search, hyperband, random_search
from .search.spaces import Uniform
from .training.optim import adam_update, momentum_update

METHODS = ("grid", "random", "hyperband", "bayesopt", "reversible", "ift", "t1t2", "hypernet")
BLACK_BOX = ("grid", "random", "hyperband", "bayesopt")

# Each method's default settings. The step sizes of the gradient-based methods are not used as they are:
# `choose_settings` picks each from CANDIDATES on the *development* problem (`make_problem("dev")`: other
# training and validation digits), and notebook 15 and tools/capstone.py pass its choice to `compare`.
SETTINGS = {
    "grid": {},
    "random": {},
    "hyperband": {"eta": 3, "min_fraction": 9},
    "bayesopt": {"xi": 0.01},
    "reversible": {"hyper_lr": 1.0},
    "ift": {"hyper_lr": 1.0, "n_terms": 20},
    "t1t2": {"hyper_lr": 0.1, "lr": 3e-3, "every": 1},
    "hypernet": {"lr_lam": 0.1, "lr_phi": 3e-3, "sigma": 1.0},
}
CANDIDATES = {  # what choose_settings tries (one setting at a time, the others as in SETTINGS)
    "reversible": ("hyper_lr", (0.3, 1.0, 3.0)),
    "ift": ("hyper_lr", (0.3, 1.0, 3.0)),
    "t1t2": ("hyper_lr", (0.03, 0.1, 0.3)),
    "hypernet": ("lr_lam", (0.03, 0.1, 0.3)),
}


@dataclass
class Problem:
    """The tuning problem: data, the fixed MLP, the fixed training procedure and the search space."""

    name: str
    mlp: MLP
    X: np.ndarray
    y: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray
    n_steps: int
    lr: float
    momentum: float
    batch_size: int
    low: float
    high: float

    @property
    def n_meta(self):
        return self.mlp.n_layers

    @property
    def names(self):
        return [f"ln_l2_layer{k + 1}" for k in range(self.n_meta)]

    @property
    def space(self):
        return {name: Uniform(self.low, self.high) for name in self.names}

    @property
    def start(self):
        """Where every gradient-based method starts: the middle of the space."""
        return np.full(self.n_meta, 0.5 * (self.low + self.high))

    @property
    def valid_gradient_cost(self):
        """A gradient of the validation loss on every validation digit, in minibatch gradients."""
        return math.ceil(len(self.y_valid) / self.batch_size)

    def config(self, meta):
        return {name: float(m) for name, m in zip(self.names, meta)}

    def meta(self, config):
        return np.array([config[name] for name in self.names], dtype=float)

    def train_loss(self, seed):
        return MLPTrainLoss(self.mlp, self.X, self.y, self.batch_size, seed=seed, l2="layer")

    def train(self, meta, seed, n_steps=None):
        """The standard training: ``n_steps`` (default ``self.n_steps``) momentum-SGD steps from init ``seed``."""
        loss = self.train_loss(seed)
        w, v = self.mlp.init(seed), 0.0
        for t in range(self.n_steps if n_steps is None else n_steps):
            w, v = momentum_update(w, v, loss.grad(w, meta, t), self.lr, self.momentum)
            if not np.all(np.isfinite(w)):
                return None
        return w

    def error(self, w, X=None, y=None):
        """Validation error of ``w`` (0.9, a constant guess, for a diverged run)."""
        if w is None:
            return 0.9
        return float(self.mlp.error(w, self.X_valid if X is None else X, self.y_valid if y is None else y))

    def objective(self, seed):
        """``objective(config, n_steps, _) -> validation error`` for the black-box searches, training seed fixed."""
        return lambda config, n_steps, _seed: self.error(self.train(self.meta(config), seed, n_steps))

    def valid_loss(self, w, meta):
        """Mean cross-entropy on all validation digits (no penalty): what the hypergradients descend."""
        return self.mlp.loss(w, self.X_valid, self.y_valid)


def make_problem(kind="main", n_train=200, hidden=(32,), n_steps=300, lr=0.5, momentum=0.9, batch_size=50,
                 low=-12.0, high=-1.0):
    """The capstone problem (``kind="main"``) or the development problem on which settings are chosen.

    main: trains on the first ``n_train`` digits of split t1, validates on split valid (1000 digits);
    dev: trains on the first ``n_train`` digits of t2 and validates on the next 500 of t2. The two
    share no digit, and neither touches the test split.
    """
    kind = require_choice("kind", kind, ("main", "dev"))
    n_train = require_int("n_train", n_train, low=50, high=500)
    hidden = (hidden,) if isinstance(hidden, int) else tuple(hidden)
    if kind == "main":
        X, y = mnist_small("t1")
        Xv, yv = mnist_small("valid")
        X, y = X[:n_train], y[:n_train]
    else:
        X2, y2 = mnist_small("t2")
        X, y, Xv, yv = X2[:n_train], y2[:n_train], X2[500:1000], y2[500:1000]
    momentum = require_range("momentum", momentum, 0.0, 1.0, high_open=True)
    low = float(low)
    high = require_range("high", high, low=low, low_open=True)
    mlp = MLP((X.shape[1], *hidden, 10), activation="tanh")
    return Problem(kind, mlp, X, y, Xv, yv, require_int("n_steps", n_steps, low=9), require_positive("lr", lr),
                   momentum, require_int("batch_size", batch_size, low=1, high=n_train), low, float(high))


def test_split():
    """The test digits, loaded only here (call once, at the end)."""
    return mnist_small("test")


def measure_hvp_cost(problem, repeats=30, seed=0):
    """CPU time of one minibatch HVP divided by that of one minibatch gradient (median of ``repeats``)."""
    loss = problem.train_loss(seed)
    w, meta = problem.mlp.init(seed), problem.start
    u = np.random.default_rng(seed).standard_normal(w.size)
    Xb, yb = loss.batch(0)
    strength = loss.l2_strength(meta)
    times = {"g": [], "h": []}
    for _ in range(repeats):
        start = time.perf_counter()
        problem.mlp.loss_and_grad(w, Xb, yb, l2=strength, check_input=False)
        middle = time.perf_counter()
        problem.mlp.hvp(w, u, Xb, yb, l2=strength, check_input=False)
        times["g"].append(middle - start)
        times["h"].append(time.perf_counter() - middle)
    return float(np.median(times["h"]) / np.median(times["g"]))


# --- one run of one method ------------------------------------------------------------------

@dataclass
class MethodRun:
    """One method on one seed: its ledger, the meta it ends with and its best meta, its wall time."""

    method: str
    seed: int
    budget: Budget
    best_meta: np.ndarray
    seconds: float
    hypergradient_cost: float = None
    extra: dict = field(default_factory=dict)

    def curve(self, grid):
        """Best-so-far validation error at each budget in ``grid`` (NaN before the first score)."""
        return self.budget.best_at(grid)


def _best_meta(problem, budget):
    best = budget.best()
    return None if best is None else problem.meta(best.config)


def _search_run(problem, budget, seed, settings, method):
    objective = problem.objective(seed)
    n_trials = max(1, budget.max_steps // problem.n_steps)
    if method == "grid":
        grid_search(objective, problem.space, total=n_trials, n_steps=problem.n_steps, budget=budget, seed=seed)
    elif method == "random":
        random_search(objective, problem.space, n_trials, problem.n_steps, budget=budget, seed=seed)
    elif method == "bayesopt":
        bayesian_optimization(objective, problem.space, n_trials, problem.n_steps, xi=settings["xi"], budget=budget,
                              seed=seed)
    else:
        min_steps = max(1, problem.n_steps // settings["min_fraction"])
        for k in range(1000):  # Hyperband again (fresh configs) while the budget allows a first rung
            result = hyperband(objective, problem.space, problem.n_steps, eta=settings["eta"], min_steps=min_steps,
                               budget=budget, seed=1000 * seed + k)
            if result.exhausted or budget.remaining < min_steps:
                break


def _reversible_run(problem, budget, seed, settings, hvp_cost):
    """Hypergradient descent: Adam on meta along the exact reversible hypergradient of the whole run."""
    loss = problem.train_loss(seed)
    w0 = problem.mlp.init(seed)
    alphas = np.full(problem.n_steps, problem.lr)
    betas = np.full(problem.n_steps, problem.momentum)
    cost = problem.n_steps * (2 + hvp_cost) + problem.valid_gradient_cost
    meta, m, v = problem.start, 0.0, 0.0
    for k in range(10 ** 6):
        if budget.remaining < cost:
            break
        result = reversible.hypergrad(loss, problem.valid_loss, w0, meta, alphas, betas)
        budget.record(problem.config(meta), math.ceil(cost), problem.error(result.w_final), "reversible")
        meta, m, v = adam_update(meta, m, v, result.d_meta, k + 1, settings["hyper_lr"], 0.9, 0.999, 1e-8)
        meta = np.clip(meta, problem.low, problem.high)
    return cost


def neumann_hypergradient(problem, loss, w, meta, n_terms, alpha, first_batch=0):
    """d L_valid / d meta at ``w`` by the IFT, H⁻¹ approximated by ``n_terms`` Neumann terms of step ``alpha``,
    term j's HVP on training minibatch ``first_batch + j`` (Lorraine et al. 2020, Algorithm 3)."""
    d_w = grad(problem.valid_loss)(w, meta)
    p = u = alpha * d_w
    for j in range(n_terms - 1):
        _, hu, _ = loss.grad_and_hvps(w, meta, first_batch + j, u)
        u = u - alpha * hu
        p = p + u
    return -loss.mixed_vjp(w, meta, first_batch, p)  # the validation loss has no direct meta term


def _ift_run(problem, budget, seed, settings, hvp_cost):
    loss = problem.train_loss(seed)
    n_terms = settings["n_terms"]
    cost = problem.n_steps + (n_terms - 1) * hvp_cost + problem.valid_gradient_cost
    meta, m, v = problem.start, 0.0, 0.0
    for k in range(10 ** 6):
        if budget.remaining < cost:
            break
        w = problem.train(meta, seed)
        budget.record(problem.config(meta), math.ceil(cost), problem.error(w), "ift")
        if w is None:
            break
        h = neumann_hypergradient(problem, loss, w, meta, n_terms, problem.lr * (1 - problem.momentum),
                                  first_batch=problem.n_steps)
        meta, m, v = adam_update(meta, m, v, h, k + 1, settings["hyper_lr"], 0.9, 0.999, 1e-8)
        meta = np.clip(meta, problem.low, problem.high)
    return cost


def validation_minibatches(problem, seed):
    """The validation loss on minibatch s of the validation digits (T1-T2's and the hypernet's λ step):
    the course's :class:`~hpo_teach.problems.mlp_t1t2.T2ValidLoss` on this problem's validation split."""
    return T2ValidLoss(problem.mlp, problem.X_valid, problem.y_valid, problem.batch_size, seed)


def _t1t2_run(problem, budget, seed, settings):
    """T1-T2, one Adam training run of n_steps at a time; each run restarts w and keeps meta."""
    loss = problem.train_loss(seed)
    valid = validation_minibatches(problem, seed)
    every = settings["every"]
    cost = problem.n_steps + math.ceil(problem.n_steps / every)
    meta = problem.start
    lower, upper = np.full(problem.n_meta, problem.low), np.full(problem.n_meta, problem.high)
    while budget.remaining >= cost:
        start_meta = meta
        result = tune(loss, valid, problem.mlp.init(seed), meta, problem.n_steps, lr=settings["lr"],
                      hyper_lr=settings["hyper_lr"], every=every, lower=lower, upper=upper)
        meta = result.meta
        # the network's error belongs to the meta path it trained under; record the mean meta of that path
        path_meta = result.meta_path[1:].mean(axis=0) if len(result.meta_path) > 1 else start_meta
        budget.record(problem.config(path_meta), cost, problem.error(result.w), "t1t2")
    return None


def hypernet_gradients(loss, problem, net, phi, lam, lam_sample, t, valid, s):
    """The two gradients of one Algorithm-3 step for a LinearHypernet w = c + z A, z = (λ − center)/scale,
    by the chain rule on the fast MLP gradients: ∂/∂φ of L_train(w_φ(λ_sample), λ_sample) on minibatch t, and
    ∂/∂λ̂ of L_valid(w_φ(λ̂)) on validation minibatch s (the validation loss has no direct λ term)."""
    d = net.n_weights
    c, A = phi[:d], phi[d:].reshape(net.n_hyper, d)
    z = (lam_sample - net.center) / net.scale
    g = loss.grad(c + z @ A, lam_sample, t)
    d_phi = np.concatenate([g, np.outer(z, g).ravel()])
    w_hat = c + ((lam - net.center) / net.scale) @ A
    _, g_valid, _ = valid.at(s).value_and_grads(w_hat, lam)
    return d_phi, A @ g_valid / net.scale


def _hypernet_run(problem, budget, seed, settings, record_every=None):
    """Algorithm 3 (Lorraine & Duvenaud 2018): alternate one φ step at λ ~ N(λ̂, σ²) and one λ̂ step."""
    loss = problem.train_loss(seed)
    valid = validation_minibatches(problem, seed)
    net = make_hypernet(problem)
    phi = net.init(w_init=problem.mlp.init(seed))
    lam = problem.start.copy()
    m_p, v_p, m_l, v_l = 0.0, 0.0, 0.0, 0.0
    record_every = record_every or problem.n_steps
    sigma = settings["sigma"]
    t = 0
    while budget.remaining >= 2 * record_every:
        for _ in range(record_every):  # each step: one training gradient, one validation minibatch gradient
            noise = np.random.default_rng([seed, t]).standard_normal(problem.n_meta)
            d_phi, d_lam = hypernet_gradients(loss, problem, net, phi, lam, lam + sigma * noise, t, valid, t)
            phi, m_p, v_p = adam_update(phi, m_p, v_p, d_phi, t + 1, settings["lr_phi"], 0.9, 0.999, 1e-8)
            lam, m_l, v_l = adam_update(lam, m_l, v_l, d_lam, t + 1, settings["lr_lam"], 0.9, 0.999, 1e-8)
            lam = np.clip(lam, problem.low, problem.high)
            t += 1
        budget.record(problem.config(lam), 2 * record_every, problem.error(net.weights(phi, lam)), "hypernet")
    return 2.0


def make_hypernet(problem):
    """The linear hypernet of the capstone, inputs normalized around the start of the search."""
    return LinearHypernet(problem.n_meta, problem.mlp.n_params, center=float(problem.start[0]), scale=3.0)


def run_method(method, problem, max_steps, seed, settings=None, hvp_cost=2.0):
    """Run ``method`` on ``problem`` with a ledger of ``max_steps`` gradient evaluations and training seed ``seed``."""
    method = require_choice("method", method, METHODS)
    max_steps = require_int("max_steps", max_steps, low=problem.n_steps)
    seed = require_int("seed", seed, low=0)
    hvp_cost = require_positive("hvp_cost", hvp_cost)
    settings = {**SETTINGS[method], **(settings or {})}
    budget = Budget(max_steps)
    start = time.perf_counter()
    with quiet_autograd():
        if method in BLACK_BOX:
            _search_run(problem, budget, seed, settings, method)
            cost = problem.n_steps
        elif method == "reversible":
            cost = _reversible_run(problem, budget, seed, settings, hvp_cost)
        elif method == "ift":
            cost = _ift_run(problem, budget, seed, settings, hvp_cost)
        elif method == "t1t2":
            cost = _t1t2_run(problem, budget, seed, settings)
        else:
            cost = _hypernet_run(problem, budget, seed, settings)
    seconds = time.perf_counter() - start
    return MethodRun(method, seed, budget, _best_meta(problem, budget), seconds, cost)


def compare(problem, max_steps, seeds, methods=METHODS, settings=None, hvp_cost=2.0, progress=None):
    """Every method on every seed: a dict method -> list of MethodRun. ``progress``: a tqdm-like bar."""
    settings = settings or {}
    runs = {m: [] for m in methods}
    for seed in seeds:
        for method in methods:
            runs[method].append(run_method(method, problem, max_steps, seed, settings.get(method), hvp_cost))
            if progress is not None:
                progress.update(1)
    return runs


def curves(runs, grid):
    """method -> (n_seeds, len(grid)) best-so-far validation errors."""
    return {m: np.array([r.curve(grid) for r in rs]) for m, rs in runs.items()}


def ranking(runs, budget_steps):
    """Methods sorted by mean best-so-far validation error at ``budget_steps`` (NaN: no score yet, last)."""
    means = {m: float(np.nanmean(c[:, 0])) if np.any(np.isfinite(c)) else math.inf
             for m, c in curves(runs, np.array([budget_steps])).items()}
    return sorted(means.items(), key=lambda item: item[1])


def test_errors(problem, runs, X_test, y_test):
    """The test split, once: for each method and seed, train the standard way at its best meta and score on test."""
    return {m: np.array([problem.error(problem.train(r.best_meta, r.seed), X_test, y_test) for r in rs])
            for m, rs in runs.items()}


def choose_settings(dev_problem, max_steps, seeds=(0,), hvp_cost=2.0, progress=None):
    """Each gradient method's step size, chosen on the development problem: the candidate with the lowest
    mean best validation error there. Returns (settings, table of (method, value, mean error))."""
    chosen, table = {}, []
    for method, (name, values) in CANDIDATES.items():
        scores = []
        for value in values:
            errs = []
            for s in seeds:
                best = run_method(method, dev_problem, max_steps, s, {name: value}, hvp_cost).budget.best()
                errs.append(math.inf if best is None else best.score)
                if progress is not None:
                    progress.update(1)
            scores.append(float(np.mean(errs)))
            table.append((method, name, value, scores[-1]))
        chosen[method] = {name: values[int(np.argmin(scores))]}
    return chosen, table


def results_table(problem, runs, tests):
    """Rows (method, n_seeds, best validation error mean/std, test error mean/std, steps used, seconds, best meta)."""
    rows = []
    for m, rs in runs.items():
        best = np.array([r.budget.best().score for r in rs])
        metas = np.array([r.best_meta for r in rs])
        rows.append(dict(method=m, seeds=len(rs), valid_mean=best.mean(), valid_std=best.std(),
                         test_mean=tests[m].mean(), test_std=tests[m].std(),
                         steps=float(np.mean([r.budget.total_steps for r in rs])),
                         seconds=float(np.mean([r.seconds for r in rs])),
                         **{f"{name}_mean": float(metas[:, k].mean()) for k, name in enumerate(problem.names)}))
    return rows
