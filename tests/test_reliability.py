"""Reliability: classify is total, deterministic and well-formed on any text, invariant to the forms of
the same text (Unicode normalisation, white space, HTML, control characters, tone-mark style), copes
with 10 MB, and the hostile battery (``python -m benchmarks.hostile``) passes."""

from __future__ import annotations

import math
import os
import re
import resource
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks import hostile
from stance import STANCE_LABELS, TOPIC_LABELS, classify
from stance.text import clean as C
from stance.text import normalize as N
from stance.api import Result, pretrained_model

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module", autouse=True)
def warm_models():
    """Load the default models once, before any timed or property test."""
    return pretrained_model("topic"), pretrained_model("stance")


# --------------------------------------------------------------------------------------------------
# Text strategies

VI_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
VI_ALPHABET = VI_LETTERS + VI_LETTERS.upper() + "0123456789 .,;:!?…\"“”'()-–/%\n\t"
PIECES = [
    "Quân Mỹ", "rút khỏi Iraq", "hoà bình", "thuỷ quân", "liên luỵ", "NATO", "binh sĩ", "phản đối",
    "Ảnh: AP", "Đường dây nóng: 0943 113 999", "Báo lỗi", "GALLERY MỚI NHẤT", "Tin liên quan",
    "<p>", "</p>", "<br/>", "<b>", "</b>", '<a href="x">', "</a>", "<div class='c'>", "</div>",
    "<script>x()</script>", "<!-- c -->", "<style>p{}</style>", "&amp;", "&nbsp;", "&lt;", "&#7879;",
    "&#x1EC7;", "\x00", "\x07", "\x1b", "\x7f", "\u200b", "\ufeff", "\u202e", "\u00ad", "\u0301", "\u0323",
    "😀", "🇻🇳", "👍🏽", "\u3000", "\u00a0", "\r\n", "\n\n", "\t", "  ", ". ", "|", "ð",
]
page_text = st.one_of(
    st.text(alphabet=VI_ALPHABET, min_size=1, max_size=200),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet=VI_ALPHABET, max_size=12)), min_size=1,
             max_size=30).map("".join),
    st.text(min_size=1, max_size=100),  # anything Unicode
).filter(lambda t: t.strip() != "")


def assert_well_formed(r: Result) -> None:
    assert isinstance(r, Result)
    assert r.topic in TOPIC_LABELS and list(r.topic_scores) == list(pretrained_model("topic").classes_)
    assert set(r.topic_scores) == set(TOPIC_LABELS)
    assert r.stance in STANCE_LABELS and set(r.stance_scores) == set(STANCE_LABELS)
    for scores in [r.topic_scores, r.stance_scores, *(p.stance_scores for p in r.passages)]:
        assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in scores.values()), scores
        assert abs(sum(scores.values()) - 1.0) <= 1e-9, scores
    assert r.passages and [p.index for p in r.passages] == list(range(len(r.passages)))
    assert all(p.stance in STANCE_LABELS and set(p.stance_scores) == set(STANCE_LABELS) for p in r.passages)
    assert all(e in r.passages for e in r.evidence)


# --------------------------------------------------------------------------------------------------
# Properties of classify


@PROPERTY_SETTINGS
@given(text=page_text)
def test_classify_never_raises_is_deterministic_and_well_formed(text):
    first = classify(text)
    assert_well_formed(first)
    assert classify(text) == first


@PROPERTY_SETTINGS
@given(text=page_text)
@example("<b ≯>Quân Mỹ rút</b>")  # NFD: "<b >" + U+0338 + ">" — a different tag unless NFC comes first
@example("Đường dây nóng: 0943 113 999")  # only furniture: the fallback text must be normalised too
@example("Mỹ" + "\u0301\u0323" * 9)  # a pile of marks at the limit of what is kept
def test_classify_is_invariant_to_normalisation_form(text):
    assert classify(unicodedata.normalize("NFC", text)) == classify(unicodedata.normalize("NFD", text))


def _respace(text: str) -> str:
    """The same text with more white space: extra spaces and tabs wherever there is a space or tab,
    CRLF line ends, and blank lines and spaces around it."""
    text = re.sub(r"[ \t]+", lambda m: m.group(0) + "  \t ", text)
    return " \t\r\n" + text.replace("\n", " \r\n\r\n ") + "\n \t"


@PROPERTY_SETTINGS
@given(text=page_text)
def test_classify_is_invariant_to_white_space(text):
    assert classify(text) == classify(_respace(text))


SPACE_CHARS = [" ", "  ", "\t", "\xa0", "\u2003", "\u202f", "\u3000", "\f", "\v", " \t "]
BREAK_CHARS = ["\n", "\r\n", "\r", "\n\n", "\u2028", "\u2029", "\x85", "\r\n \r\n"]
word = st.text(alphabet=VI_LETTERS + VI_LETTERS.upper() + "0123456789.,;:!?…\"“”()-%", min_size=1, max_size=10)


