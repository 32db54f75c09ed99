"""coursekit.normalise turns a notebook as JupyterLab saves it into one that test_notebooks_format accepts."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

import test_notebooks_format as fmt
from conftest import ROOT
from coursekit import normalise

SOURCE = ROOT / "source" / "05_sgd" / "part1_batches.ipynb"  # the one with a tagged cell


def _as_jupyterlab_saves_it(path):
    """Outputs, execution counts, editor metadata and JupyterLab's full language_info, as after a Run All and Save."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"]["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.2",
    }
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    for n, cell in enumerate(nb["cells"]):
        cell["metadata"]["collapsed"] = False
        cell["metadata"]["jp-MarkdownHeadingCollapsed"] = True
        cell["metadata"].setdefault("tags", [])
        if cell["cell_type"] == "code":
            cell["execution_count"] = n
            cell["metadata"]["execution"] = {"iopub.status.busy": "2026-12-04T18:00:00.000000Z"}
            cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["1.0\n"]}]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.mark.parametrize("path", normalise.source_files(ROOT), ids=lambda p: p.name)
def test_stored_source_notebooks_are_already_normalised(path):
    """Normalising a committed notebook changes no byte (so the pre-commit hook never fights the repository)."""
    text, new = normalise.normalised_text(path)
    assert new == text, f"{path.relative_to(ROOT)} is not normalised: run python -m coursekit.normalise"


def test_a_saved_notebook_passes_the_format_test_after_normalising(tmp_path):
    messy = tmp_path / SOURCE.name
    shutil.copy(SOURCE, messy)
    _as_jupyterlab_saves_it(messy)
    with pytest.raises(AssertionError, match="metadata must be exactly"):
        fmt.test_stored_without_outputs_and_with_normalised_metadata(messy)

    assert normalise.main(["--check", str(messy)]) == 1
    assert "jp-MarkdownHeadingCollapsed" in messy.read_text(encoding="utf-8"), "--check must not write"
    assert normalise.main([str(messy)]) == 0
    fmt.test_stored_without_outputs_and_with_normalised_metadata(messy)
    assert normalise.main(["--check", str(messy)]) == 0
    # the author's work is untouched: sources, ids, nbgrader metadata and tags come back byte for byte
    assert messy.read_bytes() == SOURCE.read_bytes()


def test_only_what_the_guide_allows_survives():
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "other", "display_name": "Other"}, "authors": ["x"]})
    nb.cells = [
        nbformat.v4.new_code_cell(
            "x = 1",
            id="x_cell",
            execution_count=3,
            outputs=[nbformat.v4.new_output("stream", text="1\n")],
            metadata={"tags": [], "scrolled": True, "nbgrader": {"grade": False}},
        ),
        nbformat.v4.new_markdown_cell("# t", id="title", metadata={"tags": ["keep-me"], "editable": False}),
    ]
    normalise.normalise(nb)
    assert dict(nb.metadata) == normalise.NOTEBOOK_METADATA == fmt.NB_METADATA
    code, md = nb.cells
    assert code.outputs == [] and code.execution_count is None
    assert dict(code.metadata) == {"nbgrader": {"grade": False}}, "empty tags and editor state go, nbgrader stays"
    assert dict(md.metadata) == {"tags": ["keep-me"]}
    assert (code.id, code.source, md.id, md.source) == ("x_cell", "x = 1", "title", "# t")


def test_default_is_every_source_notebook_and_a_broken_file_is_named(tmp_path, monkeypatch, capsys):
    for rel in ("01_a/a.ipynb", "header.ipynb"):
        (tmp_path / "source" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SOURCE, tmp_path / "source" / rel)
    (tmp_path / "nbgrader_config.py").write_text("")
    _as_jupyterlab_saves_it(tmp_path / "source" / "header.ipynb")
    monkeypatch.setenv("SHALLOWNET_COURSE_ROOT", str(tmp_path))
    assert normalise.main(["--check"]) == 1
    assert "header.ipynb: would be normalised" in capsys.readouterr().out
    assert normalise.main([]) == 0 and normalise.main(["--check"]) == 0

    broken = tmp_path / "source" / "01_a" / "a.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    assert normalise.main(["--check", str(broken)]) == 2
    assert f"{broken}: cannot read it as a notebook" in capsys.readouterr().err
