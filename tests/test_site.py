"""The course website (`make site`, tools/build_site.py): built once into a temporary folder, then
every notebook has a page, every internal link and anchor resolves, every figure is on its page."""

import base64
import hashlib
import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

try:
    import fcntl
except ImportError:  # Windows: each xdist worker builds its own copy
    fcntl = None

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*.ipynb"))
REPO = "example/hpo-teach"


class Page(HTMLParser):
    """The links (href, src), ids and scripts of one HTML page."""

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.scripts, self.stylesheets = [], set(), [], []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) is not None:
                self.links.append((tag, attrs[key]))
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, built once per test run: pytest-xdist's workers share one build (under a lock)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        root = root.parent  # this run's folder, common to all its workers
    out, done = root / "site", root / "site.json"
    with open(root / "site.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            done.write_text(json.dumps(build_site.build(out, binder_repo=REPO, binder_ref="main", quiet=True)))
    summary = json.loads(done.read_text())
    pages = {p.name: Page(p) for p in out.glob("*.html")}
    return out, summary, pages


def sha(raw):
    return hashlib.sha256(raw).hexdigest()


def test_every_notebook_has_a_page_in_the_sidebar_with_prev_and_next(site):
    out, summary, pages = site
    assert NOTEBOOKS, "no notebooks found"
    assert summary["notebooks"] == len(NOTEBOOKS) and summary["pages"] == len(NOTEBOOKS) + 1
    assert set(pages) == {"index.html"} | {p.stem + ".html" for p in NOTEBOOKS}
    order = ["index.html"] + [p.stem + ".html" for p in NOTEBOOKS]
    for i, name in enumerate(order):
        hrefs = {href for tag, href in pages[name].links if tag == "a"}
        missing = set(order) - hrefs - {name}
        assert not missing, f"{name}: the course map lacks {sorted(missing)}"
        text = (out / name).read_text(encoding="utf-8")
        if i > 0:
            assert f'class="site-prev" href="{order[i - 1]}"' in text, f"{name}: no link to the previous page"
        if i + 1 < len(order):
            assert f'class="site-next" href="{order[i + 1]}"' in text, f"{name}: no link to the next page"
    for path in NOTEBOOKS:
        text = (out / (path.stem + ".html")).read_text(encoding="utf-8")
        title = build_site.course_map.title_of(path)
        assert f"<title>{build_site.html.escape(title)}" in text, f"{path.name}: page title"


def test_every_internal_link_and_anchor_resolves_and_nothing_loads_from_the_network(site):
    out, summary, pages = site
    broken = []
    for name, page in pages.items():
        for tag, link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "data", "javascript"):
                continue
            assert not parts.scheme and not parts.netloc, f"{name}: unexpected link {link}"
            target = (out / name).parent / unquote(parts.path) if parts.path else out / name
            target = target.resolve()
            if out.resolve() not in target.parents or not target.is_file():
                broken.append(f"{name}: <{tag}> {link} (no such file in the site)")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target.name].ids if target.parent == out.resolve() else Page(target).ids
                # as browsers do: the fragment as written, else percent-decoded (nbconvert's heading
                # ids keep the percent-encoding of non-ASCII titles)
                if parts.fragment not in ids and unquote(parts.fragment) not in ids:
                    broken.append(f"{name}: <{tag}> {link} (no such anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken)
    for name, page in pages.items():
        external = [u for u in page.scripts + page.stylesheets if urlsplit(u).scheme]
        if summary["mathjax"] == "local":
            assert not external, f"{name} loads {external}: the site must work offline"
        else:  # without the site extra only MathJax comes from a CDN
            assert all(u.startswith(build_site.CDN_MATHJAX) for u in external), external
        assert any("MathJax.js" in u for u in page.scripts), f"{name}: no MathJax"


def page_images(out, name, page):
    """sha256 of every image the page shows (a file in the site or a data: URI)."""
    found = set()
    for tag, src in page.links:
        if tag != "img":
            continue
        if src.startswith("data:"):
            found.add(sha(base64.b64decode(src.split(",", 1)[1])))
        else:
            found.add(sha((out / unquote(urlsplit(src).path)).read_bytes()))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_and_slider_snapshot_of_a_notebook_is_on_its_page(site, path):
    out, _, pages = site
    name = path.stem + ".html"
    # the copy the page was built from (the site's download), not the notebook as it may be now
    nb = nbformat.read(out / "notebooks" / path.name, as_version=4)
    shown = page_images(out, name, pages[name])
    figures = build_site.output_images(nb)
    missing = [f"{mime} output" for h, (mime, _) in figures.items() if h not in shown]
    missing += [f"slider view's {mime}" for mime, raw in build_site.view_images(nb) if sha(raw) not in shown]
    assert not missing, f"{name} lacks {missing}"
    text = (out / name).read_text(encoding="utf-8")
    assert build_site.binder_url(REPO, "main", path.name) in text.replace("&amp;", "&"), "no Binder link"
    assert f'href="notebooks/{path.name}"' in text, "no download link"
    assert "application/vnd.jupyter.widget" not in text, "a widget that needs a kernel was left on the page"


def test_widgets_become_text_or_their_saved_image():
    jpeg = base64.b64encode(b"\xff\xd8 fake jpeg").decode()
    model = lambda name, **state: {"model_name": name, "state": state}  # noqa: E731
    state = {
        "bar": model("HBoxModel", children=["IPY_MODEL_t1", "IPY_MODEL_p", "IPY_MODEL_t2"]),
        "t1": model("HTMLModel", value="sweep:\u2007100%"), "t2": model("HTMLModel", value=" 4/4 [00:01&lt;00:00]"),
        "p": model("FloatProgressModel", value=4.0, max=4.0),
        "view": model("VBoxModel", children=["IPY_MODEL_row", "IPY_MODEL_img"]),
        "row": model("HBoxModel", children=["IPY_MODEL_s"]),
        "s": model("SelectionSliderModel", description="width", index=1, _options_labels=["1", "2"]),
        "img": {**model("ImageModel", format="jpeg"), "buffers": [{"path": ["value"], "encoding": "base64",
                                                                     "data": jpeg}]},
        "lone": model("IntSliderModel", description="drag me", value=3),
    }
    view = lambda mid: nbformat.v4.new_output(  # noqa: E731
        "display_data", data={build_site.WIDGET_VIEW: {"model_id": mid, "version_major": 2}, "text/plain": "x"})
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("[next](01_x.ipynb)", metadata={"tags": ["nav", "top"]}),
        nbformat.v4.new_markdown_cell("stale map", metadata={"tags": ["course-map"]}),
        nbformat.v4.new_code_cell("", outputs=[view("bar"), view("view"), view("gone"), view("lone")])])
    nb.metadata["widgets"] = {build_site.WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    static = build_site.static_notebook(nb)
    assert "widgets" not in static.metadata and len(static.cells) == 2
    assert static.cells[0].source == "## Course map\n\n" + build_site.course_map.course_map("")
    bar, note, image, lone = static.cells[1].outputs
    assert bar.data["text/plain"] == "sweep: 100%|██████████|4/4 [00:01<00:00]"
    assert "width = 2" in note.data["text/html"] and "as the notebook saved it" in note.data["text/html"]
    assert image.data["image/jpeg"] == jpeg
    assert "Interactive control" in lone.data["text/html"] and "drag me = 3" in lone.data["text/html"]
