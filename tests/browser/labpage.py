"""Driving a notebook in JupyterLab the way a student does: menus, clicks and keys.

Everything here takes a Playwright ``Page`` showing JupyterLab. Cells are
found in page order (the lab runs with windowing off, so every cell is in the
DOM), which is the order of the cells in the .ipynb file.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

#: What the tests saw, for the end-of-session summary and build/browser/report.json.
RESULTS: dict = {"notebooks": {}, "keypress_ms": [], "stopped": [], "setup_s": {}}

#: The notebook on show (every other one is closed between tests).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: JavaScript: per cell in page order, the code cell's prompt text ("[3]:", "[*]:", "[ ]:"), null for markdown.
PROMPTS_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')].map(c =>
    c.classList.contains('jp-CodeCell') ? (c.querySelector('.jp-InputPrompt') || {}).textContent || '' : null)"""

#: JavaScript: the state of one picture (its root .widget-vbox): image bytes digest, readout HTML, size.
STATE_JS = """async (root) => {
    const img = root.querySelector(':scope > img.widget-image');
    const html = root.querySelector(':scope > .widget-html .widget-html-content');
    let digest = '';
    if (img && img.src) {
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let h = 2166136261 >>> 0;                        // FNV-1a over the PNG bytes
        for (let i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 16777619) >>> 0; }
        digest = bytes.length + ':' + h.toString(16);
    }
    return {src: img ? img.src : '', digest: digest, readout: html ? html.innerHTML : '',
            width: img && img.complete ? img.naturalWidth : 0, height: img && img.complete ? img.naturalHeight : 0,
            shown_width: img ? img.clientWidth : 0, shown_height: img ? img.clientHeight : 0};
}"""

#: JavaScript: describe one control (a child of the picture's first HBox).
CONTROL_JS = """(el) => {
    const clean = (e) => e ? e.textContent.replace(/\u200b/g, '').trim() : '';
    const text = clean(el.querySelector('.widget-label')) || clean(el.querySelector('.widget-label-basic'))
        || el.getAttribute('title') || clean(el).slice(0, 40);
    const c = el.classList;
    let kind = 'unknown';
    if (el.querySelector('.noUi-handle')) kind = 'slider';
    else if (el.querySelector('select')) kind = 'select';
    else if (el.querySelector('input[type=checkbox]')) kind = 'checkbox';
    else if (c.contains('widget-toggle-buttons')) kind = 'toggle-buttons';
    else if (c.contains('widget-radio')) kind = 'radio';
    else if (c.contains('widget-toggle-button')) kind = 'toggle-button';
    else if (el.tagName === 'BUTTON') kind = 'button';
    else if (el.querySelector('input[type=number], input[type=text]')) kind = 'text';
    return {label: text, kind: kind, classes: el.className};
}"""


@dataclass
class Move:
    """One control moved once: what was done and what it changed."""

    picture: int
    control: str
    kind: str
    action: str
    image_changed: bool
    readout_changed: bool
    redrawn: bool
    keypress_ms: float | None = None

    @property
    def changed(self) -> bool:
        return self.image_changed or self.readout_changed


@dataclass
class Report:
    """What one notebook test saw."""

    notebook: str
    pictures: int = 0
    sizes: list = field(default_factory=list)  # per picture: PNG size and the size shown on the page
    moves: list = field(default_factory=list)
    validate: str = ""
    screenshot: str = ""
    seconds: dict = field(default_factory=dict)


# --- notebook files ----------------------------------------------------------
def picture_cells(solution: Path) -> list[str]:
    """Ids of the cells of an executed notebook whose output is a widget (a picture)."""
    nb = json.loads(Path(solution).read_text())
    return [
        c.get("id", "")
        for c in nb["cells"]
        if c["cell_type"] == "code" and any(WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))
    ]


def cell_ids(notebook: Path) -> list[str]:
    return [c.get("id", "") for c in json.loads(Path(notebook).read_text())["cells"]]


