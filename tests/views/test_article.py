"""The article view: what cleaning removed, found line by line; every passage shown once, in order, with its
label; evidence marked; hostile text escaped; pages whose passages are not from the default cleaning."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
from hypothesis import given, settings

from stance import classify
from stance.files import iter_json_records
from stance.text.clean import clean, normalise
from stance.views.article import article_page, cleaning_trace

from tests.paths import SEEDS
from tests.text.pages import page_text

SEED_002 = next(p for p in SEEDS if p.name.startswith("002_"))


def _kept(raw: str) -> str:
    return "\n".join(line.kept for line in cleaning_trace(raw) if line.kept is not None)


def test_trace_of_seed_002():
    # Read off the file: its 4th line ends with a photo credit, its last line is a source placeholder.
    raw = SEED_002.read_text(encoding="utf-8")
    touched = [(line.text, line.kept, line.steps) for line in cleaning_trace(raw) if line.steps]
    assert touched == [
        ("Binh sĩ Mỹ đứng bên ngoài xe bọc thép tại một căn cứ quân sự ở Iraq năm 2019. Ảnh: AP",
         "Binh sĩ Mỹ đứng bên ngoài xe bọc thép tại một căn cứ quân sự ở Iraq năm 2019.", ("drop_photo_credits",)),
        ("Nguồn: [Link nguồn]", None, ("drop_furniture_lines",)),
    ]
    assert len(cleaning_trace(raw)) == len([line for line in raw.splitlines() if line.strip()]) == 16


def test_trace_of_datelines_repeats_and_credit_lines():
    raw = "(NLĐ)- Quân Mỹ rút khỏi Iraq.\nQuân Mỹ rút khỏi Iraq.\nẢnh: Reuters\nÔng nói thêm."
    assert [(line.kept, line.steps) for line in cleaning_trace(raw)] == [
        ("Quân Mỹ rút khỏi Iraq.", ("drop_datelines",)),
        (None, ("drop_repeated_lines",)),  # the first copy is kept, the second dropped
        (None, ("drop_photo_credits",)),
        ("Ông nói thêm.", ()),
    ]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_the_kept_lines_are_the_cleaned_text_on_the_seeds(path):
    raw = path.read_text(encoding="utf-8")
    assert _kept(raw) == clean(raw)


@settings(max_examples=300, deadline=None)
@given(page_text)
def test_the_kept_lines_are_the_cleaned_text_on_page_like_text(raw):
    assert _kept(raw) == clean(raw)


def test_the_kept_lines_are_the_cleaned_text_on_real_pages(shared_data):
    records = itertools.islice(iter_json_records(shared_data("baomoi", "docs.jsonl.xz")), 400)
    texts = [item.checked()["text"] for item in records]
    assert all(_kept(t) == clean(t) for t in texts)
    changed = [clean(t) != normalise(t) for t in texts]  # cleaning cut something
    assert [any(line.steps for line in cleaning_trace(t)) for t in texts] == changed and sum(changed) > 0


def _sections(html: str) -> list[tuple[str, str, bool]]:
    """(passage id, stance class, is evidence) of every passage block, in page order."""
    return [(m[2], m[0], bool(m[1])) for m in re.findall(r'<section class="passage s-(\w+)( evidence)?" id="(p\d+)">', html)]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_passage_once_in_order_with_its_label_and_the_evidence_marked(path):
    raw = path.read_text(encoding="utf-8")
    result = classify(raw)
    html = article_page(raw, result, source=path.name)
    sections = _sections(html)
    assert [s[0] for s in sections] == [f"p{p.index}" for p in result.passages]
    assert [s[1] for s in sections] == [p.stance for p in result.passages]
    assert {s[0] for s in sections if s[2]} == {f"p{p.index}" for p in result.evidence}
    assert html.count("★ evidence") == len(result.evidence)
    body = html.split("<main>", 1)[1]
    positions = [body.index(f'id="p{p.index}"') for p in result.passages]
    assert positions == sorted(positions)
    assert f"{result.topic_name}" in html and f"[{result.topic}]" in html
    assert "not cut from the text by stance's default cleaning" not in html


def test_seed_002_shows_what_cleaning_removed_folded_in_place():
    raw = SEED_002.read_text(encoding="utf-8")
    html = article_page(raw, classify(raw))
    assert "<h1>Mỹ có động thái bất ngờ ở Iraq</h1>" in html
    main = html.split("<main>", 1)[1]
    assert main.count('<details class="removed">') == 2  # a credit cut from a caption, a source line dropped
    assert main.index("Ảnh: AP") > main.index('id="p2"') and main.index("Ảnh: AP") < main.index('id="p3"')
    assert main.index("Nguồn: [Link nguồn]") > main.index('id="p14"')
    assert "drop_furniture_lines" in main and "open" not in main.split("<details", 1)[1].split(">", 1)[0]


def test_hostile_text_is_escaped():
    # Cleaning strips tags, but not what only looks like the start of one: the passage really holds "<script".
    raw = 'Quân Mỹ "><b onmouseover=x> <scr<script>ipt>alert(1)</script> rút khỏi Iraq, a < b > c <script'
    result = classify(raw)
    assert '">' in result.passages[0].text and result.passages[0].text.endswith("<script")
    html = article_page(raw, result, title="<b>x</b><!--", source='"><script>alert(3)</script></details>')
    assert "<script" not in html and "<b>x" not in html and "<!--" not in html and "<b onmouseover" not in html
    assert "&lt;scr rút khỏi Iraq, a &lt; b &gt; c &lt;script" in html and "&lt;b&gt;x&lt;/b&gt;&lt;!--" in html
    assert html.count("<details") == html.count("</details>") and html.count("<main>") == 1


def test_passages_not_from_the_default_cleaning_are_shown_with_a_note():
    raw = SEED_002.read_text(encoding="utf-8")
    result = classify(raw)
    other = dataclasses.replace(result, passages=tuple(dataclasses.replace(p, text=p.text.upper())
                                                       for p in result.passages))
    html = article_page(raw, other)
    assert "not cut from the text by stance's default cleaning" in html
    assert len(_sections(html)) == len(result.passages) and "<details" not in html
    # a page that cleaning empties is classified from its normalised text: shown, with the same note
    furniture = "Đường dây nóng: 0943 113 999\nBáo lỗi cho Soha"
    html = article_page(furniture, classify(furniture))
    assert "not cut from the text by stance's default cleaning" in html and "0943 113 999" in html