@PROPERTY_SETTINGS
@given(
    lines=st.lists(st.lists(word, min_size=1, max_size=8), min_size=1, max_size=5),
    data=st.data(),
)
def test_any_space_or_line_break_character_separates_words(lines, data):
    # Every Unicode space (form feed and vertical tab included) separates words like a space, and every
    # line break (CR, CRLF, U+2028/9, NEL) separates paragraphs like "\n".
    plain = "\n".join(" ".join(ws) for ws in lines)
    spaced = data.draw(st.sampled_from(BREAK_CHARS)).join(
        "".join(w + data.draw(st.sampled_from(SPACE_CHARS)) for w in ws[:-1]) + ws[-1] for ws in lines
    )
    assert classify(spaced) == classify(plain)


def test_respace_does_what_it_says():
    assert _respace("Quân Mỹ\nrút\tquân") == " \t\r\nQuân   \t Mỹ \r\n\r\n rút\t  \t quân\n \t"


def test_unicode_bounds_behind_the_mark_pileup_limit():
    # clean._MARK_RUN only looks at runs of 4+ combining marks; that is safe because no character's
    # decomposition carries more than 3 marks and no mark decomposes into more than 2 characters.
    marks = [chr(i) for i in range(0x20000) if unicodedata.combining(chr(i))]
    assert max(len(unicodedata.normalize("NFD", m)) for m in marks) <= 2
    assert max(N._decomposed_marks(chr(i)) for i in range(0x30000)) <= 3
    assert not any(unicodedata.combining(chr(i)) for i in range(0x20000, 0x110000))


def test_mark_pileups_are_dropped_the_same_way_in_nfc_and_nfd():
    zalgo = "Quân Mỹ" + "\u0301\u0300\u0323" * 10 + " rút khỏi Iraq."
    out = C.normalize_unicode(zalgo)
    assert out == "Quân My rút khỏi Iraq."
    assert C.normalize_unicode(unicodedata.normalize("NFD", zalgo)) == out
    assert C.normalize_unicode(unicodedata.normalize("NFC", zalgo)) == out
    # At the limit: "ệ" (2 marks when decomposed) + 14 marks = 16 marks: kept, in either form.
    edge = "Vi" + "ệ" + "\u0301" * 14 + "t"
    assert C.normalize_unicode(edge) == C.normalize_unicode(unicodedata.normalize("NFD", edge))
    assert C.normalize_unicode(edge).startswith("Việ")
    over = "Vi" + "ệ" + "\u0301" * 15 + "t"
    assert C.normalize_unicode(over) == C.normalize_unicode(unicodedata.normalize("NFD", over)) == "Viet"


# --------------------------------------------------------------------------------------------------
# A real page, dressed up, gives the same result as the page itself

_TONE_OLD_STYLE = {
    unicodedata.normalize("NFC", f"{v}{t}{w}"): unicodedata.normalize("NFC", f"{v}{w}{t}")
    for v, w in [("o", "a"), ("o", "e"), ("u", "y"), ("O", "A"), ("O", "E"), ("U", "Y")]
    for t in "\u0300\u0301\u0309\u0303\u0323"
}
_TONE_NEW = re.compile(r"(?<![qQ])(" + "|".join(_TONE_OLD_STYLE) + r")(?!\w)")


def old_style_tones(text: str) -> str:
    """hòa -> hoà, khỏe -> khoẻ, thủy -> thuỷ (not after q: "quý" is right as it is)."""
    return _TONE_NEW.sub(lambda m: _TONE_OLD_STYLE[m.group(1)], text)


def dress_up(text: str) -> str:
    """The same page as a scraper might deliver it: HTML around every paragraph, entities, a script
    and a comment, zero-width and control characters inside words, a BOM, old-style tone marks."""
    paragraphs = []
    for k, para in enumerate(text.split("\n")):
        para = para.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        para = para.replace("ệ", "&#7879;").replace("đ", "&#x111;").replace(" Mỹ ", "&nbsp;M\u200by\u0303&nbsp;")
        para = para.replace("Iraq", "I\x00ra\u00adq").replace(", ", ",\x07 ")
        paragraphs.append(f'<p class="p{k}"><span>{para}</span></p>')
    page = "\n".join(paragraphs)
    return f"\ufeff<html><head><script>var a = '<p>Quân Mỹ</p>';</script></head><body>\n{page}\n<!-- end --></body></html>"


def test_dress_up_really_changes_the_page():
    text = SEEDS[3].read_text(encoding="utf-8")
    assert old_style_tones("hòa bình, khỏe, thủy quân, quý, Hòa") == "hoà bình, khoẻ, thuỷ quân, quý, Hoà"
    dressed = dress_up(old_style_tones(text))
    assert "<p " in dressed and "&#7879;" in dressed and "\x00" in dressed and "\u200b" in dressed
    assert old_style_tones(text) != text, "the seed has new-style tone marks to turn into old ones"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_dressed_up_seed_gives_the_same_result(seed):
    text = seed.read_text(encoding="utf-8")
    dressed = unicodedata.normalize("NFD", dress_up(old_style_tones(text)))
    assert C.clean(dressed) == C.clean(text)
    assert classify(dressed) == classify(text)


