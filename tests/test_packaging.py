"""The lock, the conda/Binder route and pyproject.toml agree, and the two commands exist."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def environment_yml_entries():
    """(conda specs, pip specs) listed in environment.yml."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [dep for dep in env["dependencies"] if isinstance(dep, str)]
    pip = [spec for dep in env["dependencies"] if isinstance(dep, dict) for spec in dep.get("pip", [])]
    return conda, pip


def test_environment_yml_installs_the_course_from_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {re.split(r"[<>=!~\[ ]", dep)[0].lower() for dep in project["dependencies"]}
    conda, pip = environment_yml_entries()
    conda_names = {re.split(r"[<>=!~ ]", entry)[0].lower() for entry in conda}
    assert "python" in conda_names and "pip" in conda_names
    extra = conda_names - {"python", "pip"} - declared
    assert not extra, f"environment.yml lists conda packages pyproject.toml does not declare: {extra}"
    assert pip == ["-c requirements-lock.txt", "-e ."], \
        "environment.yml must install the course itself at the lock's versions, so pyproject.toml stays the one list"
    python_pin = next(e for e in conda if e.startswith("python"))
    minimum = project["requires-python"].removeprefix(">=")
    assert tuple(map(int, python_pin.split("=")[1].split("."))) >= tuple(map(int, minimum.split(".")))


def test_makefile_has_the_two_readme_commands_and_ci_calls_make_test():
    makefile = (ROOT / "Makefile").read_text()
    readme = (ROOT / "README.md").read_text()
    for target in ("lab", "test"):
        assert re.search(rf"^{target}:", makefile, re.M)
        assert f"make {target}" in readme
    assert re.search(r"^make test$", (ROOT / ".ci/run").read_text(), re.M)


LOCK = ROOT / "requirements-lock.txt"


def lock_pins():
    """{name: [(version, marker or None), ...]} from requirements-lock.txt (one pin per marker branch)."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", f"the lock pins exact versions: {line}"
        pins.setdefault(canonicalize_name(req.name), []).append((spec.version, req.marker))
    return pins


def declared_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(dep) for dep in project["dependencies"] + extras["test"] + extras["site"]]


def test_lock_pins_every_declared_dependency_within_its_range():
    pins = lock_pins()
    for req in declared_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not in the lock: run `make lock`"
        for version, _ in pins[name]:
            assert req.specifier.contains(version, prereleases=True), \
                f"lock pins {req.name}=={version}, outside pyproject.toml's {req.specifier}: run `make lock`"


def test_lock_is_generated_from_pyproject_for_every_supported_python():
    header = LOCK.read_text().splitlines()[:3]
    command = next(line for line in header if "pip compile" in line)
    assert "pyproject.toml" in command and "--extra test --extra site" in command and "--universal" in command
    minimum = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"].removeprefix(">=")
    assert f"--python-version {minimum}" in command, "the lock must cover the oldest Python the course supports"
    # every pinned package resolves to exactly one version on each Python the course supports
    for python in ("3.10", "3.11", "3.12", "3.13"):
        env = {"python_version": python, "python_full_version": python + ".0", "sys_platform": "linux",
               "platform_system": "Linux", "platform_machine": "x86_64", "implementation_name": "cpython",
               "platform_python_implementation": "CPython", "os_name": "posix"}
        for name, versions in lock_pins().items():
            chosen = [v for v, marker in versions if marker is None or marker.evaluate(env)]
            assert len(chosen) <= 1, f"{name}: several pins apply on Python {python}: {chosen}"
    for req in declared_requirements():
        if req.marker is None:
            assert any(m is None or m.evaluate({"python_full_version": "3.11.0", "python_version": "3.11"})
                       for _, m in lock_pins()[canonicalize_name(req.name)]), req.name


def test_environment_yml_python_is_one_the_lock_covers():
    conda, _ = environment_yml_entries()
    python_pin = next(e for e in conda if e.startswith("python"))
    version = python_pin.split("=")[1]
    numpy_pins = [m for _, m in lock_pins()["numpy"] if m is None or
                  Marker(str(m)).evaluate({"python_full_version": version + ".0", "python_version": version})]
    assert len(numpy_pins) == 1, f"the lock must pin numpy for environment.yml's python {version}"


def test_make_installs_the_lock_and_test_latest_does_not():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^LOCK\s*:=\s*requirements-lock.txt$", makefile, re.M)
    for target in ("install-course", "install-test"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
        assert "-c $(LOCK)" in recipe, f"{target} must install with the lock"
    latest = re.search(r"^test-latest:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "$(LOCK)" not in latest and "$(call run_tests" in latest
    test = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "$(call run_tests" in test
    assert "tools/fp_env.py --run" in makefile, "make test runs nbval a second time in the perturbed environment"
