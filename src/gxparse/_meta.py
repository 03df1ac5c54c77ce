"""Metadata and sections: title, agency, year, statistics period, contacts;
the report's sections 一 … 六 (or 七) classified by meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ._model import Document, Paragraph, Table
from ._normalize import norm
from ._report import Finding, Meta, Section
from .form import SECTION_ORDER, SECTIONS
from .form._findings import NARRATIVE_MISMATCH, PERIOD_MISMATCH, UNREADABLE

__all__ = ["extract_meta", "extract_sections", "narrative_findings", "period_findings"]

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE_TAIL = re.compile(r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:工作)?报告.*$|政务公开.*报告.*$|年度报告.*$")
_AGENCY_SUFFIX = (r"(?:管理委员会|委员会|管委会|办公室|人民政府|办事处|政府|局|厅|委|中心|院|所|署|站|队|部|办|处|馆|会|公司)")
_AGENCY_IN_TEXT = re.compile(
    r"(?:^|(?:19|20)\d{2}年度?[，,、]?|公布|向社会公布|本机关|我单位)"
    r"([\u4e00-\u9fa5（）()]{2,30}?" + _AGENCY_SUFFIX + r")"
    r"(?=[\u4e00-\u9fa5]{0,3}(?:政府信息|政务公开|主动公开|未接到|未收到|共|收到|接到|认真|依托|坚持|按照|$))"
)
_PLACE_SUFFIX = r"(?:省|自治区|自治州|自治县|自治旗|市|地区|盟|州|区|县|旗|镇|乡|街道|新区|开发区|实验区|示范区|管理区)"
_PLACE = re.compile(r"^[\u4e00-\u9fa5]{1,10}?" + _PLACE_SUFFIX)
#: A whole title's agency that is a place alone (宿迁市, 沭阳县, 平潭综合实验区): its people's government.
_BARE_PLACE = re.compile(r"^[\u4e00-\u9fa5]{1,12}" + _PLACE_SUFFIX + "$")
#: Words that come before an agency's name in a sentence, not part of it (在…, 我…). Characters
#: that also begin place names (上饶, 通辽, 和田, 明光, 于都, 全椒, 本溪, 将乐, 以…) are not here.
_BAD_LEAD = set("在我该其对按由经为从向把被及与据这那此今去等并")
#: What crawlers and CMS pages put before a title on its line (正文, 标题：, 当前位置 …).
_TITLE_NOISE = re.compile(r"^(?:正文|原文|全文|标题|题目|文章|【[^】]{0,8}】|当前位置[:：].*?[>＞»]\s*)\s*[:：]?\s*")
_PERIOD = re.compile(
    r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?:起|开始)?(?:至|到|-|~|—|－)((?:19|20)\d{2})?年?(\d{1,2})月(\d{1,2})日"
)
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[\u3000-\u9fff\uff00-\uffef])")


def tidy(text: str) -> str:
    """Collapse runs of spaces, and drop spaces next to CJK characters (Word-export artefacts)."""
    return _CJK_SPACE.sub("", " ".join(text.split()))
_PHONE = re.compile(r"(?<![\d-])[（(]?(0\d{2,3})[)）]?[-－—–\s]?(\d{7,8})(?![\d-])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://[^\s，。；;,、)）\"'<>]+|(?<![\w/.@])www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/[^\s，。；;,、)）\"'<>]*)?")
_ADDRESS = re.compile(r"(?:联系地址|通讯地址|办公地址|地址|地点)[:：]\s*([^，,；;。\n]{4,60})")
_ADDRESS_CUT = re.compile(r"(?:邮编|邮政编码|电话|联系电话|传真|电子邮箱|邮箱).*$")
_CRAWLER_TITLE = re.compile(r"^标题[:：]\s*(.+)$")
_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.+?)\s*$")
_SUB_NUMBERED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")


# Look-alikes of CJK ideographs: Kangxi radicals (⼀ ⾏ ⽐, which Chrome's PDF text layer gives
# for 一 行 比), CJK radicals and compatibility ideographs. NFKC maps them to the ideographs; the
# rest of the text (full-width punctuation of Chinese prose) is kept as written.
_LOOKALIKE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def _fold(text: str) -> str:
    """``text`` with look-alike characters NFKC-normalised (``⼀⾏`` → ``一行``)."""
    return _LOOKALIKE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


@attrs.frozen
class Line:
    text: str
    block: int
    in_table: bool


def _lines(doc: Document) -> list[Line]:
    """Paragraph texts, plus cells of one-column tables (text saved one cell per line)."""
    out: list[Line] = []
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                if part.strip():
                    out.append(Line(_fold(part.strip()), i, False))
        elif isinstance(block, Table) and block.n_cols == 1:
            for cell in block.cells:
                if cell.text.strip():
                    out.append(Line(_fold(cell.text.strip()), i, True))
    return out


def _prose(doc: Document) -> list[str]:
    return [_fold(b.text) for b in doc.blocks if isinstance(b, Paragraph)] + [
        _fold(c.text) for b in doc.blocks if isinstance(b, Table) and b.n_cols == 1 for c in b.cells
        if len(c.text) > 20
    ]


def _title(lines: Sequence[Line]) -> str | None:
    """The report's title (see :func:`_title_as_written`), its full-width letters and digits folded."""
    title = _title_as_written(lines)
    return title.translate(_FULL_WIDTH_ALNUM) if title else title


