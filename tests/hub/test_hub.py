"""A whole term on the course's JupyterHub, driven in headless Chromium (make test-hub).

Two students log in and fetch assignment 01 from the Assignments tab; one puts the answer key
into the notebook and presses Validate, the other hands in the release untouched; both press
Submit. A hub user who is on no roster sees no course. The instructor collects and grades
(sandboxed, through coursekit.grade), opens the formgrader in its own tab and gives the
reflection its points, releases feedback; the Canvas and Moodle files hold the right numbers
(the third roster student, who handed in nothing, is empty); the students press Fetch Feedback. Screenshots of
each step go to build/hub-browser/.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import re
import time
from pathlib import Path

import pytest

from conftest import REPO, ROSTER, SHOTS
from coursekit import hub as H

ASSIGNMENT = "01_forward_pass"
#: the assignment's notebooks (an assignment may hold several parts); the browser opens the first
NOTEBOOKS = sorted(p.stem for p in (REPO / "source" / ASSIGNMENT).glob("*.ipynb"))
NOTEBOOK = NOTEBOOKS[0]
SOURCE = REPO / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
RELEASE = REPO / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
SOLVER, IDLE = "snt-ada", "snt-alan"
INSTRUCTOR = "snt-prof"


def points(source: Path) -> tuple[float, float, list[str]]:
    """(autograded points, hand-graded points, hand-graded grade ids) read from the source notebook."""
    auto = manual = 0.0
    ids = []
    for c in json.loads(source.read_text())["cells"]:
        m = c.get("metadata", {}).get("nbgrader", {})
        if m.get("grade"):
            if m.get("solution"):
                manual += m["points"]
                ids.append(m["grade_id"])
            else:
                auto += m["points"]
    return auto, manual, ids


def shot(page, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def login(browser, hub, user: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(90_000)
    page = ctx.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.pw[user])
    page.click("#login_submit")
    page.wait_for_url("**/lab**", timeout=180_000)
    page.locator(".lm-MenuBar-item", has_text="File").first.wait_for(timeout=120_000)
    return page


def assignments_tab(page):
    """Nbgrader > Assignment List; wait until the released list has loaded."""
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").first.click()
    page.get_by_role("menuitem", name="Assignment List").click()
    page.wait_for_function(
        """() => { const l = document.querySelector('#released_assignments_list_loading');
        return l && l.hidden; }""",
        timeout=60_000,
    )
    return page


def nbgrader_menu(page) -> list[str]:
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").first.click()
    items = [t.strip() for t in page.locator(".lm-Menu-content .lm-Menu-itemLabel").all_inner_texts() if t.strip()]
    page.keyboard.press("Escape")
    return items


def fetch(page) -> None:
    page.locator("#released_assignments_list button", has_text="Fetch").first.click()
    page.locator("#fetched_assignments_list button", has_text="Submit").first.wait_for(timeout=60_000)


def submit(page) -> None:
    page.locator("#fetched_assignments_list button", has_text="Submit").first.click()
    page.locator("#submitted_assignments_list .list_item").first.wait_for(timeout=60_000)


def home(user: str) -> Path:
    return Path(pwd.getpwnam(user).pw_dir)


def test_a_term_on_the_hub(hub, browser):
    per = {nb: points(REPO / "source" / ASSIGNMENT / f"{nb}.ipynb") for nb in NOTEBOOKS}
    auto, manual = sum(a for a, _, _ in per.values()), sum(m for _, m, _ in per.values())
    assert all(ids for _, _, ids in per.values()), f"a notebook of {ASSIGNMENT} has no hand-graded cell: {per}"

    # The instructor hands out assignment 01 through the exchange (make hub-release).
    H.release(hub, ASSIGNMENT)

    # --- student 1: fetch, solve (the answer key), Validate, Submit ---------------------------
    ada = assignments_tab(login(browser, hub, SOLVER))
    menu = nbgrader_menu(ada)
    assert menu == ["Assignment List"], f"a student's Nbgrader menu should hold only the Assignment List, got {menu}"
    assert ada.locator("#released_assignments_list", has_text=ASSIGNMENT).count()
    shot(ada, "1-student-assignments")
    fetch(ada)
    import labpage as lp
    from test_notebooks import solved_release

    acct = pwd.getpwnam(SOLVER)
    for nb in NOTEBOOKS:
        fetched = home(SOLVER) / hub.course_id / ASSIGNMENT / f"{nb}.ipynb"
        release = REPO / "release" / ASSIGNMENT / f"{nb}.ipynb"
        assert fetched.read_bytes() == release.read_bytes(), f"the fetched {nb}.ipynb is not release/'s"
        solved_release(release, REPO / "source" / ASSIGNMENT / f"{nb}.ipynb", fetched)
        os.chown(fetched, acct.pw_uid, acct.pw_gid)
    lp.open_notebook(ada, f"{hub.course_id}/{ASSIGNMENT}/{NOTEBOOK}.ipynb", n_cells=5, timeout_s=180)
    verdict, text = lp.validate(ada)
    shot(ada, "2-student-validated")
    assert verdict == "success", f"Validate on the solved notebook said {verdict}: {text[:1000]}"
    ada.locator(".lm-TabBar-tab", has_text="Assignments").first.click()
    ada.locator("#fetched_assignments_list button", has_text="Submit").first.wait_for()
    submit(ada)
    shot(ada, "3-student-submitted")

    # --- student 2: fetch, hand in the release untouched ---------------------------------------
    alan = assignments_tab(login(browser, hub, IDLE))
    fetch(alan)
    submit(alan)

    # --- a hub user on no roster: no course, nothing to fetch --------------------------------
    guest = assignments_tab(login(browser, hub, hub.guests[0]))
    released = guest.locator("#released_assignments_list").inner_text()
    shot(guest, "4-guest-no-course")
    assert ASSIGNMENT not in released and "no assignments" in released.lower(), released
    seen = guest.evaluate("""() => document.querySelector('#jp-main-dock-panel').innerText + ' ' +
        [...document.querySelectorAll('#jp-main-dock-panel option')].map(o => o.value + ' ' + o.text).join(' ')""")
    assert hub.course_id not in seen, f"the guest sees the course: {seen[:300]}"
    page = guest.request.get(f"{hub.url}/services/{hub.course_id}/formgrader", max_redirects=5)
    assert page.status in (403, 404) or "formgrader" not in page.url, "the guest reached the formgrader"
    guest.context.close()

    # --- the instructor: collect and grade (sandboxed), the formgrader, feedback --------------
    rows = H.collect(hub, ASSIGNMENT, jobs=2, timeout=30, use_sandbox=True)
    with open(hub.course_dir / "grades.csv", newline="") as f:
        grades = {r["student"]: r for r in csv.DictReader(f)}
    assert float(grades[SOLVER]["score"]) == auto, grades[SOLVER]
    assert float(grades[IDLE]["score"]) == 0, grades[IDLE]
    assert float(grades[SOLVER]["max_score"]) == auto + manual, grades[SOLVER]
    assert grades[SOLVER]["needs_manual_grading"] == "yes", grades[SOLVER]
    assert {r.student for r in rows} >= {SOLVER, IDLE}

    from nbgrader.api import Gradebook

    db = f"sqlite:///{hub.course_dir / 'gradebook.db'}"
    with Gradebook(db, course_id=hub.course_id) as gb:
        sub_ids = {nb: gb.find_submission_notebook(nb, ASSIGNMENT, SOLVER).id for nb in NOTEBOOKS}
    prof = login(browser, hub, INSTRUCTOR)
    assert "Formgrader" not in nbgrader_menu(prof), "the instructor's own server should not offer a framed formgrader"
    fg = prof.context.new_page()  # the formgrader in its own tab
    fg.goto(f"{hub.url}/services/{hub.course_id}/formgrader")
    fg.locator("#main_table td, table td", has_text=ASSIGNMENT).first.wait_for(timeout=60_000)
    shot(fg, "5-formgrader")
    for nb, sub_id in sub_ids.items():  # each notebook's written answers, on its own formgrader page
        _, nb_manual, nb_ids = per[nb]
        fg.goto(f"{hub.url}/services/{hub.course_id}/formgrader/submissions/{sub_id}/?index=0")
        score_boxes = fg.locator("input.score")
        try:
            score_boxes.first.wait_for(timeout=60_000)
        except Exception as e:
            shot(fg, "FAILED-formgrader-submission")
            raise AssertionError(
                f"no score box on the formgrader's page of {nb} for {SOLVER}: {fg.inner_text('body')[:500]}"
            ) from e
        for k in range(score_boxes.count()):
            box = score_boxes.nth(k)
            box.fill(f"{nb_manual / len(nb_ids):g}")
            box.press("Tab")
        deadline = time.monotonic() + 30
        while True:
            with Gradebook(db, course_id=hub.course_id) as gb:
                given = [gb.find_grade(g, nb, ASSIGNMENT, SOLVER).manual_score for g in nb_ids]
            if all(s is not None for s in given) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        if nb == NOTEBOOK:
            shot(fg, "6-formgrader-reflection-graded")
        assert sum(s or 0 for s in given) == nb_manual, f"the formgrader did not save the points of {nb}: {given}"

    H.feedback(hub, ASSIGNMENT, jobs=2, timeout=30, use_sandbox=True)
    with open(hub.course_dir / "grades.csv", newline="") as f:
        grades = {r["student"]: r for r in csv.DictReader(f)}
    assert float(grades[SOLVER]["score"]) == auto + manual, grades[SOLVER]

    # --- grades out: the Canvas and Moodle import files (make export) ---------------------------
    from coursekit import exports, roster

    members = roster.read(ROSTER)
    lms = {m.username: m.lms_id for m in members}
    canvas, moodle = exports.export(hub.course_dir, ROSTER, out=SHOTS, log=lambda *a: None)
    with open(canvas, newline="") as f:
        rows = list(csv.reader(f, strict=True))
    col = rows[0].index(ASSIGNMENT)
    assert rows[1][col] == f"{auto + manual:g}", rows[1]
    got = {r[2]: r[col] for r in rows[2:]}
    assert got == {lms[SOLVER]: f"{auto + manual:g}", lms[IDLE]: "0", lms["snt-emmy"]: ""}, got
    with open(moodle, newline="") as f:
        got = {r["ID number"]: r[ASSIGNMENT] for r in csv.DictReader(f)}
    assert got == {lms[SOLVER]: f"{auto + manual:g}", lms[IDLE]: "0", lms["snt-emmy"]: ""}, got

    # --- the students fetch their feedback -----------------------------------------------------
    ada.reload()
    ada.locator(".lm-MenuBar-item", has_text="File").first.wait_for(timeout=120_000)
    assignments_tab(ada)
    ada.locator("#submitted_assignments_list button", has_text="Fetch Feedback").first.click()
    deadline = time.monotonic() + 60
    while not list((home(SOLVER) / hub.course_id / ASSIGNMENT / "feedback").glob(f"*/{NOTEBOOK}.html")):
        assert time.monotonic() < deadline, "Fetch Feedback brought no feedback file"
        time.sleep(0.5)
    html = next((home(SOLVER) / hub.course_id / ASSIGNMENT / "feedback").glob(f"*/{NOTEBOOK}.html"))
    shot(ada, "7-student-feedback-fetched")
    fb = ada.context.new_page()
    fb.goto(f"{hub.url}/user/{SOLVER}/files/{html.relative_to(home(SOLVER))}")
    shot(fb, "8-student-feedback")
    text = fb.inner_text("body")
    total = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", text)
    assert total, f"no total score on the feedback page: {text[:500]}"
    full = per[NOTEBOOK][0] + per[NOTEBOOK][1]  # the page of one notebook shows that notebook's score
    assert (float(total.group(1)), float(total.group(2))) == (full, full), total.group(0)
    fetched = {p.stem for p in (home(SOLVER) / hub.course_id / ASSIGNMENT / "feedback").glob("*/*.html")}
    assert fetched == set(NOTEBOOKS), f"feedback fetched for {sorted(fetched)}, not for every notebook"
    pytest.feedback_html = html.read_text()


HIDDEN = re.compile(r"^\s*###\s*(BEGIN|END) HIDDEN TESTS\s*$")


def hidden_lines(source: Path) -> set[str]:
    out = set()
    for c in json.loads(source.read_text())["cells"]:
        inside = False
        for line in "".join(c["source"]).split("\n"):
            if HIDDEN.match(line):
                inside = not inside
            elif inside and len(line.strip()) > 12:
                out.add(line.strip())
    return out


def test_fetched_feedback_holds_no_hidden_test():
    html = getattr(pytest, "feedback_html", None)
    assert html is not None, "the term test did not get as far as the feedback"
    import html as h

    text = h.unescape(re.sub(r"<[^>]+>", "", html))
    leaked = [line for line in hidden_lines(SOURCE) if line in text]
    assert not leaked, f"{len(leaked)} hidden-test line(s) in the student's feedback, e.g. {leaked[:3]}"
