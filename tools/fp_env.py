"""The perturbed floating-point environment in which `make test` runs nbval a second time.

NumPy picks SIMD kernels for `exp`, `tanh`, sums ... at import time from the CPU's features, and
OpenBLAS picks a matrix-multiply kernel per CPU family. Both change the last bits of results, and
training amplifies those bits. A notebook cell whose checked output survives both the machine's
native kernels and the ones chosen here prints only what any IEEE-754 machine reproduces.

The perturbation:

* ``NPY_DISABLE_CPU_FEATURES`` names every NumPy dispatch target above the build's baseline
  (read from ``numpy._core._multiarray_umath.__cpu_dispatch__``), so NumPy runs its baseline code;
* ``OPENBLAS_CORETYPE`` forces an old OpenBLAS kernel family (Nehalem: SSE only, no AVX, no FMA
  on x86-64; the generic ARMv8 kernels on 64-bit Arm).

    python tools/fp_env.py                  # print KEY=VALUE lines (for `env $(...) command`)
    python tools/fp_env.py --run CMD ...    # run CMD in the perturbed environment
"""

import os
import platform
import subprocess
import sys

OLD_OPENBLAS_KERNEL = {"x86_64": "Nehalem", "amd64": "Nehalem", "aarch64": "ARMV8", "arm64": "ARMV8"}


def dispatch_targets():
    """NumPy's SIMD dispatch targets above the build's baseline (names for NPY_DISABLE_CPU_FEATURES)."""
    from numpy._core import _multiarray_umath

    return list(_multiarray_umath.__cpu_dispatch__)


def perturbed_env():
    """Variables that move NumPy to its baseline kernels and OpenBLAS to an old kernel family."""
    env = {"NPY_DISABLE_CPU_FEATURES": " ".join(dispatch_targets())}
    kernel = OLD_OPENBLAS_KERNEL.get(platform.machine().lower())
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    return env


def main(argv):
    env = perturbed_env()
    if argv[:1] == ["--run"]:
        if len(argv) < 2:
            sys.exit("usage: fp_env.py --run COMMAND [ARGS ...]")
        print("perturbed floating point: " + "  ".join(f"{k}={v!r}" for k, v in env.items()), flush=True)
        return subprocess.call(argv[1:], env={**os.environ, **env})
    for key, value in env.items():
        print(f"{key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
