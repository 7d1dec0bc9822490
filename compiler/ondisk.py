"""A small on-disk cache for work that depends only on files shipped with rpt.

Results are keyed by a hash of everything they depend on, so a stale entry is
never read; entries are written atomically, and when the cache directory cannot
be written rpt simply does the work again. Nothing from a report goes here.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "rpt"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def load(name: str, digest: str) -> Any:
    """The cached value, or None when there is none (or it cannot be read)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        return json.loads((directory / f"{name}-{digest}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store(name: str, digest: str, value: Any) -> None:
    directory = cache_dir()
    if directory is None:
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream, ensure_ascii=False)
        os.replace(temporary, directory / f"{name}-{digest}.json")
    except OSError:
        return
