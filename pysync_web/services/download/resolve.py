"""Step 1: decide where a track's audio comes from.

SoundCloud and yt-dlp tracks carry their own source. Spotify tracks have none: the providers named
in settings are searched in order and the matcher decides; the candidates and their scores are kept
with the track so a user can see why a source was chosen, or choose one when none was good enough.
A SoundCloud page is then resolved to its stream URL on the configured API, which yt-dlp downloads.
"""
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from pysync_web.errors import PySyncError
from pysync_web.models import Track
from pysync_web.platforms.soundcloud_streams import resolve_stream
from pysync_web.providers.base import AudioProvider, Candidate
from pysync_web.providers.registry import build_providers
from pysync_web.services.download.pipeline import DownloadContext
from pysync_web.services.matching import pick_best, rank_candidates

log = logging.getLogger(__name__)


class NoMatchError(PySyncError):
    """None of the candidates is the same recording; they are kept for the user to choose from."""


def matcher_track(track: Track) -> dict[str, Any]:
    return {"title": track.title, "artists": list(track.artists), "album": track.album,
            "duration_ms": track.duration_ms or 0, "isrc": track.isrc, "explicit": track.explicit}


class ResolveSource:
    def run(self, context: DownloadContext) -> None:
        track = context.track
        source = track.source_url
        if not source:
            source = self._match(context, build_providers(context.settings))
        context.source_url = source
        context.check_cancel()
        context.download_url = self._download_url(context, source)

    def _match(self, context: DownloadContext, providers: list[AudioProvider]) -> str:
        """Ask each provider in turn; the first one with a candidate the matcher accepts wins."""
        wanted = matcher_track(context.track)
        problems: list[str] = []
        for provider in providers:
            context.check_cancel()
            try:
                found = provider.search_track(context.track)
            except PySyncError as error:  # one provider down is no reason to give up on the others
                log.warning("%s search failed for %s: %s", provider.name, context.track.title, error)
                problems.append(f"{provider.name}: {error}")
                continue
            context.candidates.extend(_scored(wanted, found, provider.name))
            chosen = pick_best(wanted, [c.as_dict() for c in found])
            if chosen is not None:
                context.match_score = next(c["score"] for c in context.candidates if c["url"] == chosen)
                return chosen
        context.candidates.sort(key=lambda c: c["score"], reverse=True)
        if not context.candidates and problems:
            raise PySyncError("No audio provider answered: " + "; ".join(problems))
        raise NoMatchError(
            f"No match found among {len(context.candidates)} candidates; choose a source by hand."
            if context.candidates else "No match found: no provider had anything like this track."
        )

    @staticmethod
    def _download_url(context: DownloadContext, source: str) -> str:
        if _is_soundcloud_page(source):
            return resolve_stream(context.settings, source).url
        return source


def _scored(wanted: dict[str, Any], found: list[Candidate], provider: str) -> list[dict[str, Any]]:
    by_url = {c.url: c for c in found}
    return [
        {**candidate, "page_url": by_url[candidate["url"]].page_url, "provider": provider,
         "score": round(score.total, 3), "reasons": list(score.reasons) + list(score.vetoes)}
        for candidate, score in rank_candidates(wanted, [c.as_dict() for c in found])
    ]


def _is_soundcloud_page(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "soundcloud.com" or host.endswith(".soundcloud.com")
