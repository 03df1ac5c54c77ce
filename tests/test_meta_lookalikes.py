"""Titles, agency and section text read with look-alike characters folded (issue 13, item 9).

Chrome's PDF text layer gives Kangxi radicals for some ideographs (⼀ for 一, ⾏ for 行, ⼈ for 人);
labels were already NFKC-normalised, the title, agency and sections now are too.
"""

from __future__ import annotations

import unicodedata

import pytest

from gxparse import Document, Paragraph
from gxparse._meta import extract_meta, extract_sections

# every ideograph of the text below that has a Kangxi radical look-alike, by the look-alike
LOOKALIKE = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0x2F00, 0x2FD6)}


def chrome(text: str) -> str:
    """The text as Chrome's text layer gives it: ideographs that have a radical look-alike replaced."""
    return "".join(LOOKALIKE.get(ch, ch) for ch in text)


@pytest.mark.parametrize("title, agency", [
    ("某某市人民政府办公室2023年政府信息公开工作年度报告", "某某市人民政府办公室"),
    ("南岗区行政审批局2022年政府信息公开工作年度报告", "南岗区行政审批局"),
])
def test_title_agency_and_sections_are_folded(title, agency):
    text = "一、总体情况"
    body = "本行政机关认真贯彻，比上年增加，电话：0451-1234567。"
    assert chrome(title) != title and chrome(text) != text and chrome(body) != body
    doc = Document([Paragraph(chrome(title)), Paragraph(chrome(text)), Paragraph(chrome(body))])
    meta = extract_meta(doc)
    assert (meta.title, meta.agency, meta.year) == (title, agency, int(title[title.index("20"):][:4]))
    (section,) = extract_sections(doc)
    assert (section.key, section.number, section.title, section.text) == ("overview", "一", "总体情况", body)


def test_full_width_punctuation_is_kept():
    doc = Document([Paragraph("某某局2023年政府信息公开工作年度报告"), Paragraph("一、总体情况"),
                    Paragraph("（一）主动公开情况：全年公开信息１２条。")])
    (section,) = extract_sections(doc)
    assert section.text == "（一）主动公开情况：全年公开信息１２条。"
