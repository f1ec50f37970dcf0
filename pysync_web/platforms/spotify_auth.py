"""Spotify tokens: the app's client-credentials token and the user's login for Liked Songs.

spotipy's defaults are wrong for a server: tokens land in a `.cache` file in whatever folder the
process started in, and a missing user token makes it prompt on stdin or open a browser. Here every
token lives in the data dir (written atomically, readable by the owner only), is tagged with the
credentials it was issued for so a changed client id or secret takes effect at once, and a missing
login is an error the UI can explain.

The UI drives the login with `SpotifyLogin`: send the user to `authorize_url(...)`, receive the
`code` on the redirect URI, call `complete(...)`; `is_logged_in()` and `logout()` do what they say.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import requests
from spotipy.cache_handler import CacheHandler
from spotipy.oauth2 import SpotifyClientCredentials, SpotifyOAuth

from pysync_web.atomic_file import write_atomically
from pysync_web.config import Settings
from pysync_web.errors import CredentialsError
from pysync_web.platforms.spotify_errors import LIKES_NEED_LOGIN, Subject, spotify_call

log = logging.getLogger(__name__)

USER_SCOPE = "user-library-read"  # enough for Liked Songs; nothing is ever written to the account
# spotipy wants a redirect URI even when it only refreshes a token, which never sends one.
_REFRESH_ONLY_REDIRECT_URI = "http://127.0.0.1/spotify-refresh-only"


def token_dir(settings: Settings) -> Path:
    return settings.data_dir / "spotify"


def app_token_path(settings: Settings) -> Path:
    return token_dir(settings) / "app_token.json"


def user_token_path(settings: Settings) -> Path:
    return token_dir(settings) / "user_token.json"


class TokenFile(CacheHandler):
    """A spotipy token cache in one JSON file, valid only for the `owner` it was written for.

    `owner` identifies the credentials behind the token; a file written for other credentials reads
    as empty, so spotipy fetches a fresh token instead of using one from an old client id or secret.
    """

    def __init__(self, path: Path, owner: str):
        self.path = path
        self.owner = owner

    def get_cached_token(self) -> dict[str, Any] | None:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.warning("Ignoring unreadable Spotify token file %s: %s", self.path, error)
            return None
        if not isinstance(stored, dict) or stored.get("owner") != self.owner:
            return None
        token = stored.get("token")
        return token if isinstance(token, dict) else None

    def save_token_to_cache(self, token_info: dict[str, Any]) -> None:
        # write_atomically creates the file with mode 0600: tokens are readable by their owner only.
        write_atomically(self.path, json.dumps({"owner": self.owner, "token": token_info}).encode())

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


def credentials_fingerprint(settings: Settings) -> str:
    """Names the client id + secret pair without storing the secret."""
    pair = f"{settings.spotify_client_id}:{settings.spotify_client_secret}".encode()
    return hashlib.sha256(pair).hexdigest()[:32]


class AppCredentials(SpotifyClientCredentials):
    """Client-credentials flow against the configured accounts service, cached in the data dir."""

    def __init__(self, settings: Settings, session: requests.Session):
        super().__init__(
            client_id=settings.spotify_client_id,
            client_secret=settings.spotify_client_secret,
            requests_session=session,
            requests_timeout=settings.http_timeout_s,
            cache_handler=TokenFile(app_token_path(settings), credentials_fingerprint(settings)),
        )
        self.OAUTH_TOKEN_URL = _accounts(settings) + "/api/token"


class UserAuthorization(SpotifyOAuth):
    """Authorization-code flow for the user's own library, cached in the data dir per client id."""

    def __init__(self, settings: Settings, session: requests.Session, redirect_uri: str):
        super().__init__(
            client_id=settings.spotify_client_id,
            client_secret=settings.spotify_client_secret,
            redirect_uri=redirect_uri,
            scope=USER_SCOPE,
            requests_session=session,
            requests_timeout=settings.http_timeout_s,
            open_browser=False,
            cache_handler=TokenFile(user_token_path(settings), settings.spotify_client_id),
        )
        self.OAUTH_TOKEN_URL = _accounts(settings) + "/api/token"
        self.OAUTH_AUTHORIZE_URL = _accounts(settings) + "/authorize"

    def get_auth_response(self, open_browser: bool | None = None) -> str:
        # spotipy calls this when it has no usable token: it would block on stdin or open a browser on
        # the server. The login belongs to the UI, so say so instead.
        raise CredentialsError(LIKES_NEED_LOGIN)


class SpotifyLogin:
    """The user's Spotify login, as the Settings page and the Liked Songs sync use it."""

    def __init__(self, settings: Settings, session: requests.Session | None = None):
        self.settings = settings
        self.session = session or requests.Session()
        self._token_file = TokenFile(user_token_path(settings), settings.spotify_client_id)

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        """Where to send the user; Spotify comes back to `redirect_uri` with `code` and `state`.

        The caller makes `state` unguessable and checks it on the way back (it guards against CSRF).
        The redirect URI must be registered in the user's Spotify app settings.
        """
        self._require_credentials()
        return self._authorization(redirect_uri).get_authorize_url(state=state)

    def complete(self, redirect_uri: str, code: str) -> None:
        """Exchange the code from the redirect for a token and keep it in the data dir."""
        self._require_credentials()
        authorization = self._authorization(redirect_uri)
        spotify_call(
            lambda: authorization.get_access_token(code, as_dict=False, check_cache=False),
            self.settings, Subject("your Spotify login", user=True),
        )

    def is_logged_in(self) -> bool:
        return self.settings.has_spotify_credentials and self._token_file.get_cached_token() is not None

    def logout(self) -> None:
        self._token_file.delete()

    def authorization(self) -> UserAuthorization:
        """The auth manager for reading the library; raises CredentialsError when not logged in."""
        if not self.is_logged_in():
            raise CredentialsError(LIKES_NEED_LOGIN)
        return self._authorization(_REFRESH_ONLY_REDIRECT_URI)

    def _authorization(self, redirect_uri: str) -> UserAuthorization:
        return UserAuthorization(self.settings, self.session, redirect_uri)

    def _require_credentials(self) -> None:
        if not self.settings.has_spotify_credentials:
            raise CredentialsError(
                "A Spotify login needs the app's client id and secret first: add them in Settings."
            )


def _accounts(settings: Settings) -> str:
    return settings.spotify_accounts_url.rstrip("/")
