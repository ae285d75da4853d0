"""Decoding the bytes of a user document: encodings, byte-order marks, UTF-16 and Windows-1258.

Files handed to the ``stance`` command come from scrapers and old corpora, so they arrive in several
encodings. :func:`decode_document` returns NFC-composed text, or refuses the bytes with a
:class:`DocumentError` that names the source and says why. It never guesses silently: text is only
returned when the bytes decode completely and strictly in one of the supported encodings.

Decision order (first match wins):

1. 0 bytes: refused as empty.
2. Byte-order mark: UTF-8 (``EF BB BF``), UTF-32 LE/BE, UTF-16 LE/BE.  The rest
   of the file must decode strictly in that encoding.
3. NUL bytes present: the file is UTF-16 without a BOM if almost all NULs sit
   at odd offsets (little-endian) or at even offsets (big-endian), at least
   one code unit in ten is NUL there (ASCII letters, digits, spaces and
   Latin-1 letters of Vietnamese text all have a zero high byte), the bytes
   decode strictly and the result holds no control characters, surrogates or
   unassigned code points.  Otherwise the file is refused as binary data.
4. Strict UTF-8.
5. Windows-1258 (``cp1258``), only if the bytes are not mostly valid UTF-8
   (a file in which valid UTF-8 multi-byte sequences outnumber invalid bytes
   is damaged UTF-8, not Windows-1258), decode strictly, hold no control
   characters, and the NFC-composed result looks Vietnamese: at least half of
   the non-space characters are letters, at least 8 % of the letters are
   accented Vietnamese letters (``ă â đ ê ô ơ ư`` and the toned vowels), and
   non-Vietnamese accented letters plus tone marks left uncomposed (a tone on
   a consonant) are at most 2 % of the accented letters.
6. Otherwise refused, naming the byte offset at which UTF-8 decoding failed.

The returned text is the file's content, NFC-normalised, with line endings
and everything else untouched; a text that is empty or whitespace only after
decoding is refused, and so is any text containing U+0000.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["DocumentError", "decode_document"]

_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
#: The 134 accented letters of Vietnamese (both cases), NFC-composed.
_VIETNAMESE_ACCENTED = frozenset(
    letter
    for base in "aăâeêioôơuưy"
    for tone in _TONES
    for composed in [unicodedata.normalize("NFC", base + tone)]
    for letter in (composed, composed.upper())
    if not composed.isascii()
) | frozenset("đĐ")

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 marks first: FF FE 00 00 also starts with the UTF-16 LE mark.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

# Share thresholds of the heuristics described in the module docstring.
_UTF16_MIN_NUL_UNITS = 0.10
_UTF16_MAX_WRONG_SIDE = 0.05
_CP1258_MIN_LETTER_SHARE = 0.50
_CP1258_MIN_VIETNAMESE_SHARE = 0.08
_CP1258_MAX_FOREIGN_SHARE = 0.02
_CP1258_MAX_UTF8_SHARE = 0.10

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


class DocumentError(ValueError):
    """A document that cannot be read or decoded.

    Parameters
    ----------
    path : str
        The file (or other source name) that was refused.
    reason : str
        Why it was refused, e.g. ``"is empty (0 bytes)"``.

    Examples
    --------
    >>> err = DocumentError("a.txt", "is empty (0 bytes)")
    >>> str(err)
    'a.txt: is empty (0 bytes)'
    >>> isinstance(err, ValueError), err.path, err.reason
    (True, 'a.txt', 'is empty (0 bytes)')
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[DocumentError], tuple[str, str]]:
        return (type(self), (self.path, self.reason))


