"""A file's bytes as every reader starts from them: their SHA-256 and their UTF-8 text (a module
of its own, so that readers import neither the package that chooses them nor each other)."""
from __future__ import annotations

import hashlib

from ..model import IngestError


def sha256_of(data: bytes) -> str:
    """The hex SHA-256 of ``data``.

    :param data: a file's bytes, as read.
    :return: 64 lowercase hex digits.
    """
    return hashlib.sha256(data).hexdigest()


def decode(path: str, data: bytes) -> str:
    """Decode UTF-8 text (with or without BOM); anything else is a clear error.

    :param path: the file, for the message.
    :param data: its bytes.
    :return: the text.
    :raise IngestError: NUL bytes (binary data) or bytes that are not UTF-8.
    """
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary data, not text (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                "save it as UTF-8 and ingest again") from None
