"""A fake SoundCloud: api-v2 (resolve, tracks by id, a user's likes and uploads, track search), the web
page that ships the client id, and (in soundcloud_media) streams; JSON in the shapes the real API returns.

Real-API behaviour it keeps, because the client depends on it:
- a set resolves with only its first 5 tracks in full; the rest are stubs {"id", "kind", "policy", ...};
- `/tracks?ids=` takes at most 50 ids, answers a plain list in no particular order (here: reversed)
  and leaves out deleted tracks;
- likes and uploads are paged with an absolute `next_href` (an opaque cursor, no client_id for likes);
- `/search/tracks?q=` answers {"collection", "total_results", "next_href", "query_urn"}, here matching
  the query against titles and usernames;
- every API call needs the current `client_id` (401 otherwise); the home page links its JS bundles with
  <script crossorigin src=...> and one bundle (not the last) contains `client_id:"..."`.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pysync_web.config import Settings
from pysync_web.models import RemotePlaylist
from pysync_web.platforms.soundcloud import SoundCloudClient
from tests.fakes.audio import ToneLibrary
from tests.fakes.server import FakeService, FakeServer, Reply, Request
from tests.fakes.soundcloud_media import SoundCloudMedia

CLIENT_ID = "fAkEsOuNdClOuDcLiEnTiD0123456789"  # 32 letters and digits, like the real ones
SITE = "https://soundcloud.com"
FULL_TRACKS_IN_SET = 5
MAX_IDS = 50
_BUNDLES = ("0-vendor.js", "49-client.js", "50-app.js")
_CLIENT_ID_BUNDLE = "49-client.js"
_EPOCH = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)

Json = dict[str, Any]


class FakeSoundCloud(FakeService):
    def __init__(self, tones: ToneLibrary) -> None:
        self.server = FakeServer()
        self.client_id = CLIENT_ID  # the id the API accepts; change it to simulate a rotation
        self.web_client_id: str | None = CLIENT_ID  # the id the web page ships; None: none to be found
        self.hydrate_client_id = False  # ship it in the page's hydration blob instead of a JS bundle
        self.page_size_cap = 200  # like the real API, pages may be smaller than the limit asked for
        # Where next_href links point; the real API names itself even when reached through a mirror.
        self.next_href_base: str | None = None
        self._objects: dict[str, Json] = {}  # resolvable objects by public URL
        self._tracks: dict[int, Json] = {}
        self._deleted: set[int] = set()
        self._likes: dict[int, list[Json]] = {}
        self._uploads: dict[int, list[int]] = {}
        self._ids = itertools.count(100_001)
        self._minutes = itertools.count(1)
        self._route_api("/resolve", self._resolve)
        self._route_api("/tracks", self._tracks_by_ids)
        self._route_api(r"/users/(?P<id>\d+)/likes", self._user_likes)
        self._route_api(r"/users/(?P<id>\d+)/tracks", self._user_tracks)
        self._route_api("/search/tracks", self._search_tracks)
        self.media = SoundCloudMedia(self.server, tones, self._route_api,
                                     lambda track_id: track_id in self._tracks and track_id not in self._deleted)
        self.server.route("GET", "/", self._home_page)
        self.server.route("GET", r"/assets/(?P<name>[\w.-]+\.js)", self._bundle)


    # --- data builders -------------------------------------------------------------------------------

    def add_user(self, permalink: str, username: str | None = None) -> Json:
        user_id = next(self._ids)
        user: Json = {
            "avatar_url": f"https://i1.sndcdn.com/avatars-{user_id:012d}-ab12cd-large.jpg",
            "city": "", "country_code": None, "first_name": "", "full_name": "", "last_name": "",
            "id": user_id, "kind": "user", "last_modified": self._timestamp(), "permalink": permalink,
            "permalink_url": f"{SITE}/{permalink}", "uri": f"https://api.soundcloud.com/users/{user_id}",
            "urn": f"soundcloud:users:{user_id}", "username": username or permalink.replace("-", " ").title(),
            "verified": False, "badges": {"pro": False, "pro_unlimited": False, "verified": False},
            # Only the resolved user carries these counts, not the copy inside each track.
            "description": "", "followers_count": 0, "followings_count": 0, "likes_count": 0,
            "playlist_likes_count": 0, "playlist_count": 0, "track_count": 0, "created_at": self._timestamp(),
        }
        self._objects[user["permalink_url"]] = user
        self._likes[user_id] = []
        self._uploads[user_id] = []
        return user

    def add_tracks(self, user: Json, count: int, **fields: Any) -> list[Json]:
        """`count` uploads by `user`; `fields` override top-level keys (policy="BLOCK", title=...)."""
        return [self._add_track(user, fields) for _ in range(count)]

    def add_playlist(self, user: Json, slug: str, tracks: list[Json], *, title: str | None = None,
                     secret_token: str | None = None, artwork: bool = False) -> Json:
        playlist_id = next(self._ids)
        artwork_url = f"https://i1.sndcdn.com/artworks-{playlist_id:012d}-ef56gh-large.jpg" if artwork else None
        playlist: Json = {
            "artwork_url": artwork_url,
            "created_at": self._timestamp(), "description": "", "display_date": self._timestamp(),
            "duration": sum(track["duration"] for track in tracks), "embeddable_by": "all", "genre": "",
            "id": playlist_id, "is_album": False, "kind": "playlist", "label_name": None,
            "last_modified": self._timestamp(), "license": "all-rights-reserved", "likes_count": 0,
            "managed_by_feeds": False, "permalink": slug, "permalink_url": f"{user['permalink_url']}/sets/{slug}",
            "public": secret_token is None, "published_at": self._timestamp(), "purchase_title": None,
            "purchase_url": None, "release_date": None, "reposts_count": 0, "secret_token": secret_token,
            "set_type": "", "sharing": "private" if secret_token else "public", "tag_list": "",
            "title": title or slug.replace("-", " ").title(), "track_count": len(tracks),
            "track_ids": [track["id"] for track in tracks],  # internal; rendered as "tracks" on resolve
            "uri": f"https://api.soundcloud.com/playlists/{playlist_id}",
            "urn": f"soundcloud:playlists:{playlist_id}",
            "user": self._user_mini(user), "user_id": user["id"],
        }
        # A private set resolves only through its secret link.
        link = f"{playlist['permalink_url']}/{secret_token}" if secret_token else playlist["permalink_url"]
        self._objects[link] = playlist
        return playlist

    def like(self, user: Json, item: Json) -> None:
        """`user` likes a track or a set, now: likes are listed newest first."""
        self._likes[user["id"]].insert(0, {"created_at": self._timestamp(), "kind": "like", item["kind"]: item})
        user["likes_count" if item["kind"] == "track" else "playlist_likes_count"] += 1

    def delete_track(self, track: Json) -> None:
        """Gone from /tracks and from likes; sets still list its id as a stub, as on SoundCloud."""
        self._deleted.add(track["id"])

    # --- API -----------------------------------------------------------------------------------------

    def _route_api(self, path: str, handler: Callable[[Request], Reply]) -> None:
        def checked(request: Request) -> Reply:
            if request.query.get("client_id") != self.client_id:
                return Reply.json({"code": 401, "message": "", "status": "401 - Unauthorized", "errors": [],
                                   "error": None}, status=401)
            return handler(request)

        self.server.route("GET", path, checked)

    def _resolve(self, request: Request) -> Reply:
        found = self._objects.get(request.query.get("url", "").rstrip("/"))
        if found is None:
            return Reply.json({}, status=404)
        if found["kind"] != "playlist":
            return Reply.json(found)
        # Sets come with their first tracks in full and the rest as id-only stubs.
        shown = {key: value for key, value in found.items() if key != "track_ids"}
        shown["tracks"] = [
            self._tracks[track_id] if index < FULL_TRACKS_IN_SET and track_id not in self._deleted
            else self._stub(track_id)
            for index, track_id in enumerate(found["track_ids"])
        ]
        return Reply.json(shown)

    def _tracks_by_ids(self, request: Request) -> Reply:
        ids = [int(part) for part in request.query.get("ids", "").split(",") if part]
        if len(ids) > MAX_IDS:
            return Reply.json({"code": 400, "message": f"at most {MAX_IDS} ids"}, status=400)
        available = self._tracks.keys() - self._deleted
        return Reply.json([self._tracks[track_id] for track_id in reversed(ids) if track_id in available])

    def _search_tracks(self, request: Request) -> Reply:
        words = request.query.get("q", "").lower().split()
        found = [track for track_id, track in self._tracks.items() if track_id not in self._deleted
                 and all(word in f"{track['title']} {track['user']['username']}".lower() for word in words)]
        return Reply.json({"collection": found[:int(request.query.get("limit", "10"))], "total_results": len(found),
                           "next_href": None, "query_urn": "soundcloud:search:0123456789abcdef"})

    def _user_likes(self, request: Request) -> Reply:
        likes = [like for like in self._likes.get(int(_group(request, "id")), [])
                 if "track" not in like or like["track"]["id"] not in self._deleted]
        return self._page(request, likes, echo_client_id=False)

    def _user_tracks(self, request: Request) -> Reply:
        newest_first = reversed(self._uploads.get(int(_group(request, "id")), []))
        uploads = [self._tracks[track_id] for track_id in newest_first if track_id not in self._deleted]
        return self._page(request, uploads, echo_client_id=True)

    def _page(self, request: Request, items: list[Json], echo_client_id: bool) -> Reply:
        """Linked partitioning: an opaque cursor in `offset`, absolute next_href, null on the last page."""
        start = int(request.query.get("offset", "cursor-0").removeprefix("cursor-"))
        limit = min(int(request.query.get("limit", "10")), self.page_size_cap)
        end = start + limit
        next_href = None
        if end < len(items):
            base = self.next_href_base or self.url
            next_href = f"{base}{request.path}?offset=cursor-{end}&limit={limit}&linked_partitioning=1"
            if echo_client_id:  # some next_hrefs carry the caller's client_id, most don't
                next_href += f"&client_id={request.query['client_id']}"
        return Reply.json({"collection": items[start:end], "next_href": next_href, "query_urn": None})

    # --- web app -------------------------------------------------------------------------------------

    def _home_page(self, request: Request) -> Reply:
        hydration: list[Json] = [{"hydratable": "anonymousId", "data": "123456-789012-345678-901234"}]
        if self.hydrate_client_id and self.web_client_id:
            hydration.append({"hydratable": "apiClient", "data": {"id": self.web_client_id, "isExpiring": False}})
        blob = json.dumps(hydration, separators=(",", ":"))
        scripts = "\n".join(f'<script crossorigin src="{self.url}/assets/{name}"></script>' for name in _BUNDLES)
        return Reply.text(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>SoundCloud</title>\n'
            '<script>window.__sc_version="1700000000"</script></head><body><div id="app"></div>\n'
            f"<script>window.__sc_hydration = {blob};</script>\n{scripts}\n</body></html>"
        )

    def _bundle(self, request: Request) -> Reply:
        name = _group(request, "name")
        if name not in _BUNDLES:
            return Reply.text("Not found", content_type="text/plain", status=404)
        body = f'(self.webpackChunk=self.webpackChunk||[]).push([["{name}"],{{1:function(e,t,n){{}}}}]);'
        if name == _CLIENT_ID_BUNDLE and self.web_client_id and not self.hydrate_client_id:
            body += f'n.d(t,{{api:{{env:"production",client_id:"{self.web_client_id}",app_version:"1"}}}});'
        return Reply.text(body, content_type="application/javascript")

    # --- JSON shapes ---------------------------------------------------------------------------------

    def _add_track(self, user: Json, fields: dict[str, Any]) -> Json:
        track_id = next(self._ids)
        created = self._timestamp()
        track: Json = {
            "artwork_url": f"https://i1.sndcdn.com/artworks-{track_id:012d}-ab12cd-large.jpg",
            "caption": None, "comment_count": 0, "commentable": True, "created_at": created, "description": "",
            "display_date": created, "downloadable": False, "duration": 180_000 + track_id % 1000,
            "embeddable_by": "all", "full_duration": 180_000 + track_id % 1000, "genre": "Electronic",
            "has_downloads_left": True, "id": track_id, "kind": "track", "label_name": None,
            "last_modified": created, "license": "all-rights-reserved", "likes_count": 0,
            # Go+ tracks (policy SNIP) come with 30-second previews only.
            "media": {"transcodings": SoundCloudMedia.transcodings(track_id, snipped=fields.get("policy") == "SNIP")},
            "monetization_model": "NOT_APPLICABLE", "permalink": f"track-{track_id}",
            "permalink_url": f"{user['permalink_url']}/track-{track_id}", "playback_count": 0, "policy": "ALLOW",
            "public": True, "publisher_metadata": {"id": track_id, "urn": f"soundcloud:tracks:{track_id}",
                                                   "contains_music": True},
            "purchase_title": None, "purchase_url": None, "release_date": None, "reposts_count": 0,
            "secret_token": None, "sharing": "public", "state": "finished", "streamable": True, "tag_list": "",
            "title": f"Track {track_id}", "track_authorization": f"trackauth-{track_id}", "track_format": "single-track",
            "uri": f"https://api.soundcloud.com/tracks/{track_id}", "urn": f"soundcloud:tracks:{track_id}",
            "user": self._user_mini(user), "user_id": user["id"],
            "waveform_url": f"https://wave.sndcdn.com/{track_id}_m.json", **fields,
        }
        self._tracks[track_id] = track
        self._objects[track["permalink_url"]] = track
        self._uploads[user["id"]].append(track_id)
        user["track_count"] += 1
        return track

    def _stub(self, track_id: int) -> Json:
        track = self._tracks[track_id]
        return {"id": track_id, "kind": "track", "monetization_model": track["monetization_model"],
                "policy": track["policy"]}

    @staticmethod
    def _user_mini(user: Json) -> Json:
        keys = ("avatar_url", "first_name", "full_name", "id", "kind", "last_modified", "last_name", "permalink",
                "permalink_url", "uri", "urn", "username", "verified", "city", "country_code", "badges")
        return {key: user[key] for key in keys}

    def _timestamp(self) -> str:
        """Distinct, increasing times, in the API's format."""
        return (_EPOCH + timedelta(minutes=next(self._minutes))).strftime("%Y-%m-%dT%H:%M:%SZ")


def _group(request: Request, name: str) -> str:
    assert request.match is not None  # FakeServer sets it for every routed request
    return request.match[name]


def fetch_link(settings: Settings, url: str) -> RemotePlaylist:
    """What adding `url` makes the real client do, against whatever `settings` point at."""
    return SoundCloudClient(settings).fetch_playlist(SoundCloudClient.parse_url(url))


@pytest.fixture
def fake_soundcloud(tones: ToneLibrary) -> Iterator[FakeSoundCloud]:
    fake = FakeSoundCloud(tones).start()
    yield fake
    fake.stop()


@pytest.fixture
def soundcloud_settings(tmp_path: Path, fake_soundcloud: FakeSoundCloud) -> Settings:
    """No client id configured, as for most users: the client discovers it from the fake web page."""
    return Settings(
        data_dir=tmp_path,
        soundcloud_api_url=fake_soundcloud.url,
        soundcloud_web_url=fake_soundcloud.url,
        retry_backoff_s=0.001,
    )