#: Full-width digits and Latin letters (２０２２, ＡＢＣ) folded to ASCII in a title, as NFKC folds them;
#: the full-width punctuation of Chinese text (（）、，) is kept as written.
_FULL_WIDTH_ALNUM = str.maketrans({chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                                    *range(0xFF41, 0xFF5B))})


def _title_as_written(lines: Sequence[Line]) -> str | None:
    """The report's title: a crawler's ``标题：`` line, else the first line naming the report (年度报告),
    joined to the line above it when the title was wrapped there (…人力资源和社会 / 保障局 2021 年…),
    else a short first line."""
    for line in lines[:8]:
        m = _CRAWLER_TITLE.match(line.text)
        if m:
            return tidy(m.group(1))
    for k, line in enumerate(lines[:6]):
        title = _naming_title(line.text)
        if title is not None:
            return _unwrapped(lines[k - 1].text, title) if k else title
    return _short_first_line(lines[:3])


def _short_first_line(lines: Sequence[Line]) -> str | None:
    """The first of these lines that is short, no sentence and no numbered heading, as a title."""
    for line in lines:
        t = line.text.strip()
        if t and len(t) <= 60 and not t.endswith("。") and not _NUMBERED.match(t):
            return _TITLE_NOISE.sub("", tidy(t))
    return None


def _naming_title(text: str) -> str | None:
    """The title in a line that names the report (年度报告, 工作报告), or in a line that begins by
    naming it and runs on into the first paragraph (None: the line names no report)."""
    t = norm(text)
    if ("年度报告" in t or "工作报告" in t) and len(t) <= 80:
        return _TITLE_NOISE.sub("", tidy(text))
    m = _TITLE_THEN_BODY.match(text)
    if m:  # space-aligned text joins the title and the first paragraph below it into one line
        return _TITLE_NOISE.sub("", tidy(m.group(1)))
    return None


#: A title run together with the paragraph after it: the line begins by naming the report.
_TITLE_THEN_BODY = re.compile(r"^\s*(\S.{3,60}?(?:政府信息公开工作年度报告|信息公开年度报告))(?=\s*\S)")

#: A line above the title this long or shorter may hold the title's first part.
MAX_TITLE_HEAD = 30


def _unwrapped(above: str, title: str) -> str:
    """``title`` with the line above it in front when the title was wrapped there: the title's own
    agency part does not begin with a place name, the line above is short, no sentence and no
    heading, and together they do."""
    head = _TITLE_NOISE.sub("", tidy(above))
    own = _agency_part(norm(title))
    if not head or len(norm(head)) > MAX_TITLE_HEAD or head.endswith(("。", "；", "：", ":")) or _NUMBERED.match(head):
        return title
    if own and _PLACE.match(own):
        return title
    joined = head + title
    whole = _agency_part(norm(joined))
    return tidy(joined) if whole and _PLACE.match(whole) else title


#: A year in a title, in Arabic or Chinese numerals (2021年, 二〇二一年, 二○二一年度).
_TITLE_YEAR = re.compile(r"(?:(?:19|20)\d{2}|[一二][〇○零O0一二三四五六七八九]{3})年?度?")


#: The report's own name left after the year was taken out of its middle.
_REPORT_NAME = re.compile(r"(?:政府)?信息公开(?:工作)?(?:年度报告|报告)?$")