# --- opening and running ---------------------------------------------------------
def status_text(page) -> str:
    return page.evaluate("""() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
        .map(e => e.textContent).find(t => / \\| /.test(t)) || ''""")


def wait_kernel_idle(page, name: str = "", timeout_s: float = 90) -> None:
    """Wait for the status bar (not the toolbar, which says idle too early) to say the kernel is Idle.

    With ``name``, the status bar must also show that file as the current one (right after a
    notebook is opened it can still show the previous one's state).
    """
    page.wait_for_function(
        """(name) => {
        const items = [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent.trim());
        return (!name || items.includes(name)) && items.some(t => / \\| Idle$/.test(t));
    }""",
        arg=name,
        timeout=timeout_s * 1e3,
    )


def open_app(page, url: str, timeout_s: float = 120) -> None:
    """Load JupyterLab itself (once per session) and wait for its menus and sidebars."""
    page.goto(url)
    page.locator(".lm-MenuBar-item", has_text="File").first.wait_for(timeout=timeout_s * 1e3)
    page.locator("#jp-main-dock-panel").wait_for(timeout=timeout_s * 1e3)
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab").first.wait_for(timeout=timeout_s * 1e3)


def hide_left_sidebar(page) -> None:
    """Collapse the left sidebar (the file browser) by clicking its open tab: more room for the pictures."""
    tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    for _ in range(3):
        if not tab.count():
            return
        tab.first.click()
        time.sleep(0.2)


def open_notebook(page, path: str, n_cells: int, timeout_s: float = 90) -> None:
    """File > Open from Path…, as a student would; wait for every cell and for the kernel to be idle."""
    menu(page, "File", "Open from Path…")
    box = page.locator(".jp-Dialog input").first
    box.fill(path)
    box.press("Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('{NOTEBOOK} .jp-Cell').length >= {n_cells}", timeout=timeout_s * 1e3
    )
    wait_kernel_idle(page, Path(path).name, timeout_s)
    hide_left_sidebar(page)


def close_all(page) -> None:
    """File > Close All Tabs, discarding unsaved changes; leaves the app as it was at the start."""
    for _ in range(3):
        if page.locator(".jp-Dialog").count():
            page.keyboard.press("Escape")
    menu(page, "File", "Close All Tabs")
    for _ in range(20):
        discard = page.locator(".jp-Dialog .jp-Dialog-button", has_text="Discard")
        try:
            discard.first.wait_for(timeout=1000)
        except Exception:
            break
        discard.first.click()
    page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel')", timeout=15_000)


def menu(page, top: str, item: str) -> None:
    """Click a menu-bar entry, then one of its items, as a student would."""
    page.locator(".lm-MenuBar-item", has_text=top).first.click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def prompts(page) -> list:
    return page.evaluate(PROMPTS_JS)


def _executed(prompt: str | None) -> bool:
    return bool(prompt) and any(ch.isdigit() for ch in prompt)


def run_all(page, timeout_s: float = 180) -> list:
    """Clear every output, Run All Cells, wait until nothing is queued or running; return the prompts.

    Run All stops at the first error: later cells are then left unexecuted ("[ ]").
    """
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"() => ({PROMPTS_JS})().every(p => p === null || !/\\d/.test(p))", timeout=10_000)
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        f"""() => {{
        const p = ({PROMPTS_JS})().filter(x => x !== null);
        return p.length > 0 && /\\d/.test(p[0]) && !p.some(x => x.includes('*'));
    }}""",
        timeout=timeout_s * 1e3,
        polling=200,
    )
    wait_kernel_idle(page)
    return prompts(page)


def cell(page, index: int):
    return page.locator(f"{NOTEBOOK} .jp-Cell").nth(index)


