"""Shared helpers for the file-based planning commands (forecast, staffing, backtest)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from django.core.management.base import CommandError

from veerkracht.planning.history import History, parse_history


def read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file")
    return file.read_bytes()


def load_history_file(path: str, *, max_errors_shown: int = 50) -> History:
    result = parse_history(read_bytes(path))
    if result.errors or result.history is None:
        lines = [
            f"row {e.row}, field {e.field}: {e.message}" for e in result.errors[:max_errors_shown]
        ]
        more = len(result.errors) - max_errors_shown
        if more > 0:
            lines.append(f"... and {more} more")
        raise CommandError(f"{path} has {len(result.errors)} error(s):\n" + "\n".join(lines))
    return result.history


def open_out(path: str | None) -> IO[str]:
    if path in (None, "-"):
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror}") from None