def _agency_part(t: str) -> str:
    """The part of a (normalised) title that names the agency: without the report's name, the year
    and edge punctuation."""
    t = _TITLE_TAIL.sub("", _TITLE_NOISE.sub("", t))
    t = _TITLE_YEAR.sub("", t).strip("（）()《》“”\"'·-—_：:，, ")
    t = re.sub(r"^关于|关于$", "", t)  # 关于2022年…: the word before the year is no part of the name
    t = _REPORT_NAME.sub("", t)  # …政府信息公开工作 2022 年度报告: the year in the report's name
    if t.endswith("人民") and _PLACE.match(t):
        t += "政府"  # 南京市人民政府信息公开工作年度报告: 政府 is the name's and the report's at once
    return t


def _agency_from_title(title: str | None) -> str | None:
    """The agency a title names (see ``docs/usage.md``, "Metadata"): a place and an organ
    (南岗区城管局, 大庆市让胡路区人力资源和社会保障委员会), or a place alone (宿迁市, 沭阳县,
    平潭综合实验区: the report of its people's government), whatever the year's numerals."""
    if not title:
        return None
    t = _agency_part(norm(title))
    if (len(t) >= 3 and re.search(_AGENCY_SUFFIX + "$", t)) or (len(t) >= 4 and _PLACE.match(t)) \
            or (len(t) >= 2 and _BARE_PLACE.match(t)):
        return t
    return None


def _agency_from_text(texts: Sequence[str]) -> str | None:
    counts: dict[str, int] = {}
    order: list[str] = []
    for text in texts:
        t = norm(text)
        for m in _AGENCY_IN_TEXT.finditer(t):
            name = m.group(1)
            while name and name[0] in _BAD_LEAD:
                name = name[1:]
            if len(name) < 4 or not _PLACE.match(name):
                continue
            if name not in counts:
                order.append(name)
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    return max(order, key=lambda n: (counts[n], -order.index(n)))


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        import datetime

        return datetime.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def extract_meta(doc: Document) -> Meta:
    """The report's title, agency, year, statistics period and contacts, as far as its text says
    them (each None or empty when it does not)."""
    lines = _lines(doc)
    prose = _prose(doc)
    title = _title(lines)
    agency = _agency_from_title(title) or _agency_from_text(prose[:40])
    joined = [norm(p) for p in prose]
    period_start, period_end = _period(joined)
    year = _year(title, period_end, joined)
    phones, emails, urls, address = _contacts(prose)
    return Meta(title, agency, year, period_start, period_end, phones, emails, urls, address)


def _period(texts: Sequence[str]) -> tuple[str | None, str | None]:
    """The first statistics period the (normalised) texts state, as ISO dates; dates written in
    Chinese numerals (自二〇二一年一月一日起) are read as well, and a sentence that a page
    or a narrow column wrapped (…自2019年1月1日起 / 至2019年12月31日止) is read joined."""
    for i, t in enumerate(texts):
        m = _PERIOD.search(arabic_dates(t))
        if m is None and i + 1 < len(texts) and _PERIOD_WORDS.search(t):
            m = _PERIOD.search(arabic_dates(t + texts[i + 1]))
        if m:
            return _iso(*m.group(1, 2, 3)), _iso(m.group(4) or m.group(1), m.group(5), m.group(6))
    return None, None


_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_DATE = re.compile(r"([一二][〇○零O0一二三四五六七八九]{3})年(?:([一二三四五六七八九十]{1,2})月"
                      r"(?:([一二三四五六七八九十]{1,3})日)?)?")


