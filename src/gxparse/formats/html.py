"""HTML adapter (placeholder until the HTML adapter lands)."""

from __future__ import annotations

from .._errors import ExtractError
from .._registry import FormatAdapter


class HtmlAdapter(FormatAdapter):
    name = "html"
    priority = 80
    description = "web pages (not yet implemented)"

    def extract(self, source):  # pragma: no cover - placeholder
        raise ExtractError("the HTML adapter is not implemented yet", source=source.name)
