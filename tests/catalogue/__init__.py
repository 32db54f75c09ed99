"""Catalogues of plausible wrong answers, one module per assignment.

Each module defines ``ASSIGNMENT`` (the assignment id) and ``WRONG``:
{solution grade_id: {wrong-answer name: full source of the solution cell}}.
The source replaces the whole solution cell (def line included), as a student
would leave it. tests/test_catalogue.py grades every entry with nbgrader.
"""