def run_cell(page, index: int, timeout_s: float = 60) -> None:
    """Select one cell (click its prompt) and run it with Ctrl+Enter; wait for its new execution count."""
    c = cell(page, index)
    c.scroll_into_view_if_needed()
    c.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        f"""() => {{
        const p = ({PROMPTS_JS})()[{index}];
        return /\\d/.test(p) && !p.includes('*');
    }}""",
        timeout=timeout_s * 1e3,
        polling=100,
    )


def cell_errors(page, index: int) -> str:
    """Text of the error or stderr outputs of one cell ('' when there are none)."""
    return cell(page, index).evaluate("""(c) => [...c.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(e => e.textContent).join('\\n')""")


# --- pictures -----------------------------------------------------------------
PICTURE_SELECTOR = ".jp-OutputArea-output .widget-vbox:has(> img.widget-image)"


def pictures_in_cell(page, index: int):
    return cell(page, index).locator(PICTURE_SELECTOR)


def all_pictures(page):
    return page.locator(f"{NOTEBOOK} {PICTURE_SELECTOR}")


def picture_state(picture) -> dict:
    return picture.evaluate(STATE_JS)


def wait_drawn(picture, timeout_s: float = 30) -> dict:
    """Wait until the picture's image has loaded with a real size; return its state."""
    picture.locator(":scope > img.widget-image").evaluate(
        "(img) => img.complete && img.naturalWidth > 0 ? true : new Promise((ok, bad) => {"
        " img.addEventListener('load', () => ok(true), {once: true});"
        f" setTimeout(() => bad(new Error('image never loaded')), {timeout_s * 1e3}); }})"
    )
    return picture_state(picture)


def controls(picture) -> list:
    """(locator, description) for every control of a picture: the children of its first HBox."""
    items = picture.locator(":scope > .widget-hbox").first.locator(":scope > .lm-Widget")
    return [(items.nth(i), items.nth(i).evaluate(CONTROL_JS)) for i in range(items.count())]


def _slider_keys(handle) -> list[str]:
    now, hi = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
    return ["ArrowLeft", "PageDown", "Home"] if now >= hi else ["ArrowRight", "PageUp", "End"]


def _arm_keypress_timer(page, picture) -> None:
    """Record (in the page) the time of the next keydown and of the next new image's load event."""
    picture.evaluate("""(root) => {
        const img = root.querySelector(':scope > img.widget-image');
        window.__keypress = {down: null, load: null};
        document.addEventListener('keydown', () => {
            if (window.__keypress.down === null) window.__keypress.down = performance.now(); },
            {capture: true, once: true});
        img.addEventListener('load', () => {
            if (window.__keypress.load === null) window.__keypress.load = performance.now(); }, {once: true});
    }""")


def _wait_redraw(page, picture, old_src: str, timeout_s: float) -> bool:
    try:
        picture.locator(":scope > img.widget-image").evaluate(
            """(img, old) => new Promise((ok, bad) => {
                const done = () => img.src !== old && img.complete && img.naturalWidth > 0;
                if (done()) return ok(true);
                const t = setInterval(() => { if (done()) { clearInterval(t); ok(true); } }, 20);
                setTimeout(() => { clearInterval(t); bad(new Error('no redraw')); }, TIMEOUT_MS);
            })""".replace("TIMEOUT_MS", str(int(timeout_s * 1e3))),
            old_src,
        )
        return True
    except Exception:
        return False


