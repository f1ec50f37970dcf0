"""SoundCloud sets, likes and uploads, read from api-v2: the API SoundCloud's own web app uses.

What the API gives and how we use it:
- `/resolve?url=` turns a public link into a playlist or user object. A playlist lists every track,
  but only the first few in full; the rest are stubs ({"id", "kind", "policy", ...}) that we fill from
  `/tracks?ids=` in batches. Ids missing from that answer were deleted or hidden: counted unavailable.
- Likes and uploads come from `/users/{id}/likes|tracks`, paged by an absolute `next_href` cursor.
- SoundCloud has no snapshot id, and a set's `last_modified` is no safe stand-in: the tracks in a set
  are deleted, blocked or edited by their owners without the set itself changing. The resolve answer
  lists every id anyway, so a full read costs one more request per 50 tracks: `snapshot_id` stays None.
- on.soundcloud.com short links are redirects that only the network can expand, and `parse_url` is
  offline, so they are refused with instructions instead of being stored under a second address.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests

from pysync_web.config import Settings
from pysync_web.errors import (
    CredentialsError,
    InvalidUrlError,
    NotFoundError,
    PySyncError,
    ServiceUnavailableError,
    UnsupportedUrlError,
)
from pysync_web.models import Platform, PlaylistKind, PlaylistRef, RemotePlaylist, RemoteTrack, SkippedItems
from pysync_web.platforms.base import PlatformClient
from pysync_web.platforms.soundcloud_client_id import client_id_for, replace_rejected_client_id, soundcloud_get

SITE = "https://soundcloud.com"
HOSTS = frozenset({"soundcloud.com", "www.soundcloud.com", "m.soundcloud.com", "on.soundcloud.com"})
IDS_PER_REQUEST = 50  # /tracks?ids= answers at most 50 tracks
PAGE_SIZE = 200  # the largest page linked partitioning serves
ID_BATCH_CONCURRENCY = 4  # parallel /tracks?ids= calls; modest, api-v2 rate limits are undocumented
PASTE_HINT = "paste a playlist (…/sets/…), likes or profile link"
INVALID_CLIENT_ID = (
    "SoundCloud client id is invalid or expired — put a current one in Settings or "
    "PYSYNC_SOUNDCLOUD_CLIENT_ID, or clear both to have one obtained automatically."
)

_NAME = re.compile(r"[a-z0-9_-]+")  # permalinks of users, tracks and sets
_SECRET_TOKEN = re.compile(r"s-[A-Za-z0-9]+")  # the last segment of a private ("secret") link
# First path segments that are SoundCloud's own pages, not user profiles.
_RESERVED = frozenset({
    "charts", "discover", "feed", "go", "jobs", "messages", "mobile", "notifications", "pages", "people",
    "player", "popular", "pro", "search", "settings", "signin", "signup", "stations", "stream", "tags",
    "terms-of-use", "upload",
})
# Profile tabs that are not a list of tracks we can sync.
_OTHER_TABS = frozenset({
    "albums", "comments", "followers", "following", "popular-tracks", "reposts", "sets", "spotlight",
})
_LARGE_IMAGE = re.compile(r"-large(?=\.\w+$)")
_REJECTED = (401, 403)


class SoundCloudClient(PlatformClient):
    platform = Platform.SOUNDCLOUD

    def __init__(self, settings: Settings, session: requests.Session | None = None):
        super().__init__(settings)
        self._session = session or requests.Session()

    @classmethod
    def claims(cls, url: str) -> bool:
        try:
            scheme, host, _ = _split(url)
        except ValueError:
            return False
        return scheme in ("http", "https") and host in HOSTS

    @classmethod
    def parse_url(cls, url: str) -> PlaylistRef:
        try:
            _, host, segments = _split(url)
        except ValueError:
            raise InvalidUrlError(f"{url!r} is not a link we can read.") from None
        if host == "on.soundcloud.com":
            raise UnsupportedUrlError(
                "Short on.soundcloud.com links can't be read without opening them: open it in a browser "
                f"and paste the soundcloud.com address it leads to ({PASTE_HINT})."
            )
        if not segments:
            raise UnsupportedUrlError(f"That is SoundCloud's home page; {PASTE_HINT}.")
        user, rest = segments[0].lower(), segments[1:]
        if user == "you":
            raise UnsupportedUrlError(
                f"soundcloud.com/you pages need a login; {PASTE_HINT} from your public profile instead."
            )
        if user in _RESERVED:
            raise UnsupportedUrlError(f"soundcloud.com/{user} pages can't be synced; {PASTE_HINT}.")
        if not _NAME.fullmatch(user):
            raise InvalidUrlError(f"{url!r} is not a SoundCloud profile, set or likes link.")
        # A private ("secret") set or track link ends in a case-sensitive token: keep it as pasted.
        secret = rest[-1] if len(rest) >= 2 and _SECRET_TOKEN.fullmatch(rest[-1]) else None
        match [part.lower() for part in (rest[:-1] if secret else rest)]:
            case [] | ["tracks"]:
                return _ref(PlaylistKind.USER_TRACKS, f"{user}/tracks")
            case ["likes"]:
                return _ref(PlaylistKind.LIKES, f"{user}/likes")
            case ["sets", slug] if _NAME.fullmatch(slug):
                return _ref(PlaylistKind.PLAYLIST, "/".join(filter(None, (user, "sets", slug, secret))))
            case [tab] if tab in _OTHER_TABS:
                raise UnsupportedUrlError(f"A profile's {tab} tab can't be synced; {PASTE_HINT}.")
            case [track] if _NAME.fullmatch(track):
                raise UnsupportedUrlError(f"That is a single SoundCloud track; {PASTE_HINT}")
            case _:
                raise UnsupportedUrlError(f"That SoundCloud page can't be synced; {PASTE_HINT}.")

    def fetch_playlist(self, ref: PlaylistRef, known_snapshot_id: str | None = None) -> RemotePlaylist:
        # For likes and uploads the profile is resolved: /USER/likes and /USER/tracks are pages, not objects.
        target = ref.url if ref.kind is PlaylistKind.PLAYLIST else f"{SITE}/{ref.external_id.split('/')[0]}"
        resolved = self._get_json("/resolve", {"url": target}, ref)
        expected = "playlist" if ref.kind is PlaylistKind.PLAYLIST else "user"
        if not isinstance(resolved, dict) or resolved.get("kind") != expected:
            raise NotFoundError(f"{ref.url} is not a SoundCloud {expected} (anymore); check the link.")
        if ref.kind is PlaylistKind.PLAYLIST:
            return self._playlist(ref, resolved)
        return self._user_list(ref, resolved)

    def _playlist(self, ref: PlaylistRef, playlist: dict[str, Any]) -> RemotePlaylist:
        items = [item for item in playlist.get("tracks") or [] if isinstance(item, dict) and "id" in item]
        by_id = {item["id"]: item for item in items if "permalink_url" in item}  # the full ones
        stub_ids = list(dict.fromkeys(item["id"] for item in items if item["id"] not in by_id))  # a set may repeat
        by_id.update(self._tracks_by_id(stub_ids, playlist, ref))
        # Sets have no per-track "added" date; a missing id maps to None and is counted unavailable.
        entries = ((by_id.get(item["id"]), None) for item in items)
        remote = _remote_playlist(ref, playlist.get("user") or {}, playlist.get("title") or ref.url,
                                  playlist.get("track_count"), entries)
        # A set without artwork shows its first track's on soundcloud.com.
        first_cover = next((track.cover_url for track in remote.tracks or [] if track.cover_url), None)
        remote.cover_url = _large_image(playlist.get("artwork_url")) or first_cover or remote.cover_url
        return remote

    def _tracks_by_id(
        self, ids: list[int], playlist: dict[str, Any], ref: PlaylistRef
    ) -> dict[int, dict[str, Any]]:
        # Tracks of a private set are only served with the set's id and secret token (yt-dlp does the same).
        access = ({"playlistId": str(playlist["id"]), "playlistSecretToken": playlist["secret_token"]}
                  if playlist.get("secret_token") else {})
        batches = [ids[start:start + IDS_PER_REQUEST] for start in range(0, len(ids), IDS_PER_REQUEST)]
        if not batches:
            return {}

        def fetch(batch: list[int]) -> Any:
            return self._get_json("/tracks", {"ids": ",".join(map(str, batch)), **access}, ref)

        with ThreadPoolExecutor(max_workers=ID_BATCH_CONCURRENCY, thread_name_prefix="soundcloud-ids") as pool:
            answers = list(pool.map(fetch, batches))
        # The answer is a plain list, in no promised order; deleted and blocked ids are simply absent.
        return {track["id"]: track for answer in answers for track in answer if isinstance(track, dict)}

    def _user_list(self, ref: PlaylistRef, user: dict[str, Any]) -> RemotePlaylist:
        username = user.get("username") or ref.external_id.split("/")[0]
        if ref.kind is PlaylistKind.LIKES:
            # Likes of whole sets are not tracks: left out, and not counted as skipped either.
            entries = ((item["track"], _time(item.get("created_at")))
                       for item in self._pages(f"/users/{user['id']}/likes", ref) if item.get("track"))
            return _remote_playlist(ref, user, f"{username}'s likes", user.get("likes_count"), entries)
        # An upload was "added" to the profile when it was created; lets track/date limits keep the newest.
        uploads = self._pages(f"/users/{user['id']}/tracks", ref)
        entries = ((track, _time(track.get("created_at"))) for track in uploads)
        return _remote_playlist(ref, user, f"{username}'s tracks", user.get("track_count"), entries)

    def _pages(self, path: str, ref: PlaylistRef) -> Iterator[dict[str, Any]]:
        params = {"limit": str(PAGE_SIZE), "linked_partitioning": "1"}
        seen: set[str] = set()
        while True:
            page = self._get_json(path, params, ref)
            yield from (item for item in page.get("collection") or [] if isinstance(item, dict))
            next_href = page.get("next_href")
            if not next_href or next_href in seen:  # a repeated cursor would loop forever
                return
            seen.add(next_href)
            # next_href names api-v2.soundcloud.com: keep only its path and cursor, so a configured mirror
            # keeps being used and our client id goes nowhere else. Its client_id, if any, is replaced by ours.
            parts = urlsplit(next_href)
            path, params = parts.path, dict(parse_qsl(parts.query))

    def _get_json(self, path: str, params: dict[str, str], ref: PlaylistRef) -> Any:
        return api_json(self.settings, self._session, path, params, subject=ref.url,
                        not_found_hint="check the link; private sets need their secret link")


def api_json(
    settings: Settings, session: requests.Session, path: str, params: dict[str, str], *,
    subject: str, not_found_hint: str = "check the link",
) -> Any:
    """One api-v2 call with our client id; `subject` names what was asked for in the messages a user sees."""
    url = settings.soundcloud_api_url.rstrip("/") + path
    client_id, discovered = client_id_for(settings, session)
    response = soundcloud_get(session, settings, url, {**params, "client_id": client_id})
    if response.status_code in _REJECTED and discovered:
        # Discovered ids expire with SoundCloud's web releases: fetch the current one, try once more.
        client_id = replace_rejected_client_id(settings, client_id, session)
        response = soundcloud_get(session, settings, url, {**params, "client_id": client_id})
    if response.status_code in _REJECTED:
        raise CredentialsError(INVALID_CLIENT_ID)
    if response.status_code == 404:
        raise NotFoundError(f"SoundCloud has nothing at {subject} — {not_found_hint}.")
    if response.status_code >= 400:
        raise PySyncError(f"SoundCloud refused to read {subject} (HTTP {response.status_code}).")
    try:
        return response.json()
    except ValueError:
        raise ServiceUnavailableError(
            f"SoundCloud answered {subject} with something that is not JSON; try again later."
        ) from None


def _split(url: str) -> tuple[str, str, list[str]]:
    """Scheme, lowercase host and path segments; a pasted link without scheme is read as https."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    segments = [unquote(part) for part in parts.path.split("/") if part]
    return parts.scheme.lower(), (parts.hostname or "").lower(), segments


