"""How lengths, sizes and moments read for people, the same in the CLI, the pages and error messages."""
from __future__ import annotations

from datetime import datetime


def clock(seconds: float) -> str:
    """3:45, or 1:02:03 past an hour: how players show lengths."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def track_length(milliseconds: int | None) -> str:
    """A track's length, or nothing when the platform did not say."""
    return clock(milliseconds / 1000) if milliseconds else ""


def file_size(size: int | None) -> str:
    value = float(size or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = max(0, int((now - moment).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"
