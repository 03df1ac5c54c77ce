"""PDF adapter (placeholder until the PDF adapter lands)."""

from __future__ import annotations

from .._errors import ExtractError
from .._registry import FormatAdapter


class PdfAdapter(FormatAdapter):
    name = "pdf"
    priority = 90
    description = "PDF files (not yet implemented)"

    def extract(self, source):  # pragma: no cover - placeholder
        raise ExtractError("the PDF adapter is not implemented yet", source=source.name)
