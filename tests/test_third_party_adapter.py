"""A third-party adapter tested the way a plugin author tests theirs, with gxparse.testing.

``CsvAdapter`` stands for a plugin: reports saved as CSV (a spreadsheet's "save
as"). Its tests are what its author would write:

* ``TestCsvAdapter`` inherits :class:`gxparse.testing.AdapterContract` and sets
  the adapter and a few inputs: registration, a pure and cheap ``accepts``,
  valid documents with provenance inside the source, only ``GxparseError`` on
  arbitrary or mutated bytes, within a time bound;
* ``test_csv_round_trip`` draws reports, lays each out as a document
  (:func:`gxparse.testing.form_document`), writes it as CSV, and demands every
  number back (:func:`gxparse.testing.differences`).

The last tests check the kit itself: a contract that cannot fail would prove
nothing, so adapters that break it must fail it.
"""

from __future__ import annotations

import csv
import io
import random
import time
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gxparse
from gxparse import (
    Document,
    ExtractError,
    FormatAdapter,
    Paragraph,
    Provenance,
    Source,
    Table,
)
from gxparse.testing import AdapterContract, GeneratedReport, differences, form_document, reports, zero_report

# ---------------------------------------------------------------------------
# the plugin
# ---------------------------------------------------------------------------


class CsvAdapter(FormatAdapter):
    """Comma-separated values: runs of rows with two or more cells are tables, the rest paragraphs."""

    name = "csv-example"
    priority = 30
    description = "comma-separated values (an example third-party adapter)"

    def accepts(self, head: bytes, name: str | None = None) -> float:
        if name and name.lower().endswith(".csv"):
            return 0.9
        return 0.0

    def extract(self, source: Source) -> Document:
        text = source.text()  # raises UndecodableError / EmptySourceError (GxparseErrors)
        reader = csv.reader(io.StringIO(text))
        rows: list[tuple[list[str], tuple[int, int]]] = []
        first = 1
        try:
            for row in reader:
                rows.append((row, (first, max(first, reader.line_num))))
                first = reader.line_num + 1
        except csv.Error as exc:  # a NUL byte, a field over the size limit …
            raise ExtractError(f"not CSV: {exc}", source=source.name) from None
        blocks: list[Paragraph | Table] = []
        run: list[tuple[list[str], tuple[int, int]]] = []

        def flush() -> None:
            if run:
                blocks.append(Table.from_rows([r for r, _ in run], adapter=self.name,
                                              line_ranges=[lines for _, lines in run]))
                run.clear()

        for row, lines in rows:
            cells = [c.strip() for c in row]
            if sum(1 for c in cells if c) >= 2 or (len(cells) >= 2 and run):
                run.append((cells, lines))
                continue
            flush()
            text_ = "".join(cells).strip()
            if text_:
                blocks.append(Paragraph(text_, Provenance(self.name, lines=lines)))
        flush()
        if not blocks:
            raise ExtractError("the CSV file holds no cell with text", source=source.name)
        return Document(blocks, adapter=self.name)


def to_csv(doc: Document) -> bytes:
    """A document written as a spreadsheet saves CSV: a paragraph is a row of one cell, a table
    its rows (a spanning cell written once, the cells it covers left empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            writer.writerow([block.text])
            continue
        grid = [[""] * block.n_cols for _ in range(block.n_rows)]
        for cell in block.cells:
            grid[cell.row][cell.col] = cell.text
        writer.writerows(grid)
    return out.getvalue().encode("utf-8")


def csv_report(report: GeneratedReport) -> bytes:
    return to_csv(form_document(report))


# ---------------------------------------------------------------------------
# the plugin's tests
# ---------------------------------------------------------------------------


class TestCsvAdapter(AdapterContract):
    adapter = CsvAdapter()
    samples: ClassVar[list[bytes]] = [
        "规章,0,0,3\r\n行政规范性文件,1,0,7\r\n".encode(),
        '"（二）部分公开\n（区分处理的）",1,"2,000",3\r\n说明\r\n'.encode("gb18030"),
    ]
    report_samples: ClassVar[list[bytes]] = [csv_report(zero_report("2021")), csv_report(zero_report("2019"))]


@given(data=st.data())
@settings(settings.default, max_examples=max(5, settings.default.max_examples // 2),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_csv_round_trip(data):
    report = data.draw(reports(), label="report")
    parsed = gxparse.parse(Source.from_bytes(csv_report(report), "report.csv"), format=CsvAdapter())
    assert differences(parsed, report) == []


def test_csv_is_detected_by_name_when_registered():
    registry = gxparse.Registry(load_entry_points=True)
    registry.register(CsvAdapter)
    data = csv_report(zero_report("2021").with_value("active_disclosure/licensing/decisions", 9))
    report = gxparse.parse(Source.from_bytes(data, "2021年报.csv"), registry=registry)
    assert report.source.format == "csv-example"
    assert report.active_disclosure["licensing"]["decisions"] == 9


# ---------------------------------------------------------------------------
# the kit itself: adapters that break the contract fail it
# ---------------------------------------------------------------------------


class _Careless(CsvAdapter):
    """Lets csv.Error and ValueError escape."""

    name = "csv-careless"

    def extract(self, source: Source) -> Document:
        if b"\x00" in source.data:
            raise ValueError("NUL byte")
        return super().extract(source)


class _Moody(CsvAdapter):
    name = "csv-moody"

    def accepts(self, head: bytes, name: str | None = None) -> float:
        return random.random()


class _Lost(CsvAdapter):
    """Points its provenance past the end of the source."""

    name = "csv-lost"

    def extract(self, source: Source) -> Document:
        super().extract(source)
        far = Provenance(self.name, lines=(10_000, 10_001))
        return Document([Paragraph("规章", far)], adapter=self.name)


class _Slow(CsvAdapter):
    name = "csv-slow"

    def extract(self, source: Source) -> Document:
        time.sleep(2)
        return super().extract(source)


def _contract(adapter: FormatAdapter, **attrs) -> AdapterContract:
    cls = type("Contract", (AdapterContract,), {"adapter": adapter, "samples": TestCsvAdapter.samples, **attrs})
    return cls()


def test_kit_fails_an_adapter_that_raises_other_errors():
    with pytest.raises(AssertionError, match="only GxparseError"):
        _contract(_Careless()).test_arbitrary_bytes_raise_only_gxparse_errors()


def test_kit_fails_an_impure_accepts():
    with pytest.raises(AssertionError, match="not pure"):
        _contract(_Moody()).test_accepts_is_pure_and_in_range()


def test_kit_fails_provenance_outside_the_source():
    with pytest.raises(AssertionError, match="outside the source"):
        _contract(_Lost()).test_samples_extract_to_valid_documents()


def test_kit_fails_an_adapter_that_takes_too_long():
    with pytest.raises(TimeoutError):
        _contract(_Slow(), timeout=0.2).test_samples_extract_to_valid_documents()


def test_kit_fails_a_duplicate_that_replaces_the_first():
    class Sloppy(gxparse.Registry):
        def register(self, adapter, *, origin=None, replace=False):  # type: ignore[override]
            return super().register(adapter, origin=origin, replace=True)

    import gxparse.testing as kit

    real = kit.Registry
    kit.Registry = Sloppy  # type: ignore[misc]
    try:
        with pytest.raises(AssertionError, match="was accepted"):
            _contract(CsvAdapter()).test_registry_refuses_a_duplicate()
    finally:
        kit.Registry = real  # type: ignore[misc]
