"""nbgrader's CheckCellMetadata, with each distinct cell's metadata checked once per process.

nbgrader checks the nbgrader metadata of every cell of every graded notebook against
its JSON schema, twice (before and after running it), with ``jsonschema.validate``,
which first checks the schema itself: 0.03 s per check of one of these notebooks,
for metadata that is the same in every student's copy. Whether a cell passes depends
only on its type and its metadata, so a passing pair is remembered for the rest of
the process. A cell that fails is not remembered: it fails, and is reported, every
time; a cell whose type was changed is checked in full every time, so nbgrader's
warning about it is logged for each notebook. The notebook-wide check (no grade id
twice) still runs on every notebook.

grading_config.py puts CheckCellMetadataOnce in both of nbgrader's places.
"""

from __future__ import annotations

import json
import traceback
from typing import ClassVar

from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import CheckCellMetadata


class RememberingValidator(MetadataValidator):
    """nbgrader's MetadataValidator; cells already seen to pass (type, metadata) are not checked again."""

    passed: ClassVar[set[tuple[str, str]]] = set()  # shared by the whole process

    def validate_cell(self, cell) -> None:
        meta = cell.metadata.get("nbgrader")
        if meta is None or meta.get("cell_type", cell.cell_type) != cell.cell_type:
            return super().validate_cell(cell)
        key = (cell.cell_type, json.dumps(meta, sort_keys=True))
        if key not in self.passed:
            super().validate_cell(cell)
            self.passed.add(key)


class CheckCellMetadataOnce(CheckCellMetadata):
    """nbgrader 0.9.6's CheckCellMetadata.preprocess, with RememberingValidator."""

    def preprocess(self, nb, resources):
        try:
            RememberingValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources
