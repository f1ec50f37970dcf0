"""How the CLI shows playlists and tracks: aligned text for people, JSON for scripts."""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pysync_web.formatting import ago, track_length
from pysync_web.models import SkippedItems, Track
from pysync_web.services.catalog import PlaylistSummary, PlaylistTrack
from pysync_web.services.playlists import SyncResult


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def playlist_json(summary: PlaylistSummary) -> dict[str, Any]:
    p = summary.playlist
    return {
        "id": p.id, "name": p.name, "platform": p.platform.value, "kind": p.kind.value, "url": p.url,
        "owner": p.owner, "tracks": summary.tracks, "downloaded": summary.downloaded,
        "remote_tracks": p.remote_track_count, "last_synced": iso(p.last_synced),
        "last_sync_error": p.last_sync_error, "enabled": p.enabled, "auto_download": p.auto_download,
        "track_limit": p.track_limit, "date_limit": iso(p.date_limit), "folder_id": p.folder_id,
        "notice": p.notice,
    }


def track_json(track: Track) -> dict[str, Any]:
    return {
        "id": track.id, "title": track.title, "artists": track.artists, "album": track.album,
        "duration_ms": track.duration_ms, "isrc": track.isrc, "status": track.status.value,
        "file": track.file, "source_url": track.source_url, "url": track.url,
        "platform": track.platform.value, "platform_id": track.platform_id, "cover_url": track.cover_url,
    }


def playlist_track_json(item: PlaylistTrack) -> dict[str, Any]:
    return {
        **track_json(item.track), "position": item.entry.position + 1,
        "added_at": iso(item.entry.added_at), "removed": not item.entry.is_current,
        "removed_at": iso(item.entry.removed_at),
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns; the last column is never padded so long titles don't add trailing blanks."""
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers) - 1)]
    return "\n".join(
        "  ".join([c.ljust(w) for c, w in zip(r[:-1], widths)] + [r[-1]]).rstrip() for r in cells
    )


def playlists_table(summaries: Sequence[PlaylistSummary], now: datetime) -> str:
    rows = [
        (s.playlist.id, s.playlist.platform.label, f"{s.downloaded}/{s.tracks}",
         ago(s.playlist.last_synced, now), "" if s.playlist.enabled else "disabled",
         s.playlist.name + (f"  [error: {s.playlist.last_sync_error}]" if s.playlist.last_sync_error else ""))
        for s in summaries
    ]
    return table(("ID", "PLATFORM", "FILES", "SYNCED", "", "NAME"), rows)


def tracks_table(tracks: Sequence[Track], positions: Sequence[str] | None = None) -> str:
    rows = [
        ((positions[i],) if positions else ()) + (
            t.id, t.status.value, track_length(t.duration_ms), t.album, f"{', '.join(t.artists)} - {t.title}")
        for i, t in enumerate(tracks)
    ]
    headers = (("#",) if positions else ()) + ("ID", "STATUS", "TIME", "ALBUM", "ARTISTS - TITLE")
    return table(headers, rows)


def skipped_line(skipped: SkippedItems) -> str | None:
    parts = [
        f"{n} {label}" for n, label in (
            (skipped.unavailable, "unavailable"), (skipped.local_files, "local files"),
            (skipped.episodes, "podcast episodes"))
        if n
    ]
    return f"skipped {', '.join(parts)}" if parts else None


def sync_line(result: SyncResult) -> str:
    if result.unchanged:
        return "unchanged since last sync"
    return f"+{result.added} added, -{result.removed} removed, ~{result.updated} updated"


def shorten(text: str, limit: int = 80) -> str:
    """Echo user input back without flooding the terminal (5,000 characters of garbage, say)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
