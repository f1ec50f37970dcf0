"""Builders for Spotify Web API and embed-page JSON, in the shapes the real services send.

Tests describe content (`make_tracks(250)`, `local_track(3)`, `episode(1)`, None for a track Spotify
removed) and the fake server wraps it into playlist entries, paging objects and embed pages.
"""
from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

Json = dict[str, Any]
WEB = "https://open.spotify.com"
API = "https://api.spotify.com/v1"
START = datetime(2024, 1, 1, tzinfo=UTC)


def spotify_id(prefix: str, n: int) -> str:
    """A readable 22-character base-62 id: spotify_id("t", 7) == "t000000000000000000007"."""
    return f"{prefix}{n:0{22 - len(prefix)}d}"


def images(key: str) -> list[Json]:
    return [{"url": f"https://i.scdn.co/image/{key}-{size}", "width": size, "height": size} for size in (640, 300, 64)]


def artist(name: str) -> Json:
    artist_id = spotify_id("r", sum(map(ord, name)))
    return {
        "external_urls": {"spotify": f"{WEB}/artist/{artist_id}"}, "href": f"{API}/artists/{artist_id}",
        "id": artist_id, "name": name, "type": "artist", "uri": f"spotify:artist:{artist_id}",
    }


def album_object(n: int, name: str | None = None, artists: list[str] | None = None,
                 release_date: str = "2020-05-17", total_tracks: int = 12) -> Json:
    """A simplified album, as nested in track objects."""
    album_id = spotify_id("a", n)
    return {
        "album_type": "album", "total_tracks": total_tracks, "available_markets": ["DE", "GB", "US"],
        "external_urls": {"spotify": f"{WEB}/album/{album_id}"}, "href": f"{API}/albums/{album_id}",
        "id": album_id, "images": images(album_id), "name": name or f"Album {n}",
        "release_date": release_date, "release_date_precision": "day", "type": "album",
        "uri": f"spotify:album:{album_id}", "artists": [artist(a) for a in artists or [f"Album Artist {n}"]],
        "is_playable": True,
    }


def make_track(n: int, **overrides: Any) -> Json:
    """A full track object; `n` makes id, title, ISRC and album distinct and predictable."""
    track_id = spotify_id("t", n)
    track = {
        "album": album_object(n // 10), "artists": [artist(f"Artist {n}"), artist(f"Guest {n % 3}")],
        "available_markets": ["DE", "GB", "US"], "disc_number": 1, "duration_ms": 180_000 + n,
        "explicit": n % 7 == 0, "external_ids": {"isrc": f"QZES6{n:07d}"},
        "external_urls": {"spotify": f"{WEB}/track/{track_id}"}, "href": f"{API}/tracks/{track_id}",
        "id": track_id, "is_local": False, "name": f"Track {n}", "popularity": 42, "preview_url": None,
        "track_number": n % 12 + 1, "type": "track", "uri": f"spotify:track:{track_id}",
        "episode": False, "track": True,
    }
    track.update(overrides)
    return track


def make_tracks(count: int, start: int = 1) -> list[Json]:
    return [make_track(n) for n in range(start, start + count)]


def local_track(n: int) -> Json:
    """A file the playlist owner added from their own disk: no ids, `is_local` true."""
    return {
        "album": {"album_type": None, "artists": [], "available_markets": [], "external_urls": {}, "href": None,
                  "id": None, "images": [], "name": "Home Recordings", "release_date": None,
                  "release_date_precision": None, "type": "album", "uri": None},
        "artists": [{"external_urls": {}, "href": None, "id": None, "name": "Me", "type": "artist", "uri": None}],
        "available_markets": [], "disc_number": 0, "duration_ms": 201_000, "explicit": False, "external_ids": {},
        "external_urls": {}, "href": None, "id": None, "is_local": True, "name": f"Demo {n}", "popularity": 0,
        "preview_url": None, "track_number": 0, "type": "track",
        "uri": f"spotify:local:Me:Home+Recordings:Demo+{n}:201", "episode": False, "track": True,
    }


def episode(n: int) -> Json:
    episode_id = spotify_id("e", n)
    return {
        "audio_preview_url": None, "description": "An episode.", "duration_ms": 1_800_000, "explicit": False,
        "external_urls": {"spotify": f"{WEB}/episode/{episode_id}"}, "href": f"{API}/episodes/{episode_id}",
        "id": episode_id, "images": images(episode_id), "is_externally_hosted": False, "is_playable": True,
        "language": "en", "languages": ["en"], "name": f"Episode {n}", "release_date": "2024-02-01",
        "release_date_precision": "day", "type": "episode", "uri": f"spotify:episode:{episode_id}",
        "show": {"id": spotify_id("s", 1), "name": "A Podcast", "type": "show", "publisher": "Someone"},
    }


def playlist_entry(obj: Json | None, added_at: datetime, key: str = "item") -> Json:
    """One playlist item; `key` is "item" (API since February 2026) or "track" (before)."""
    return {
        "added_at": added_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "added_by": {"external_urls": {"spotify": f"{WEB}/user/owner"}, "href": f"{API}/users/owner",
                     "id": "owner", "type": "user", "uri": "spotify:user:owner"},
        "is_local": bool(obj and obj.get("is_local")), "primary_color": None, key: obj,
        "video_thumbnail": {"url": None},
    }


def added_times(count: int, newest_first: bool = False) -> list[datetime]:
    times = [START + timedelta(hours=i) for i in range(count)]
    return times[::-1] if newest_first else times


def simplified(track: Json) -> Json:
    """An album listing's track: no album, no external_ids, no popularity."""
    return {k: v for k, v in track.items() if k not in ("album", "external_ids", "popularity", "episode", "track")}


def embed_track(obj: Json) -> Json:
    """A trackList item of the embed page."""
    kind = obj["type"] if not obj.get("is_local") else "local"
    return {
        "uri": obj["uri"], "uid": f"{abs(hash(obj['uri'])) % 16**16:016x}", "title": obj["name"],
        "subtitle": ", ".join(a["name"] for a in obj.get("artists") or []) or obj.get("show", {}).get("name", ""),
        "isExplicit": obj.get("explicit", False), "isNineteenPlus": False, "duration": obj["duration_ms"],
        "isPlayable": True, "audioPreview": None, "entityType": "local" if kind == "local" else kind,
    }


def embed_page(entity: Json) -> str:
    """The HTML of open.spotify.com/embed/<kind>/<id>: Next.js server-side data in __NEXT_DATA__."""
    data = {
        "props": {"pageProps": {
            "state": {
                "data": {"entity": entity, "embeded_entity_uri": entity["uri"]},
                "settings": {"rtl": False, "session": {"accessToken": "anonymous", "isAnonymous": True},
                             "entityContext": entity["type"]},
                "machineState": {"initialized": False},
            },
            "config": {"correlationId": "fake", "strings": {}},
        }, "__N_SSP": True},
        "page": f"/{entity['type']}/[id]", "query": {"id": entity["id"]}, "buildId": "fake-build",
        "isFallback": False, "gssp": True, "scriptLoader": [],
    }
    payload = json.dumps(data).replace("</", "<\\/")  # as Next.js does, so no value can close the script
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charSet=\"utf-8\"/>"
        f"<title>{entity['name']}</title></head><body><div id=\"__next\"></div>"
        f"<script id=\"__NEXT_DATA__\" type=\"application/json\">{payload}</script></body></html>"
    )


def embed_entity(kind: str, entity_id: str, name: str, subtitle: str, tracks: list[Json],
                 release_date: str | None = None) -> Json:
    return {
        "type": kind, "name": name, "uri": f"spotify:{kind}:{entity_id}", "id": entity_id, "title": name,
        "subtitle": subtitle, "authors": [{"name": subtitle}],
        "releaseDate": {"isoString": f"{release_date}T00:00:00Z"} if release_date else None,
        "coverArt": {"extractedColors": {"colorDark": {"hex": "#535353", "isFallback": False}},
                     "sources": [{"url": i["url"], "width": i["width"], "height": i["height"]}
                                 for i in reversed(images(entity_id))]},
        "trackList": [embed_track(t) for t in tracks], "isExplicit": False, "isPlayable": True,
        "duration": sum(t["duration_ms"] for t in tracks), "hasVideo": False,
    }


def select_fields(obj: Any, spec: str) -> Any:
    """Spotify's `fields` filter: "name,owner(display_name),items.total" keeps just those."""
    return _apply_fields(obj, _parse_fields(spec))


FieldTree = dict[str, "FieldTree | None"]  # None: keep the whole value


def _apply_fields(obj: Any, tree: FieldTree) -> Any:
    if isinstance(obj, list):
        return [_apply_fields(item, tree) for item in obj]
    if not isinstance(obj, dict):
        return obj
    # A field the object lacks is left out.
    return {name: obj[name] if sub is None else _apply_fields(obj[name], sub)
            for name, sub in tree.items() if name in obj}


@functools.lru_cache(maxsize=64)
def _parse_fields(spec: str) -> FieldTree:
    tree: FieldTree = {}
    for part in _split_top_level(spec):
        cut = min((i for i in (part.find("("), part.find(".")) if i >= 0), default=-1)
        if cut < 0:
            tree[part] = None
            continue
        inner = _parse_fields(part[cut + 1:-1] if part[cut] == "(" else part[cut + 1:])
        tree = _merge(tree, {part[:cut]: inner})
    return tree


def _merge(a: FieldTree, b: FieldTree) -> FieldTree:
    merged = dict(a)
    for name, sub in b.items():
        if name not in merged:
            merged[name] = sub
        else:  # None (the whole value) wins over a selection
            kept = merged[name]
            merged[name] = None if kept is None or sub is None else _merge(kept, sub)
    return merged


def _split_top_level(spec: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in spec:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p for p in parts + [current] if p]
