"""The shared page pieces: escaping, the no-script no-network policy, tables, badges and bars."""

from __future__ import annotations

from stance.views.html import CSP, STANCE_COLOURS, badge, esc, page, prob_bars, stance_class, table


def test_escaping_covers_element_text_and_quoted_attributes():
    assert esc("""<a href='x' title="y">&amp;</a>""") == "&lt;a href=&#x27;x&#x27; title=&quot;y&quot;&gt;&amp;amp;&lt;/a&gt;"
    assert esc(None) == "None" and esc(0.5) == "0.5"


def test_every_page_forbids_scripts_and_requests_and_escapes_its_title():
    html = page('</title><script>alert(1)</script>', "<p>x</p>")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert f'content="{CSP}"' in html and "default-src 'none'" in CSP and "img-src data:" in CSP
    assert "<script" not in html and html.count("<title>") == 1


def test_labels_of_other_models_get_a_class_of_their_own_and_are_escaped():
    assert stance_class("pro") == "s-pro" and stance_class('x" onclick="y') == "s-other"
    assert badge("<i>favour</i>") == '<span class="badge s-other">&lt;i&gt;favour&lt;/i&gt;</span>'
    assert set(STANCE_COLOURS) == {"pro", "anti", "neutral", "unrelated"}


def test_probability_bars_are_clamped_and_labelled():
    html = prob_bars({"pro": 1.2, "anti": -0.1, "neutral": 0.125})
    assert 'style="width:100.0%"' in html and 'style="width:0.0%"' in html and 'style="width:12.5%"' in html
    assert ">neutral<" in html and ">0.12<" in html


def test_tables_right_align_numbers_and_mark_rows():
    html = table(["<g>", "n"], [["a", "1"], ["b", "2"]], numeric=[1], row_classes=["", "few"])
    assert "<th>&lt;g&gt;</th><th class=num>n</th>" in html
    assert '<tr class="few"><td>b</td><td class=num>2</td></tr>' in html and "<tr><td>a</td>" in html
