"""The ``gxparse`` command line.

Exit status: 0 when every file was read and no error finding was raised;
1 when a report has an error finding (``check``); 2 when a file cannot be
read or the command line is wrong. Errors are one line on stderr, never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from ._errors import GxparseError

if TYPE_CHECKING:
    from ._model import Document
    from ._records import Record

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

_DESCRIPTION = """\
Read 政府信息公开工作年度报告 (government information disclosure annual reports)
from PDF, HTML, text, pipe or markdown files into validated records.
"""

_EPILOG = """\
examples:
  gxparse parse report.pdf                 print the record as JSON
  gxparse parse a.txt b.html > out.jsonl   several files: one JSON object per line
  gxparse check reports/*.pdf              list each report's findings
  gxparse inspect report.pdf               show what the format adapter extracted
  gxparse formats                          list the registered format adapters

exit status: 0 ok; 1 a report has an error finding (check); 2 a file cannot be read.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.print_usage(sys.stderr)
        print(f"gxparse: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_UNREADABLE)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gxparse", description=_DESCRIPTION, epilog=_EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"gxparse {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--format", metavar="NAME",
                        help="read with this format adapter (see `gxparse formats`); default: detect from content")
        sp.add_argument("--template", choices=["2019", "2021"],
                        help="force the report template; default: detect from the tables")

    sp = sub.add_parser("parse", help="print each file's record as JSON",
                        description="Print the validated record of each FILE as JSON (one file: indented; "
                                    "several: one object per line). Unreadable files are reported on stderr "
                                    "and skipped.")
    sp.add_argument("files", nargs="+", metavar="FILE")
    common(sp)
    sp.add_argument("--compact", action="store_true", help="print JSON on one line")

    sc = sub.add_parser("check", help="print each file's findings for a person",
                        description="Print the findings of each FILE: the invariants a report breaks, with "
                                    "the official labels and the numbers on both sides. Exit 1 if any report "
                                    "has an error finding, 2 if any file cannot be read.")
    sc.add_argument("files", nargs="+", metavar="FILE")
    common(sc)
    sc.add_argument("-v", "--verbose", action="store_true", help="also show info findings (derived values, label "
                                                                    "variants)")
    sc.add_argument("-q", "--quiet", action="store_true", help="only the summary line of each file")
    sc.add_argument("--no-progress", action="store_true", help="no progress line on stderr")

    si = sub.add_parser("inspect", help="show what each stage made of a file",
                        description="Show a pipeline stage for FILE: `document` (what the format adapter "
                                    "extracted: blocks, tables, cells with spans), `records` (labels and values "
                                    "the mapper sees), `mapping` (which record each template row came from).")
    si.add_argument("file", metavar="FILE")
    si.add_argument("--stage", choices=["document", "records", "mapping"], default="document")
    common(si)

    sub.add_parser("formats", help="list the registered format adapters and where they come from")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_UNREADABLE
    try:
        if args.command == "parse":
            return _cmd_parse(args)
        if args.command == "check":
            return _cmd_check(args)
        if args.command == "inspect":
            return _cmd_inspect(args)
        if args.command == "formats":
            return _cmd_formats()
    except KeyboardInterrupt:
        print("gxparse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `gxparse parse … | head`
        try:  # noqa: SIM105 - kept explicit: the last thing done when stdout is gone
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return EXIT_OK
    return EXIT_UNREADABLE  # pragma: no cover


def _fail(exc: GxparseError | OSError, path: str) -> None:
    msg = str(exc) if isinstance(exc, GxparseError) else f"{path}: {exc.strerror or exc}"
    print(f"gxparse: error: {msg}", file=sys.stderr)


def _parse_one(path: str, args: argparse.Namespace):
    import gxparse

    return gxparse.parse(path, format=args.format, template=args.template)


def _cmd_parse(args: argparse.Namespace) -> int:
    status = EXIT_OK
    single = len(args.files) == 1
    for path in args.files:
        try:
            report = _parse_one(path, args)
        except (GxparseError, OSError) as exc:
            _fail(exc, path)
            status = EXIT_UNREADABLE
            continue
        indent = None if (args.compact or not single) else 1
        sys.stdout.write(report.to_json(indent=indent) + "\n")
        sys.stdout.flush()
    return status


def _cmd_check(args: argparse.Namespace) -> int:
    status = EXIT_OK
    progress = _Progress(len(args.files), enabled=not args.no_progress and len(args.files) > 1)
    out = sys.stdout
    counts = {"files": 0, "unreadable": 0, "with_errors": 0}
    for path in args.files:
        progress.step(path)
        counts["files"] += 1
        try:
            report = _parse_one(path, args)
        except (GxparseError, OSError) as exc:
            progress.clear()
            _fail(exc, path)
            counts["unreadable"] += 1
            status = EXIT_UNREADABLE
            continue
        progress.clear()
        if report.errors:
            counts["with_errors"] += 1
            if status == EXIT_OK:
                status = EXIT_FINDINGS
        _print_check(out, path, report, verbose=args.verbose, quiet=args.quiet)
    progress.done()
    if len(args.files) > 1:
        print(f"{counts['files']} files: {counts['with_errors']} with errors, {counts['unreadable']} unreadable",
              file=out)
    return status


def _print_check(out: TextIO, path: str, report, *, verbose: bool, quiet: bool) -> None:
    findings = [f for f in report.findings if verbose or f.severity != "info"]
    n = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    who = " · ".join(str(x) for x in (report.meta.agency, report.meta.year) if x)
    summary = (f"{n['error']} error{'s' if n['error'] != 1 else ''}, "
               f"{n['warning']} warning{'s' if n['warning'] != 1 else ''}")
    head = f"{path}: template {report.template}" + (f" · {who}" if who else "") + f" · {summary}"
    if report.derived:
        head += f" · {len(report.derived)} derived"
    print(head, file=out)
    if quiet:
        return
    for f in findings:
        loc = f.evidence.get("source_location")
        print(f"  {f.severity:<7} {f.code:<19} {f.message}" + (f"  [{loc}]" if loc else ""), file=out)


class _Progress:
    """A one-line progress indicator on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.n = 0
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()

    def step(self, path: str) -> None:
        self.n += 1
        if self.enabled:
            rate = self.n / max(time.monotonic() - self.start, 1e-9)
            name = Path(path).name[-40:]
            sys.stderr.write(f"\r\x1b[K[{self.n}/{self.total}] {rate:.1f} files/s {name}")
            sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    def done(self) -> None:
        self.clear()


def _cmd_inspect(args: argparse.Namespace) -> int:
    import gxparse

    try:
        doc = gxparse.extract(args.file, format=args.format)
    except (GxparseError, OSError) as exc:
        _fail(exc, args.file)
        return EXIT_UNREADABLE
    if args.stage == "document":
        _print_document(args.file, doc)
        return EXIT_OK
    from ._api import prepare
    from ._records import build_records

    doc = prepare(doc)
    records = build_records(doc)
    if args.stage == "records":
        _print_records(records)
    else:
        _print_mapping(doc, records, args.template)
    return EXIT_OK


def _print_document(path: str, doc: Document) -> None:
    print(f"# {path}: adapter {doc.adapter}, {len(doc.blocks)} blocks")
    for note in doc.notes:
        print(f"# {note.code} ({note.severity}): {note.where}: {note.message}")
    print(doc.dump())


def _print_records(records: Sequence[Record]) -> None:
    from ._records import dump_record

    for rec in records:
        print(dump_record(rec))


def _print_mapping(doc: Document, records: list[Record], template: str | None) -> None:
    """Which record each row of the form came from, and the mapping rules that fired (by name)."""
    from ._mapping import map_records

    mapped = map_records(doc, records, template)
    print(f"# template {mapped.template.id}; tables found: {', '.join(sorted(mapped.tables)) or 'none'}")
    for table, fired in mapped.rules_fired:
        print(f"# rules {table}: {', '.join(fired) or '-'}")
    for entry in mapped.trace:
        rules = f"   {{rules: {', '.join(entry.rules)}}}" if entry.rules else ""
        print(f"{entry.table}/{entry.row}  ←  {entry.record.describe()}{rules}")


def _cmd_formats() -> int:
    import gxparse

    regs = gxparse.list_formats()
    width = max((len(r.name) for r in regs), default=4)
    for r in regs:
        desc = getattr(r.adapter, "description", "") or ""
        print(f"{r.name:<{width}}  priority {r.priority:>3}  {desc}")
        print(f"{'':<{width}}  from {r.origin}")
    for origin, reason in gxparse.default_registry().load_errors:
        print(f"! not registered: {origin}: {reason}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
