"""coursekit: the instructor's toolkit for the course (``python -m coursekit``).

Release and solutions (build), grading (grade, sandbox, feedback), the demo class and the
benchmarks. Students never need it: they import ``shallownet``. Importing this package
changes nothing; every command finds the course root through ``coursekit.paths``.
"""
