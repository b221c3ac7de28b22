"""Static checks on every committed notebook (nbval, run by `make test`, executes them)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*.ipynb"))
REQUIRED_SECTIONS = ("learning objectives", "prerequisites", "summary", "exercises")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_the_course_has_its_start_notebook():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_executed_and_clean(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    counts = []
    for cell in code_cells(nb):
        source = "".join(cell["source"])
        assert not re.search(r"^\s*[!%]\s*pip install", source, re.M), "no installs from notebooks"
        assert cell["execution_count"] is not None or not source.strip(), f"unexecuted cell: {source[:60]!r}"
        counts.append(cell["execution_count"])
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"stored error: {output.get('ename')}"
            assert "Traceback" not in "".join(output.get("text", ""))
    executed = [c for c in counts if c is not None]
    assert executed == list(range(1, len(executed) + 1)), "execute top to bottom in a fresh kernel"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_the_course_sections(path):
    markdown = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown").lower()
    required = ("summary", "exercises") if path.name.startswith("00") else REQUIRED_SECTIONS
    missing = [s for s in required if s not in markdown]
    assert not missing, f"missing sections: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_numbered_sections_run_one_two_three(path):
    markdown = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    numbers = [int(n) for n in re.findall(r"^## (\d+)\.", markdown, re.M)]
    assert numbers == list(range(1, len(numbers) + 1)), f"section numbers {numbers}: one is missing or repeated"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_students_see_no_test_scaffolding(path):
    """Slider coverage and latency are measured in tests/ (test_*_views.py), not in the student's path."""
    code = "\n".join("".join(c["source"]) for c in code_cells(load(path)))
    found = re.findall(r"\.exercise\(\)|median_latency_ms|latencies_ms", code)
    assert not found, f"move {sorted(set(found))} into tests/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solution_files_exist_for_every_load(path):
    text = "\n".join("".join(c["source"]) for c in load(path)["cells"])
    for target in re.findall(r"%load\s+([\w./-]+\.py)", text):
        assert (path.parent / target).is_file(), f"%load target missing: {target}"


def test_navigation_and_course_map_are_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "course_map.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks" / "solutions").glob("*.py")), ids=lambda p: p.name)
def test_solutions_compile(path):
    compile(path.read_text(encoding="utf-8"), str(path), "exec")
