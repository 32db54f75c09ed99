"""Pictures while nbgrader grades: not drawn, and matplotlib and ipywidgets never imported.

nbgrader sets NBGRADER_EXECUTION to "autograde" or "validate" in the kernel it runs a
notebook in. Drawing the pictures then was about a third of the time spent per graded
notebook, and nobody sees them. These tests run in a fresh interpreter, since the
modules decide at construction time and imports cannot be undone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = r"""
import json, sys
from coursekit.bench_widgets import pictures, widget_modules
from shallownet.widgets import backprop, descent, forward, sgd, worked
from shallownet import graphs, surfaces, worked_example
import numpy as np
shown = {}
for m in widget_modules():
    for cls in pictures(m):
        shown[f"{m}.{cls.__name__}"] = [type(cls()).__name__, repr(cls())]
# what the notebooks and their hidden tests use from the library's reference modules works either way
numbers = [float(graphs.example_graph(1.0, 3.0, -2.0)["f"]), float(surfaces.bowl(np.array([2.0, 1.0]))),
           float(worked_example.train_history(10, 0.5, False)[0][-1])]
print(json.dumps({"shown": shown, "numbers": numbers,
                  "imported": sorted(m for m in ("matplotlib", "ipywidgets", "PIL", "contourpy")
                                     if m in sys.modules)}))
"""


def _probe(execution: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    if execution:
        env["NBGRADER_EXECUTION"] = execution
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("execution", ["autograde", "validate"])
def test_pictures_are_not_drawn_while_grading(execution):
    res = _probe(execution)
    assert len(res["shown"]) >= 11, res["shown"]
    for name, (kind, text) in res["shown"].items():
        assert kind == "NotDrawn", name
        assert name.split(".")[1] in text and "JupyterLab" in text, text
    assert res["imported"] == [], res["imported"]


def test_pictures_are_drawn_otherwise():
    res = _probe(None)
    assert {kind for kind, _ in res["shown"].values()} != {"NotDrawn"}
    assert all(kind == name.split(".")[1] for name, (kind, _) in res["shown"].items()), res["shown"]
    assert {"matplotlib", "ipywidgets"} <= set(res["imported"])
    assert res["numbers"] == _probe("autograde")["numbers"]
