"""Playlists, albums and Liked Songs through the Spotify Web API, with spotipy doing the HTTP.

Large playlists are where time goes: Spotify pages 100 items at a time and its `next` links would
make a 10,000-track playlist 100 round trips in a row. The first page tells the total, so the other
offsets are fetched in parallel (bounded by settings.spotify_page_concurrency) and put back in order.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import requests
import spotipy
from spotipy.oauth2 import SpotifyAuthBase

from pysync_web.config import Settings
from pysync_web.errors import AccessDeniedError, NotFoundError
from pysync_web.models import PlaylistRef, RemotePlaylist
from pysync_web.platforms.spotify_errors import Subject, spotify_call
from pysync_web.platforms.spotify_tracks import Json, largest_image, track_from_api, tracks_from_entries

log = logging.getLogger(__name__)
T = TypeVar("T")

PLAYLIST_PAGE_SIZE = 100
SAVED_TRACKS_PAGE_SIZE = 50  # the most me/tracks hands out per page
TRACK_BATCH_SIZE = 50  # ids per GET /tracks
ITEM_TYPES = ("track", "episode")  # ask for episodes as episodes so they can be told apart and skipped
# `fields` trims answers to what we map. The full playlist object embeds the first 100 items, and full
# track objects can carry `available_markets` (up to ~180 country codes, again for the album).
# The February 2026 API renamed `tracks` to `items` and an item's `track` to `item`; we ask for both.
PLAYLIST_FIELDS = "name,snapshot_id,owner(display_name),images,items(total),tracks(total)"
_TRACK_FIELDS = (
    "type,episode,is_local,id,name,duration_ms,explicit,track_number,artists(name),"
    "album(name,release_date,images,artists(name)),external_ids(isrc),external_urls(spotify)"
)
ITEM_FIELDS = f"items(added_at,is_local,item({_TRACK_FIELDS}),track({_TRACK_FIELDS}))"  # later pages

PageFetcher = Callable[[int, int], Json]  # (offset, limit) -> paging object


class ItemsRefusedError(AccessDeniedError):
    """The playlist is readable but its items are not: Spotify's February 2026 rules let apps in
    Development Mode list items only of playlists their user owns. The embed page can stand in."""


class SpotifyApi:
    def __init__(self, settings: Settings, session: requests.Session, auth_manager: SpotifyAuthBase):
        self.settings = settings
        # Our own session bypasses spotipy's urllib3 Retry, which would sleep through any Retry-After.
        self.sp = spotipy.Spotify(
            auth_manager=auth_manager, requests_session=session, requests_timeout=settings.http_timeout_s
        )
        self.sp.prefix = settings.spotify_api_url.rstrip("/") + "/"

    def playlist(self, ref: PlaylistRef, known_snapshot_id: str | None) -> RemotePlaylist:
        subject = Subject.of(ref)
        meta = self._call(lambda: self.sp.playlist(ref.external_id, fields=PLAYLIST_FIELDS), subject)
        remote = RemotePlaylist(
            ref=ref,
            name=meta.get("name") or "",
            owner=(meta.get("owner") or {}).get("display_name") or "",
            cover_url=largest_image(meta.get("images")),
            # Read before the items: if the playlist changes meanwhile, the stored snapshot is the older
            # one and the next sync fetches again rather than missing the change.
            snapshot_id=meta.get("snapshot_id"),
            total=(meta.get("items") or meta.get("tracks") or {}).get("total"),
        )
        if remote.snapshot_id and remote.snapshot_id == known_snapshot_id:
            return remote

        def page(offset: int, limit: int, fields: str | None = ITEM_FIELDS) -> Json:
            return self.sp.playlist_items(
                ref.external_id, fields=fields, limit=limit, offset=offset, additional_types=ITEM_TYPES
            )

        try:
            # The first page goes without `fields`: Spotify has been seen to report `total` as 50 at most
            # on filtered pages, and the total decides which pages exist.
            first = self._call(lambda: page(0, PLAYLIST_PAGE_SIZE, fields=None), subject)
        except AccessDeniedError as denied:
            raise ItemsRefusedError(str(denied)) from denied
        remote.tracks, remote.skipped = tracks_from_entries(self._all_items(first, page, subject))
        remote.total = first.get("total", remote.total)
        return remote

    def album(self, ref: PlaylistRef) -> RemotePlaylist:
        subject = Subject.of(ref)
        album = self._call(lambda: self.sp.album(ref.external_id), subject)

        def page(offset: int, limit: int) -> Json:
            return self.sp.album_tracks(ref.external_id, limit=limit, offset=offset)

        # The album object embeds its first page of tracks, so only the rest are requested.
        listed = self._all_items(album.get("tracks") or {}, page, subject)
        tracks = [track_from_api(track, album=album) for track in listed]
        isrcs = self._isrcs([track.platform_id for track in tracks])
        for track in tracks:  # album listings carry no ISRC; the full track objects do
            track.isrc = isrcs.get(track.platform_id)
        return RemotePlaylist(
            ref=ref,
            name=album.get("name") or "",
            owner=", ".join(artist["name"] for artist in album.get("artists") or [] if artist.get("name")),
            cover_url=largest_image(album.get("images")),
            total=album.get("total_tracks"),
            tracks=tracks,
        )

    def liked_songs(self, ref: PlaylistRef) -> RemotePlaylist:
        subject = Subject.of(ref)

        def page(offset: int, limit: int) -> Json:
            return self.sp.current_user_saved_tracks(limit=limit, offset=offset)

        first = self._call(lambda: page(0, SAVED_TRACKS_PAGE_SIZE), subject)
        tracks, skipped = tracks_from_entries(self._all_items(first, page, subject))
        return RemotePlaylist(
            ref=ref, name="Liked Songs", total=first.get("total"), tracks=tracks, skipped=skipped
        )

    def _isrcs(self, track_ids: list[str]) -> dict[str, str]:
        """ISRCs via GET /tracks, 50 ids a request; {} where Spotify does not offer that endpoint.

        Spotify removed it for apps in Development Mode in February 2026. Albums then come without
        ISRCs, which matching copes with, rather than failing the whole sync.
        """
        subject = Subject("tracks")
        batches = [track_ids[i:i + TRACK_BATCH_SIZE] for i in range(0, len(track_ids), TRACK_BATCH_SIZE)]
        try:
            answers = self._parallel(
                [partial(self._call, partial(self.sp.tracks, batch), subject) for batch in batches]
            )
        except (AccessDeniedError, NotFoundError) as error:
            log.info("No ISRCs for album tracks: %s", error)
            return {}
        return {
            track["id"]: track["external_ids"]["isrc"]
            for answer in answers for track in answer.get("tracks") or []
            if track and (track.get("external_ids") or {}).get("isrc")
        }

    def _all_items(self, first: Json, page: PageFetcher, subject: Subject) -> list[Any]:
        """Every item of a paging object whose first page is in hand; the rest fetched in parallel."""
        items = list(first.get("items") or [])
        limit = first.get("limit") or len(items)
        if not limit:
            return items
        offsets = range(first.get("offset", 0) + limit, first.get("total") or 0, limit)
        pages = self._parallel([partial(self._call, partial(page, offset, limit), subject) for offset in offsets])
        for later in pages:
            items.extend(later.get("items") or [])
        return items

    def _parallel(self, calls: list[Callable[[], T]]) -> list[T]:
        """Results in the order of `calls`; the first failure cancels what has not started."""
        if len(calls) <= 1:
            return [call() for call in calls]
        workers = max(1, min(self.settings.spotify_page_concurrency, len(calls)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="spotify-page") as pool:
            futures = [pool.submit(call) for call in calls]
            try:
                return [future.result() for future in futures]
            except BaseException:
                for future in futures:
                    future.cancel()
                raise

    def _call(self, call: Callable[[], T], subject: Subject) -> T:
        return spotify_call(call, self.settings, subject)