def _cn_small(text: str) -> int:
    """一 … 三十一 as a number (十 alone is 10, 十二 12, 二十 20, 三十一 31)."""
    if "十" not in text:
        return _CN_DIGIT[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def arabic_dates(text: str) -> str:
    """``text`` with dates in Chinese numerals in Arabic ones: 二〇二一年十二月三十一日 → 2021年12月31日.

    Written by hand rather than with ``cn2an``: the form's dates are one closed pattern (a year
    digit by digit, a month and a day below 32), which these few lines read exactly, and a
    dependency for it would also convert numerals that are no dates (一、 二、 headings).
    """
    def one(m: re.Match[str]) -> str:
        year = "".join(str(_CN_DIGIT[c]) for c in m.group(1))
        out = f"{year}年"
        if m.group(2):
            out += f"{_cn_small(m.group(2))}月"
        if m.group(3):
            out += f"{_cn_small(m.group(3))}日"
        return out

    return _CN_DATE.sub(one, text) if "年" in text else text


def _year(title: str | None, period_end: str | None, texts: Sequence[str]) -> int | None:
    """The report year: from the title, else the period's end, else the first ten texts."""
    if title:
        t = arabic_dates(norm(title))
        m = _YEAR.search(t) or re.fullmatch(r"\s*((?:19|20)\d{2})\s*年?度?\s*", t)
        if m:
            return int(m.group(1))
    if period_end:
        return int(period_end[:4])
    for t in texts[:10]:
        m = _YEAR.search(arabic_dates(t))
        if m:
            return int(m.group(1))
    return None


def _contacts(prose: Sequence[str]) -> tuple[list[str], list[str], list[str], str | None]:
    """Phones, e-mail addresses and web addresses in order of appearance, and the first address."""
    phones: list[str] = []
    emails: list[str] = []
    urls: list[str] = []
    address = None
    for text in prose:
        nf = unicodedata.normalize("NFKC", text)
        for m in _PHONE.finditer(nf):
            _add(phones, f"{m.group(1)}-{m.group(2)}")
        for m in _MOBILE.finditer(nf):
            _add(phones, m.group(1))
        for m in _EMAIL.finditer(nf):
            _add(emails, m.group(0).rstrip("."))
        for m in _URL.finditer(nf):
            _add(urls, m.group(0).rstrip(".。/"))
        address = address or _address(nf)
    return phones, emails, urls, address


def _address(text: str) -> str | None:
    m = _ADDRESS.search(text)
    if m:
        a = tidy(_ADDRESS_CUT.sub("", m.group(1))).strip(" ：:")
        if len(a) >= 4:
            return a
    return None


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _kind(title: str) -> str | None:
    t = norm(title)
    for kind in SECTIONS:
        for words in kind.keywords:
            if all(w in t for w in words):
                return kind.key
    return None


_Head = tuple[int, "str | None", str, "str | None"]  # (line index, number, title, key)
#: A line longer than this (normalised) is not a heading: a numbered heading's title …
MAX_HEADING = 40
#: … an unnumbered heading (… 情况 / … 事项) …
MAX_UNNUMBERED_HEADING = 30
#: … and a line longer than this, or ending a sentence, is not even considered.
MAX_LINE = 50


def extract_sections(doc: Document, table_blocks: set[int] | None = None) -> list[Section]:
    """The report's sections by their headings (一、… or, unnumbered, by their wording), each
    classified by meaning (its key, or None); ``table_blocks``: the blocks that are tables."""
    lines = _lines(doc)
    heads = _headings(lines, _title(lines))
    tables = table_blocks or set()
    sections: list[dict[str, Any]] = []
    for n, (k, number, head, kind) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body = [ln for ln in lines[k + 1: end] if not ln.in_table]
        sections.append({"key": kind, "number": number, "title": tidy(head), "text": "\n".join(ln.text for ln in body),
                         "has_table": _holds_table(lines, k, end, tables)})
    _resolve_duplicates(sections)
    return [Section(s["key"], s["number"], s["title"], s["text"]) for s in sections]


def _holds_table(lines: Sequence[Line], k: int, end: int, tables: set[int]) -> bool:
    """Do the lines from ``k`` to ``end`` span a table block?"""
    blocks = {ln.block for ln in lines[k:end]}
    first_block = lines[k].block
    last_block = lines[end - 1].block if end - 1 < len(lines) else first_block
    return bool(set(range(first_block, last_block + 1)) & tables) or bool(blocks & tables)


def _headings(lines: Sequence[Line], title: str | None) -> list[_Head]:
    """The lines that are section headings."""
    heads: list[_Head] = []
    for k, line in enumerate(lines):
        text = line.text
        if len(text) > MAX_LINE or text.endswith(("。", "；")):
            continue
        if title and k < 3 and norm(text) == norm(title):
            continue
        head = _heading(line)
        if head is not None:
            heads.append((k, *head))
    return heads


def _heading(line: Line) -> tuple[str | None, str, str | None] | None:
    """``(number, title, key)`` if the line is a section heading."""
    text = line.text
    m = _NUMBERED.match(text)
    if m:
        return _numbered_heading(m.group(1), m.group(2).strip("*# "), line.in_table)
    if _SUB_NUMBERED.match(text) or line.in_table:
        return None
    return _unnumbered_heading(text)


def _numbered_heading(number: str, head: str, in_table: bool) -> tuple[str, str, str | None] | None:
    """``(number, title, key)`` for a numbered line that is a heading: not too long, and in a
    table only when it names a section of the form."""
    kind = _kind(head)
    if (in_table and kind is None) or len(norm(head)) > MAX_HEADING:
        return None
    return number, head, kind


def _unnumbered_heading(text: str) -> tuple[None, str, str] | None:
    """``(None, title, key)`` for a line outside tables with no numbering that names a section
    of the form, is short and reads as a heading (…情况, …事项, or the problems section)."""
    kind = _kind(text)
    t = norm(text)
    if kind and len(t) <= MAX_UNNUMBERED_HEADING and (t.endswith(("情况", "事项")) or kind == "problems"):
        return None, text.strip("*# "), kind
    return None


def _resolve_duplicates(sections: list[dict[str, Any]]) -> None:
    """Two headings of one meaning (seed 004 numbers its first section 主动公开…):
    the one holding the table keeps the key, the other gets the key its position implies."""
    for key in {s["key"] for s in sections if s["key"]}:
        same = [s for s in sections if s["key"] == key]
        if len(same) >= 2:
            _rekey_duplicates(sections, same)


def _rekey_duplicates(sections: list[dict[str, Any]], same: list[dict[str, Any]]) -> None:
    """Of sections with one key, the one holding the table (else the last) keeps it; the others
    get the key their position implies."""
    keeper = next((s for s in same if s["has_table"]), same[-1])
    for s in same:
        if s is not keeper:
            s["key"] = _key_by_position(sections, sections.index(s))


def _key_by_position(sections: list[dict[str, Any]], pos: int) -> str | None:
    """The key of the form's section at this position, unless another section has it."""
    taken = {x["key"] for x in sections}
    guess = SECTION_ORDER[pos] if pos < len(SECTION_ORDER) else None
    return guess if guess not in taken else None


_NARRATIVE = re.compile(
    r"(?:共|全年|本年度?|今年)?(?:新?收到|接到|受理|新收)[^。；;，,]{0,20}?申请(?:共|合计|总计)?(\d+)(?:件|条|个|份|次|宗)"
)
_NARRATIVE_ZERO = re.compile(r"(?:未|没有)(?:收到|接到|受理)[^。；;，,]{0,20}?申请")


def narrative_findings(doc: Document, applications: Mapping[str, Mapping[str, Any]] | None) -> list[Finding]:
    """A ``narrative-mismatch`` warning for each count of applications the prose states
    (收到申请N件) that is neither the table's 一、本年新收 总计 nor that plus 二、上年结转."""
    if not applications:
        return []
    received = applications.get("received_new", {}).get("total")
    carried = applications.get("carried_over", {}).get("total")
    if received is None:
        return []
    out = []
    seen = set()
    ok = {received} | ({received + carried} if carried is not None else set())
    for text in _prose(doc):
        for n in _claimed_counts(norm(text)):
            if n not in ok and n not in seen:
                seen.add(n)
                out.append(NARRATIVE_MISMATCH.make("applications/received_new/total", "received",
                                                   {"narrative": n, "table": received, "text": text.strip()[:120]}))
    return out


def _claimed_counts(t: str) -> list[int]:
    """The counts of applications received a normalised prose text states (未收到申请: 0)."""
    claims = [int(m.group(1)) for m in _NARRATIVE.finditer(t)]
    if _NARRATIVE_ZERO.search(t):
        claims.append(0)
    return claims


#: Words that say the statistics period is being given (本报告所列数据统计期限自…).
_PERIOD_WORDS = re.compile(r"统计(?:期限|时限|时间|区间|期间|周期|截止)|数据(?:统计)?(?:起止|期限)")


def _unreadable_period(doc: Document) -> list[Finding]:
    """An ``unreadable`` warning for the first prose that states a period (统计期限…) when none
    could be read (empty: the text states none)."""
    for text in _prose(doc):
        m = _PERIOD_WORDS.search(text)
        if m:
            said = tidy(text[m.start():m.start() + 60])
            return [UNREADABLE.make("meta/period", "period", {"text": said}, shown=said)]
    return []


def period_findings(meta: Meta, doc: Document | None = None) -> list[Finding]:
    """A ``period-mismatch`` warning when the statistics period is not the report year's calendar
    year; an ``unreadable`` warning when the text states a period (统计期限…) that cannot be read."""
    if (meta.period_start is None or meta.period_end is None) and doc is not None:  # 12月32日: no date
        return _unreadable_period(doc)
    if not (meta.year and meta.period_start and meta.period_end):
        return []
    want = (f"{meta.year}-01-01", f"{meta.year}-12-31")
    if (meta.period_start, meta.period_end) != want:
        return [PERIOD_MISMATCH.make("meta/period", "period", {"period_start": meta.period_start,
                                                              "period_end": meta.period_end, "year": meta.year})]
    return []
