"""Page furniture: small pure ``str -> str`` steps that drop what a scraped page adds around an article.

Photo credits, hotlines and "report an error" prompts, agency datelines, lines repeated verbatim, the block
of other stories appended after the article, and trailing signatures. Each rule is general (the shape of a
kind of line), not a string from one page; each step never raises, keeps NFC text NFC and is idempotent.
They expect normalised text, one paragraph per line (:mod:`stance.text.normalize`), and run in the order of
:data:`stance.text.clean.PIPELINE`.

Examples
--------
>>> drop_furniture_lines(drop_photo_credits("Binh sĩ Mỹ ở Iraq. Ảnh: AP\\nĐường dây nóng: 0943 113 999"))
'Binh sĩ Mỹ ở Iraq.'
"""

from __future__ import annotations

import re

__all__ = [
    "drop_datelines",
    "drop_furniture_lines",
    "drop_photo_credits",
    "drop_repeated_lines",
    "drop_trailing_blocks",
    "drop_trailing_signatures",
]

# --------------------------------------------------------------------------------------------------
# Page furniture: each rule is general (the shape of a kind of line), not a string from one page.

_CREDIT_WORDS = r"(?:nguồn\s+ảnh|ảnh\s+minh\s+họa|ảnh(?:\s+chụp)?|photo|video|đồ\s+họa|clip)"
# A credit at the end of a line: "… Ảnh: AP", "… Nguồn ảnh: Militarytimes." (at most ~6 words).
_CREDIT_SUFFIX = re.compile(
    r"(?:(?<=[.!?…\"”)])|(?<=^))\s*[(\[]?" + _CREDIT_WORDS + r"\s*:\s*[^.:!?\n]{1,60}?[.)\]]?\s*$",
    re.I,
)


# A credit holds at most this many characters that are not white space (bracket, the longest credit
# words, colon, 60 characters of source, closing mark: 73), so the search for the credit that ends a line
# only looks at the line's last _CREDIT_REACH such characters (plus the white space among them).
_CREDIT_REACH = 80


def _credit_search_start(line: str, end: int) -> int:
    """Where a credit ending at ``end`` can start at the earliest: at or before the ``_CREDIT_REACH``-th
    character before ``end`` that is not white space (0 for a short line)."""
    if end <= 2 * _CREDIT_REACH:
        return 0
    start = end - 2 * _CREDIT_REACH
    if len("".join(line[start:end].split())) > _CREDIT_REACH:  # the usual case, counted in C
        return start
    seen = 0
    k = end
    while k > 0:
        k -= 1
        if not line[k].isspace():
            seen += 1
            if seen > _CREDIT_REACH:
                return k + 1
    return 0


def _drop_line_credits(line: str) -> str:
    """``line`` without the credits at its end, each removed (with the white space before it) in turn.

    The line is never copied while the credits are removed: the end moves back, and each search looks
    only at the stretch a credit can span, so a line that is a chain of credits costs linear time.
    """
    end = len(line)
    while line.rfind(":", 0, end) >= 0:  # a credit has a colon: without one there is none left
        m = _CREDIT_SUFFIX.search(line, _credit_search_start(line, end), end)
        if m is None:
            break
        end = m.start()
    while end and line[end - 1].isspace():  # also when nothing was removed, as the step always did
        end -= 1
    return line if end == len(line) else line[:end]


