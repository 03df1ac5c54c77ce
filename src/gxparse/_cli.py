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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from ._errors import GxparseError
from ._source import printable_path

if TYPE_CHECKING:
    from ._model import Document
    from ._records import Record

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

_DESCRIPTION = """\
Read 政府信息公开工作年度报告 (government information disclosure annual reports)
from PDF, Word (.docx; .doc/.wps through LibreOffice), HTML, text, pipe or markdown
files into validated records; a folder of them into queryable tables (batch).
"""

_EPILOG = """\
examples:
  gxparse parse report.pdf                 print the record as JSON
  gxparse parse a.txt b.html > out.jsonl   several files: one JSON object per line
  gxparse check reports/                   list each report's findings (folders are walked)
  gxparse check --json reports/            the same, one JSON object per report, for scripts
  gxparse batch reports/ -o corpus.sqlite  a folder of reports into one queryable table set
  gxparse corpus-check corpus.sqlite       carry-over between years, duplicate reports
  gxparse summary corpus.sqlite --html s.html   what a corpus holds, as text and as one page
  gxparse bench examples --expected examples/expected   accuracy and throughput against known numbers
  gxparse inspect report.pdf               show what the format adapter extracted
  gxparse formats                          list the registered format adapters

exit status: 0 ok; 1 a report has an error finding (check, batch); 2 a file cannot be read
(parse, check) or the command line is wrong; 130 interrupted.
"""


