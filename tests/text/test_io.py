"""Tests for stance.textio: decoding user documents and walking folders of them.

Texts are real Vietnamese news sentences taken from ``seeds/*.txt``; expected
values are the NFC originals, and byte strings for Windows-1258 and UTF-16 are
also written out by hand for short phrases.
"""

from __future__ import annotations

import codecs
import os
import pickle
import random
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stance.text import io as textio
from stance.text.decode import DocumentError, decode_document
from stance.text.io import DocumentRecord, iter_documents, read_document
from tests.paths import SEEDS


# Sentences copied from seeds/000..004 (NFC, as stored there).
SENTENCES = (
    "Mỹ tìm kiếm trợ giúp từ NATO để chiến đấu với IS",
    "NATO được cho là sẽ tăng cường sự hiện diện ở Iraq bằng cách tái điều phối "
    "các lực lượng liên minh do Hoa Kỳ lãnh đạo.",
    "Binh sĩ Mỹ đứng bên ngoài xe bọc thép tại một căn cứ quân sự ở Iraq năm 2019. Ảnh: AP",
    'Iraq muốn "tự lực" đánh IS mà không cần dựa dẫm vào Mỹ',
    "Một người phát ngôn Bộ Ngoại Giao nói Mỹ không muốn thấy Nga chuyển “công thức” "
    "của họ ở Syria tới Iraq.",
)
DOCUMENT = "\n\n".join(SENTENCES) + "\n"

_SHAPE_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn: precomposed in Windows-1258


