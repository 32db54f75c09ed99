"""A preprocessor that breaks grading on purpose, for chosen students (tests/test_grading_isolation.py).

``FailFor.raise_for`` students get a RuntimeError, ``FailFor.exit_for`` students a SystemExit
(what nbgrader's commands call on an error): both stand for a bug in the course's own code.
"""

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List


class FailFor(NbGraderPreprocessor):
    raise_for = List([]).tag(config=True)
    exit_for = List([]).tag(config=True)

    def preprocess(self, nb, resources):
        student = resources["nbgrader"]["student"]
        if student in self.raise_for:
            raise RuntimeError(f"injected fault for {student}")
        if student in self.exit_for:
            raise SystemExit(1)
        return nb, resources
