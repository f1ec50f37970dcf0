"""Reading pasted Spotify links and URIs into PlaylistRefs, offline.

People paste whatever the Spotify apps hand them: share links with `?si=` tracking, localised
`/intl-de/` paths, embed links, `spotify:` URIs and old `/user/<name>/playlist/<id>` links. All of them
map to one canonical URL so a playlist is recognised however it was pasted.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from pysync_web.errors import InvalidUrlError, UnsupportedUrlError
from pysync_web.models import Platform, PlaylistKind, PlaylistRef

CANONICAL_WEB = "https://open.spotify.com"
LIKED_SONGS_ID = "liked"
_WEB_HOSTS = frozenset({"open.spotify.com", "play.spotify.com"})
_SHORT_LINK_HOST = "spotify.link"
_ID = re.compile(r"[0-9A-Za-z]{22}")  # Spotify ids are 22 base-62 characters
_KINDS = {"playlist": PlaylistKind.PLAYLIST, "album": PlaylistKind.ALBUM}
# Pages people paste by mistake, named the way the Spotify apps name them.
_WRONG_KINDS = {
    "track": "track", "artist": "artist", "show": "podcast", "episode": "podcast episode",
    "user": "profile", "audiobook": "audiobook", "chapter": "audiobook chapter", "genre": "genre",
    "search": "search", "concert": "concert", "prerelease": "pre-release", "local": "local file",
}
_PASTE_HINT = "paste a playlist or album link (Share → Copy link on a playlist)"


def claims(url: str) -> bool:
    text = url.strip()
    if text.lower().startswith("spotify:"):
        return True
    host = (urlsplit(text if "://" in text else "https://" + text).hostname or "").lower()
    return host in _WEB_HOSTS or host == _SHORT_LINK_HOST


def parse(url: str) -> PlaylistRef:
    segments = _segments(url.strip())
    # Old links and URIs put the owner first: /user/<name>/playlist/<id>, spotify:user:<name>:playlist:<id>.
    if len(segments) >= 4 and segments[0] == "user" and segments[2] == "playlist":
        segments = segments[2:]
    if segments[:2] == ["collection", "tracks"] or (
        len(segments) == 3 and segments[0] == "user" and segments[2] == "collection"
    ):
        return PlaylistRef(Platform.SPOTIFY, PlaylistKind.LIKES, LIKED_SONGS_ID, f"{CANONICAL_WEB}/collection/tracks")
    kind = segments[0] if segments else ""
    if kind in _KINDS:
        external_id = segments[1] if len(segments) > 1 else ""
        if not _ID.fullmatch(external_id):
            raise InvalidUrlError(
                f"“{external_id}” is not a Spotify {kind} id (those are 22 letters and digits); "
                "copy the link again."
            )
        return PlaylistRef(Platform.SPOTIFY, _KINDS[kind], external_id, f"{CANONICAL_WEB}/{kind}/{external_id}")
    if kind == "collection":
        raise UnsupportedUrlError(
            "That is a page of your Spotify library; for Liked Songs paste "
            f"{CANONICAL_WEB}/collection/tracks, otherwise {_PASTE_HINT}."
        )
    if kind in _WRONG_KINDS:
        raise UnsupportedUrlError(f"That is a Spotify {_WRONG_KINDS[kind]} link; {_PASTE_HINT}.")
    raise InvalidUrlError(f"That Spotify link does not point at a playlist or album; {_PASTE_HINT}.")


def _segments(text: str) -> list[str]:
    """The meaningful path parts of a link or URI, e.g. ["playlist", "<id>"]."""
    if text.lower().startswith("spotify:"):
        return [part for part in text.split(":")[1:] if part]
    parts = urlsplit(text if "://" in text else "https://" + text)
    if (parts.hostname or "").lower() == _SHORT_LINK_HOST:
        # spotify.link only redirects; following it needs the network, which parsing must not use.
        raise UnsupportedUrlError(
            "Short spotify.link links cannot be read directly: open it in a browser and paste the "
            "open.spotify.com link it leads to."
        )
    segments = [part for part in parts.path.split("/") if part]
    if segments and segments[0].lower().startswith("intl-"):  # localised links: /intl-de/playlist/<id>
        segments = segments[1:]
    if segments and segments[0] == "embed":  # links copied from an embed code: /embed/playlist/<id>
        segments = segments[1:]
    return segments