def to_cp1258(text: str) -> bytes:
    """Encode as Windows does for Vietnamese: shaped vowel precomposed, tone as combining mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        shape = "".join(m for m in marks if m in _SHAPE_MARKS)
        tone = "".join(m for m in marks if m not in _SHAPE_MARKS)
        out += unicodedata.normalize("NFC", base + shape).encode("cp1258")
        out += tone.encode("cp1258")
    return bytes(out)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


ENCODERS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "utf-16-be-no-bom": lambda t: t.encode("utf-16-be"),
    "utf-32-bom": lambda t: t.encode("utf-32"),
    "cp1258": to_cp1258,
    "nfd-utf-8": lambda t: nfd(t).encode("utf-8"),
    "nfd-utf-8-bom": lambda t: nfd(t).encode("utf-8-sig"),
    "nfd-utf-16-bom": lambda t: nfd(t).encode("utf-16"),
}


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- encodings


def test_cp1258_helper_matches_hand_encoded_bytes() -> None:
    # ê = 0xEA, dot below = 0xF2, â = 0xE2, đ = 0xF0, ô = 0xF4, tilde = 0xDE (Windows-1258 table)
    assert to_cp1258("Việt Nam") == b"Vi\xea\xf2t Nam"
    assert to_cp1258("Quân đội Mỹ") == b"Qu\xe2n \xf0\xf4\xf2i My\xde"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Vi\xea\xf2t Nam", "Việt Nam"),
        (b"Qu\xe2n \xf0\xf4\xf2i My\xde", "Quân đội Mỹ"),
        (b"\xef\xbb\xbfM\xe1\xbb\xb9", "Mỹ"),  # UTF-8 BOM + U+1EF9
        (b"\xfe\xff\x00M\x1e\xf9", "Mỹ"),  # UTF-16 BE BOM
        (b"\xff\xfeM\x00\xf9\x1e", "Mỹ"),  # UTF-16 LE BOM
        (b"H\x00a\x00 \x00N\x00\xd9\x1ei\x00", "Ha Nội"),  # UTF-16 LE, no BOM
        (b"\x00H\x00a\x00 \x00N\x1e\xd9\x00i", "Ha Nội"),  # UTF-16 BE, no BOM
        (b"Vie\xcc\xa3\xcc\x82t", "Việt"),  # NFD UTF-8: e + dot below + circumflex
        (b"Ha\xcc\x80 No\xcc\x82\xcc\xa3i\r\n", "Hà Nội\r\n"),  # line endings are kept
    ],
    ids=["cp1258", "cp1258-2", "utf8-bom", "utf16be-bom", "utf16le-bom", "utf16le", "utf16be",
         "nfd", "nfd-crlf"],
)
def test_hand_written_bytes(tmp_path: Path, data: bytes, expected: str) -> None:
    assert read_document(write(tmp_path, "doc.txt", data)) == expected


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
@pytest.mark.parametrize("text", [*SENTENCES, DOCUMENT], ids=[f"s{i}" for i in range(6)])
def test_sentences_in_every_encoding(tmp_path: Path, encoding: str, text: str) -> None:
    path = write(tmp_path, "doc.txt", ENCODERS[encoding](text))
    result = read_document(path)
    assert result == text
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_whole_seed_files_in_every_encoding(tmp_path: Path, encoding: str, seed: Path) -> None:
    original = seed.read_text(encoding="utf-8")
    assert read_document(write(tmp_path, "doc.txt", ENCODERS[encoding](original))) == original


def test_seeds_are_present() -> None:
    assert len(SEEDS) >= 5


def test_accepts_pathlike_and_str(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.txt", SENTENCES[0].encode())
    assert read_document(str(path)) == read_document(path) == SENTENCES[0]


def test_decode_document_rejects_str() -> None:
    with pytest.raises(TypeError, match="must be bytes"):
        decode_document(SENTENCES[0])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- refusals


def refusal(path: Path) -> str:
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert info.value.path == str(path)
    return message


def test_empty_file(tmp_path: Path) -> None:
    assert "is empty (0 bytes)" in refusal(write(tmp_path, "empty.txt", b""))


@pytest.mark.parametrize(
    "data",
    [b" \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n ".encode("utf-16-le"),
     "\u00a0\u3000\n".encode("utf-8")],
    ids=["ascii-spaces", "bom-only", "utf16-spaces", "unicode-spaces"],
)
def test_whitespace_only(tmp_path: Path, data: bytes) -> None:
    assert "contains only whitespace" in refusal(write(tmp_path, "blank.txt", data))


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "is a directory" in refusal(folder)


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in refusal(tmp_path / "missing.txt")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: root reads any file whatever its permission bits, so chmod 000 "
    "cannot make a file unreadable (test_unreadable_file_simulated covers the code path)",
)
@pytest.mark.skipif(os.name != "posix", reason="chmod 000 only makes files unreadable on POSIX")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", SENTENCES[0].encode())
    path.chmod(0)
    try:
        assert "cannot be read: permission denied" in refusal(path)
    finally:
        path.chmod(0o600)


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", SENTENCES[0].encode())

    def denied(file: object, mode: str = "r") -> None:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(textio, "open", denied, raising=False)
    assert "cannot be read: permission denied" in refusal(path)


def test_random_bytes_without_nul_report_utf8_offset(tmp_path: Path) -> None:
    rng = random.Random(1258)
    noise = bytes(rng.randrange(1, 256) for _ in range(4000))
    prefix = "IS ".encode()
    message = refusal(write(tmp_path, "noise.bin", prefix + b"\xff" + noise))
    assert "not valid UTF-8 at byte offset 3 (byte 0xFF" in message
    assert "UTF-16" in message and "Windows-1258" in message


def test_random_bytes_with_nul_are_binary(tmp_path: Path) -> None:
    data = random.Random(7).randbytes(4096)
    assert b"\x00" in data
    assert "looks like binary data" in refusal(write(tmp_path, "noise.bin", data))


def test_pdf_like_binary(tmp_path: Path) -> None:
    stream = zlib.compress(DOCUMENT.encode("utf-16-le"))
    data = (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        + b"1 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\n"
        + b"stream\n" + stream + b"\nendstream\nendobj\n"
        + b"xref\n0 2\n0000000000 65535 f \n"
        + bytes(range(256)) * 4
        + b"%EOF\n"
    )
    assert "looks like binary data" in refusal(write(tmp_path, "paper.pdf", data))


def test_truncated_utf8_is_refused_not_misread_as_cp1258(tmp_path: Path) -> None:
    # "Hà Nội": H=0, C3 A0=1-2, space=3, N=4, ộ = E1 BB 99 at 5-7; cut inside ộ.
    data = "Hà Nội".encode("utf-8")[:-2]
    assert data == b"H\xc3\xa0 N\xe1\xbb"
    message = refusal(write(tmp_path, "cut.txt", data))
    assert "not valid UTF-8 at byte offset 5 (byte 0xE1: unexpected end of data)" in message
    assert "damaged UTF-8" in message


def test_utf8_with_one_stray_legacy_byte_is_refused(tmp_path: Path) -> None:
    head = SENTENCES[1].encode("utf-8")
    data = head + b" \xe0 " + SENTENCES[2].encode("utf-8")  # cp1258 "à" inside UTF-8
    message = refusal(write(tmp_path, "mixed.txt", data))
    assert f"not valid UTF-8 at byte offset {len(head) + 1} (byte 0xE0" in message


@pytest.mark.parametrize(
    "text",
    [
        "Le président français a été reçu à l'Élysée où il a évoqué la coopération militaire "
        "et la sécurité en Europe. Ça n'a pas plu à tout le monde.",
        "A delegação não aceitou a posição do governo; as negociações continuarão na próxima "
        "reunião em São Paulo, disse o ministro.",
        "Die Bundesregierung prüft die Stationierung amerikanischer Truppen in Süddeutschland, "
        "erklärte der Außenminister.",
    ],
    ids=["french", "portuguese", "german"],
)
def test_western_cp1252_is_not_taken_for_cp1258(tmp_path: Path, text: str) -> None:
    message = refusal(write(tmp_path, "west.txt", text.encode("cp1252")))
    assert "not recognisable" in message and "Windows-1258 Vietnamese" in message


def test_truncated_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    data = SENTENCES[0].encode("utf-16-le")[:-1]  # odd length
    assert "looks like binary data" in refusal(write(tmp_path, "cut16.txt", data))


def test_utf16_with_bom_and_lone_surrogate_reports_offset(tmp_path: Path) -> None:
    # BOM at 0-1, "a" 2-3, "b" 4-5, lone high surrogate D800 at 6-7, "c" 8-9.
    data = codecs.BOM_UTF16_LE + b"a\x00b\x00\x00\xd8c\x00"
    message = refusal(write(tmp_path, "bad16.txt", data))
    assert "UTF-16 LE byte-order mark but is not valid UTF-16 LE at byte offset 6" in message


def test_text_with_nul_characters_is_binary(tmp_path: Path) -> None:
    data = ("Mỹ\x00" + SENTENCES[0]).encode("utf-16")
    assert "NUL characters (first at character 2)" in refusal(write(tmp_path, "nul.txt", data))


def test_a_few_nul_bytes_in_utf8_are_refused(tmp_path: Path) -> None:
    data = SENTENCES[1].encode("utf-8") + b"\x00"
    message = refusal(write(tmp_path, "nul8.txt", data))
    assert f"1 NUL bytes (first at byte offset {len(data) - 1})" in message


def test_document_error_is_value_error_and_pickles() -> None:
    err = DocumentError("a.txt", "is empty (0 bytes)")
    assert isinstance(err, ValueError)
    copy = pickle.loads(pickle.dumps(err))
    assert (str(copy), copy.path, copy.reason) == (str(err), "a.txt", "is empty (0 bytes)")


# --------------------------------------------------------------------------- properties

VIETNAMESE_LETTERS = sorted(
    {
        unicodedata.normalize("NFC", base + tone)
        for base in "aăâeêioôơuưy"
        for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    }
    | set("bcdđghklmnpqrstvx")
)
ALPHABET = (
    "".join(VIETNAMESE_LETTERS)
    + "".join(VIETNAMESE_LETTERS).upper()
    + "fjwzFJWZ0123456789"
    + " \n\t.,;:!?-–—()[]\"'“”‘’…/%"
)
vietnamese_text = st.text(alphabet=ALPHABET, min_size=1, max_size=300)

UNICODE_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32")


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=vietnamese_text, decompose=st.booleans(),
       encoding=st.sampled_from(UNICODE_ENCODINGS))
def test_property_unicode_round_trip(
    tmp_path: Path, text: str, decompose: bool, encoding: str
) -> None:
    assume(text.strip())
    written = nfd(text) if decompose else text
    path = write(tmp_path, "doc.txt", encode(written, encoding))
    assert read_document(path) == unicodedata.normalize("NFC", text)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=vietnamese_text, encoding=st.sampled_from(("utf-16-le", "utf-16-be")))
def test_property_utf16_without_bom_round_trip(tmp_path: Path, text: str, encoding: str) -> None:
    # Without a BOM, UTF-16 is recognised by its zero high bytes: the text must have some
    # Latin-1 characters (ASCII letters, spaces, à, é, ...), as any Vietnamese prose has.
    assume(text.strip())
    assume(sum(ord(char) < 256 for char in text) >= 0.25 * len(text))
    path = write(tmp_path, "doc.txt", text.encode(encoding))
    assert read_document(path) == unicodedata.normalize("NFC", text)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400) | vietnamese_text.map(to_cp1258))
def test_property_any_bytes_give_nfc_text_or_document_error(data: bytes) -> None:
    try:
        text = decode_document(data, name="blob")
    except DocumentError as err:
        assert str(err).startswith("blob: ")
        return
    assert text.strip()
    assert "\x00" not in text
    assert unicodedata.is_normalized("NFC", text)


# --------------------------------------------------------------------------- iter_documents


def test_iter_documents_directory_of_3000_files_plus_one_bad(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    encoders = [ENCODERS[name] for name in ("utf-8", "utf-16-le-bom", "cp1258", "utf-8-bom")]
    expected: dict[str, str | None] = {}
    rng = random.Random(3000)
    for i in rng.sample(range(3000), 3000):  # created in shuffled order
        text = f"{SENTENCES[i % len(SENTENCES)]} ({i})"
        name = f"doc_{i:05d}.txt"
        write(folder, name, encoders[i % len(encoders)](text))
        expected[name] = text
    write(folder, "doc_01500_bad.txt", random.Random(5).randbytes(512))
    expected["doc_01500_bad.txt"] = None
    write(folder, "notes.md", b"not a .txt file")

    records = list(iter_documents([folder]))

    assert len(records) == 3001
    assert [r.path for r in records] == [str(folder / name) for name in sorted(expected)]
    errors = [r for r in records if r.error is not None]
    assert [r.path for r in errors] == [str(folder / "doc_01500_bad.txt")]
    assert errors[0].text is None and errors[0].error.startswith(f"{errors[0].path}: ")
    assert all(r.text == expected[Path(r.path).name] for r in records if r.ok)


def test_iter_documents_reads_lazily(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path, name, SENTENCES[0].encode())
    records = iter_documents([tmp_path])
    first = next(records)
    assert first == DocumentRecord(str(tmp_path / "a.txt"), SENTENCES[0], None)
    (tmp_path / "b.txt").unlink()  # listed already, but not read yet
    second, third = list(records)
    assert second.path == str(tmp_path / "b.txt") and "does not exist" in second.error
    assert third.ok


def test_iter_documents_keeps_given_order_and_reports_missing(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    (folder / "b").mkdir(parents=True)
    write(folder, "c.txt", SENTENCES[2].encode())
    write(folder / "b", "x.txt", SENTENCES[1].encode("utf-16"))
    write(folder, "a.txt", to_cp1258(SENTENCES[0]))
    # given explicitly: read whatever its name
    single = write(tmp_path, "single.dat", SENTENCES[3].encode())
    missing = tmp_path / "missing.txt"

    records = list(iter_documents(iter([single, str(folder), missing, folder / "a.txt"])))

    assert [(r.path, r.text) for r in records] == [
        (str(single), SENTENCES[3]),
        (str(folder / "a.txt"), SENTENCES[0]),
        (str(folder / "b" / "x.txt"), SENTENCES[1]),
        (str(folder / "c.txt"), SENTENCES[2]),
        (str(missing), None),
        (str(folder / "a.txt"), SENTENCES[0]),
    ]
    assert records[4].error == f"{missing}: does not exist"


def test_iter_documents_pattern(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", SENTENCES[0].encode())
    write(tmp_path, "b.md", SENTENCES[1].encode())
    assert [r.text for r in iter_documents([tmp_path], pattern="*.md")] == [SENTENCES[1]]


def test_iter_documents_empty_directory(tmp_path: Path) -> None:
    assert list(iter_documents([tmp_path])) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_iter_documents_symlink_loop_is_an_error_not_a_hang(tmp_path: Path) -> None:
    folder = tmp_path / "root"
    (folder / "sub").mkdir(parents=True)
    write(folder / "sub", "a.txt", SENTENCES[0].encode())
    os.symlink(folder, folder / "sub" / "loop")
    records = list(iter_documents([folder]))
    assert [r.path for r in records] == [
        str(folder / "sub" / "a.txt"),
        str(folder / "sub" / "loop"),
    ]
    assert records[0].ok and "symbolic link loop" in records[1].error


def test_iter_documents_rejects_a_single_path(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="wrap it in a list"):
        list(iter_documents(str(tmp_path)))  # type: ignore[arg-type]


def test_document_record_is_frozen() -> None:
    record = DocumentRecord("a.txt", "Mỹ", None)
    with pytest.raises(AttributeError):
        record.text = "x"  # type: ignore[misc]