_PATHS_HELP = "a file, a folder (walked: every report file in it), or - to read paths from stdin, one per line"


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
    sp.add_argument("files", nargs="+", metavar="PATH", help=_PATHS_HELP)
    common(sp)
    sp.add_argument("--compact", action="store_true", help="print JSON on one line")

    sc = sub.add_parser("check", help="print each file's findings for a person",
                        description="Print the findings of each FILE: the invariants a report breaks, with "
                                    "the official labels and the numbers on both sides. Exit 1 if any report "
                                    "has an error finding, 2 if any file cannot be read.")
    sc.add_argument("files", nargs="+", metavar="PATH", help=_PATHS_HELP)
    common(sc)
    sc.add_argument("-v", "--verbose", action="store_true", help="also show info findings (derived values, label "
                                                                    "variants)")
    sc.add_argument("-q", "--quiet", action="store_true", help="only the summary line of each file")
    sc.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    sc.add_argument("--json", action="store_true",
                    help="one JSON object per report on stdout (path, status, template, agency, year, findings), for "
                         "scripts; `--format json` says the same (unless a format adapter is named json)")

    sb = sub.add_parser(
        "batch", help="read a folder of reports into one corpus (SQLite, JSONL, CSV or Parquet)",
        description="Read every report under PATH… into the corpus tables reports, values, findings and failures "
                    "(docs/corpus-tables.md), in parallel. One bad file never stops the run: it becomes a row of "
                    "`failures`. A killed run leaves OUT whole; --resume finishes it.",
        epilog="OUT's extension picks the sink: .sqlite or .db (default kind), .jsonl, .csv (a folder of CSV files), "
               ".parquet (a folder of Parquet datasets; needs gxparse[parquet]).\n"
               "exit status: 0 every file read and no error finding; 1 some report has an error finding or some "
               "file failed; 2 the command line or OUT is wrong; 130 interrupted (OUT is whole: rerun with --resume).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sb.add_argument("files", nargs="+", metavar="PATH", help=_PATHS_HELP)
    sb.add_argument("-o", "--output", required=True, metavar="OUT",
                    help="the corpus output: corpus.sqlite, corpus.jsonl, corpus.csv/ or corpus.parquet/")
    sb.add_argument("-j", "--jobs", type=int, metavar="N",
                    help="worker processes (default: the CPUs available; 0: in this process, no timeout)")
    sb.add_argument("--glob", metavar="PATTERN",
                    help="which files to take from folders, e.g. '*.pdf' (default: every file a registered format "
                         "reads, and every .pdf/.html/.doc(x)/.txt/.md)")
    common(sb)
    sb.add_argument("--timeout", type=_seconds, default=120.0, metavar="SECONDS",
                    help="give up a file after this long (default 120; 0: no limit); it becomes a failure row")
    mode = sb.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true",
                      help="OUT exists: skip the files whose sha256 it holds already and add the rest")
    mode.add_argument("--force", action="store_true", help="OUT exists: replace it")
    sb.add_argument("--retry-failed", action="store_true",
                    help="with --resume: read again the files that failed before (after installing LibreOffice, "
                         "with a longer --timeout …); the new outcome replaces the failure row")
    sb.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    sb.add_argument("--corpus-checks", action="store_true",
                    help="after the run, check OUT across reports (as `gxparse corpus-check OUT`)")
    _cluster_options(sb)

    sk = sub.add_parser(
        "corpus-check", help="check a corpus across reports: carry-over between years, duplicate reports",
        description="Check the corpus OUT (written by `gxparse batch`) across its reports and write the findings "
                    "into its findings table (report_id null), replacing those of an earlier check: "
                    "carry-over-mismatch (the same agency's 上年结转 of year N+1 against its 结转下年度 of year N, per "
                    "column) and duplicate-report (the same agency and year twice, with different numbers). "
                    "Agencies are matched on a normalised name (docs/corpus.md).")
    sk.add_argument("output", metavar="OUT", help="a corpus output: .sqlite/.db, .jsonl, .csv/ or .parquet/")
    sk.add_argument("--json", action="store_true", help="one JSON object per finding on stdout")
    sk.add_argument("-q", "--quiet", action="store_true", help="only the summary line")

    sbe = sub.add_parser(
        "bench", help="accuracy and throughput against known numbers",
        description="Parse DOCS and compare each record with its truth in --expected DIR: DIR/<name>.expected.json, "
                    "else DIR/<stem>.expected.json (stem: the name up to its first dot, _layout dropped), else a "
                    "saved record DIR/<stem>.json. Prints cells right / wrong / null (a wrong number counted apart "
                    "from a missing one), documents exact, findings expected against raised, and throughput "
                    "(documents/s, CPU ms per document per format).",
        epilog="exit status: 0 every document exact; 1 some document is not; 2 no truth found, or the command line "
               "is wrong.")
    sbe.add_argument("files", nargs="+", metavar="DOC", help=_PATHS_HELP)
    sbe.add_argument("--expected", required=True, metavar="DIR", help="the folder of truths")
    sbe.add_argument("-j", "--jobs", type=int, metavar="N",
                     help="worker processes (default: the CPUs available; 0: in this process)")
    sbe.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS", help="give up a document after this "
                                                                                    "long (default 120)")
    sbe.add_argument("--markdown", action="store_true", help="markdown tables, to paste")
    _cluster_options(sbe, ship_bytes=False)  # bench's workers read the documents themselves

    ss = sub.add_parser(
        "summary", help="what a corpus holds: reports per year and template, errors, finding codes, agencies",
        description="Summarise the corpus OUT: reports per year and template, the share with errors, the most "
                    "frequent finding codes and the agencies with the most applications. --html writes the same "
                    "tables and two plots (applications and error rate per year) as one self-contained page "
                    "(needs gxparse[plots]).")
    ss.add_argument("output", metavar="OUT", help="a corpus output: .sqlite/.db, .jsonl, .csv/ or .parquet/")
    ss.add_argument("--html", metavar="FILE", help="also write the summary as one HTML page")
    ss.add_argument("--top", type=int, default=10, metavar="N", help="finding codes and agencies listed (default 10)")

    si = sub.add_parser("inspect", help="show what each stage made of a file",
                        description="Show a pipeline stage for FILE: `document` (what the format adapter "
                                    "extracted: blocks, tables, cells with spans), `records` (labels and values "
                                    "the mapper sees), `mapping` (which record each template row came from).")
    si.add_argument("file", metavar="FILE")
    si.add_argument("--stage", choices=["document", "records", "mapping"], default="document")
    common(si)

    sub.add_parser("formats", help="list the registered format adapters and where they come from")
    return p


def _terminated(signum: int, frame: object) -> NoReturn:
    # SIGTERM unwinds like Ctrl-C, so that what is being cleaned up on the way out (a
    # LibreOffice conversion's temporary folder and process) is cleaned up
    raise SystemExit(128 + signum)


