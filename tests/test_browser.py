"""Slider views in a real browser: JupyterLab in headless Chromium, used as a student would.

nbval runs every notebook but never renders a page, so it cannot see a slider squeezed to a bare
handle or a control pushed off-screen. This test starts JupyterLab (a free 127.0.0.1 port, no
token, fresh settings and workspaces, on a throwaway copy of ``notebooks/`` so nothing is saved
over the committed snapshots), opens every notebook whose code builds a ``SliderView(``, runs
all cells, and for each view on the page:

- presses ArrowRight (ArrowLeft at the maximum) on its first slider's handle and waits for the
  view's image to change, within ``REDRAW_S`` seconds;
- checks every slider track is visible and at least ``MIN_TRACK_PX`` wide, and every control
  lies inside the cell's output area;

and checks the page raised no JavaScript errors. It uses Debian's ``chromium`` through
Playwright (``executable_path``: no browser download). Without chromium or Playwright it skips,
saying why, except where ``CI`` is set, where it fails.

It is one test function looping over the notebooks, so ``pytest -n 2`` runs it in one worker.
Knobs for working on views: ``HPO_TEACH_BROWSER_NOTEBOOKS=06,09`` (name prefixes) limits the
notebooks; ``HPO_TEACH_BROWSER_SHOTS=DIR`` saves a PNG of every view; ``HPO_TEACH_CHROMIUM``
names another Chromium binary.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
VIEW = ".hpo-slider-view"  # the class SliderView puts on its outer box
VIEWPORT = {"width": 1400, "height": 900}
REDRAW_S = 2.0  # key press -> new image
MIN_TRACK_PX = 80
SERVER_START_S = 90
OPEN_S = 60  # notebook opened and its kernel idle
RUN_S = 300  # all cells of one notebook (each is meant to run in < 90 s on 2 cores)
STEP_MS = 30_000  # any single browser action

# Fresh JupyterLab settings: no autosave (belt and braces: the notebooks are copies anyway),
# every cell rendered (windowing would skip layout of cells off-screen), no news or update checks.
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def builds_a_view(code):
    """True if notebook code builds a slider view: directly, or through a ``hpo_teach.viz.*_views`` builder."""
    return "SliderView(" in code or re.search(r"from hpo_teach\.viz(\.\w+_views| import \w+_views)\b", code) is not None


def slider_notebooks():
    """Notebooks whose code builds a slider view, found now so new notebooks are covered."""
    only = [p for p in os.environ.get("HPO_TEACH_BROWSER_NOTEBOOKS", "").split(",") if p]
    found = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        if only and not any(path.name.startswith(p) for p in only):
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if builds_a_view("\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")):
            found.append(path.name)
    return found


def unavailable(reason):
    """Skip on a student's machine; fail in CI, where the browser test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser test must run here")
    pytest.skip(reason)


