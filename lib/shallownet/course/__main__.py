"""Course tooling: python -m shallownet.course <command> (the Makefile calls these)."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m shallownet.course", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("release", help="regenerate release/ from source/")
    r.add_argument("assignment", nargs="?")
    s = sub.add_parser("solutions", help="regenerate solutions/ from source/ (executed)")
    s.add_argument("assignment", nargs="?")
    s.add_argument("--jobs", type=int, default=2)
    args = p.parse_args(argv)
    if args.cmd == "release":
        from .build import release
        release(assignment=args.assignment)
    elif args.cmd == "solutions":
        from .build import solutions
        solutions(assignment=args.assignment, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
