"""A fake Spotify: accounts service (spotify_accounts.py), Web API and embed pages on one FakeServer.

It checks what the real one checks (client id + secret on the token endpoint, bearer tokens, user
tokens for the library, page limits) and answers in the real JSON shapes, with absolute `next` links.

    def test_big_playlist(fake_spotify, spotify_settings):
        playlist_id = fake_spotify.add_playlist(make_tracks(250) + [None, local_track(1)], snapshot_id="s1")

Faults and latency come from FakeServer (`fake_spotify.server.fail(...)`, `.server.latency_s`) and
`fail_page(offset, reply)` for one page of playlist items; logins from
`fake_spotify.accounts.approve_login(authorize_url)`.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from pysync_web.config import Settings
from tests.fakes.server import FakeService, FakeServer, Reply, Request
from tests.fakes.spotify_accounts import CLIENT_ID, CLIENT_SECRET, FakeAccounts
from tests.fakes.spotify_data import (
    WEB, Json, added_times, album_object, embed_entity, embed_page, images, make_track, make_tracks,
    playlist_entry, select_fields, simplified, spotify_id,
)

__all__ = ["FakeSpotify", "fake_settings", "fake_spotify", "make_track", "make_tracks", "spotify_settings"]

PAGE_LIMITS = {"items": 100, "tracks": 50, "saved": 50}


def api_error(status: int, message: str) -> Reply:
    return Reply.json({"error": {"status": status, "message": message}}, status=status)


def path_arg(request: Request, name: str) -> str:
    assert request.match is not None  # set by FakeServer for every routed request
    return request.match[name]


def fake_settings(url: str, data_dir: Path, **overrides: Any) -> Settings:
    """Settings pointing every Spotify URL at a fake at `url`, with its credentials and near-zero backoff."""
    base = Settings(
        data_dir=data_dir, spotify_client_id=CLIENT_ID, spotify_client_secret=CLIENT_SECRET,
        spotify_api_url=f"{url}/v1", spotify_accounts_url=url, spotify_web_url=url,
        retry_backoff_s=0.001, http_timeout_s=5.0,
    )
    return replace(base, **overrides)


@dataclass
class FakePlaylist:
    id: str
    name: str
    owner: str
    snapshot_id: str
    objects: list[Json | None]  # what the test passed: track or episode objects, None for unavailable
    entries: list[Json]  # the playlist items wrapping them
    container: str  # "items" since February 2026, "tracks" before
    private: bool = False


class FakeSpotify(FakeService):
    def __init__(self) -> None:
        self.server = FakeServer()
        self.accounts = FakeAccounts(self.server)
        self.playlists: dict[str, FakePlaylist] = {}
        self.albums: dict[str, tuple[Json, list[Json]]] = {}
        self.catalogue: dict[str, Json] = {}
        self.liked: list[Json] = []
        self.several_tracks_endpoint = True  # False: GET /tracks answers 403, as for Development Mode apps
        # True: item pages asked for with `fields` report `total` as 50 at most, as Spotify was seen doing.
        self.understate_filtered_totals = False
        self._page_faults: dict[int, list[Reply]] = {}  # playlist items offset -> replies to give first
        self._counter = itertools.count(1)
        route = self.server.route
        route("GET", r"/v1/playlists/(?P<id>\w+)", self._playlist)
        route("GET", r"/v1/playlists/(?P<id>\w+)/items", self._playlist_items)
        route("GET", r"/v1/albums/(?P<id>\w+)", self._album)
        route("GET", r"/v1/albums/(?P<id>\w+)/tracks/?", self._album_tracks)
        route("GET", r"/v1/tracks/?", self._several_tracks)
        route("GET", r"/v1/me/tracks", self._saved_tracks)
        route("GET", r"/embed/(?P<kind>playlist|album)/(?P<id>\w+)", self._embed)

    # -- set-up ------------------------------------------------------------------------------------


    def settings(self, data_dir: Path, **overrides: Any) -> Settings:
        return fake_settings(self.url, data_dir, **overrides)

    def add_playlist(self, tracks: Sequence[Json | None], *, snapshot_id: str = "snapshot-1", name: str = "Road Trip",
                     owner: str = "Dana", private: bool = False, item_key: str = "item",
                     playlist_id: str | None = None) -> str:
        """Entries from track or episode objects; None is a track Spotify no longer has.

        Pass the `playlist_id` of an added playlist to replace its content, as when its owner edits it.
        """
        playlist_id = playlist_id or spotify_id("p", next(self._counter))
        times = added_times(len(tracks))
        entries = [playlist_entry(obj, at, item_key) for obj, at in zip(tracks, times, strict=True)]
        self.playlists[playlist_id] = FakePlaylist(
            playlist_id, name, owner, snapshot_id, list(tracks), entries,
            "items" if item_key == "item" else "tracks", private,
        )
        self._remember(tracks)
        return playlist_id

    def add_album(self, tracks: list[Json], *, name: str = "Greatest Hits", artists: tuple[str, ...] = ("The Band",),
                  release_date: str = "2021-03-05") -> str:
        number = next(self._counter)
        album = album_object(number, name, list(artists), release_date, total_tracks=len(tracks))
        full = [dict(track, album=album, track_number=i) for i, track in enumerate(tracks, 1)]
        self.albums[album["id"]] = (album, full)
        self._remember(full)
        return album["id"]

    def set_liked(self, tracks: list[Json]) -> None:
        """Saved tracks, newest first as Spotify lists them."""
        self.liked = [{"added_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "track": track}
                      for track, at in zip(tracks, added_times(len(tracks), newest_first=True), strict=True)]
        self._remember(tracks)

    def fail_page(self, offset: int, reply: Reply, times: int = 1) -> None:
        """Answer the next `times` playlist-items requests at `offset` with `reply` (FakeServer.fail
        matches paths only, and all pages share one path)."""
        self._page_faults.setdefault(offset, []).extend([reply] * times)

    def api_requests(self, path_regex: str = r"^/v1/") -> list[Request]:
        return self.server.requests_to(path_regex)

    def _remember(self, objects: Sequence[Json | None]) -> None:
        self.catalogue.update({o["id"]: o for o in objects if o and o.get("id") and o["type"] == "track"})

    # -- Web API -----------------------------------------------------------------------------------

    def _page(self, request: Request, items: list[Any], kind: str) -> Reply:
        try:
            offset = int(request.query.get("offset", 0))
            limit = int(request.query.get("limit", 20))
        except ValueError:
            return api_error(400, "Invalid limit")
        if not 1 <= limit <= PAGE_LIMITS[kind] or offset < 0:
            return api_error(400, "Invalid limit" if offset >= 0 else "Invalid offset")
        page = self._paging(request.path, items, offset, limit, request.query)
        fields = request.query.get("fields")
        if fields and self.understate_filtered_totals:
            page["total"] = min(page["total"], 50)
        return Reply.json(select_fields(page, fields) if fields else page)

    def _paging(self, path: str, items: list[Any], offset: int, limit: int, query: dict[str, str]) -> Json:
        def link(at: int) -> str:
            return f"{self.url}{path}?{urlencode({**query, 'offset': at, 'limit': limit})}"

        return {
            "href": link(offset), "items": items[offset:offset + limit], "limit": limit,
            "next": link(offset + limit) if offset + limit < len(items) else None, "offset": offset,
            "previous": link(max(0, offset - limit)) if offset > 0 else None, "total": len(items),
        }

    def _visible_playlist(self, request: Request) -> FakePlaylist | Reply:
        if self.accounts.token_kind(request) is None:
            return api_error(401, "Invalid access token")
        playlist = self.playlists.get(path_arg(request, "id"))
        if playlist is None:
            return api_error(404, "Resource not found")
        return api_error(403, "Forbidden") if playlist.private else playlist

    def _playlist(self, request: Request) -> Reply:
        playlist = self._visible_playlist(request)
        if isinstance(playlist, Reply):
            return playlist
        body = {
            "collaborative": False, "description": "", "external_urls": {"spotify": f"{WEB}/playlist/{playlist.id}"},
            "followers": {"href": None, "total": 3}, "href": f"{self.url}{request.path}", "id": playlist.id,
            "images": images(playlist.id), "name": playlist.name,
            "owner": {"display_name": playlist.owner, "id": "owner", "type": "user", "uri": "spotify:user:owner"},
            "primary_color": None, "public": True, "snapshot_id": playlist.snapshot_id, "type": "playlist",
            "uri": f"spotify:playlist:{playlist.id}",
            playlist.container: self._paging(f"{request.path}/items", playlist.entries, 0, 100, {}),
        }
        fields = request.query.get("fields")
        return Reply.json(select_fields(body, fields) if fields else body)

    def _playlist_items(self, request: Request) -> Reply:
        faults = self._page_faults.get(int(request.query.get("offset", 0)))
        if faults:
            return faults.pop()
        playlist = self._visible_playlist(request)
        return playlist if isinstance(playlist, Reply) else self._page(request, playlist.entries, "items")

    def _album(self, request: Request) -> Reply:
        if self.accounts.token_kind(request) is None:
            return api_error(401, "Invalid access token")
        if path_arg(request, "id") not in self.albums:
            return api_error(404, "Resource not found")
        album, tracks = self.albums[path_arg(request, "id")]
        listing = [simplified(t) for t in tracks]
        return Reply.json({**album, "copyrights": [], "external_ids": {"upc": "0000000000000"}, "genres": [],
                           "label": "Fake Records", "popularity": 10,
                           "tracks": self._paging(f"{request.path}/tracks", listing, 0, 50, {})})

    def _album_tracks(self, request: Request) -> Reply:
        if self.accounts.token_kind(request) is None:
            return api_error(401, "Invalid access token")
        album = self.albums.get(path_arg(request, "id"))
        if album is None:
            return api_error(404, "Resource not found")
        return self._page(request, [simplified(t) for t in album[1]], "tracks")

    def _several_tracks(self, request: Request) -> Reply:
        if self.accounts.token_kind(request) is None:
            return api_error(401, "Invalid access token")
        if not self.several_tracks_endpoint:
            return api_error(403, "Forbidden")
        ids = [i for i in request.query.get("ids", "").split(",") if i]
        if not ids or len(ids) > 50:
            return api_error(400, "Too many ids requested" if ids else "Missing ids")
        return Reply.json({"tracks": [self.catalogue.get(i) for i in ids]})

    def _saved_tracks(self, request: Request) -> Reply:
        if self.accounts.token_kind(request) != "user":
            return api_error(401, "Permissions missing")
        return self._page(request, self.liked, "saved")

    # -- embed page --------------------------------------------------------------------------------

    def _embed(self, request: Request) -> Reply:
        kind, entity_id = path_arg(request, "kind"), path_arg(request, "id")
        if kind == "playlist" and entity_id in self.playlists and not self.playlists[entity_id].private:
            playlist = self.playlists[entity_id]
            # The embed lists the first 100 entries and leaves out tracks Spotify no longer has.
            shown = [o for o in playlist.objects if o is not None][:100]
            entity = embed_entity("playlist", entity_id, playlist.name, playlist.owner, shown)
        elif kind == "album" and entity_id in self.albums:
            album, tracks = self.albums[entity_id]
            entity = embed_entity("album", entity_id, album["name"], ", ".join(a["name"] for a in album["artists"]),
                                  tracks, album["release_date"])
        else:
            return Reply.text("<!DOCTYPE html><html><body>Page not found</body></html>", status=404)
        return Reply.text(embed_page(entity))


@pytest.fixture
def fake_spotify() -> Iterator[FakeSpotify]:
    fake = FakeSpotify().start()
    yield fake
    fake.stop()


@pytest.fixture
def spotify_settings(fake_spotify: FakeSpotify, tmp_path: Path) -> Settings:
    return fake_spotify.settings(tmp_path / "data")