def move_control(page, picture, index: int, control, info: dict, timeout_s: float = 20) -> Move:
    """Move one control once as a student would (keyboard for sliders, mouse for the rest).

    A slider gets an arrow key first; if the picture looks the same afterwards (a one-step
    move can be below a pixel), Page Up/Down and then End/Home follow. Returns what changed.
    """
    kind, label = info["kind"], info["label"]
    before = picture_state(picture)
    actions = []
    if kind == "slider":
        handle = control.locator(".noUi-handle").first
        for key in _slider_keys(handle):
            actions.append(("key", key, handle))
    elif kind == "select":
        sel = control.locator("select").first
        n = sel.locator("option").count()
        current = sel.evaluate("(s) => s.selectedIndex")
        actions.append(("select", (current + 1) % n, sel))
    elif kind == "checkbox":
        actions.append(("click", "checkbox", control.locator("input[type=checkbox]").first))
    elif kind == "toggle-buttons":
        actions.append(("click", "other option", control.locator("button:not(.mod-active)").first))
    elif kind == "radio":
        actions.append(("click", "other option", control.locator("input[type=radio]:not(:checked)").first))
    elif kind in ("toggle-button", "button"):
        actions.append(("click", "button", control))
    elif kind == "text":
        box = control.locator("input").first
        value = box.input_value()
        try:
            new = str(float(value) + 1)
        except ValueError:
            new = value + "x"
        actions.append(("fill", new, box))
    else:
        return Move(index, label, kind, "unsupported control", False, False, False)

    done, redrawn, keypress_ms, after = [], False, None, before
    for how, what, target in actions:
        old_src = picture_state(picture)["src"]
        if how == "key":
            target.focus()
            if not done:
                _arm_keypress_timer(page, picture)
            page.keyboard.press(what)
        elif how == "select":
            target.select_option(index=what)
        elif how == "click":
            target.click()
        elif how == "fill":
            target.fill(what)
            target.press("Enter")
        done.append(f"{how} {what}")
        redrawn = _wait_redraw(page, picture, old_src, timeout_s if not done[:-1] else 5) or redrawn
        after = picture_state(picture)
        if how == "key" and len(done) == 1 and redrawn:
            t = page.evaluate("window.__keypress")
            if t and t["down"] is not None and t["load"] is not None:
                keypress_ms = t["load"] - t["down"]
        if after["digest"] != before["digest"] or after["readout"] != before["readout"]:
            break
    return Move(
        index,
        label,
        kind,
        ", ".join(done),
        after["digest"] != before["digest"],
        after["readout"] != before["readout"],
        redrawn,
        keypress_ms,
    )


def reload_from_disk(page, timeout_s: float = 30) -> None:
    """File > Reload Notebook from Disk (confirming if asked); wait until no stub is left in a cell."""
    menu(page, "File", "Reload Notebook from Disk")
    confirm = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
    try:
        confirm.first.wait_for(timeout=2000)
        confirm.first.click()
    except Exception:
        pass
    page.wait_for_function(
        f"""() => ![...document.querySelectorAll('{NOTEBOOK} .jp-CodeCell .cm-content')]
        .some(e => e.textContent.includes('raise NotImplementedError()'))""",
        timeout=timeout_s * 1e3,
    )


# --- validate and screenshots ------------------------------------------------
def validate(page, timeout_s: float = 240) -> tuple[str, str]:
    """Click nbgrader's Validate button; return ('success' | 'failed' | other, dialog text)."""
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=timeout_s * 1e3)
    title = dialog.locator(".jp-Dialog-header").inner_text()
    body = dialog.locator(".jp-Dialog-body")
    classes = body.evaluate("(b) => [b, ...b.querySelectorAll('*')].map(e => e.className).join(' ')")
    text = body.inner_text()
    verdict = (
        "success"
        if "validation-success" in classes
        else "failed"
        if "validation-failed" in classes
        else f"other ({title.strip()})"
    )
    dialog.locator(".jp-Dialog-button").last.click()
    dialog.wait_for(state="detached", timeout=10_000)
    return verdict, text


def screenshot_notebook(page, path: Path, width: int = 1280, max_height: int = 30_000) -> Path:
    """Screenshot the whole notebook: grow the viewport to the notebook's height, shoot, shrink back."""
    size = page.viewport_size
    extra = page.evaluate("""() => {
        const o = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
        return o ? o.scrollHeight - o.clientHeight : 0;
    }""")
    page.set_viewport_size({"width": width, "height": min(size["height"] + max(extra, 0), max_height)})
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").evaluate("(o) => o.scrollTo(0, 0)")
    time.sleep(0.5)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path
