"""Every notebook in a real JupyterLab, in headless Chromium, used the way a student uses it.

For every assignment found in solutions/ and release/ when the tests are collected:

- solution notebook: Run All; every picture renders; every control of every
  picture is moved once (arrow keys on sliders, the mouse on the rest) and the
  image or the readout it drives changes; one screenshot of the whole notebook.
- release notebook (exercises unsolved): Run All stops at the first unsolved
  exercise, so each picture cell not reached is run on its own; every picture
  renders without an error, and its first control still redraws it; nbgrader's
  Validate button reports failure; one screenshot.
  Then the answer key's code is put into its solution cells (what a student
  hands in when done) and Validate reports success. (solutions/ itself carries
  no nbgrader metadata, so Validate would have no test cell to run there.)
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import labpage as lp
import pytest
from labpage import RESULTS
from labserver import notebooks

from coursekit.build import strip_solution_markers

SOLUTIONS = notebooks("solutions")
RELEASES = notebooks("release")
SOURCES = notebooks("source")


def _id(item) -> str:
    return f"{item[0]}/{Path(item[1]).stem}"


def _record(name: str, report: lp.Report) -> None:
    d = asdict(report)
    for m, move in zip(d["moves"], report.moves, strict=True):
        m["changed"] = move.changed
    RESULTS["notebooks"][name] = d


def test_every_assignment_is_built():
    """release/ and solutions/ hold a notebook for every assignment in source/ (so every one is tested here)."""
    assert SOURCES, "no notebook in source/"
    missing = [
        f"{kind}/{a}/{nb}"
        for a, nb in SOURCES
        for kind, have in (("release", RELEASES), ("solutions", SOLUTIONS))
        if (a, nb) not in have
    ]
    assert not missing, f"not built (run `make release solutions`): {', '.join(missing)}"


@pytest.mark.parametrize("assignment,notebook", SOLUTIONS, ids=[_id(x) for x in SOLUTIONS])
def test_solution_every_control_changes_its_picture(page, lab, build_dir, assignment, notebook):
    """Run All on the answer key; each control of each picture, moved once, changes its image or readout."""
    rel = f"solutions/{assignment}/{notebook}"
    report = lp.Report(rel)
    expected = lp.picture_cells(lab.root / rel)  # cells whose stored output is a widget
    n_cells = len(lp.cell_ids(lab.root / rel))
    t = time.monotonic()
    lp.open_notebook(page, rel, n_cells)
    report.seconds["open"] = time.monotonic() - t

    t = time.monotonic()
    prompts = lp.run_all(page)
    report.seconds["run_all"] = time.monotonic() - t
    not_run = [i for i, p in enumerate(prompts) if p is not None and not any(ch.isdigit() for ch in p)]
    assert not not_run, f"Run All stopped early: cells {not_run} of {rel} did not run"
    errors = {i: lp.cell_errors(page, i) for i, p in enumerate(prompts) if p is not None}
    errors = {i: e for i, e in errors.items() if e}
    assert not errors, f"{rel}: cells wrote errors or stderr: {errors}"

    pictures = lp.all_pictures(page)
    report.pictures = pictures.count()
    assert report.pictures == len(expected), (
        f"{rel}: {report.pictures} pictures in the browser, {len(expected)} cells with a widget output in the file"
    )

    t = time.monotonic()
    for k in range(report.pictures):
        pic = pictures.nth(k)
        pic.scroll_into_view_if_needed()
        state = lp.wait_drawn(pic)
        assert state["width"] > 50 and state["height"] > 50, f"{rel}: picture {k} image is {state}"
        report.sizes.append({key: state[key] for key in ("width", "height", "shown_width", "shown_height")})
        ctrls = lp.controls(pic)
        assert ctrls, f"{rel}: picture {k} has no control"
        for control, info in ctrls:
            move = lp.move_control(page, pic, k, control, info)
            report.moves.append(move)
            if move.keypress_ms is not None:
                RESULTS["keypress_ms"].append(move.keypress_ms)
    report.seconds["controls"] = time.monotonic() - t

    t = time.monotonic()
    shot = lp.screenshot_notebook(page, build_dir / f"{assignment}-{Path(notebook).stem}-solution.png")
    report.screenshot = str(shot)
    print(f"\nscreenshot: {shot}")
    report.seconds["screenshot"] = time.monotonic() - t
    _record(rel, report)

    dead = [
        f"picture {m.picture} ({m.kind} '{m.control}': {m.action}"
        + (", no redraw at all" if not m.redrawn else "")
        + ")"
        for m in report.moves
        if not m.changed
    ]
    assert not dead, f"{rel}: controls that changed neither the image nor the readout: {'; '.join(dead)}"


def solved_release(release: Path, source: Path, dest: Path) -> Path:
    """The release notebook with every solution cell holding the answer-key code (markers removed)."""
    nb = json.loads(release.read_text())
    answers = {c.get("id"): c for c in json.loads(source.read_text())["cells"]}
    filled = 0
    for c in nb["cells"]:
        meta = c.get("metadata", {}).get("nbgrader", {})
        if not meta.get("solution"):
            continue
        src = answers.get(c.get("id"))
        assert src is not None, f"solution cell '{c.get('id')}' of {release} is not in {source}"
        text = "".join(src["source"]) if isinstance(src["source"], list) else src["source"]
        if c["cell_type"] == "code":
            c["source"] = strip_solution_markers(text)
        else:
            c["source"] = "A short answer written by the student."
        filled += 1
    assert filled, f"{release} has no solution cell"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, indent=1))
    return dest


@pytest.mark.parametrize("assignment,notebook", RELEASES, ids=[_id(x) for x in RELEASES])
def test_release_pictures_work_unsolved_and_validate(page, lab, build_dir, assignment, notebook):
    """Untouched release: every picture renders and redraws, Validate reports failure; solved: Validate succeeds."""
    rel = f"release/{assignment}/{notebook}"
    solution = lab.root / "solutions" / assignment / notebook
    source = lab.root / "source" / assignment / notebook
    if not solution.exists() or not source.exists():
        pytest.skip(f"no solutions/ or source/ notebook for {rel} (needed to tell pictures and answers)")
    report = lp.Report(rel)
    ids = lp.cell_ids(lab.root / rel)
    wanted = set(lp.picture_cells(solution))
    picture_cells = [i for i, cid in enumerate(ids) if cid in wanted]
    assert len(picture_cells) == len(wanted), (
        f"{rel}: picture cells {sorted(wanted - set(ids))} of the answer key are missing from the release"
    )

    t = time.monotonic()
    lp.open_notebook(page, rel, len(ids))
    report.seconds["open"] = time.monotonic() - t
    t = time.monotonic()
    prompts = lp.run_all(page)
    for i in picture_cells:  # the ones Run All did not reach
        if not any(ch.isdigit() for ch in prompts[i]):
            lp.run_cell(page, i)
    report.seconds["run"] = time.monotonic() - t

    t = time.monotonic()
    for k, i in enumerate(picture_cells):
        err = lp.cell_errors(page, i)
        assert not err, f"{rel}: picture cell '{ids[i]}' fails with the exercises unsolved:\n{err}"
        pics = lp.pictures_in_cell(page, i)
        assert pics.count() == 1, f"{rel}: picture cell '{ids[i]}' shows {pics.count()} pictures"
        pic = pics.first
        pic.scroll_into_view_if_needed()
        state = lp.wait_drawn(pic)
        assert state["width"] > 50 and state["height"] > 50, f"{rel}: picture '{ids[i]}' image is {state}"
        ctrls = lp.controls(pic)
        assert ctrls, f"{rel}: picture '{ids[i]}' has no control"
        control, info = ctrls[0]
        move = lp.move_control(page, pic, k, control, info)
        report.moves.append(move)
        assert move.changed, f"{rel}: picture '{ids[i]}': moving '{move.control}' ({move.action}) changed nothing"
    report.pictures = len(picture_cells)
    report.seconds["pictures"] = time.monotonic() - t

    shot = lp.screenshot_notebook(page, build_dir / f"{assignment}-{Path(notebook).stem}-release.png")
    report.screenshot = str(shot)
    print(f"\nscreenshot: {shot}")

    t = time.monotonic()
    verdict, text = lp.validate(page)
    report.validate = verdict
    report.seconds["validate"] = time.monotonic() - t
    _record(rel, report)
    assert verdict == "failed", f"{rel}: Validate on the unsolved release said {verdict}:\n{text[:2000]}"

    # The student solves every exercise (here: the answer key's code lands in the solution cells
    # on disk and the notebook is reloaded), then presses Validate again.
    solved_release(lab.root / rel, source, lab.root / rel)
    lp.reload_from_disk(page)
    t = time.monotonic()
    verdict, text = lp.validate(page)
    report.validate += f" unsolved, {verdict} solved"
    report.seconds["validate_solved"] = time.monotonic() - t
    _record(rel, report)
    assert verdict == "success", f"{rel}: Validate on the solved release said {verdict}:\n{text[:2000]}"
