"""Shared test helpers: where the reference data lives, and one Coder per test session."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from harbinger.extract import Coder

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "samples" / "daesh_return_2019-08-11.txt"
EXAMPLES = ROOT / "examples"


@functools.lru_cache(maxsize=1)
def coder() -> Coder:
    return Coder()


def require(path: Path) -> Path:
    """Skip (with the reason) when a file of ../shared is absent, as on a user's fresh clone."""
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared reference data is not beside this clone)")
    return path
