"""Normalising steps: a table of cases per step, hypothesis properties for all, and underthesea as the
reference for tone-mark placement."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.text import normalize as N

from .pages import step_tests

CASES = {
    N.normalize_unicode: [
        ("Vie\u0302\u0323t Nam", "Việt Nam"),
        ("ðường Ðông", "đường Đông"),
        ("plain ascii", "plain ascii"),
    ],
    N.strip_html: [
        ("<p>Quân Mỹ</p><p>rút</p>", "\nQuân Mỹ\n\nrút\n"),
        ("Mỹ &amp; Iraq&nbsp;đàm phán", "Mỹ & Iraq đàm phán"),
        ("<script>var x = 1;</script>Tin chính", " Tin chính"),
        ("a < b và c > d", "a < b và c > d"),
        ("AT&T và R&D", "AT&T và R&D"),
        ("&lt;b&gt;đậm&lt;/b&gt;", "đậm"),
        ("Hà Nội<br/>TP.HCM", "Hà Nội\nTP.HCM"),
    ],
    N.remove_control_characters: [
        ("Mỹ\u200b rút", "Mỹ rút"),
        ("a\x00b\x07c", "abc"),
        ("giữ\ttab\nvà dòng", "giữ\ttab\nvà dòng"),
        ("\ufeffBOM", "BOM"),
        # Every invisible character goes, whatever its kind (expected output typed by hand):
        ("M\u2066ỹ\u2069 r\u2067ú\u2068t", "Mỹ rút"),  # bidi isolates
        ("Qu\u061cân", "Quân"),  # Arabic letter mark
        ("Ira\u180eq", "Iraq"),  # Mongolian vowel separator
        ("bi\u034fnh", "binh"),  # combining grapheme joiner
        ("s\ufe0fĩ\ufe00", "sĩ"),  # variation selectors
        ("qu\U000e0100ân", "quân"),  # variation selector supplement
        ("M\U000e0001\U000e004d\U000e0059\U000e007fỹ", "Mỹ"),  # tag characters
        ("ph\u200c\u200dản", "phản"),  # zero-width non-joiner and joiner
        ("đ\u202eối\u202c", "đối"),  # bidi override and pop
        ("Nga\u2060\u2061\u2062\u2063\u2064\u206a\u206f", "Nga"),  # word joiner, invisible operators, deprecated
        ("Mỹ\u3164rút\uffa0\u115f\u1160", "Mỹrút"),  # Hangul fillers
        ("\u17b4\u17b5Tin\u180b\u180f", "Tin"),  # Khmer inherent vowels, Mongolian variation selectors
        ("\u0600\u06dd\u070f\u08e2\U000110bd\U0001bca0\U0001d173a", "a"),  # other format characters
        ("\ud800x\udfff", "x"),  # lone surrogates
        ("giữ\u00a0dấu cách\u2028và\u0085dòng\r", "giữ\u00a0dấu cách\u2028và\u0085dòng\r"),  # visible: kept
        ("A\x1f\u0300", "\u00c0"),  # a removal joining a letter and its mark: recomposed (NFC in, NFC out)
    ],
    N.normalize_tone_marks: [
        ("hoà bình", "hòa bình"),
        ("thuỷ quân", "thủy quân"),
        ("liên luỵ", "liên lụy"),
        ("HOÀ THUỶ", "HÒA THỦY"),
        ("Hoà", "Hòa"),
        ("baì", "bài"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("quý giá già", "quý giá già"),  # qu- and gi- onsets: tone already right
        ("hoàn toàn thuyết", "hoàn toàn thuyết"),  # coda or marked vowel: unchanged
        ("người thuở", "người thuở"),
        ("José Hoà", "José Hòa"),
        ("ngoáy khuỷu", "ngoáy khuỷu"),
        ("UÒ\u0300 hoà\u0301", "UÒ\u0300 hoà\u0301"),  # a stray mark after the word: moving the tone would un-NFC it
    ],
    N.normalize_whitespace: [
        ("  a   b  ", "a b"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\n\n\n b", "a\nb"),
        ("a\u00a0\u2009b", "a b"),
        ("", ""),
    ],
}


test_step_table, test_step_properties = step_tests(CASES, makes_nfc=[N.normalize_unicode])


# ---------------------------------------------------------------------------------------------
# Piles of combining marks


def test_unicode_bounds_behind_the_mark_pileup_limit():
    # clean._MARK_RUN only looks at runs of 4+ combining marks; that is safe because no character's
    # decomposition carries more than 3 marks and no mark decomposes into more than 2 characters.
    marks = [chr(i) for i in range(0x20000) if unicodedata.combining(chr(i))]
    assert max(len(unicodedata.normalize("NFD", m)) for m in marks) <= 2
    assert max(N._decomposed_marks(chr(i)) for i in range(0x30000)) <= 3
    assert not any(unicodedata.combining(chr(i)) for i in range(0x20000, 0x110000))


def test_every_format_and_default_ignorable_character_is_removed():
    # Category Cf from Python's Unicode database (all planes) and the Default_Ignorable_Code_Point ranges
    # of Unicode's DerivedCoreProperties.txt, written out here independently of the module's table.
    ignorable = [(0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
                 (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
                 (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
                 (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF)]
    invisible = {i for i in range(0x110000) if unicodedata.category(chr(i)) == "Cf"}
    invisible |= {i for a, b in ignorable for i in range(a, b + 1)}
    text = "".join(map(chr, sorted(invisible)))
    assert N.remove_control_characters("Mỹ" + text + "rút") == "Mỹrút"
    # ... and nothing visible or spacing goes: letters, marks of other classes, spaces, line breaks.
    kept = "".join(chr(i) for i in range(0xA0, 0x30000) if i not in invisible and not 0xD800 <= i <= 0xDFFF)
    assert N.remove_control_characters(kept) == kept


def test_tibetan_vowel_signs_count_as_marks():
    # U+0F73, U+0F75, U+0F81 decompose into two marks each (classes 129-132): a flood of them on one
    # letter is a pile-up like any other.
    for sign in "\u0f73\u0f75\u0f81":
        assert unicodedata.combining(unicodedata.normalize("NFD", sign)[0]) > 0
        assert N.normalize_unicode("Mỹ" + sign * 9 + " rút") == "My rút"  # 18 marks once decomposed
        assert N.normalize_unicode("ka" + sign * 8 + " rút") == unicodedata.normalize("NFC", "ka" + sign * 8 + " rút")


def test_mark_pileups_are_dropped_the_same_way_in_nfc_and_nfd():
    zalgo = "Quân Mỹ" + "\u0301\u0300\u0323" * 10 + " rút khỏi Iraq."
    out = N.normalize_unicode(zalgo)
    assert out == "Quân My rút khỏi Iraq."
    assert N.normalize_unicode(unicodedata.normalize("NFD", zalgo)) == out
    assert N.normalize_unicode(unicodedata.normalize("NFC", zalgo)) == out
    # At the limit: "ệ" (2 marks when decomposed) + 14 marks = 16 marks: kept, in either form.
    edge = "Vi" + "ệ" + "\u0301" * 14 + "t"
    assert N.normalize_unicode(edge) == N.normalize_unicode(unicodedata.normalize("NFD", edge))
    assert N.normalize_unicode(edge).startswith("Việ")
    over = "Vi" + "ệ" + "\u0301" * 15 + "t"
    assert N.normalize_unicode(over) == N.normalize_unicode(unicodedata.normalize("NFD", over)) == "Viet"


# ---------------------------------------------------------------------------------------------
# underthesea as the reference for tone-mark placement

underthesea_tn = pytest.importorskip("underthesea.pipeline.text_normalize.text_normalizer")

# underthesea's table disagrees with itself on these (it maps "hoà" to "hòa" but "lòa" to "loà"):
UNDERTHESEA_INCONSISTENT = {"lòa", "nòa", "Lòa", "LÒA", "Nòa", "NÒA"}


def _skeleton(word: str) -> tuple[str, list[int]]:
    letters, tones = [], []
    for ch in word:
        base, tone = N._VOWEL_TONE.get(ch, (ch, 0))
        letters.append(base)
        if tone:
            tones.append(tone)
    return "".join(letters), tones


def _tone_moves():
    for src, dst in underthesea_tn.token_map.items():
        src = unicodedata.normalize("NFC", src)
        if src != dst and _skeleton(src) == _skeleton(dst) and src not in UNDERTHESEA_INCONSISTENT:
            yield src, dst


TONE_MOVES = sorted(_tone_moves())


def test_tone_table_agrees_with_underthesea():
    assert len(TONE_MOVES) > 2000
    disagreements = [(s, d, N.normalize_tone_marks(s)) for s, d in TONE_MOVES if N.normalize_tone_marks(s) != d]
    assert disagreements == []


def _underthesea_token(word: str) -> str:
    from underthesea import text_normalize

    return text_normalize(word)


# Words whose underthesea mapping is a pure tone move (it also fixes spellings, "Nghoé" -> "Ngóe",
# which is not this step's job).
_SYLLABLES = sorted(
    w
    for w in {w for pair in TONE_MOVES for w in pair} | {"quân", "Mỹ", "Iraq", "rút", "khỏi", "người"}
    if _skeleton(_underthesea_token(w)) == _skeleton(w) and _underthesea_token(w) not in UNDERTHESEA_INCONSISTENT
)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=12))
def test_fast_path_matches_underthesea_text_normalize(words):
    from underthesea import text_normalize

    text = " ".join(words)
    assert N.normalize_tone_marks(text) == text_normalize(text)


# ---------------------------------------------------------------------------------------------
# Invisible characters inside words: what a model reads is the clean text


def test_words_split_by_invisible_characters_classify_like_the_clean_words():
    import itertools
    import re

    from stance.api import classify
    from stance.text.clean import clean
    from tests.paths import SEEDS

    invisible = ["\u2066", "\u2069", "\u061c", "\u180e", "\u034f", "\ufe0f", "\U000e0100", "\U000e0041", "\u200d"]
    turn = itertools.count()
    for seed in SEEDS[:2]:
        text = seed.read_text(encoding="utf-8")
        split = re.sub(r"\w{2,}", lambda m: m.group()[0] + invisible[next(turn) % len(invisible)] + m.group()[1:], text)
        assert split.count("\u2066") > 50  # every word of the article is split
        assert clean(split) == clean(text)
        plain, hostile = classify(text), classify(split)
        assert (hostile.topic, hostile.stance) == (plain.topic, plain.stance)
        assert hostile.topic_scores == plain.topic_scores and hostile.stance_scores == plain.stance_scores
        assert [p.text for p in hostile.passages] == [p.text for p in plain.passages]
