"""The pages in a real browser: headless Chromium (Debian's) opens them from file:// and finds no console error
(no failed load, no blocked script or request), every image decoded, nothing fetched, and a screenshot that is
not blank; the removed text of an article unfolds on a click."""

from __future__ import annotations

import pytest

from stance import classify
from stance.files import atomic_write
from stance.views.article import article_page
from stance.views.corpus import corpus_report

from tests.browser import pixel_std
from tests.paths import SEEDS

pytestmark = pytest.mark.browser

BLANK = 0.02
"""Grey-level standard deviation under which a screenshot counts as blank (a white page: 0; the pages: > 0.1)."""


def _check(visit) -> None:
    assert visit.errors == [], visit.errors
    assert visit.resources == []  # self-contained: nothing requested beyond the file itself
    assert all(image["complete"] and image["naturalWidth"] > 0 for image in visit.images), visit.images
    assert visit.scripts == 0
    assert pixel_std(visit.png) > BLANK


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_article_pages_of_the_seeds(path, tmp_path, browser):
    raw = path.read_text(encoding="utf-8")
    result = classify(raw)
    page = atomic_write(tmp_path / "a.html", article_page(raw, result, source=path.name))
    visit = browser.open(page)
    _check(visit)
    assert visit.images == []
    assert result.passages[-1].text.split()[0] in visit.text and "★ evidence 1 of" in visit.text


def test_removed_text_unfolds_on_a_click(tmp_path, browser):
    seed = next(p for p in SEEDS if p.name.startswith("002_"))
    raw = seed.read_text(encoding="utf-8")
    page = atomic_write(tmp_path / "a.html", article_page(raw, classify(raw)))
    assert "Nguồn: [Link nguồn]" not in browser.open(page).text  # folded: not rendered
    summaries = browser.driver.find_elements("css selector", "details.removed > summary")
    assert len(summaries) == 2
    summaries[-1].click()
    text = browser.driver.execute_script("return document.body.innerText")
    assert "Nguồn: [Link nguồn]" in text and "drop_furniture_lines" in text


def test_a_hostile_article_renders_as_text(tmp_path, browser):
    raw = 'Quân Mỹ "><b onmouseover=x> <scr<script>ipt>alert(1)</script> rút khỏi Iraq, a < b > c <script'
    page = atomic_write(tmp_path / "a.html", article_page(raw, classify(raw), title="<img src=x onerror=alert(1)>",
                                                          source="<script>alert(2)</script>"))
    visit = browser.open(page)
    _check(visit)
    assert "<img src=x onerror=alert(1)>" in visit.text and "<script>alert(2)</script>" in visit.text
    assert "a < b > c <script" in visit.text and visit.images == []


def test_the_corpus_report(tmp_path, dantri_tables, browser):
    out = corpus_report(dantri_tables["jsonl"], ["section", "date", "topic"], tmp_path / "report")
    visit = browser.open(out / "index.html")
    _check(visit)
    assert len(visit.images) == 10  # topic mix; 3 + 3 + 2 per field; confidence
    assert all(image["naturalWidth"] == 1000 for image in visit.images)
    assert "Most anti articles" in visit.text and "3 rows could not be classified" in visit.text


def test_the_checks_catch_what_they_look_for(tmp_path, browser):
    # A page of ours with a missing image, a remote image (blocked by the page's policy) and a script (blocked too).
    from stance.views.html import page

    bad = atomic_write(tmp_path / "bad.html", page("x", '<img src="missing.png"><img src="http://192.0.2.1/x.png">'
                                                        "<script>document.title = 'ran'</script>"))
    visit = browser.open(bad)
    messages = " ".join(e["message"] for e in visit.errors)
    assert "missing.png" in messages and "192.0.2.1" in messages and "script" in messages.lower()
    assert [image["naturalWidth"] for image in visit.images] == [0, 0]
    assert browser.driver.title == "x"  # the script did not run
    blank = atomic_write(tmp_path / "blank.html", page("blank", ""))
    assert pixel_std(browser.open(blank).png) < BLANK
