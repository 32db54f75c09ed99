"""Where things are: the course root and its assignments."""
from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the nbgrader course root): lib/shallownet/course/ is three levels below.
ROOT = Path(os.environ.get("SHALLOWNET_COURSE_ROOT", Path(__file__).resolve().parents[3]))


def assignments(root: Path = ROOT) -> list[str]:
    """Assignment ids: the folders source/NN_topic/, in order."""
    return sorted(p.name for p in (Path(root) / "source").iterdir()
                  if p.is_dir() and p.name[:2].isdigit() and any(p.glob("*.ipynb")))


def source_notebooks(root: Path = ROOT, assignment: str | None = None) -> list[Path]:
    """The instructor notebooks source/<assignment>/*.ipynb (all assignments if None)."""
    ids = [assignment] if assignment else assignments(root)
    out = []
    for a in ids:
        nbs = sorted((Path(root) / "source" / a).glob("*.ipynb"))
        if not nbs:
            raise SystemExit(f"no notebook in source/{a}/ (assignments: {', '.join(assignments(root))})")
        out.extend(nbs)
    return out
