"""Spotify as a playlist source: which way to read a link, given the credentials at hand.

- With a client id and secret: the Web API (spotipy), full metadata and every track.
- Without: the public embed page, good for public playlists and albums up to 100 tracks.
- Liked Songs: the Web API with the user's login (see spotify_auth.SpotifyLogin).

Spotify has no audio to download; its tracks are matched to sources elsewhere, so `audio_url` stays None.
"""
from __future__ import annotations

import logging

import requests
from requests.adapters import HTTPAdapter

from pysync_web.config import Settings
from pysync_web.errors import NotFoundError
from pysync_web.models import Platform, PlaylistKind, PlaylistRef, RemotePlaylist
from pysync_web.platforms import spotify_urls
from pysync_web.platforms.base import PlatformClient
from pysync_web.platforms.spotify_api import ItemsRefusedError, SpotifyApi
from pysync_web.platforms.spotify_auth import AppCredentials, SpotifyLogin
from pysync_web.platforms.spotify_embed import API_REFUSED_ITEMS, NO_CREDENTIALS, fetch_from_embed

log = logging.getLogger(__name__)


class SpotifyClient(PlatformClient):
    platform = Platform.SPOTIFY

    @classmethod
    def claims(cls, url: str) -> bool:
        return spotify_urls.claims(url)

    @classmethod
    def parse_url(cls, url: str) -> PlaylistRef:
        return spotify_urls.parse(url)

    def fetch_playlist(self, ref: PlaylistRef, known_snapshot_id: str | None = None) -> RemotePlaylist:
        with new_session(self.settings) as session:
            if ref.kind == PlaylistKind.LIKES:
                user = SpotifyLogin(self.settings, session).authorization()  # CredentialsError if logged out
                return SpotifyApi(self.settings, session, user).liked_songs(ref)
            if not self.settings.has_spotify_credentials:
                return fetch_from_embed(self.settings, session, ref, NO_CREDENTIALS)
            api = SpotifyApi(self.settings, session, AppCredentials(self.settings, session))
            if ref.kind == PlaylistKind.ALBUM:
                return api.album(ref)
            try:
                return api.playlist(ref, known_snapshot_id)
            except ItemsRefusedError as refused:
                log.info("Spotify API refused the items of %s; reading the embed page", ref.external_id)
                try:
                    return fetch_from_embed(self.settings, session, ref, API_REFUSED_ITEMS)
                except NotFoundError:
                    raise refused from None


def new_session(settings: Settings) -> requests.Session:
    """One connection pool per fetch, wide enough for the parallel page requests, with no retries of
    its own: retrying is call_with_retries' job."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_maxsize=max(10, settings.spotify_page_concurrency), max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