def _cluster_options(sp: argparse.ArgumentParser, *, ship_bytes: bool = True) -> None:
    sp.add_argument("--scheduler", metavar="ADDRESS",
                    help="run on this Dask cluster (tcp://host:8786) instead of local processes; workers need "
                         "gxparse installed and read the files from the same path (needs gxparse[dask])")
    if ship_bytes:
        sp.add_argument("--ship-bytes", action="store_true",
                        help="with --scheduler: send each file's bytes to the workers instead of its path")


def main(argv: Sequence[str] | None = None) -> int:
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_UNREADABLE
    from ._source import check_limit

    try:
        check_limit()
    except GxparseError as exc:
        print(f"gxparse: error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        commands = {"parse": _cmd_parse, "check": _cmd_check, "batch": _cmd_batch, "summary": _cmd_summary,
                    "bench": _cmd_bench, "corpus-check": _cmd_corpus_check, "inspect": _cmd_inspect,
                    "formats": lambda _: _cmd_formats()}
        return commands[args.command](args)
    except KeyboardInterrupt:
        print("gxparse: interrupted", file=sys.stderr)
        return 130
    except _NoFiles as exc:
        print(f"gxparse: error: {printable_path(str(exc))}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:  # e.g. `gxparse parse … | head`
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:
        import errno

        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE, errno.EBADF):
            _silence_stdout()  # stdout on a full disk, a closed terminal
            print(f"gxparse: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        else:
            print(f"gxparse: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE


def _silence_stdout() -> None:
    """After a failed write, point stdout at /dev/null so that the interpreter's last flush
    at exit does not fail again with a traceback."""
    try:  # noqa: SIM105 - kept explicit: the last thing done when stdout is gone
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    except OSError:
        pass


def _fail(exc: GxparseError | OSError, path: str) -> None:
    msg = str(exc) if isinstance(exc, GxparseError) else f"{printable_path(path)}: {exc.strerror or exc}"
    print(f"gxparse: error: {printable_path(msg)}", file=sys.stderr)


def _parse_one(path: str, args: argparse.Namespace) -> list:
    """Every report of ``path`` (several for a compilation)."""
    from pathlib import Path

    import gxparse

    # a Path, never the str: a file name may hold a line break, which parse() would take for text
    return gxparse.parse_all(Path(path), format=args.format, template=args.template)


def _expand(args: argparse.Namespace) -> list[str]:
    """The files named on the command line: files as given, folders walked, ``-`` read from stdin.
    Nothing found is a usage error (exit 2), not a quiet success."""
    from ._inputs import iter_inputs

    files = list(iter_inputs(args.files, unique=False))
    if not files:
        raise _NoFiles(f"no report file was found under {', '.join(args.files)}")
    return files


class _NoFiles(Exception):
    """The paths on the command line name no file to read."""


def _seconds(text: str) -> float:
    """``--timeout``: 0 (no limit) or a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value < 0 or value != value:
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more seconds, not {text}")
    return value


def shown_path(path: str) -> str:
    """A path for a line of human output: valid UTF-8, control characters (a line break in a
    file name) escaped so that one file stays one line."""
    text = printable_path(path)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _cmd_parse(args: argparse.Namespace) -> int:
    status = EXIT_OK
    files = _expand(args)
    single = len(files) == 1
    for path in files:
        try:
            reports = _parse_one(path, args)
        except (GxparseError, OSError) as exc:
            _fail(exc, path)
            status = EXIT_UNREADABLE
            continue
        indent = None if (args.compact or not single or len(reports) > 1) else 1
        for report in reports:
            sys.stdout.write(report.to_json(indent=indent) + "\n")
        sys.stdout.flush()
    return status


def _check_json(path: str, report, exc: BaseException | None = None) -> str:
    from ._report import dumps

    obj: dict[str, object]
    if exc is not None:
        obj = {"path": printable_path(path), "status": "unreadable", "error": type(exc).__name__,
               "message": printable_path(str(exc) if isinstance(exc, GxparseError) else f"{path}: {exc}"),
               "findings": []}
    else:
        severities = {f.severity for f in report.findings}
        obj = {"path": printable_path(path), "part": report.source.part,
               "status": "errors" if "error" in severities else "warnings" if "warning" in severities else "ok",
               "template": report.template, "agency": report.meta.agency, "year": report.meta.year,
               "derived": len(report.derived), "findings": [f.to_dict() for f in report.findings]}
    return dumps(obj, indent=None)


def _cmd_check(args: argparse.Namespace) -> int:
    files = _expand(args)
    as_json = _check_as_json(args)
    progress = _Progress(len(files), enabled=not args.no_progress and len(files) > 1)
    out = sys.stdout
    counts = {"files": 0, "unreadable": 0, "with_errors": 0}
    status = EXIT_OK
    for path in files:
        progress.step(path)
        counts["files"] += 1
        # the worst outcome: EXIT_OK < EXIT_FINDINGS < EXIT_UNREADABLE
        status = max(status, _check_file(path, args, as_json, out, counts, progress))
    progress.done()
    if len(files) > 1 and not as_json:
        print(f"{counts['files']} files: {counts['with_errors']} with errors, {counts['unreadable']} unreadable",
              file=out)
    return status


def _check_as_json(args: argparse.Namespace) -> bool:
    """Whether ``check`` writes JSON lines: ``--json``, or ``--format json`` when no adapter is
    named ``json`` (then the format is cleared: it named the output, not an adapter)."""
    if args.format == "json":
        import gxparse

        if "json" not in gxparse.default_registry():
            args.format = None
            return True
    return bool(args.json)


def _check_file(path: str, args: argparse.Namespace, as_json: bool, out: TextIO, counts: dict[str, int],
                progress: _Progress) -> int:
    """Checks one file, prints its reports (or its error) and counts them; its exit status."""
    try:
        reports = _parse_one(path, args)
    except (GxparseError, OSError) as exc:
        progress.clear()
        if as_json:
            print(_check_json(path, None, exc), file=out)
        else:
            _fail(exc, path)
        counts["unreadable"] += 1
        return EXIT_UNREADABLE
    progress.clear()
    status = EXIT_OK
    for report in reports:
        if report.errors:
            counts["with_errors"] += 1
            status = EXIT_FINDINGS
        if as_json:
            print(_check_json(path, report), file=out)
        else:
            shown = shown_path(path) + (f" ({report.source.part})" if report.source.part else "")
            _print_check(out, shown, report, verbose=args.verbose, quiet=args.quiet)
    return status


def _cmd_batch(args: argparse.Namespace) -> int:
    from ._batch import run_batch

    if _bad_options(args, _BATCH_OPTION_CHECKS) or _no_such_path(args.files):
        return EXIT_UNREADABLE
    try:
        summary = run_batch(args.files, args.output, jobs=args.jobs, glob=args.glob, format=args.format,
                            template=args.template, timeout=args.timeout, resume=args.resume, force=args.force,
                            retry_failed=args.retry_failed, progress=False if args.quiet else None,
                            scheduler=args.scheduler, ship_bytes=args.ship_bytes, corpus_checks=args.corpus_checks)
    except (GxparseError, ValueError) as exc:
        print(f"gxparse: error: {printable_path(str(exc))}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not args.quiet:
        print(summary.line())
    if summary.interrupted:
        return 130
    return EXIT_FINDINGS if (summary.with_errors or summary.n_failures) else EXIT_OK


_JOBS_CHECK: tuple[Callable[[argparse.Namespace], bool], str] = (
    lambda a: a.jobs is not None and a.jobs < 0, "--jobs must be 0 or more")

#: ``batch``'s option combinations refused: ``(condition, message)``, checked in order.
_BATCH_OPTION_CHECKS: tuple[tuple[Callable[[argparse.Namespace], bool], str], ...] = (
    _JOBS_CHECK,
    (lambda a: a.retry_failed and not a.resume, "--retry-failed goes with --resume"),
    (lambda a: a.ship_bytes and not a.scheduler, "--ship-bytes needs --scheduler"),
    (lambda a: a.jobs is not None and a.scheduler,
     "-j/--jobs is for local runs: a cluster's workers are its own (--scheduler)"),
)


def _bad_options(args: argparse.Namespace,
                 checks: Sequence[tuple[Callable[[argparse.Namespace], bool], str]]) -> bool:
    """Says the first refused option combination on stderr, and is true, when one of ``checks`` holds."""
    for refused, message in checks:
        if refused(args):
            print(f"gxparse: error: {message}", file=sys.stderr)
            return True
    return False


def _cmd_summary(args: argparse.Namespace) -> int:
    from ._summary import summarize

    try:
        summary = summarize(args.output, top=args.top)
        page = summary.html() if args.html else None
        if page is not None:
            Path(args.html).write_text(page, encoding="utf-8")
    except GxparseError as exc:
        print(f"gxparse: error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as exc:
        print(f"gxparse: error: {args.html}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    sys.stdout.write(summary.text())
    if page is not None:
        print(f"\nwrote {args.html}")
    return EXIT_OK


def _no_such_path(paths: Sequence[str]) -> bool:
    """Says so on stderr, and is true, when a path named on the command line does not exist
    (checked before any output is made)."""
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        print(f"gxparse: error: no such file or folder: {shown_path(missing[0])}", file=sys.stderr)
    return bool(missing)


def _cmd_bench(args: argparse.Namespace) -> int:
    from ._bench import bench_inputs, run_bench

    if _bad_options(args, (_JOBS_CHECK,)) or _no_such_path(args.files):
        return EXIT_UNREADABLE
    if not Path(args.expected).is_dir():
        print(f"gxparse: error: {args.expected}: no such folder of expected files", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        docs = bench_inputs(args.files)
        result = run_bench(docs, args.expected, jobs=args.jobs, scheduler=args.scheduler, timeout=args.timeout)
    except GxparseError as exc:
        print(f"gxparse: error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not result.docs:
        print(f"gxparse: error: none of the {len(docs)} documents has a truth in {args.expected} "
              "(<stem>.expected.json or <stem>.json)", file=sys.stderr)
        return EXIT_UNREADABLE
    print("\n".join(result.lines(markdown=args.markdown)))
    return EXIT_OK if all(r.exact for r in result.docs) else EXIT_FINDINGS


def _cmd_corpus_check(args: argparse.Namespace) -> int:
    from ._checks import corpus_check
    from ._report import dumps

    try:
        findings = corpus_check(args.output)
    except GxparseError as exc:
        print(f"gxparse: error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    for f in findings:
        if args.json:
            print(dumps({"code": f.code, "severity": f.severity, "where": f.where, "message": f.message,
                         "evidence": dict(f.evidence)}, indent=None))
        elif not args.quiet:
            print(f"{f.severity:<7} {f.code:<19} {f.where}\n        {f.message}")
    if not args.json:
        counts = {code: sum(1 for f in findings if f.code == code) for code in ("carry-over-mismatch",
                                                                              "duplicate-report")}
        print(f"{args.output}: {counts['carry-over-mismatch']} carry-over-mismatch, "
              f"{counts['duplicate-report']} duplicate-report (written to its findings table)")
    return EXIT_OK


def _print_check(out: TextIO, path: str, report, *, verbose: bool, quiet: bool) -> None:
    print(_check_head(path, report), file=out)
    if quiet:
        return
    for f in (f for f in report.findings if verbose or f.severity != "info"):
        loc = f.evidence.get("source_location")
        print(f"  {f.severity:<7} {f.code:<19} {f.message}" + (f"  [{loc}]" if loc else ""), file=out)


def _check_head(path: str, report) -> str:
    """The line that heads a report in ``check``: template, agency · year, errors and warnings, derived."""
    who = " · ".join(str(x) for x in (report.meta.agency, report.meta.year) if x)
    head = f"{path}: template {report.template}" + (f" · {who}" if who else "") + \
        f" · {_plural(report, 'error')}, {_plural(report, 'warning')}"
    if report.derived:
        head += f" · {len(report.derived)} derived"
    return head


def _plural(report, severity: str) -> str:
    """``"N error(s)"``: how many findings of ``severity`` the report has."""
    n = sum(1 for f in report.findings if f.severity == severity)
    return f"{n} {severity}{'s' if n != 1 else ''}"


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
            elapsed = time.monotonic() - self.start
            rate = f"{(self.n - 1) / elapsed:.1f} files/s " if self.n > 1 and elapsed > 0.5 else ""
            name = shown_path(Path(path).name)[-40:]
            sys.stderr.write(f"\r\x1b[K[{self.n}/{self.total}] {rate}{name}")
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