def find_chromium():
    exe = os.environ.get("HPO_TEACH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe or not os.access(exe, os.X_OK):
        missing = f": no {exe}" if exe else ""
        unavailable(f"chromium is not installed (Debian/Ubuntu: apt-get install chromium){missing}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    return exe


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(tmp):
    """A JupyterLab server on a copy of notebooks/; yields its URL and kills it at the end."""
    root = tmp / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    settings = tmp / "settings"
    for name, values in SETTINGS.items():
        path = settings / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--port-retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
           f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}", "--LabApp.expose_app_in_browser=True",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_PLATFORM_DIRS="1")
    env.pop("MPLBACKEND", None)  # kernels pick the inline backend, as on a student's machine
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")  # as `make test` sets them (notebook 09's exact reversal needs one thread)
    url = f"http://127.0.0.1:{port}"
    log_path = tmp / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({server.returncode}):\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer in {SERVER_START_S} s:\n"
                                   f"{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        stop(server)


def stop(server):
    """SIGTERM (the server shuts its kernels down), then SIGKILL the group if it lingers."""
    if server.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


# --- in-page helpers (JupyterLab's app object, exposed by --LabApp.expose_app_in_browser) -------

OPEN_JS = """async (path) => {
  const widget = await window.jupyterapp.commands.execute('docmanager:open', {path});
  window.__hpo = {widget, run: null};
  return widget.id;
}"""

KERNEL_IDLE_JS = """() => {
  const w = window.__hpo && window.__hpo.widget;
  return !!(w && w.context.isReady && w.sessionContext.session && w.sessionContext.session.kernel
            && w.sessionContext.kernelDisplayStatus === 'idle');
}"""

RUN_ALL_JS = """() => {
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    ok => { window.__hpo.run = {ok: ok !== false}; },
    err => { window.__hpo.run = {ok: false, error: String(err)}; });
}"""

CELL_ERRORS_JS = """() => {
  const errors = [];
  for (const cell of window.__hpo.widget.content.widgets) {
    if (cell.model.type !== 'code') continue;
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === 'error') errors.push(`${out.ename}: ${out.evalue}`);
    }
  }
  return errors;
}"""

CLOSE_JS = """async () => {
  const w = window.__hpo.widget;
  const timeout = new Promise(resolve => setTimeout(resolve, 15000));
  await Promise.race([w.sessionContext.shutdown(), timeout]);
  w.dispose();
}"""

# Geometry of one view: its output area, slider tracks and controls (page coordinates).
LAYOUT_JS = """(view) => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const visible = el => { const s = getComputedStyle(el);
                          return s.visibility !== 'hidden' && s.display !== 'none' && el.getClientRects().length > 0; };
  const label = el => { const d = el.querySelector('.widget-label'); return d ? d.textContent.trim() : el.className; };
  const area = view.closest('.jp-OutputArea-output') || view;
  return {
    area: box(area),
    window_width: window.innerWidth,
    tracks: [...view.querySelectorAll('.widget-slider')].map(s => {
      const t = s.querySelector('.noUi-target') || s.querySelector('.slider-container');
      return {label: label(s), box: t ? box(t) : null, visible: !!t && visible(t)};
    }),
    controls: [...view.querySelectorAll('.widget-inline-hbox')].map(c => ({label: label(c), box: box(c)})),
  };
}"""


def check_layout(layout):
    """Problems with one view's geometry: squeezed tracks, controls outside the output area."""
    problems = []
    area = layout["area"]
    if area["right"] > layout["window_width"] + 1:
        problems.append(f"output area ends at {area['right']:.0f} px, past the {layout['window_width']} px window")
    for track in layout["tracks"]:
        if not track["visible"] or track["box"] is None or track["box"]["width"] < MIN_TRACK_PX:
            width = track["box"]["width"] if track["box"] else 0
            problems.append(f"slider {track['label']!r}: track {width:.0f} px wide (needs >= {MIN_TRACK_PX}, visible)")
    for control in layout["controls"]:
        b = control["box"]
        if b["left"] < area["left"] - 1 or b["right"] > area["right"] + 1 or b["width"] <= 0:
            problems.append(f"control {control['label']!r} spans {b['left']:.0f}-{b['right']:.0f} px, outside "
                            f"the output area {area['left']:.0f}-{area['right']:.0f} px")
    if not layout["controls"]:
        problems.append("no controls")
    return problems


def check_redraw(page, view):
    """Press an arrow key on the view's first slider; seconds until the image changed, or a problem."""
    handle = view.locator(".widget-slider .noUi-handle").first
    image = view.locator("img").first
    if handle.count() == 0 or image.count() == 0:
        return None, "view has no slider handle or no image"
    now, top = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if now is not None and top is not None and float(now) >= float(top) else "ArrowRight"
    before = image.get_attribute("src")
    handle.focus()
    start = time.perf_counter()
    page.keyboard.press(key)
    try:
        page.wait_for_function("([img, before]) => img.getAttribute('src') !== before",
                               arg=[image.element_handle(), before], timeout=1000 * REDRAW_S, polling=20)
    except Exception:  # Playwright's TimeoutError
        return None, f"image did not change within {REDRAW_S} s of {key}"
    return time.perf_counter() - start, None


def check_notebook(page, name, shots):
    """Open, run all cells, exercise every view; returns (problems, facts) for the notebook."""
    problems, facts = [], {"views": 0, "redraw_s": [], "run_s": None}
    page_errors = []

    def on_error(exc):
        page_errors.append(str(exc))

    page.on("pageerror", on_error)
    widget_id = page.evaluate(OPEN_JS, name)
    try:
        page.wait_for_function(KERNEL_IDLE_JS, timeout=1000 * OPEN_S, polling=200)
        start = time.perf_counter()
        page.evaluate(RUN_ALL_JS)
        try:
            page.wait_for_function("() => window.__hpo.run !== null", timeout=1000 * RUN_S, polling=250)
        except Exception:
            return [f"cells still running after {RUN_S} s"], facts
        facts["run_s"] = time.perf_counter() - start
        run = page.evaluate("() => window.__hpo.run")
        errors = page.evaluate(CELL_ERRORS_JS)
        if errors or not run["ok"]:
            problems.append(f"run all cells failed: {errors or run.get('error', 'a cell did not finish')}")
        panel = page.locator(f'[id="{widget_id}"]')
        if panel.get_by_text("Error displaying widget").count():
            problems.append("an output says 'Error displaying widget'")
        views = panel.locator(VIEW)
        facts["views"] = views.count()
        if facts["views"] == 0:
            problems.append("no slider view rendered")
        for i in range(facts["views"]):
            view = views.nth(i)
            view.scroll_into_view_if_needed(timeout=STEP_MS)
            problems += [f"view {i + 1}: {p}" for p in check_layout(view.evaluate(LAYOUT_JS))]
            seconds, problem = check_redraw(page, view)
            if problem:
                problems.append(f"view {i + 1}: {problem}")
            else:
                facts["redraw_s"].append(round(seconds, 2))
            if shots:
                box = view.bounding_box()  # the window's full width: shows controls pushed off-screen
                if box:
                    page.screenshot(path=str(Path(shots) / f"{Path(name).stem}_view{i + 1}.png"), timeout=STEP_MS,
                                    clip={"x": 0, "y": max(box["y"] - 10, 0), "width": VIEWPORT["width"],
                                          "height": min(box["height"] + 20, VIEWPORT["height"])})
        problems += [f"page error: {e}" for e in page_errors]
    finally:
        page.remove_listener("pageerror", on_error)
        with contextlib.suppress(Exception):
            page.evaluate(CLOSE_JS)
    return problems, facts


@pytest.mark.slow
def test_slider_views_work_in_jupyterlab(request):
    chromium = find_chromium()
    from playwright.sync_api import sync_playwright

    notebooks = slider_notebooks()
    assert notebooks, "no notebook builds a SliderView: is the notebooks/ folder here?"
    shots = os.environ.get("HPO_TEACH_BROWSER_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    results, failures = {}, {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hpo-browser-") as tmp, jupyterlab(Path(tmp)) as url, \
            sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, timeout=1000 * OPEN_S,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        except Exception as err:  # an old or broken chromium: the student's machine, not the course
            unavailable(f"{chromium} did not start under Playwright: {str(err).splitlines()[0]}")
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.set_default_timeout(STEP_MS)
            page.goto(f"{url}/lab", timeout=1000 * OPEN_S)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
                                   "'notebook:run-all-cells')", timeout=1000 * OPEN_S, polling=200)
            for name in notebooks:
                t0 = time.perf_counter()
                problems, facts = check_notebook(page, name, shots)
                facts["total_s"] = round(time.perf_counter() - t0, 1)
                facts["run_s"] = facts["run_s"] and round(facts["run_s"], 1)
                results[name] = facts
                if problems:
                    failures[name] = problems
        finally:
            browser.close()
    elapsed = time.perf_counter() - started
    report = [f"browser test: {len(notebooks)} notebooks in {elapsed:.0f} s"]
    for name, facts in results.items():
        verdict = "FAIL" if name in failures else "ok"
        report.append(f"  {verdict:4} {name}: {facts['views']} views, run {facts['run_s']} s, "
                      f"redraw {facts['redraw_s']} s, total {facts['total_s']} s")
    print("\n".join(report))
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        cache.set("hpo_teach/browser", {"elapsed_s": round(elapsed), "results": results, "failures": failures})
    assert not failures, "\n".join(report + [f"{n}:\n    " + "\n    ".join(p) for n, p in failures.items()])