def _ref(kind: PlaylistKind, path: str) -> PlaylistRef:
    # Numeric ids are only known after /resolve, so the canonical path is the identity.
    return PlaylistRef(Platform.SOUNDCLOUD, kind, external_id=path, url=f"{SITE}/{path}")


def _remote_playlist(
    ref: PlaylistRef, owner: dict[str, Any], name: str, total: Any,
    entries: Iterable[tuple[dict[str, Any] | None, datetime | None]],
) -> RemotePlaylist:
    skipped = SkippedItems()
    tracks: list[RemoteTrack] = []
    previews = 0
    for data, added_at in entries:
        # policy BLOCK: not playable in this region; a missing track was deleted or made private.
        if data is None or data.get("policy") == "BLOCK":
            skipped.unavailable += 1
            continue
        track = _track(data, added_at)
        previews += track.audio_url is None
        tracks.append(track)
    return RemotePlaylist(
        ref=ref, name=name, owner=owner.get("username") or "", cover_url=_large_image(owner.get("avatar_url")),
        total=total if isinstance(total, int) else None, tracks=tracks, skipped=skipped,
        notice=(f"{previews} track(s) are SoundCloud Go+ only: SoundCloud plays us just a 30-second preview, "
                "so their audio does not come from SoundCloud.") if previews else None,
    )


