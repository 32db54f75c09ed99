"""Course tooling: python -m coursekit <command> (the Makefile calls these)."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m coursekit", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("release", help="regenerate release/ from source/")
    r.add_argument("assignment", nargs="?")
    s = sub.add_parser("solutions", help="regenerate solutions/ from source/ (executed)")
    s.add_argument("assignment", nargs="?")
    s.add_argument("--jobs", type=int, default=2)
    for name, helptext in (
        ("grade", "autograde submitted/, feedback, grades.csv, table"),
        ("demo", "the whole cycle on a fabricated class in build/demo"),
        ("bench-grade", "grading speed against the kernel floor"),
    ):
        g = sub.add_parser(name, help=helptext)
        g.add_argument("--assignment", default=None)
        g.add_argument("--jobs", type=int, default=2)
        g.add_argument("--timeout", type=int, default=30, help="seconds per cell")
        g.add_argument("--no-sandbox", action="store_true", help="run student code without the sandbox")
        if name == "bench-grade":
            g.add_argument("--students", type=int, default=40)
        if name == "grade":
            g.add_argument("--roster", default=None, help="class roster CSV: who handed nothing in is 'missing'")
    lab_parser = sub.add_parser("lab", help="open JupyterLab on the course")
    lab_parser.add_argument("--port", type=int, default=8888)
    args = p.parse_args(argv)
    # nbgrader starts helper programs (alembic, kernels) by name: this Python's bin folder first.
    from .paths import tool_env

    os.environ["PATH"] = tool_env()["PATH"]
    if args.cmd == "release":
        from .build import release

        release(assignment=args.assignment)
    elif args.cmd == "solutions":
        from .build import solutions

        solutions(assignment=args.assignment, jobs=args.jobs)
    elif args.cmd == "grade":
        from .grade import grade
        from .roster import RosterError

        try:
            rows = grade(
                assignment=args.assignment,
                jobs=args.jobs,
                timeout=args.timeout,
                use_sandbox=not args.no_sandbox,
                roster=args.roster,
            )
        except RosterError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        return 1 if any(r.status == "error" for r in rows) else 0
    elif args.cmd == "demo":
        from .demo import demo

        rows = demo(assignment=args.assignment, jobs=args.jobs, timeout=args.timeout, use_sandbox=not args.no_sandbox)
        return 1 if any(r.status == "error" for r in rows) else 0
    elif args.cmd == "bench-grade":
        from .bench_grade import bench

        bench(
            students=args.students,
            jobs=args.jobs,
            timeout=args.timeout,
            use_sandbox=not args.no_sandbox,
            assignment=args.assignment,
        )
    elif args.cmd == "lab":
        from .lab import lab

        return lab(port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
