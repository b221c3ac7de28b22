"""The package's shape: folders that mirror the course, one idea per module, an import graph without cycles."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hpo_teach"
FOLDERS = ("data", "models", "training", "search", "hypergrad", "problems", "viz")


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def resolve(importer, node):
    """Modules of hpo_teach that an import statement (in module ``importer``) names."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in MODULES]
    if node.level:
        base = importer.split(".")
        if not MODULES[importer].name == "__init__.py":
            base = base[:-1]
        base = base[:len(base) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    found = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
    return found or ([target] if target in MODULES else [])


def import_graph():
    """{module: set of hpo_teach modules it imports}, lazy imports inside functions included."""
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                       for t in resolve(name, node) if t != name}
    return graph


def test_import_graph_has_no_cycles_and_stays_shallow():
    graph = import_graph()
    depth, visiting = {}, []

    def visit(module):
        if module in visiting:
            raise AssertionError("import cycle: " + " -> ".join(visiting[visiting.index(module):] + [module]))
        if module not in depth:
            visiting.append(module)
            depth[module] = 1 + max((visit(m) for m in graph[module]), default=0)
            visiting.pop()
        return depth[module]

    longest = max(visit(m) for m in graph)
    print(f"import graph: {len(graph)} modules, longest import chain {longest}")
    assert longest <= 8, f"longest import chain {longest} modules"


def test_folders_mirror_the_course_with_a_few_modules_each():
    for folder in FOLDERS:
        modules = [p for p in (PACKAGE / folder).glob("*.py") if p.name != "__init__.py"]
        assert 2 <= len(modules) <= 9, f"{folder}/ has {len(modules)} modules; keep a few (2-9) per folder"
        assert (PACKAGE / folder / "__init__.py").read_text().lstrip().startswith('"""'), f"{folder}/ needs a docstring"


def test_every_module_says_what_it_holds():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{name} has no module docstring"


def test_hypergrad_knows_no_model():
    graph = import_graph()
    for name in (m for m in graph if m.startswith("hpo_teach.hypergrad")):
        models = {m for m in graph[name] if m.startswith(("hpo_teach.models", "hpo_teach.problems"))}
        assert not models, f"{name} imports {models}: hypergradient methods take losses, not models"