def _track(data: dict[str, Any], added_at: datetime | None) -> RemoteTrack:
    meta = data.get("publisher_metadata") or {}
    user = data.get("user") or {}
    # The label-supplied artist is better than the uploader (often a label or a repost channel).
    # Not split on "&" or ",": duo names like "Simon & Garfunkel" would break.
    artist = meta.get("artist") or user.get("username")
    return RemoteTrack(
        platform=Platform.SOUNDCLOUD,
        platform_id=str(data["id"]),
        title=data.get("title") or "",
        artists=[artist] if artist else [],
        album=meta.get("album_title") or "",
        duration_ms=data.get("full_duration") or data.get("duration"),
        isrc=meta.get("isrc") or None,
        cover_url=_large_image(data.get("artwork_url") or user.get("avatar_url")),
        url=data.get("permalink_url"),
        # policy SNIP means Go+ only: yt-dlp would get a 30-second preview, so there is no audio source.
        audio_url=None if data.get("policy") == "SNIP" else data.get("permalink_url"),
        explicit=bool(meta.get("explicit")),
        # Most uploads have no release_date; display_date (falling back to the upload) is what SoundCloud shows.
        release_date=_day(data.get("release_date") or data.get("display_date") or data.get("created_at")),
        added_at=added_at,
    )


def _large_image(url: str | None) -> str | None:
    """Artwork and avatars come as 100x100 "-large" files; the same name with -t500x500 is 500x500."""
    return _LARGE_IMAGE.sub("-t500x500", url) if url else None


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None
