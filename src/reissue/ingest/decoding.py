"""DECODING: page bytes -> text (encodings, binary detection), and the one-line problem messages.

* :func:`decode_bytes` - UTF-16/UTF-8 with BOM, a declared encoding, UTF-8, cp1252, latin-1;
  raises :class:`BinaryContent` for content that is not text;
* :func:`declared_encoding` - the encoding an XML/HTML file declares;
* :func:`add_problem` - ``"<source>: <what happened> (<what to do>)"`` in ``doc.problems``.

Mojibake repair of decoded text is :mod:`.mojibake`.
"""

from __future__ import annotations

import codecs
import re

from ..chars import SURROGATE
from ..model import Document

__all__ = ["decode_bytes", "declared_encoding", "BinaryContent", "one_line", "add_problem", "fmt_size"]

# binary magic numbers -> (what it is, what to do)
MAGIC: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "a PDF file, not OCR text", "extract its text layer first, e.g. with pdftotext"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not OCR text", "run OCR on it first"),
    (b"\xff\xd8\xff", "a JPEG image, not OCR text", "run OCR on it first"),
    (b"GIF87a", "a GIF image, not OCR text", "run OCR on it first"),
    (b"GIF89a", "a GIF image, not OCR text", "run OCR on it first"),
    (b"II*\x00", "a TIFF image, not OCR text", "run OCR on it first"),
    (b"MM\x00*", "a TIFF image, not OCR text", "run OCR on it first"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image, not OCR text", "run OCR on it first"),
    (b"RIFF", "a RIFF (WebP/AVI/WAV) file, not OCR text", "remove it from the input"),
    (b"PK\x03\x04", "a ZIP archive inside the input", "unpack it or pass it as its own input"),
    (b"PK\x05\x06", "an empty ZIP archive", "remove it from the input"),
    (b"\x1f\x8b", "a gzip file", "decompress it first"),
    (b"BZh", "a bzip2 file", "decompress it first"),
    (b"\xfd7zXZ\x00", "an xz file", "decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it first"),
    (b"\x7fELF", "an executable file", "remove it from the input"),
    (b"MZ", "a Windows executable", "remove it from the input"),
    (b"SQLite format 3\x00", "an SQLite database", "remove it from the input"),
    (b"AT&TFORM", "a DjVu file, not OCR text", "extract its text layer first, e.g. with djvutxt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office file", "save it as plain text"),
]

MAX_PAGE_BYTES = 20_000_000  # one input file (a multi-page ALTO/hOCR/PAGE file counts once); README "Limits"
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


class BinaryContent(ValueError):
    """Raised by :func:`decode_bytes` for content that is not text: ``(what, todo)``."""

    def __init__(self, what: str, todo: str):
        super().__init__(what)
        self.what = what
        self.todo = todo



def fmt_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)  # pragma: no cover


def one_line(text: str) -> str:
    text = SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))  # undecodable file names
    return " ".join(text.split())


def add_problem(doc: Document, source: str, what: str, todo: str) -> None:
    doc.problems.append(one_line(f"{source}: {what} ({todo})"))


# ----------------------------------------------------------------------------------------------
# decoding


def _check_magic(data: bytes) -> None:
    head = data[:16]
    for magic, what, todo in MAGIC:
        if head.startswith(magic):
            if magic in (b"MZ", b"BZh") and b"\x00" not in data[:64] and b"1AY&SY" not in data[:10]:
                continue  # "MZ..." / "BZh..." are plausible starts of plain text
            if magic == b"RIFF" and data[8:12] not in (b"WEBP", b"AVI ", b"WAVE"):
                continue
            raise BinaryContent(what, todo)


def _too_many_controls(text: str) -> bool:
    sample = text[:200_000]
    if not sample:
        return False
    n = len(_CONTROL.findall(sample))
    return n > max(8, len(sample) // 20)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes -> ``(text, encoding)``; raise :class:`BinaryContent` for non-text.

    Order: UTF-16 with BOM, UTF-8 with BOM (``utf-8-sig``), a ``declared`` encoding (from an
    XML/HTML declaration) when it decodes, UTF-8, cp1252 (when bytes 0x80-0x9F are used and
    are valid cp1252), latin-1.
    """
    _check_magic(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise BinaryContent("starts with a UTF-16 byte order mark but is not valid UTF-16",
                                "save it as UTF-8 text") from None
        enc = "utf-16"
    elif b"\x00" in data:
        raise BinaryContent("contains NUL bytes: binary data or UTF-16 without a byte order mark",
                            "if it is text, save it as UTF-8")
    elif data.startswith(codecs.BOM_UTF8):
        try:
            text, enc = data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            text, enc = _decode_8bit(data)  # keep the (broken) BOM bytes: raw stays faithful
    else:
        text = enc = None
        if declared:
            try:
                info = codecs.lookup(declared)
                name = {"iso8859-1": "latin-1"}.get(info.name, info.name)
                if (getattr(info, "_is_text_encoding", True) and name not in ("utf-8", "ascii", "undefined")
                        and not name.startswith(("utf-16", "utf-32", "utf-7"))):
                    text, enc = data.decode(name), name
                    if SURROGATE.search(text):
                        text = enc = None  # escape codecs can make lone surrogates: not page text
            except Exception:  # unknown or broken codec (LookupError, UnicodeError, ...): guess below
                text = enc = None
        if text is None:
            try:
                text, enc = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, enc = _decode_8bit(data)
    if _too_many_controls(text):
        raise BinaryContent("looks binary (many control characters)", "remove it or save it as plain text")
    return text, enc


def _decode_8bit(data: bytes) -> tuple[str, str]:
    if re.search(rb"[\x80-\x9f]", data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"


_DECL_ENC = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_ENC = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)


def declared_encoding(data: bytes) -> str | None:
    head = data[:4096]
    if not head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<"):
        return None
    m = _DECL_ENC.search(head) or _META_ENC.search(head)
    return m.group(1).decode("ascii") if m else None