def decode_document(data: bytes, *, name: str = "<bytes>") -> str:
    """Decode the bytes of a document as :func:`stance.text.io.read_document` does.

    Useful for input that is not a file, such as standard input.

    Parameters
    ----------
    data : bytes
        The raw content.
    name : str, default "<bytes>"
        How error messages name the source.

    Returns
    -------
    str
        The decoded, NFC-normalised text.

    Raises
    ------
    DocumentError
        If the bytes are empty, whitespace only, binary, or not decodable
        in a supported encoding.
    TypeError
        If ``data`` is not bytes-like.

    Examples
    --------
    >>> decode_document("Quân đội Mỹ".encode("utf-8-sig"))
    'Quân đội Mỹ'
    >>> decode_document("Hà Nội".encode("utf-8")[:-2], name="cut.txt")  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    stance.text.decode.DocumentError: cut.txt: cannot decode: not valid UTF-8 at byte offset 5
    (byte 0xE1: unexpected end of data), and not recognisable as UTF-16 ... damaged UTF-8)
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"{name}: data must be bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data:
        raise DocumentError(name, "is empty (0 bytes)")
    text = _decode(data, name)
    nul = text.find("\x00")
    if nul >= 0:
        raise DocumentError(
            name, f"contains NUL characters (first at character {nul}); looks like binary data"
        )
    if not text.strip():
        raise DocumentError(name, "contains only whitespace")
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, name: str) -> str:
    """Decode ``data`` (non-empty) or raise; returns text not yet NFC-normalised."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    name,
                    f"cannot decode: starts with a {label} byte-order mark but is not valid "
                    f"{label} at byte offset {exc.start + len(bom)} ({exc.reason})",
                ) from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise DocumentError(
                name,
                f"looks like binary data: {data.count(0)} NUL bytes (first at byte offset "
                f"{data.index(0)}) and not recognisable as UTF-16 text",
            )
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text, why_not = _cp1258(data)
    if text is not None:
        return text
    bad = data[utf8_error.start]
    raise DocumentError(
        name,
        f"cannot decode: not valid UTF-8 at byte offset {utf8_error.start} "
        f"(byte 0x{bad:02X}: {utf8_error.reason}), and not recognisable as UTF-16 "
        f"(no byte-order mark, no NUL bytes) or as Windows-1258 Vietnamese ({why_not})",
    )


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) % 2:
        return None
    units = len(data) // 2
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    high, low = max(nul_even, nul_odd), min(nul_even, nul_odd)
    if high < _UTF16_MIN_NUL_UNITS * units or low > _UTF16_MAX_WRONG_SIDE * high:
        return None
    codec = "utf-16-le" if nul_odd > nul_even else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cs", "Cn") or (category == "Cc" and not char.isspace()):
            return None
    return text


def _cp1258(data: bytes) -> tuple[str | None, str]:
    """Return ``(text, "")`` if ``data`` is Windows-1258 Vietnamese, else ``(None, why not)``."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED_BYTE.findall(escaped))
    valid = len(_NON_ASCII.findall(escaped))
    if valid > _CP1258_MAX_UTF8_SHARE * (valid + invalid):
        return None, (
            f"{valid} valid UTF-8 multi-byte sequences against {invalid} invalid bytes: "
            "damaged UTF-8"
        )
    try:
        raw = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        return None, f"byte 0x{data[exc.start]:02X} at offset {exc.start} is undefined there"
    text = unicodedata.normalize("NFC", raw)
    letters = 0
    vietnamese = 0
    foreign = 0
    visible = 0
    for char in text:
        if char.isspace():
            continue
        visible += 1
        category = unicodedata.category(char)
        if category == "Cc":
            return None, f"control character U+{ord(char):04X}"
        if char.isalpha():
            letters += 1
            if char in _VIETNAMESE_ACCENTED:
                vietnamese += 1
            elif not char.isascii():
                foreign += 1
        elif category == "Mn":
            foreign += 1  # a tone mark that did not compose with a vowel
    if letters < _CP1258_MIN_LETTER_SHARE * visible:
        return None, f"only {letters} of {visible} visible characters are letters"
    if vietnamese < _CP1258_MIN_VIETNAMESE_SHARE * letters:
        return None, f"only {vietnamese} of {letters} letters are Vietnamese accented letters"
    if foreign > _CP1258_MAX_FOREIGN_SHARE * (vietnamese + foreign):
        return None, (
            f"{foreign} non-Vietnamese accented letters or stray tone marks "
            f"against {vietnamese} Vietnamese ones"
        )
    return text, ""
