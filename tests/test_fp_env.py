"""The second nbval pass of `make test` runs in a really different floating-point environment.

`make test` executes every notebook twice under strict nbval: natively and with the variables of
`tools/fp_env.py` (NumPy on its baseline SIMD code, OpenBLAS on an old kernel family). If those
variables changed nothing, the second pass would silently test nothing. Here the same short MLP
training run is done in both environments; its final weights must differ in their last bits
(training amplifies them), while the run stays the same training run (weights close).
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import fp_env  # noqa: E402

TRAIN = """
import sys
import numpy as np
import threadpoolctl
from numpy._core import _multiarray_umath
from hpo_teach import data
from hpo_teach.models import mlp as nn
from hpo_teach.training import optim
from hpo_teach.training.loop import fit

X, y = data.mnist_small("train")
mlp = nn.MLP([196, 32, 10], activation="tanh")
w0 = mlp.init(0, "glorot")
history = fit(mlp, w0, X[:1000], y[:1000], optim.make_optimizer("momentum", lr=0.3),
              n_steps=200, batch_size=50, seed=0, progress=False)
np.save(sys.argv[1], history.w_last)
blas = [i.get("architecture") for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"]
features = [f for f in _multiarray_umath.__cpu_dispatch__ if _multiarray_umath.__cpu_features__.get(f)]
print(repr({"openblas": blas, "numpy_dispatch": features}))
"""


def run_training(tmp_path, name, extra_env):
    out = tmp_path / f"{name}.npy"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", **extra_env}
    result = subprocess.run([sys.executable, "-c", TRAIN, str(out)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return np.load(out), eval(result.stdout.strip().splitlines()[-1])


def test_perturbed_environment_names_every_dispatch_target_and_an_old_blas_kernel():
    env = fp_env.perturbed_env()
    from numpy._core import _multiarray_umath

    assert env["NPY_DISABLE_CPU_FEATURES"].split() == list(_multiarray_umath.__cpu_dispatch__)
    if "OPENBLAS_CORETYPE" in env:
        assert env["OPENBLAS_CORETYPE"] in ("Nehalem", "ARMV8")


@pytest.mark.slow
def test_the_perturbation_changes_a_training_run(tmp_path):
    native_w, native = run_training(tmp_path, "native", {})
    perturbed_env = fp_env.perturbed_env()
    perturbed_w, perturbed = run_training(tmp_path, "perturbed", perturbed_env)
    if native == perturbed:
        pytest.skip(f"this machine's native kernels are already the perturbed ones ({native})")
    assert perturbed["numpy_dispatch"] == [], perturbed
    if "OPENBLAS_CORETYPE" in perturbed_env and perturbed["openblas"]:
        assert perturbed["openblas"] == [perturbed_env["OPENBLAS_CORETYPE"]], perturbed
    gap = np.max(np.abs(native_w - perturbed_w))
    scale = np.max(np.abs(native_w))
    print(f"native {native}, perturbed {perturbed}: max |w_native - w_perturbed| = {gap:.3g} "
          f"({gap / scale:.3g} of max |w|); bit-different weights: {np.sum(native_w != perturbed_w)} of {native_w.size}")
    assert not np.array_equal(native_w, perturbed_w), "the perturbed environment gave bit-identical weights"
    assert gap < 1e-3 * scale, "the same run should stay close: only the last bits may differ"
