"""Redraw time of every notebook picture, measured in the kernel (``make bench-widgets``).

Every ``Picture`` subclass defined in the widget modules of this package is
built with no arguments and driven through ``sweep()`` (each control across its
range, one at a time), several times over. ``update()`` returns the seconds one
redraw took (artists changed in place, then the PNG rendered), so the table is
the time a student waits in the kernel after moving a control. The goal is a
95th percentile under 50 ms for every picture; the command exits 1 when a
picture misses it, cannot be built, or has a control that changes neither its
image nor its readout anywhere in its range.

    python -m coursekit.bench_widgets                 # every picture
    python -m coursekit.bench_widgets forward sgd     # only these modules
    python -m coursekit.bench_widgets --repeats 5 --goal-ms 50
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import pkgutil
import sys
import time

import numpy as np

from shallownet.widgets.base import Picture

#: Course order of the widget modules; any other module in the package follows, by name.
COURSE_ORDER = ("forward", "worked", "backprop", "descent", "sgd")
#: Modules of this package that hold no pictures.
NOT_PICTURES = {"base"}
GOAL_MS = 50.0
PACKAGE = "shallownet.widgets"


def widget_modules(names=None) -> list[str]:
    """Names of the widget modules present (all, or the requested ones), in course order."""
    found = {m.name for m in pkgutil.iter_modules(importlib.import_module(PACKAGE).__path__)}
    found -= NOT_PICTURES
    if names:
        missing = [n for n in names if n not in found]
        if missing:
            raise SystemExit(f"no widget module {', '.join(missing)} (present: {', '.join(sorted(found))})")
        found = set(names)
    ordered = [m for m in COURSE_ORDER if m in found]
    return ordered + sorted(found - set(ordered))


def pictures(module_name: str) -> list[type]:
    """Public, concrete Picture subclasses defined in one widget module, in source order."""
    module = importlib.import_module(f"{PACKAGE}.{module_name}")
    classes = [
        cls
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Picture)
        and cls is not Picture
        and cls.__module__ == module.__name__
        and not name.startswith("_")
        and not inspect.isabstract(cls)
    ]
    return sorted(classes, key=lambda c: inspect.getsourcelines(c)[1])


def _state(p: Picture) -> tuple[bytes, str]:
    return p.image.value, p.text.value


def measure(cls: type, repeats: int = 3, points: int = 5) -> dict:
    """Drive one picture through its sweep ``repeats`` times.

    Each control is swept from the picture's starting values (the others put
    back first), so a control counts as dead only if no value in its range
    changes the PNG or the readout. Returns wall and CPU times in ms and the PNG size.
    """
    p = cls()
    p.update()  # warm-up: the first render may lay the figure out
    start = p.values()
    wall, cpu, moved = [], [], {name: False for name in p.controls_}
    for _ in range(repeats):
        current = None
        for values in p.sweep(points):
            name = next(iter(values))
            if name != current:  # next control: put every control back first
                p.update(**start)
                current = name
            before = _state(p)
            c0 = time.thread_time()
            wall.append(p.update(**values) * 1e3)
            cpu.append((time.thread_time() - c0) * 1e3)
            if _state(p) != before:
                moved[name] = True
    p.update(**start)
    w, h = p.fig.canvas.get_width_height(physical=True)
    stats = {"n": len(wall), "dead": [name for name, ok in moved.items() if not ok], "png": f"{w}x{h}"}
    for key, xs in (("wall", wall), ("cpu", cpu)):
        stats[f"{key}_median_ms"] = float(np.median(xs)) if xs else float("nan")
        stats[f"{key}_p95_ms"] = float(np.percentile(xs, 95)) if xs else float("nan")
    return stats


def run(modules=None, repeats: int = 3, points: int = 5, goal_ms: float = GOAL_MS, out=sys.stdout) -> bool:
    """Measure every picture, print the table, return True when all pass."""
    rows, ok = [], True
    for module in widget_modules(modules):
        for cls in pictures(module):
            name = f"{module}.{cls.__name__}"
            try:
                r = measure(cls, repeats, points)
            except Exception as exc:  # a picture that cannot be built or driven fails the bench
                rows.append((name, "-", "-", "-", "-", "-", f"FAIL ({type(exc).__name__}: {exc})"))
                ok = False
                continue
            verdict = "PASS" if r["n"] and r["wall_p95_ms"] < goal_ms and not r["dead"] else "FAIL"
            note = f" (no change from: {', '.join(r['dead'])})" if r["dead"] else ""
            rows.append(
                (
                    name,
                    r["png"],
                    str(r["n"]),
                    f"{r['wall_median_ms']:.1f}",
                    f"{r['wall_p95_ms']:.1f}",
                    f"{r['cpu_p95_ms']:.1f}",
                    verdict + note,
                )
            )
            ok &= verdict == "PASS"
    if not rows:
        print("no pictures found in shallownet.widgets", file=out)
        return False
    head = ("widget", "PNG px", "n", "median ms", "p95 ms", "p95 cpu ms", f"p95 < {goal_ms:g} ms")
    widths = [max(len(r[i]) for r in [*rows, head]) for i in range(6)]
    line = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths)) + "  {}"
    print(line.format(*head), file=out)
    print(line.format(*("-" * w for w in widths), "-" * len(head[-1])), file=out)
    for row in rows:
        print(line.format(*row), file=out)
    passed = sum(r[-1].startswith("PASS") for r in rows)
    print(f"{passed} passed, {len(rows) - passed} failed", file=out)
    print(
        f"(one redraw = update(): artists changed in place, PNG rendered; {repeats} sweeps of {points} values "
        f"per slider; median and p95 are wall-clock, p95 cpu is this thread's CPU time; PNG px: the image's "
        f"width x height, shown one PNG pixel per CSS pixel)",
        file=out,
    )
    cores, load = os.cpu_count() or 1, os.getloadavg()[0]
    if load > cores:
        print(
            f"warning: load average {load:.1f} on {cores} cores: wall-clock times include waiting for a "
            f"core; the cpu column is what an idle machine would show",
            file=out,
        )
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m coursekit.bench_widgets", description=__doc__.split("\n")[0])
    ap.add_argument("modules", nargs="*", help="widget modules to measure (default: all)")
    ap.add_argument("--repeats", type=int, default=3, help="sweeps per picture (default 3)")
    ap.add_argument("--points", type=int, default=5, help="values per slider in one sweep (default 5)")
    ap.add_argument("--goal-ms", type=float, default=GOAL_MS, help="95th-percentile goal in ms (default 50)")
    args = ap.parse_args(argv)
    return 0 if run(args.modules, args.repeats, args.points, args.goal_ms) else 1


if __name__ == "__main__":
    sys.exit(main())
