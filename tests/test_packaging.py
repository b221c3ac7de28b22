"""The conda/Binder route stays consistent with pyproject.toml, and the two commands exist."""

import re
import tomllib
from pathlib import Path

import yaml

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
    assert pip == ["-e ."], "environment.yml must install the course itself, so pyproject.toml stays the one list"
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
