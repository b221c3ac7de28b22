"""Build the course website: static HTML from the committed, executed notebooks, offline.

Every ``notebooks/NN_*.ipynb`` found at build time becomes one page, rendered by nbconvert's
``lab`` template (the notebook is not executed: its committed outputs are the content). Around
each page: the course map as a sidebar (titles and parts from ``tools/course_map.py``), prev /
next links, and links to open the notebook live (Binder, or a local JupyterLab started by
``make lab``) or download it. ``index.html`` is the course's front page.

What a static page cannot run is replaced by what the notebook committed:

- slider views (ipywidgets) show the image their view held when the notebook was saved, unless
  the same image is already one of the notebook's outputs (``SliderView.snapshot()``), and list
  their controls' saved values; the live notebook moves them;
- tqdm progress bars become their final text line;
- the notebooks' own prev / next cells (tagged ``nav``) give way to the site's navigation, the
  course-map cell is written afresh by course_map.py, and links to ``NN_*.ipynb`` point at the pages.

Maths: MathJax 2 is copied from the ``jupyter-server-mathjax`` package (the ``site`` extra,
which ``make site`` installs) into ``site/mathjax/``, so pages render maths with no network.
Without that package the pages load MathJax from a CDN: maths then renders only when online.
Figures are written as files under ``site/figures/``; the Jupyter CSS once under ``site/static/``.

    python tools/build_site.py                                 # into site/
    python tools/build_site.py --out /tmp/site --binder-repo owner/repo --binder-ref main
"""

import argparse
import base64
import concurrent.futures
import copy
import hashlib
import html
import multiprocessing
import os
import re
import shutil
import sys
import time
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course_map  # noqa: E402  (tools/ is not a package)

ROOT = course_map.ROOT
NOTEBOOKS = course_map.NOTEBOOKS
SITE_NAME = "hpo-teach"
BINDER_PLACEHOLDER = "OWNER/REPO"
CDN_MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.9/MathJax.js"
MATHJAX_QUERY = "?config=TeX-AMS-MML_HTMLorMML-full,Safe"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
LAB_CSS = "static/jupyterlab.css"
SITE_CSS = "static/site.css"

# The page template: nbconvert's lab template with the CDN scripts (require.js, the widget
# manager, mermaid) removed, the Jupyter CSS linked instead of inlined, local MathJax and the
# site's navigation around the cells. Everything site-specific comes in through resources.site.
PAGE_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block notebook_css %}
<link rel="stylesheet" href="{{ resources.site.lab_css }}">
<link rel="stylesheet" href="{{ resources.site.site_css }}">
{% endblock notebook_css %}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
  tex2jax: {inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]],
            processEscapes: true, processEnvironments: true},
  "HTML-CSS": {availableFonts: ["STIX-Web"], preferredFont: "STIX-Web", webFont: "STIX-Web",
               imageFont: null, linebreaks: {automatic: true}},
  displayAlign: "center",
  messageStyle: "none"
});
</script>
<script src="{{ resources.site.mathjax_url }}"></script>
{%- endblock html_head_js_mathjax -%}
{%- block body_header -%}
<body class="jp-Notebook site-page" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<div class="site-layout">
<nav class="site-sidebar" aria-label="Course map">{{ resources.site.sidebar }}</nav>
<div class="site-content">
{{ resources.site.top }}
<main>
{%- endblock body_header -%}
{% block body_footer %}
</main>
{{ resources.site.bottom }}
</div>
</div>
</body>
{% endblock body_footer %}
"""

SITE_CSS_TEXT = """\
/* from nbconvert's lab template, which inlines it in each page */
* { -webkit-print-color-adjust: exact; }
.jp-InputArea, .jp-InputArea-editor { overflow: hidden; }
.cm-editor.cm-s-jupyter .highlight pre { padding: var(--jp-code-padding) 4px; margin: 0;
  font-family: inherit; font-size: inherit; line-height: inherit; color: inherit; }
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
.jp-Collapser { display: none; }
@page { margin: 0.5in; }
@media print { .jp-Cell-inputWrapper, .jp-Cell-outputWrapper { display: block; }
  .site-sidebar, .site-pager, .site-live { display: none; } }
