"""Texts that look like scraped pages, for hypothesis: Vietnamese letters in both tone styles, NFD pieces,
HTML bits, furniture words, line breaks and odd spaces."""

from hypothesis import strategies as st

_PIECES = st.sampled_from(
    [
        "Quân Mỹ", "hoà bình", "thuỷ", "luỵ", "Ảnh: AP", "Đường dây nóng: 0943 113 999", "<p>", "</b>",
        "&amp;", "&nbsp;", "\n", "\n\n", "  ", "\u00a0", "\u200b", "Vie\u0302\u0323t", ". ", "GALLERY MỚI NHẤT",
        "Báo lỗi", "Tin liên quan", "|", "…", "“", "Iraq", "NATO", "rút quân", "\r\n", "\t", "ð",
        "(NLĐ)- ", "(Kiến Thức) - ", "(", ")", "–", "(IS)",
    ]
)
page_text = st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=30).map("".join))
