"""Reliability: classify is total, deterministic and well-formed on any text, invariant to the forms of
the same text (Unicode normalisation, white space, HTML, control characters, tone-mark style), copes
with 10 MB, and the hostile battery (``python -m benchmarks.hostile``, run as a command) passes."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stance import STANCE_LABELS, TOPIC_LABELS, classify
from stance.api import Result, pretrained_model
from stance.text import clean as C
from tests.paths import ROOT, SEEDS


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
# The hostile battery (``python -m benchmarks.hostile``), run as the command it is


def hostile(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "benchmarks.hostile", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


SUMMARY = re.compile(r"^(\d+) tried, \1 handled, 0 crashed, 0 rows lost, 0 injected code ran$", re.M)


def test_hostile_battery_cli_and_artefacts():
    proc = hostile("--only", "cli,artefacts", "--quiet")
    assert proc.returncode == 0 and SUMMARY.search(proc.stdout), proc.stdout + proc.stderr
    tried = {line.split()[0]: int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith(("cli ", "artefacts "))}
    assert tried["cli"] >= 20 and tried["artefacts"] >= 20


QUICK_API_CASES = [
    "None", "bytes", "int", "list of str", "empty", "whitespace only", "NUL only", "NUL bytes inside text",
    "lone surrogates", "RTL/bidi overrides", "zalgo combining marks (1 MB)", "unclosed <script> x100k",
    "'<br' without '>' x100k", "'<a' + 1 MB of letters", "unclosed <!-- x100k", "100k newlines",
    "one 1 MB word", "furniture only",
]


def test_hostile_battery_api_quick_cases():
    proc = hostile("--only", "api", *(arg for name in QUICK_API_CASES for arg in ("--case", name)))
    assert proc.returncode == 0 and SUMMARY.search(proc.stdout), proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith(("ok ", "FAIL "))]
    assert len(lines) == len(QUICK_API_CASES) and all(line.startswith("ok ") for line in lines)
    seconds = [float(re.search(r" ([0-9.]+)s  ", line).group(1)) for line in lines]
    assert max(seconds) < 20, lines
    raised = {name for name in QUICK_API_CASES for line in lines if f" {name} " in line and ("TypeError" in line or "ValueError" in line)}
    assert raised == {"None", "bytes", "int", "list of str", "empty", "whitespace only"}


def test_hostile_battery_training_folders():
    proc = hostile("--only", "training", "--quiet")
    assert proc.returncode == 0 and SUMMARY.search(proc.stdout), proc.stdout + proc.stderr
    assert re.search(r"^training\s+5\s+5$", proc.stdout, re.M), proc.stdout


def test_hostile_battery_refuses_unknown_parts_and_cases():
    assert hostile("--only", "nonsense").returncode == 2
    assert hostile("--only", "api", "--case", "no such case").returncode == 2


@pytest.mark.slow
def test_hostile_battery_whole():
    proc = hostile("--only", "api,cli,artefacts,big")
    assert proc.returncode == 0 and SUMMARY.search(proc.stdout), proc.stdout[-3000:] + proc.stderr
    big = [line for line in proc.stdout.splitlines() if line.startswith("ok   big")]
    assert len(big) == 1 and "passages, peak RSS" in big[0]


@pytest.mark.slow
def test_hostile_battery_text():
    proc = hostile("--only", "text", "--quiet")
    assert proc.returncode == 0 and SUMMARY.search(proc.stdout), proc.stdout[-3000:] + proc.stderr
    tried = int(next(line.split()[1] for line in proc.stdout.splitlines() if line.startswith("text ")))
    assert tried >= 60
