"""A task file as bytes and as text, with what it takes to write it back byte for byte.

Files are read whole and decoded strictly: a file that is binary or cannot be decoded is
refused with a message (and so is never rewritten), and the encoding, byte-order mark and
line ending found are kept for any write.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

# The same line breaks CommonMark (and markdown-it) knows; str.splitlines knows more.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF_BYTES = 8192


class Unreadable(Exception):
    """The file cannot be audited; the message says why, for the user."""


@dataclass
class SourceFile:
    """A decoded file; lines keep their own line endings so that joining them is lossless."""

    path: Path
    raw: bytes
    text: str
    encoding: str
    bom: bytes
    newline: str

    def lines(self) -> list[str]:
        return split_lines(self.text)

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split where CommonMark splits them."""
    lines, start = [], 0
    for match in LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def decode(path: Path, raw: bytes) -> SourceFile:
    """Decode raw by its byte-order mark, else as UTF-8; raise Unreadable with the reason."""
    bom, encoding = b"", "utf-8"
    for mark, name in _BOMS:
        if raw.startswith(mark):
            bom, encoding = mark, name
            break
    body = raw[len(bom) :]
    if encoding == "utf-8" and b"\0" in body[:_SNIFF_BYTES]:
        raise Unreadable("binary file (contains NUL bytes); skipped")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        where = exc.start + len(bom)
        raise Unreadable(
            f"not valid {encoding.upper()} (byte {where}); skipped and left untouched"
        ) from None
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"
    return SourceFile(path, raw, text, encoding, bom, newline)


def read(path: Path, max_bytes: int) -> SourceFile:
    """Read and decode one file, refusing one over max_bytes before reading it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise Unreadable(
                f"{size / 1e6:.1f} MB is over the limit of {max_bytes / 1e6:g} MB "
                "([audit] max_file_mb); skipped"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    return decode(path, raw)
