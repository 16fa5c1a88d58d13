"""Bounded reading: the one way ingestion reads a file, decodes text, opens a workbook or parses YAML.

Every limit holds however the input lies about itself: a FIFO or device (or a link to one) is refused by name
before it is opened, a file is read only up to its limit, a workbook's declared uncompressed size is capped before
it is opened, and YAML aliases (the "billion laughs" expansion) are refused.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import yaml

from ingest.errors import IngestError

_KINDS = {stat.S_ISFIFO: "a named pipe (FIFO)", stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device",
          stat.S_ISSOCK: "a socket", stat.S_ISDIR: "a folder"}
XLSX_EXPANSION_LIMIT = 20  # a workbook may expand to this many times the file-size limit


def _kind(mode: int) -> str | None:
    return next((name for test, name in _KINDS.items() if test(mode)), None)


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is an IngestError naming the problem."""
    src = str(path)
    try:
        st = os.stat(path)  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        if path.is_symlink():
            raise IngestError(src, "a broken symbolic link (its target does not exist)") from None
        raise IngestError(src, "no such file or folder") from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise IngestError(src, "a symbolic link loop") from None
        raise IngestError(src, f"cannot be read ({exc.strerror})") from None
    kind = _kind(st.st_mode)
    if kind:
        raise IngestError(src, f"not a regular file ({kind}); only files are ingested")
    mb = limit / 1024 / 1024
    if st.st_size > limit:
        raise IngestError(src, f"too large ({st.st_size / 1e6:.0f} MB; the limit is {mb:g} MB, set by "
                               "WAYFINDER_MAX_FILE_MB)")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise IngestError(src, f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        if _kind(os.fstat(f.fileno()).st_mode):  # swapped for a pipe or device since the check above
            raise IngestError(src, "not a regular file; only files are ingested")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise IngestError(src, f"too large (more than {mb:g} MB while reading; set by WAYFINDER_MAX_FILE_MB)")
    return data


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes sit at every other position, as ASCII text in UTF-16 has them."""
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.9 * len(sample[1::2]) and even < 0.1 * len(sample[0::2]):
        return "utf-16-le"
    if even > 0.9 * len(sample[0::2]) and odd < 0.1 * len(sample[1::2]):
        return "utf-16-be"
    return None


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 (with a BOM, or detected without one); NUL bytes and other encodings
    are refused rather than stored garbled or cut short."""
    src = str(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _no_nul(src, data.decode("utf-16"))
    enc = _utf16_without_bom(data)
    if enc:
        try:
            return _no_nul(src, data.decode(enc))
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(src, f"not valid UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8 and ingest it "
                               "again", f"line {line}") from None
    return _no_nul(src, text)


def _no_nul(src: str, text: str) -> str:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        n = text.count(chr(0))
        raise IngestError(src, f"holds {n} NUL byte{'s' if n > 1 else ''}, so it is not plain text; remove them "
                               "(for example with tr -d '\\000') and ingest it again", f"line {line}")
    return text


def check_workbook(path: Path, data: bytes, limit: int) -> None:
    """Refuse a workbook whose parts would expand past the limit (a zip bomb) before anything is decompressed."""
    cap = limit * XLSX_EXPANSION_LIMIT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: openpyxl gives its own "not a readable workbook" error
    if total > cap:
        raise IngestError(str(path), f"the workbook expands to {total / 1e6:.0f} MB, over the {cap / 1e6:.0f} MB "
                                     "allowed (a compressed 'zip bomb'?); it was not opened")


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: a few hundred bytes of aliases can expand to gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted", mark)
        return super().compose_node(parent, index)


def safe_yaml(text: str) -> Any:  # noqa: ANN401
    """yaml.safe_load without aliases; too deep a nesting is a YAMLError too, never a RecursionError."""
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise yaml.YAMLError("nested too deeply to read") from None