# --------------------------------------------------------------------------------------------------
# 10 MB


def _peak_rss_reset() -> bool:
    """Reset the kernel's peak-RSS mark for this process (Linux); False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak_rss_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure_big(n_bytes: int = 10_000_000) -> dict[str, float]:
    """Classify ``n_bytes`` of text once; wall time, peak RSS and the RSS it added."""
    text = hostile.big_text(n_bytes)
    size = len(text.encode("utf-8"))
    baseline = _peak_rss_bytes() if _peak_rss_reset() else 0
    start = time.perf_counter()
    result = classify(text)
    seconds = time.perf_counter() - start
    peak = _peak_rss_bytes()
    assert_well_formed(result)
    return {
        "bytes": size,
        "seconds": seconds,
        "peak_rss_mb": peak / 2**20,
        "added_rss_mb": (peak - baseline) / 2**20 if baseline else float("nan"),
        "passages": len(result.passages),
    }


@pytest.mark.slow
def test_ten_megabytes_finishes_within_bounds():
    figures = measure_big()
    print(
        f"\n10 MB: {figures['bytes']:,} bytes, {figures['passages']:,} passages, {figures['seconds']:.1f} s, "
        f"peak RSS {figures['peak_rss_mb']:.0f} MB (+{figures['added_rss_mb']:.0f} MB over the loaded models)"
    )
    assert figures["bytes"] >= 10_000_000
    assert figures["seconds"] < 120
    assert figures["peak_rss_mb"] < 2048


# --------------------------------------------------------------------------------------------------
# The hostile battery


def test_hostile_battery_cli_and_artefacts(tmp_path, capsys):
    report = hostile.run(["cli", "artefacts"], base=tmp_path)
    failed = [o for o in report.outcomes if not o.handled]
    assert not failed, "\n".join(f"{o.category} {o.name}: {o.detail}" for o in failed)
    assert report.rows_lost == 0 and report.injected_ran == 0
    assert not (tmp_path / "INJECTED-CODE-RAN").exists()
    assert sum(o.category == "cli" for o in report.outcomes) >= 20
    assert sum(o.category == "artefacts" for o in report.outcomes) >= 20


QUICK_API_CASES = [
    "None", "bytes", "int", "list of str", "empty", "whitespace only", "NUL only", "NUL bytes inside text",
    "lone surrogates", "RTL/bidi overrides", "zalgo combining marks (1 MB)", "unclosed <script> x100k",
    "'<br' without '>' x100k", "'<a' + 1 MB of letters", "unclosed <!-- x100k", "100k newlines",
    "one 1 MB word", "furniture only",
]


def test_hostile_battery_api_quick_cases():
    outcomes = hostile.run_api(names=QUICK_API_CASES)
    assert sorted(o.name for o in outcomes) == sorted(QUICK_API_CASES)
    failed = [o for o in outcomes if not o.handled]
    assert not failed, "\n".join(f"{o.name}: {o.detail}" for o in failed)
    assert all(o.seconds < 20 for o in outcomes), {o.name: round(o.seconds, 1) for o in outcomes}
    raised = {o.name for o in outcomes if o.detail.startswith(("TypeError", "ValueError"))}
    assert raised == {"None", "bytes", "int", "list of str", "empty", "whitespace only"}


@pytest.mark.slow
def test_hostile_battery_whole(tmp_path):
    report = hostile.run(hostile.PARTS, base=tmp_path)
    assert report.ok, "\n".join(f"{o.category} {o.name}: {o.detail}" for o in report.outcomes if not o.handled)


def test_hostile_main_exit_status(monkeypatch, capsys):
    assert hostile.main(["--only", "artefacts", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^(\d+) tried, \1 handled, 0 crashed, 0 rows lost, 0 injected code ran$", out, re.M), out

    def broken(*args, **kwargs):
        return [hostile.Outcome("artefacts", "x", False, "pretend failure")], 0

    monkeypatch.setattr(hostile, "run_artefacts", broken)
    assert hostile.main(["--only", "artefacts", "--quiet"]) == 1
    assert "1 tried, 0 handled" in capsys.readouterr().out


def test_the_battery_marker_pickle_is_live(tmp_path):
    # The "0 injected code ran" count means something only if the hostile payload does run when a
    # caller trusts it: with trusted=True and a forged, matching manifest, loading creates the marker.
    from stance.persist import load

    marker = tmp_path / "marker"
    payload = tmp_path / "evil.joblib"
    payload.write_bytes(hostile.pickle.dumps(hostile._Marker(str(marker))))
    hostile._write_manifest(payload)
    load(payload, trusted=True)
    assert marker.exists()
