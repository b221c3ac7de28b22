"""Regenerate the course's navigation from the notebooks themselves.

Writes (1) a prev / next / map line as the second and the last cell of every notebook,
(2) the course map in README.md and in notebook 00. Titles come from each notebook's first
``# `` heading, so renaming a notebook needs only this tool. ``--check`` changes nothing and
exits 1 if anything is out of date (the tests run it).

    python tools/course_map.py          # rewrite
    python tools/course_map.py --check  # verify
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
MAP_START, MAP_END = "<!-- course-map:start -->", "<!-- course-map:end -->"

# The whole course as planned in COURSE.md: (number, part, title). Notebooks not yet written
# are listed as "coming".
PLAN = [
    ("00", "", "Start here"),
    ("01", "I", "Capacity and network design"),
    ("02", "I", "L1 and L2 regularization"),
    ("03", "I", "Dropout and noise"),
    ("04", "I", "Learning rate and batch size"),
    ("05", "I", "Activations and vanishing gradients"),
    ("06", "I", "Optimizers"),
    ("07", "II", "Black-box search"),
    ("08", "III", "Hypergradients by unrolling"),
    ("09", "III", "Reversible learning"),
    ("10", "III", "Reversible-learning experiments"),
    ("11", "IV", "T1-T2 online tuning"),
    ("12", "IV", "Hypernetworks"),
    ("13", "IV", "Implicit differentiation"),
    ("14", "V", "Continuous width"),
    ("15", "V", "Capstone: every method, one budget"),
]
PARTS = {
    "": "Getting started",
    "I": "Part I: what hyperparameters do",
    "II": "Part II: black-box search",
    "III": "Part III: hypergradients through training",
    "IV": "Part IV: online and implicit methods",
    "V": "Part V: width as a hyperparameter, and the capstone",
}


def notebook_paths():
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]*.ipynb"))


def title_of(path):
    """The text of the notebook's first ``# `` heading."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise SystemExit(f"{path.name}: no '# ' title heading in any markdown cell")


def course_map(link_prefix):
    """Markdown list of every planned notebook, linked where it exists."""
    existing = {p.name[:2]: [] for p in notebook_paths()}
    for p in notebook_paths():
        existing[p.name[:2]].append(p)
    lines, part = [], None
    for number, plan_part, plan_title in PLAN:
        if plan_part != part:
            part = plan_part
            lines += ["", f"**{PARTS[part]}**", ""]
        if number in existing:
            for p in existing[number]:
                lines.append(f"- [{title_of(p)}]({link_prefix}{p.name})")
        else:
            lines.append(f"- {number} {plan_title} *(coming)*")
    return "\n".join(lines).strip() + "\n"


def nav_line(paths, index):
    parts = []
    if index > 0:
        parts.append(f"[← {title_of(paths[index - 1])}]({paths[index - 1].name})")
    parts.append("[Course map](00_start_here.ipynb#Course-map)")
    if index + 1 < len(paths):
        parts.append(f"[{title_of(paths[index + 1])} →]({paths[index + 1].name})")
    return " | ".join(parts)


def nav_cell(text, position):
    return {"cell_type": "markdown", "id": f"nav-{position}", "metadata": {"tags": ["nav", position]},
            "source": [text]}


def _source_lines(text):
    return text.splitlines(keepends=True)


def updated_notebook(path, paths, index):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "nav" not in c.get("metadata", {}).get("tags", [])]
    line = nav_line(paths, index)
    cells.insert(1, nav_cell(line, "top"))
    cells.append(nav_cell(line, "bottom"))
    for cell in cells:
        if "course-map" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = _source_lines("## Course map\n\n" + course_map(""))
    nb["cells"] = cells
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def updated_readme():
    text = README.read_text(encoding="utf-8")
    if MAP_START not in text:
        raise SystemExit(f"README.md lacks the {MAP_START} ... {MAP_END} markers")
    head, rest = text.split(MAP_START, 1)
    _, tail = rest.split(MAP_END, 1)
    return f"{head}{MAP_START}\n{course_map('notebooks/')}{MAP_END}{tail}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, change nothing")
    args = parser.parse_args()
    paths = notebook_paths()
    targets = {README: updated_readme()}
    targets.update({p: updated_notebook(p, paths, i) for i, p in enumerate(paths)})
    stale = [p for p, text in targets.items() if p.read_text(encoding="utf-8") != text]
    if args.check:
        for p in stale:
            print(f"out of date: {p.relative_to(ROOT)} (run python tools/course_map.py)")
        return 1 if stale else 0
    for p in stale:
        p.write_text(targets[p], encoding="utf-8")
        print(f"updated {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