def drop_photo_credits(text: str) -> str:
    """Remove photo-credit lines and credits appended to captions ("… Ảnh: AP").

    A credit can hide another one before it ("… Ảnh: A. Ảnh: B"): they go one after another, from the
    end of the line, in time linear in the length of the line.

    Examples
    --------
    >>> drop_photo_credits("Binh sĩ Mỹ tại Iraq. Ảnh: AP\\nẢnh: Reuters\\nÔng nói.")
    'Binh sĩ Mỹ tại Iraq.\\nÔng nói.'
    >>> drop_photo_credits("Ảnh hưởng: lớn.")
    'Ảnh hưởng: lớn.'
    >>> drop_photo_credits("Quân Mỹ ở Iraq." + " Ảnh: AP." * 3)
    'Quân Mỹ ở Iraq.'
    """
    if ":" not in text:
        return text
    lines = (_drop_line_credits(line) if ":" in line else line for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_FURNITURE = re.compile(
    r"""^(?:
        .{0,40}(?:đường\s+dây\s+nóng|hotline|tổng\s+đài)\s*:?\s*[\d\s.+()-]{6,}.{0,20}   # hotlines
      | .{0,30}báo\s+lỗi.{0,30}                                                           # report an error
      | [*\s]*(?:vui\s+lòng|xin\s+vui\s+lòng|hãy)\s+(?:nhập|điền|chọn|đăng\s+nhập).{0,80}   # form prompts
      | .{0,20}(?:gửi\s+bình\s+luận|viết\s+bình\s+luận|bình\s+luận\s+của\s+bạn|gửi\s+ý\s+kiến).{0,40}
      | .{0,30}(?:chia\s+sẻ|share)\s*(?:bài\s+viết|facebook|zalo|twitter).{0,30}
      | .{0,30}theo\s+dõi\s+.{0,40}\s+trên\s+(?:google\s+news|facebook|zalo|youtube).{0,20}
      | (?:nguồn|theo|source)\s*:?\s*\[?\s*link(?:\s+nguồn)?\s*\]?\.?                      # "Nguồn: [Link nguồn]"
      | [^\s|]{0,20}(?:\s+[^\s|]+){0,4}\s*\|                                              # "Tác giả |" bylines
      | (?:chờ|loading|đang\s+tải)\s*(?:\.{2,}|…)                                         # loaders
      | (?:tags?|từ\s+khóa)\s*:.{0,200}                                                    # tag lists
    )\s*$""",
    re.I | re.X,
)


def drop_furniture_lines(text: str) -> str:
    """Drop lines that are page furniture: hotlines, "report an error", form prompts, bylines, loaders.

    A line is dropped only when the whole line has the shape of furniture; a sentence of the article that
    mentions a hotline in passing is kept.

    Examples
    --------
    >>> drop_furniture_lines("Quân Mỹ rút.\\nĐường dây nóng: 0943 113 999\\nBáo lỗi cho Soha")
    'Quân Mỹ rút.'
    >>> drop_furniture_lines("*Vui lòng nhập đủ thông tin email hoặc số điện thoại\\nÔng nói.")
    'Ông nói.'
    """
    return "\n".join(line for line in text.split("\n") if line and not _FURNITURE.match(line))


# An agency or outlet dateline: "(NLĐ)- ", "(VOH) – ", "(Kiến Thức) - ". A short name in parentheses
# opening a paragraph, or a code of capitals in its first 300 characters (VNTC runs the title into the
# body, so the dateline follows the title on the same line).
_DATELINE_OPENING = re.compile(r"^(?:\(\s*[^\W\d_][^()\n]{0,20}\)\s*[-–—]+\s*)+")
_DATELINE_CODE = re.compile(r"\s*\(\s*([A-ZĐ]{2,6})\s*\)\s*[-–—]+\s*")
_CODE_WINDOW = 300  # datelines are looked for in the first 300 characters of a line
_NOT_DATELINES = frozenset({"IS", "ISIS", "NATO", "EU", "UN", "LHQ", "WHO", "WTO", "ASEAN", "USD", "VND"})


_DASHES = "-–—"
_LEADING_SPACE = re.compile(r"\s*")


def _openings_end(s: str, start: int, stop: int) -> tuple[int, int]:
    """Where the datelines that open ``s[start:stop]`` end (``start`` if none), as ``_DATELINE_OPENING``
    matches them, and the furthest index the match looked at (``stop`` if it ran into the end)."""
    end = pos = start
    while True:
        i = pos
        if i >= stop or s[i] != "(":
            return end, i
        i += 1
        while i < stop and s[i].isspace():
            i += 1
        if i >= stop or not s[i].isalnum() or s[i].isdecimal():  # [^\W\d_]: a letter
            return end, i
        i += 1
        j = i
        while j < stop and j - i < 20 and s[j] not in "()\n":
            j += 1
        if j >= stop or s[j] != ")":
            return end, j
        i = j + 1
        while i < stop and s[i].isspace():
            i += 1
        k = i
        while i < stop and s[i] in _DASHES:
            i += 1
        if i == k:
            return end, i
        while i < stop and s[i].isspace():
            i += 1
        end = pos = i


def _char_at(head: str, line: str, off: int, stop: int, k: int) -> str:
    """The ``k``-th character of ``head + line[off:stop]`` ("" past its end)."""
    if k < len(head):
        return head[k]
    k += off - len(head)
    return line[k] if k < stop else ""


def _drop_dateline(line: str) -> str:
    """The datelines of one line removed: the openings, then each code in the first 300 characters.

    The line being cut is held as a short head (``head``, at most 301 characters) followed by
    ``line[off:stop]``, so that removing a dateline never copies the rest of the line: a line that is a
    chain of datelines costs linear time. The result is the same as removing them one by one from the
    whole string (a dateline becomes one space, none next to white space; strip; drop the openings again;
    search again from the start).
    """
    head, off, stop = "", _openings_end(line, 0, len(line))[0], len(line)
    removed = False
    pos = 0
    while True:
        window = head[:_CODE_WINDOW] if len(head) >= _CODE_WINDOW else (
            head + line[off : min(stop, off + _CODE_WINDOW - len(head))])
        m = _DATELINE_CODE.search(window, pos)
        if m is None:
            break
        if m.group(1) in _NOT_DATELINES:
            pos = m.end()
            continue
        # A dateline ending at the 300th character takes the white space after it too (else the line would
        # keep two spaces there, which the next clean collapses, moving a further dateline into the window).
        end = m.end()
        if end == len(window):
            while _char_at(head, line, off, stop, end).isspace():
                end += 1
        # One space where the dateline was, unless white space already stands before it (after an
        # exception such as "(IS)- ") or nothing stands on either side of it.
        before = window[m.start() - 1 : m.start()]
        after = _char_at(head, line, off, stop, end)
        space = " " if before and after and not before.isspace() and not after.isspace() else ""
        if end <= len(head):
            head = head[: m.start()] + space + head[end:]
        else:
            off += end - len(head)
            head = window[: m.start()] + space
        if not removed:  # the line is stripped at each removal: its right end once and for all
            removed = True
            stop = len(line.rstrip())
        if off >= stop:
            off, head = stop, head.rstrip()
        head = head.lstrip()
        if not head:
            off = _LEADING_SPACE.match(line, off, stop).end()
            end = _openings_end(line, off, stop)[0]
            off = end
        elif head[0] == "(":  # the openings may run on from the head into the rest of the line
            reach = 64
            while True:
                local = head + line[off : min(stop, off + reach)]
                end, looked = _openings_end(local, 0, len(local))
                if looked < len(local) or off + reach >= stop:
                    break
                reach *= 2
            if end <= len(head):
                head = head[end:]
            else:
                off, head = off + end - len(head), ""
        pos = 0
    return head + line[off:stop] if removed or off else line


def drop_datelines(text: str) -> str:
    """Remove agency / outlet datelines such as "(NLĐ)- " or "(VOH) – " from paragraph openings.

    They name the publisher, not the story, and would teach a model the outlet instead of the topic.

    Examples
    --------
    >>> drop_datelines("Thành lập dự án POLICY (NLĐ)- Quỹ hỗ trợ khẩn cấp vừa thành lập dự án.")
    'Thành lập dự án POLICY Quỹ hỗ trợ khẩn cấp vừa thành lập dự án.'
    >>> drop_datelines("(Kiến Thức) - Chính phủ Iraq vừa ra tối hậu thư.")
    'Chính phủ Iraq vừa ra tối hậu thư.'
    >>> drop_datelines("Nhà nước Hồi giáo (IS) – nhóm cực đoan; ông A (56 tuổi) - người dân")
    'Nhà nước Hồi giáo (IS) – nhóm cực đoan; ông A (56 tuổi) - người dân'
    """
    if "(" in text:  # the usual case, a page without any, costs one scan
        lines = (_drop_dateline(line) if "(" in line[:300] else line for line in text.split("\n"))
        text = "\n".join(line for line in lines if line)
    return text


def drop_repeated_lines(text: str) -> str:
    """Keep only the first copy of a line repeated verbatim (captions printed twice, repeated titles).

    Examples
    --------
    >>> drop_repeated_lines("Tiêu đề\\nTiêu đề\\nNội dung.\\nChú thích.\\nChú thích.")
    'Tiêu đề\\nNội dung.\\nChú thích.'
    """
    seen: set[str] = set()
    kept = []
    for line in text.split("\n"):
        if line in seen:
            continue
        seen.add(line)
        kept.append(line)
    return "\n".join(kept)


_TRAILING_HEADER = re.compile(
    r"""^[\W_]*(?:
        (?:gallery|video|ảnh|tin|bài(?:\s+viết)?|clip)?\s*(?:mới\s+nhất|liên\s+quan|khác|nổi\s+bật|đọc\s+nhiều|xem\s+nhiều)
      | tin\s+cùng\s+chuyên\s+mục | cùng\s+chuyên\s+mục | xem\s+thêm | đọc\s+thêm | có\s+thể\s+bạn\s+quan\s+tâm
      | bạn\s+có\s+thể\s+quan\s+tâm | tin\s+tức\s+liên\s+quan | bài\s+cùng\s+chủ\s+đề | tiêu\s+điểm
      | gallery | related(?:\s+(?:news|stories|articles))? | more\s+stories | read\s+more
    )[\W_]*$""",
    re.I | re.X,
)


def drop_trailing_blocks(text: str) -> str:
    """Cut the block of other stories that pages append after the article ("GALLERY MỚI NHẤT", "Tin liên
    quan", "Xem thêm" ...).

    The cut happens at a short header line of that kind that stands after the first paragraph; the
    header and everything after it go.

    Examples
    --------
    >>> drop_trailing_blocks("Quân Mỹ rút.\\nÔng nói.\\nTIN LIÊN QUAN\\nLàng hương ngày Tết")
    'Quân Mỹ rút.\\nÔng nói.'
    """
    lines = text.split("\n")
    for k in range(1, len(lines)):
        if len(lines[k]) <= 40 and _TRAILING_HEADER.match(lines[k]):
            return "\n".join(lines[:k])
    return text


_SENTENCE_END = frozenset('.!?…"”»)')


def drop_trailing_signatures(text: str) -> str:
    """Drop short lines without sentence punctuation at the end of the page (author, outlet, site name).

    Lines of at most four words that do not end a sentence are removed from the end, one after another;
    the first paragraph is always kept.

    Examples
    --------
    >>> drop_trailing_signatures("Quân Mỹ rút khỏi Iraq.\\nThanh Hà\\nSoha")
    'Quân Mỹ rút khỏi Iraq.'
    >>> drop_trailing_signatures("Quân Mỹ rút khỏi Iraq.\\nÔng nói: có.")
    'Quân Mỹ rút khỏi Iraq.\\nÔng nói: có.'
    """
    lines = text.split("\n")
    end = len(lines)
    while end > 1 and lines[end - 1].count(" ") < 4 and lines[end - 1][-1:] not in _SENTENCE_END:
        end -= 1
    return text if end == len(lines) else "\n".join(lines[:end])
