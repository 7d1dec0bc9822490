"""SHA-256, as rpt records the files a report reads and the files its tables
were made from."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def _sha256() -> Callable[[bytes], Any]:
    """The standard library's own SHA-256 (`_sha2` from Python 3.12, `_sha256`
    before), else hashlib's: hashlib loads OpenSSL for it, which took a hundredth
    of a check. The digest is the same."""
    for module in ("_sha2", "_sha256"):
        try:
            made: Callable[[bytes], Any] = importlib.import_module(module).sha256
        except (ImportError, AttributeError):
            continue
        return made
    import hashlib  # noqa: PLC0415  (a Python built without them)

    return hashlib.sha256


_SHA256 = _sha256()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data`, in hexadecimal."""
    digest: str = _SHA256(data).hexdigest()
    return digest
