"""The course's environment check: is everything the notebooks need here, and if not, what to do.

Notebook 00 runs :func:`check_environment` and shows the table; each failing row carries the
command that fixes it. The same check runs in the tests, so CI proves it passes on a clean setup.
"""

import importlib.metadata as metadata
import sys
from dataclasses import dataclass, field

from packaging.requirements import Requirement

FIX_INSTALL = "run `make lab` (or `pip install -e .` in the repo) and restart the kernel"


@dataclass
class Check:
    """One row of the report: what was checked, what was found, and the fix if it failed."""

    name: str
    found: str
    ok: bool
    fix: str = ""


@dataclass
class Report:
    """All checks; ``ok`` is True only if every check passed."""

    checks: list = field(default_factory=list)

    @property
    def ok(self):
        return all(check.ok for check in self.checks)

    def failures(self):
        return [check for check in self.checks if not check.ok]

    def __str__(self):
        width = max(len(check.name) for check in self.checks)
        lines = [
            f"{'ok ' if check.ok else 'FIX'} {check.name:<{width}}  {check.found}"
            + ("" if check.ok else f"\n    -> {check.fix}")
            for check in self.checks
        ]
        verdict = "all checks passed" if self.ok else f"{len(self.failures())} check(s) need fixing"
        return "\n".join(lines + [verdict])

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def course_requirements():
    """The runtime requirements declared by the installed ``hpo-teach`` package."""
    requirements = []
    for line in metadata.requires("hpo-teach") or []:
        requirement = Requirement(line)
        if requirement.marker is None:
            requirements.append(requirement)
    return requirements


def check_python(minimum=(3, 10)):
    found = ".".join(map(str, sys.version_info[:3]))
    return Check("python", found, sys.version_info[:2] >= minimum,
                 f"install Python >= {'.'.join(map(str, minimum))} and recreate .venv (`make clean lab`)")


def check_package(requirement):
    """Is ``requirement`` installed at an allowed version?"""
    name = requirement.name
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        return Check(name, "not installed", False, FIX_INSTALL)
    ok = requirement.specifier.contains(version, prereleases=True)
    return Check(name, f"{version} (needs {requirement.specifier or 'any'})", ok,
                 f"upgrade: pip install '{requirement}'; then restart the kernel")


def check_widgets_frontend():
    """Sliders need the JupyterLab widget extension next to ipywidgets, and ipympl's for live plots."""
    missing = []
    for name in ("jupyterlab_widgets", "ipympl"):
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check("widget frontend", "missing " + ", ".join(missing), False,
                     f"pip install {' '.join(missing)}; then reload the browser tab")
    return Check("widget frontend", f"jupyterlab_widgets {metadata.version('jupyterlab_widgets')}", True)


def check_backend():
    from .backend import describe

    try:
        return Check("array backend", describe(), True)
    except (RuntimeError, ValueError) as error:
        return Check("array backend", str(error), False,
                     "unset HPO_TEACH_BACKEND (NumPy on CPU is the default) or fix the reason above")


def check_data():
    from .data.mnist_subset import DataFileError, load_mnist_raw

    try:
        images, labels = load_mnist_raw()
    except DataFileError as error:
        return Check("data/mnist_5k.npz", str(error).splitlines()[0], False,
                     "restore it with `git checkout data/mnist_5k.npz`")
    return Check("data/mnist_5k.npz", f"{images.shape[0]} digits, checksum verified", True)


def check_environment():
    """Run every check and return a :class:`Report`."""
    checks = [check_python()]
    checks += [check_package(requirement) for requirement in course_requirements()]
    checks += [check_widgets_frontend(), check_backend(), check_data()]
    return Report(checks)
