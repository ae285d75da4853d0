"""Hypothesis strategies for the compiled-path equivalence tests: random Unicode, Vietnamese-like text, HTML
fragments, page furniture, case oddities (ſ, K, İ, ı, Σ), every kind of white space and line break."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

PROPERTY = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
"""Settings of the properties here (fixed counts, for CI time)."""
FITTING = settings(PROPERTY, max_examples=60)
"""Settings of the properties that fit a vectoriser per example."""

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
          "ph", "qu", "r", "s", "t", "th", "tr", "v", "x", "Đ", "Th", "Ng", "NG", "Qu", "Gi"]
NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uy", "ia", "ua", "ưa", "uô",
          "ươ", "iê", "oai", "uyê", "ươi", "uây", "oă", "A", "Ơ", "Ư", "IÊ"]
CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "NG"]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
SPACES = [" ", " ", " ", "  ", "\t", "\xa0", "\u2009", "\u3000", "\u200b", "\x0b", "\x0c", "\x1c", "\x85"]
BREAKS = ["\n", "\n", "\r\n", "\r", "\u2028", "\u2029", "\n\n", " \n "]
PUNCT = [".", ",", ":", "!", "?", "…", '"', "“", "”", "(", ")", "[", "]", "«", "»", "-", "–", "—", "|", "*",
         "/", "'", "’", "‘", "...", ";", "_", "&", "<", ">"]
ODD = ["İ", "ı", "ſ", "K", "Σ", "ς", "ß", "ẞ", "ǅ", "ð", "Ð", "²", "½", "Ⅻ", "٣", "\u0301", "\u0323\u0302",
       "\ufeff", "\u00ad", "\x00", "\x7f", "\ud800", "😀", "𝐀", "ﬃ", "Å", "Ω", "ǰ", "e\u0301", "o\u031b\u0300"]
# Invisible characters of every kind remove_control_characters deletes (format characters, default-ignorable
# code points, astral ones) and its neighbours it keeps; the marks that count for the pile-up cap only once
# decomposed (Tibetan), and marks that may follow a word.
INVISIBLE = ["\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b", "\u180e", "\u180f", "\u200c",
             "\u2066", "\u2069", "\u206f", "\u2065", "\u3164", "\ufe00", "\ufe0f", "\uffa0", "\ufff0", "\ufff8",
             "\ufff9", "\ufffb", "\ufffc", "\U000110bd", "\U000110cd", "\U00013430", "\U0001bca0", "\U0001d173",
             "\U0001d17a", "\U000e0000", "\U000e0001", "\U000e0041", "\U000e007f", "\U000e0100", "\U000e0fff",
             "\U000e1000", "\u0600", "\u06dd", "\u070f", "\u08e2", "\U0001d17b", "\u1cf7"]
MARKS = ["\u0f73", "\u0f75", "\u0f81", "\u0f71\u0f72", "\u0301", "\u0323", "\u0302\u0301", "\u031b", "\u0300"]
CHAINS = [" Ảnh: AP.", " (Ảnh: Reuters)", ".\u3000Nguồn ảnh\u2003: AP", "Ảnh: AP", " ảnh minh họa: X.", "(AB)- ",
          "(NLĐ) – ", "(IS)- ", "(NATO)- ", "(Kiến Thức) - ", "(x ", " (AB) – ", "(AB)-", "(VOH)—", "\t(AB)- "]
WORDS = ["đường dây nóng", "Hotline", "tổng đài", "Báo lỗi", "vui lòng nhập", "Xin vui lòng", "hãy chọn",
         "gửi bình luận", "Bình luận của bạn", "chia sẻ", "Share", "facebook", "theo dõi", "trên", "Google News",
         "Nguồn", "Theo", "link", "Link nguồn", "Chờ", "Loading", "đang tải", "Tags", "từ khóa", "Từ khoá",
         "Ảnh", "ảnh minh họa", "Photo", "Video", "đồ họa", "Clip", "Nguồn ảnh", "AP", "Reuters", "NLĐ", "VOH",
         "IS", "NATO", "Kiến Thức", "TIN LIÊN QUAN", "Xem thêm", "Tin mới nhất", "GALLERY", "TP.", "Mr.",
         "ông", "bà", "Q.", "W.", "v.v", "hoà", "thuỷ", "luỵ", "baì", "Hoà", "HOÀ", "QUỲNH", "giặt", "quý",
         "Mỹ", "Iraq", "quân", "rút", "khỏi", "José", "Nguyễn", "İstanbul", "ΣΟΦΊΑ", "0943 113 999", "5.000",
         "ſhare", "linK", "tổng\u00a0đài", "báo\tlỗi", "Tác giả"]
HTML = ["<p>", "</p>", "<br>", "<br/>", "<div class='x'>", "</div>", "<b>", "</b>", "&nbsp;", "&amp;", "&lt;",
        "&#39;", "&#x1F600;", "&quot;", "<script>var a = '<p>';</script>", "<style>p{}</style>", "<!-- c -->",
        "<noscript>x</noscript>", "<h2>", "</h2>", "<li>", "<a href='#'>", "</a>", "<!DOCTYPE html>", "<script>",
        "&amp;lt;p&amp;gt;", "<br<br", "a < b", "AT&T"]


@st.composite
def syllable(draw) -> str:
    s = draw(st.sampled_from(ONSETS)) + draw(st.sampled_from(NUCLEI))
    tone = draw(st.sampled_from(TONES))
    if tone:
        # the mark on any vowel of the nucleus (right and wrong placements), NFC or not
        vowels = [i for i, ch in enumerate(s) if ch.lower() in "aăâeêioôơuưy"]
        if vowels:
            i = draw(st.sampled_from(vowels))
            s = s[: i + 1] + tone + s[i + 1:]
    s += draw(st.sampled_from(CODAS))
    form = draw(st.sampled_from(["NFC", "NFC", "NFC", "NFD", "raw"]))
    return s if form == "raw" else unicodedata.normalize(form, s)


def piece():
    return st.one_of(
        syllable(), syllable(), syllable(), syllable(),
        st.sampled_from(SPACES), st.sampled_from(BREAKS), st.sampled_from(PUNCT), st.sampled_from(WORDS),
        st.sampled_from(ODD), st.sampled_from(HTML), st.sampled_from(INVISIBLE),
        st.lists(st.sampled_from(MARKS), min_size=1, max_size=24).map("".join),       # marks, floods
        st.tuples(syllable(), st.sampled_from(MARKS)).map("".join),                     # a word, then a mark
        st.tuples(st.sampled_from(CHAINS), st.integers(1, 40)).map(lambda t: t[0] * t[1]),  # chains
        st.text(max_size=4),                                   # any Unicode
        st.sampled_from(["\ud800", "\udfff"]),                 # lone surrogates
        st.integers(0, 10**6).map(str),
    )


@st.composite
def vi_text(draw, max_pieces: int = 120) -> str:
    parts = draw(st.lists(piece(), max_size=max_pieces))
    out = []
    for p in parts:
        out.append(p)
        if draw(st.booleans()):
            out.append(" ")
    text = "".join(out)
    case = draw(st.sampled_from(["as is", "as is", "upper", "lower", "title"]))
    if case == "upper":
        text = text.upper()
    elif case == "lower":
        text = text.lower()
    elif case == "title":
        text = text.title()
    return text


@st.composite
def furniture_line(draw) -> str:
    templates = [
        "{p}Đường dây nóng: 0943 113 999{s}", "{p}Hotline: (028) 3930 {s}", "Báo lỗi cho {w}", "{p}báo  lỗi",
        "*Vui lòng nhập {w}", "  ** xin vui lòng đăng nhập {w}", "Hãy chọn {w}", "{w} Gửi bình luận {w}",
        "Chia sẻ bài viết {w}", "Share facebook", "{p}Theo dõi {w} trên Google News", "Nguồn: [Link nguồn].",
        "Theo: link", "{w} | ", "Tác giả |", "Chờ...", "Loading…", "Đang tải ..", "Tags: {w}, {w}",
        "Từ khóa: {w}", "{w}. Ảnh: AP", "Ảnh: Reuters", "({w}) Ảnh minh họa: {w}", "{w} Nguồn ảnh: {w}.",
        "(NLĐ)- {w}", "(Kiến Thức) - {w}", "{w} (VOH) – {w}", "{w} (IS) – {w}", "TIN LIÊN QUAN", "Xem thêm:",
        "{w}", "Thanh Hà", "ſhare Zalo", "TAGS : {w}", "{p}TỔNG ĐÀI {s}", "{w}: {w} Photo : X", "{w}video:AP",
        "{w}.{c}", "{c}{w}", "Tin {c}{w}", "{w} (IS) – {c}{w}", "(Tin a) - (x {c}{w}",
    ]
    t = draw(st.sampled_from(templates))
    while "{w}" in t:
        t = t.replace("{w}", draw(st.sampled_from(WORDS + ["Quân Mỹ rút khỏi Iraq", "ông nói"])), 1)
    if "{c}" in t:  # a chain of credits or datelines, mixed, with white space of any kind between
        links = draw(st.lists(st.sampled_from(CHAINS), min_size=1, max_size=4))
        times = draw(st.integers(1, 60))
        sep = draw(st.sampled_from(["", " ", "  ", "\u3000", "\t"]))
        t = t.replace("{c}", sep.join(links) * times)
    t = t.replace("{p}", draw(st.sampled_from(["", "", "Mọi thắc mắc xin gọi ", "x" * 45, "  "])))
    t = t.replace("{s}", draw(st.sampled_from(["", "", " (miễn phí)", " " * 3, "y" * 30])))
    return t


@st.composite
def page(draw) -> str:
    """A scraped page: lines of article text and furniture, in any order."""
    lines = draw(st.lists(st.one_of(vi_text(40), furniture_line(), furniture_line()), min_size=1, max_size=12))
    seps = draw(st.lists(st.sampled_from(BREAKS), min_size=len(lines), max_size=len(lines)))
    return "".join(line + sep for line, sep in zip(lines, seps))


any_text = st.one_of(vi_text(), page(), st.text(max_size=300))