/* heading anchors: shown on hover, so a section's link can be copied */
a.anchor-link { visibility: hidden; text-decoration: none; margin-left: 0.3em; }
:is(h1, h2, h3, h4, h5, h6):hover > a.anchor-link { visibility: visible; }
/* the site around the notebook */
body.site-page { margin: 0; padding: 0; }
.site-layout { display: flex; align-items: flex-start; min-height: 100vh; }
.site-sidebar { flex: 0 0 17rem; position: sticky; top: 0; max-height: 100vh; overflow-y: auto;
  box-sizing: border-box; padding: 1rem 1rem 2rem; background: #f6f7f9; border-right: 1px solid #dde1e6;
  font-family: var(--jp-ui-font-family); font-size: 0.9rem; line-height: 1.35; }
.site-sidebar .site-home { display: block; font-weight: 700; font-size: 1.1rem; margin-bottom: 0.8rem; }
.site-sidebar .site-part { margin: 1rem 0 0.3rem; font-weight: 600; color: #444; }
.site-sidebar ul { list-style: none; margin: 0; padding: 0; }
.site-sidebar li { margin: 0.15rem 0; }
.site-sidebar a { color: #1f5fa8; text-decoration: none; }
.site-sidebar a:hover { text-decoration: underline; }
.site-sidebar li.site-current > a { font-weight: 700; color: #111; }
.site-sidebar .site-coming { color: #888; font-style: italic; }
.site-content { flex: 1 1 auto; min-width: 0; padding: 0.5rem 1.5rem 2rem; }
.site-content main { max-width: 1100px; }
.site-pager { display: flex; justify-content: space-between; gap: 1rem; flex-wrap: wrap;
  font-family: var(--jp-ui-font-family); font-size: 0.95rem; padding: 0.6rem 0; }
.site-pager a { color: #1f5fa8; text-decoration: none; }
.site-pager .site-next { margin-left: auto; text-align: right; }
.site-live { font-family: var(--jp-ui-font-family); font-size: 0.9rem; background: #eef4fb;
  border: 1px solid #c9dcf2; border-radius: 4px; padding: 0.5rem 0.8rem; margin: 0.3rem 0 0.8rem; }
.site-live code { font-size: 0.85rem; }
.site-live a { color: #1f5fa8; text-decoration: underline; }
.site-view-note { font-family: var(--jp-ui-font-family); font-size: 0.9rem; background: #fff8e6;
  border-left: 3px solid #e0a800; padding: 0.4rem 0.7rem; margin: 0.2rem 0; }
.site-progress { font-family: var(--jp-code-font-family); font-size: var(--jp-code-font-size); }
@media (max-width: 900px) {
  .site-layout { display: block; }
  .site-sidebar { position: static; max-height: none; border-right: 0; border-bottom: 1px solid #dde1e6; }
  .site-content { padding: 0.5rem 0.7rem 2rem; }
}
"""


def notebook_paths(notebooks=NOTEBOOKS):
    """Every course notebook, in course order (the order of course_map.py's prev / next)."""
    return sorted(notebooks.glob("[0-9][0-9]*.ipynb"))


def page_name(path):
    return path.stem + ".html"


# ---------------------------------------------------------------------------------------------
# Navigation


def sidebar_html(paths, titles, current=None):
    """The course map as nested lists: parts from course_map.PARTS, titles from the notebooks."""
    by_number = {}
    for p in paths:
        by_number.setdefault(p.name[:2], []).append(p)
    planned = {number for number, _, _ in course_map.PLAN}
    out = [f'<a class="site-home" href="index.html">{html.escape(SITE_NAME)}</a>']
    part = None

    def item(p):
        cls = ' class="site-current"' if p == current else ""
        return f'<li{cls}><a href="{page_name(p)}">{html.escape(titles[p])}</a></li>'

    for number, plan_part, plan_title in course_map.PLAN:
        if plan_part != part:
            if part is not None:
                out.append("</ul>")
            part = plan_part
            out.append(f'<div class="site-part">{html.escape(course_map.PARTS[part])}</div><ul>')
        if number in by_number:
            out.extend(item(p) for p in by_number[number])
        else:
            out.append(f'<li class="site-coming">{number} {html.escape(plan_title)} (coming)</li>')
    out.append("</ul>")
    unplanned = [p for p in paths if p.name[:2] not in planned]
    if unplanned:
        out.append('<div class="site-part">More</div><ul>')
        out.extend(item(p) for p in unplanned)
        out.append("</ul>")
    return "\n".join(out)


def pager_html(prev, nxt):
    """prev / next links; each is (href, title) or None."""
    left = f'<a class="site-prev" href="{prev[0]}">← {html.escape(prev[1])}</a>' if prev else "<span></span>"
    right = f'<a class="site-next" href="{nxt[0]}">{html.escape(nxt[1])} →</a>' if nxt else ""
    return f'<nav class="site-pager" aria-label="Previous and next">{left}{right}</nav>'


def binder_url(repo, ref, notebook_name):
    """mybinder.org builds the repository from environment.yml and opens the notebook in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{repo}/{ref}?labpath=notebooks%2F{notebook_name}"


def live_html(path, repo, ref):
    name = html.escape(path.name)
    placeholder = (" (placeholder: build with <code>--binder-repo owner/repo</code>)"
                   if repo == BINDER_PLACEHOLDER else "")
    return (
        '<div class="site-live"><strong>Run this notebook:</strong> '
        f'<a href="{html.escape(binder_url(repo, ref, path.name))}">on Binder</a>{placeholder} · '
        f'on your machine with <code>make lab</code>, then open <code>notebooks/{name}</code> '
        f'(<a href="http://localhost:8888/lab/tree/notebooks/{name}">in a running JupyterLab</a>, port 8888) · '
        f'<a href="notebooks/{name}" download>download the .ipynb</a></div>'
    )


# ---------------------------------------------------------------------------------------------
# What a static page cannot run


def _model(state, ref):
    """The widget model a child reference (``IPY_MODEL_<id>``) or a model id names, or None."""
    return state.get(ref.removeprefix("IPY_MODEL_")) if isinstance(ref, str) else None


def _leaves(state, model, depth=0):
    """The widget models inside a box, depth first."""
    if model is None or depth > 20:
        return []
    children = model.get("state", {}).get("children")
    if not children:
        return [model]
    return [leaf for child in children for leaf in _leaves(state, _model(state, child), depth + 1)]


def _widget_text(value):
    return html.unescape(re.sub(r"<[^>]+>", "", str(value))).replace("\u2007", " ").strip()


def _progress_line(leaves):
    """tqdm's widget (HTML, progress bar, HTML) as the line tqdm prints in a terminal."""
    bar = next(m for m in leaves if m["model_name"] in ("FloatProgressModel", "IntProgressModel"))["state"]
    texts = [_widget_text(m["state"].get("value", "")) for m in leaves if m["model_name"] == "HTMLModel"]
    value, high = bar.get("value", 0) or 0, bar.get("max", 1) or 1
    filled = max(0, min(10, int(round(10 * value / high))))
    left, right = (texts + ["", ""])[:2]
    return f"{left}|{'█' * filled}{' ' * (10 - filled)}|{right}".strip()


def _control_value(model):
    s = model["state"]
    labels = s.get("_options_labels")
    if labels is not None and s.get("index") is not None:
        index = s["index"]
        return ", ".join(labels[i] for i in index) if isinstance(index, list) else labels[index]
    value = s.get("value")
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _image_bytes(model):
    for buffer in model.get("buffers", []):
        if buffer.get("path") == ["value"] and buffer.get("encoding", "base64") == "base64":
            return base64.b64decode(buffer["data"])
    return None


def output_images(nb):
    """sha256 -> (mime type, bytes) of every image output the notebook committed."""
    images = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime, data in output.get("data", {}).items():
                if mime.startswith("image/"):
                    raw = data.encode() if mime == "image/svg+xml" else base64.b64decode(data)
                    images[hashlib.sha256(raw).hexdigest()] = (mime, raw)
    return images


def view_images(nb):
    """(mime type, bytes) of the image each widget view held when the notebook was saved."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    found = []
    for model in state.values():
        if model.get("model_name") == "ImageModel":
            raw = _image_bytes(model)
            if raw:
                found.append((f"image/{model['state'].get('format', 'png')}", raw))
    return found


def static_outputs(widget_output, state, committed):
    """The outputs that stand for one widget view output on a static page."""
    model = _model(state, widget_output["data"][WIDGET_VIEW].get("model_id"))
    if model is None:
        return []
    leaves = _leaves(state, model)
    names = {m["model_name"] for m in leaves}
    if names & {"FloatProgressModel", "IntProgressModel"} and names <= {
            "HTMLModel", "FloatProgressModel", "IntProgressModel"}:
        return [nbformat.v4.new_output("display_data", data={
            "text/html": f'<pre class="site-progress">{html.escape(_progress_line(leaves))}</pre>',
            "text/plain": _progress_line(leaves)})]
    images = [m for m in leaves if m["model_name"] == "ImageModel"]
    controls = [m for m in leaves if m["model_name"] not in ("ImageModel", "HTMLModel", "LabelModel", "OutputModel")
                and m["state"].get("description")]
    if not images and not controls:
        return []
    settings = ", ".join(f"{html.escape(str(m['state']['description']))} = {html.escape(_control_value(m))}"
                         for m in controls)
    outputs, shown_elsewhere = [], False
    for m in images:
        raw = _image_bytes(m)
        if raw is None:
            continue
        if hashlib.sha256(raw).hexdigest() in committed:
            shown_elsewhere = True
            continue
        mime = f"image/{m['state'].get('format', 'png')}"
        outputs.append(nbformat.v4.new_output("display_data", data={mime: base64.b64encode(raw).decode()}))
    if not images:
        note = ('<div class="site-view-note"><strong>Interactive control.</strong> It moves in the live notebook'
                + (f"; saved value: {settings}" if settings else "") + ".</div>")
    else:
        shown = ("this page shows its committed snapshot" if shown_elsewhere
                 else "below is the view as the notebook saved it")
        note = (f'<div class="site-view-note"><strong>Slider view.</strong> In the live notebook the sliders '
                f'redraw the figure; {shown}' + (f" ({settings})" if settings else "") + ".</div>")
    return [nbformat.v4.new_output("display_data", data={"text/html": note, "text/plain": "slider view"})] + outputs


def static_notebook(nb):
    """A copy of ``nb`` that renders without a kernel: nav cells out, widgets replaced."""
    nb = copy.deepcopy(nb)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    committed = output_images(nb)
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "nav" in tags:
            continue
        if "course-map" in tags:  # as course_map.py writes it, so the page never shows a stale map
            cell.source = "## Course map\n\n" + course_map.course_map("")
        if cell.cell_type == "code":
            outputs = []
            for output in cell.outputs:
                if WIDGET_VIEW in output.get("data", {}):
                    outputs.extend(static_outputs(output, state, committed))
                else:
                    outputs.append(output)
            cell.outputs = outputs
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


# ---------------------------------------------------------------------------------------------
# Pages


def local_mathjax():
    """The folder of MathJax 2 that jupyter-server-mathjax ships, or None."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        return None
    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    return static if (static / "MathJax.js").exists() else None


def rewrite_links(text, stems):
    """Links to course notebooks (``NN_name.ipynb``, with or without #anchor) point at their pages."""
    pattern = re.compile(r'(href=")(?:\./)?(' + "|".join(map(re.escape, stems)) + r')\.ipynb(?=[#"])')
    return pattern.sub(r"\1\2.html", text) if stems else text


def make_exporter():
    exporter = HTMLExporter(template_name="lab", extra_loaders=[jinja2.DictLoader({"site.html.j2": PAGE_TEMPLATE})],
                            template_file="site.html.j2")
    exporter.register_preprocessor("nbconvert.preprocessors.ExtractOutputPreprocessor", enabled=True)
    return exporter


def lab_css(exporter):
    """nbconvert's lab CSS (index + light theme), linked by every page instead of inlined in each."""
    for folder in exporter.template_paths:
        static = Path(folder) / "static"
        if (static / "index.css").exists() and (static / "theme-light.css").exists():
            return (static / "index.css").read_text(encoding="utf-8") + "\n" + \
                (static / "theme-light.css").read_text(encoding="utf-8")
    raise SystemExit("nbconvert's lab template CSS (static/index.css) not found")


def render(exporter, nb, stem, title, site, out):
    """Write ``out/stem.html`` and its figures under ``out/figures/stem/``; returns the figure count."""
    resources = {"metadata": {"name": title}, "site": site,
                 "output_files_dir": f"figures/{stem}", "unique_key": "output"}
    body, resources = exporter.from_notebook_node(nb, resources=resources)
    for name, data in resources.get("outputs", {}).items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (out / f"{stem}.html").write_text(rewrite_links(body, site["stems"]), encoding="utf-8")
    return len(resources.get("outputs", {}))


_EXPORTER = None


def _exporter():
    """One exporter per process (building one costs more than a small page)."""
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = make_exporter()
    return _EXPORTER


def _render_job(job):
    """Render one page: the index (path None) or a notebook. Returns (page, figures, seconds)."""
    path, stem, title, site, out = job
    start = time.perf_counter()
    nb = index_notebook(site["paths"]) if path is None else static_notebook(nbformat.read(path, as_version=4))
    figures = render(_exporter(), nb, stem, title, site, out)
    return f"{stem}.html", figures, time.perf_counter() - start


def readme_intro():
    """The README's opening paragraphs (between the title and the first ``## `` heading)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    body = []
    for line in lines[1:]:
        if line.startswith("## "):
            break
        body.append(line)
    return "\n".join(body).strip()


def index_notebook(paths):
    """The front page, as a one-cell notebook so it shares the pages' template, CSS and maths."""
    first = page_name(paths[0]) if paths else "index.html"
    text = f"""# {SITE_NAME}: hyperparameters and how to optimize them

{readme_intro()}

Start with [{course_map.title_of(paths[0]) if paths else 'the first notebook'}]({first}).

## Course map

{course_map.course_map("") if paths else ""}

## Run the notebooks yourself

Every page links to its notebook on Binder (built from `environment.yml`) and as a download.
On your own machine, with `python3` (3.10 or newer) and `make`, from a clone of the repository:

```bash
make lab    # creates .venv, installs the course, opens JupyterLab on notebooks/00_start_here.ipynb
```
"""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])


def build(out, binder_repo=BINDER_PLACEHOLDER, binder_ref="HEAD", notebooks=NOTEBOOKS, jobs=None, quiet=False):
    """Build the site into ``out`` (emptied first), ``jobs`` pages at a time (default: one per CPU).

    Returns a summary: pages, notebooks, figures, where MathJax comes from, seconds.
    """
    start = time.perf_counter()
    out = Path(out)
    if out.exists():
        if any(out.iterdir()) and not (out / ".nojekyll").exists():
            raise SystemExit(f"{out} is not empty and not a site this tool built: refusing to empty it")
        shutil.rmtree(out)
    (out / "static").mkdir(parents=True)
    (out / "notebooks").mkdir()
    # Pages are rendered from copies, which the site also offers as downloads: a page and its
    # .ipynb always agree, even while someone re-executes a notebook during the build.
    paths = []
    for source in notebook_paths(notebooks):
        shutil.copy2(source, out / "notebooks" / source.name)
        paths.append(out / "notebooks" / source.name)
    titles = {p: course_map.title_of(p) for p in paths}
    stems = [p.stem for p in paths]

    mathjax = local_mathjax()
    if mathjax is not None:
        shutil.copytree(mathjax, out / "mathjax", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        mathjax_url = "mathjax/MathJax.js" + MATHJAX_QUERY
    else:
        mathjax_url = CDN_MATHJAX + MATHJAX_QUERY
        print("note: jupyter-server-mathjax is not installed (pip install -e '.[site]'); pages load MathJax "
              "from a CDN, so maths renders only when online", file=sys.stderr)

    (out / LAB_CSS).write_text(lab_css(_exporter()), encoding="utf-8")
    (out / SITE_CSS).write_text(SITE_CSS_TEXT, encoding="utf-8")
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve the files as they are

    def site(current, prev, nxt, live=""):
        return {"sidebar": sidebar_html(paths, titles, current), "stems": stems, "mathjax_url": mathjax_url,
                "lab_css": LAB_CSS, "site_css": SITE_CSS, "paths": paths,
                "top": pager_html(prev, nxt) + live, "bottom": pager_html(prev, nxt)}

    home = ("index.html", "Course home")
    jobs_list = [(None, "index", SITE_NAME,
                  site(None, None, (page_name(paths[0]), titles[paths[0]]) if paths else None), out)]
    for i, p in enumerate(paths):
        prev = (page_name(paths[i - 1]), titles[paths[i - 1]]) if i > 0 else home
        nxt = (page_name(paths[i + 1]), titles[paths[i + 1]]) if i + 1 < len(paths) else None
        jobs_list.append((p, p.stem, f"{titles[p]} · {SITE_NAME}",
                          site(p, prev, nxt, live_html(p, binder_repo, binder_ref)), out))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(jobs_list)))
    if jobs == 1:
        results = map(_render_job, jobs_list)
    else:
        # spawn, not fork: the caller may have threads (a pytest-xdist worker has)
        pool = concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
        results = pool.map(_render_job, jobs_list)
    pages = {}
    for name, figures, seconds in results:
        pages[name] = figures
        if not quiet:
            print(f"  {name:48s} {figures:3d} figures  {seconds:5.1f} s")
    if jobs > 1:
        pool.shutdown()
    summary = {"pages": len(pages), "notebooks": len(paths), "figures": sum(pages.values()),
               "mathjax": "local" if mathjax is not None else "CDN", "seconds": time.perf_counter() - start}
    if not quiet:
        print(f"{out}: {summary['pages']} pages ({summary['notebooks']} notebooks + index), "
              f"{summary['figures']} figures, MathJax {summary['mathjax']}, {summary['seconds']:.1f} s")
        if binder_repo == BINDER_PLACEHOLDER:
            print(f"note: Binder links name {BINDER_PLACEHOLDER}; pass --binder-repo owner/repo "
                  "(make site BINDER_REPO=owner/repo) before publishing", file=sys.stderr)
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (emptied first)")
    parser.add_argument("--binder-repo", default=BINDER_PLACEHOLDER, help="GitHub owner/repo for the Binder links")
    parser.add_argument("--binder-ref", default="HEAD", help="branch, tag or commit Binder builds")
    parser.add_argument("--jobs", type=int, default=None, help="pages rendered at once (default: one per CPU)")
    args = parser.parse_args()
    build(args.out, args.binder_repo, args.binder_ref, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
