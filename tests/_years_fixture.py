"""A corpus of one agency's reports over several years (and a few other agencies), for the
checks across reports and the corpus summary: rendered from the project's own renderers."""

from __future__ import annotations

from pathlib import Path

from gxparse.testing import zero_report

from kit.render import render


def years_report(agency: str, year: int, over: int, forward: int, received: int = 10, template: str = "2021"):
    """A valid report whose 上年结转 (natural persons) is ``over`` and 结转下年度 ``forward``."""
    r = zero_report(template, agency=agency, year=year)
    done = received + over - forward
    for row, n in (("carried_over", over), ("carried_forward", forward), ("received_new", received),
                   ("results.disclosed", done), ("results.total", done)):
        r = r.with_value(f"applications/{row}/natural_person", n).with_value(f"applications/{row}/total", n)
    return r


#: (file, agency as printed, year, 上年结转, 结转下年度, flavour)
LONGSHA = "齐齐哈尔市龙沙区人民政府"
FILES = (
    ("ls2021.md", LONGSHA, 2021, 0, 4, "markdown"),
    ("ls2022.html", "齐齐哈尔市龙沙区政府", 2022, 4, 6, "html"),        # 4 = 4: no finding
    ("ls2022-copy.md", LONGSHA, 2022, 4, 6, "markdown"),               # the same numbers: no finding
    ("ls2023.txt", "齐齐哈尔市龙沙区人民政府", 2023, 5, 1, "text-cells"),  # 5 ≠ 6: carry-over-mismatch
    ("mz2021.md", "牡丹江市民政局", 2021, 0, 2, "markdown"),
    ("mz2021-other.md", "牡丹江市民政局", 2021, 0, 3, "markdown"),    # same year, other numbers: duplicate
    ("mz2022.md", "牡丹江市民政局", 2022, 9, 0, "markdown"),          # 2021 uncertain: no carry-over check
    ("jt2020.md", "伊春县交通运输局", 2020, 0, 7, "markdown"),
    ("jt2022.md", "伊春县交通运输局", 2022, 1, 0, "markdown"),         # not consecutive: no finding
    ("sc2021.md", "市场监督管理局", 2021, 0, 4, "markdown"),            # no place: never matched
    ("sc2022.md", "市场监督管理局", 2022, 1, 0, "markdown"),
)


def build_years(root: Path) -> None:
    """Write :data:`FILES` under ``root``."""
    for name, agency, year, over, forward, flavour in FILES:
        (root / name).write_bytes(render(years_report(agency, year, over, forward), flavour).data)
