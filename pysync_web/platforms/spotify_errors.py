"""Turning what spotipy and requests raise into the retry signals and the errors users read.

Every Spotify request (API, token endpoint, embed page) goes through `spotify_call`, so one place
decides what is worth retrying, what is a rate limit and which sentence a user sees.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import requests
from spotipy.exceptions import SpotifyException, SpotifyOauthError

from pysync_web.config import Settings
from pysync_web.errors import AccessDeniedError, CredentialsError, NotFoundError, PySyncError
from pysync_web.models import PlaylistKind, PlaylistRef
from pysync_web.platforms.retry import (
    RateLimitSignal, TransientFailure, call_with_retries, parse_retry_after, policy_for,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
# spotipy logs every HTTP error at ERROR level before raising it, so an expected 404 would print a
# request dump next to our one-line message. Each error is turned into a PySyncError here instead.
logging.getLogger("spotipy.client").setLevel(logging.CRITICAL)

SERVICE = "Spotify"
CREDENTIALS_REJECTED = (
    "Spotify rejected the client id/secret — check SPOTIPY_CLIENT_ID / SPOTIPY_CLIENT_SECRET or Settings."
)
LIKES_NEED_LOGIN = "Liked Songs needs a Spotify login: open Settings → Spotify login."
LOGIN_EXPIRED = (
    "Spotify no longer accepts your login (it expired or was revoked): log in again in Settings → "
    "Spotify login."
)
# RFC 6749 error codes; anything else from the token endpoint is a broken answer (an HTML 5xx page).
_CREDENTIAL_ERRORS = frozenset({"invalid_client", "unauthorized_client"})
_REQUEST_ERRORS = frozenset({"invalid_request", "invalid_scope", "unsupported_grant_type"})


@dataclass(frozen=True)
class Subject:
    """What a request is about, so an error can name it."""

    noun: str  # "playlist", "album", "Liked Songs", ...
    external_id: str = ""
    user: bool = False  # made with the user's login rather than the app's credentials

    @classmethod
    def of(cls, ref: PlaylistRef) -> Subject:
        if ref.kind == PlaylistKind.LIKES:
            return cls("Liked Songs", user=True)
        return cls(ref.kind.value, ref.external_id)


def spotify_call(call: Callable[[], T], settings: Settings, subject: Subject) -> T:
    """Run one request under the shared retry policy, with errors translated for `subject`."""

    def attempt() -> T:
        try:
            result = call()
        except SpotifyException as error:
            raise error_for_status(error.http_status, error.headers or {}, subject) from None
        except SpotifyOauthError as error:
            raise _error_for_oauth(error, subject) from None
        # ChunkedEncodingError: the connection dropped in the middle of an answer.
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as error:
            raise TransientFailure(type(error).__name__) from None
        if result is None:  # spotipy returns None when a 200 answer is not JSON (a proxy's HTML page)
            raise TransientFailure("an answer that was not JSON")
        return result

    return call_with_retries(attempt, SERVICE, policy_for(settings))


def error_for_status(status: int, headers: Mapping[str, str], subject: Subject) -> Exception:
    """The signal or error for a failed HTTP answer about `subject`."""
    if status == 429:
        return RateLimitSignal(parse_retry_after(headers.get("Retry-After")))
    if status >= 500:
        return TransientFailure(f"HTTP {status}")
    if status == 404:
        if subject.external_id:
            return NotFoundError(f"Spotify has no {subject.noun} with id {subject.external_id} — check the link.")
        return NotFoundError(f"Spotify could not find {subject.noun}.")
    if status == 401:
        return CredentialsError(LOGIN_EXPIRED if subject.user else CREDENTIALS_REJECTED)
    if status == 403:
        return AccessDeniedError(_access_denied(subject))
    return PySyncError(f"Spotify refused the request for {_name(subject)} (HTTP {status}).")


def _access_denied(subject: Subject) -> str:
    if subject.user:
        return (
            f"Spotify refused access to {subject.noun}: log in again in Settings → Spotify login. If your "
            "Spotify app is in Development Mode, add your account under Users Management in Spotify's "
            "developer dashboard."
        )
    if subject.noun == "playlist":
        return (
            f"Spotify will not show playlist {subject.external_id}: it is private. Ask its owner to make it "
            "public (… → Make public) or paste a public playlist."
        )
    return f"Spotify refused access to {_name(subject)} (it may not be available in your country)."


def _error_for_oauth(error: SpotifyOauthError, subject: Subject) -> Exception:
    code = error.error or ""
    if code in _CREDENTIAL_ERRORS:
        return CredentialsError(CREDENTIALS_REJECTED)
    if code == "invalid_grant":  # a revoked refresh token, or a login code that expired or was used
        return CredentialsError(LOGIN_EXPIRED if subject.user else CREDENTIALS_REJECTED)
    if code in _REQUEST_ERRORS:
        return PySyncError(f"Spotify's sign-in refused our request ({code}: {error.error_description}).")
    log.info("Spotify token endpoint gave an unreadable error: %.200s", code)
    return TransientFailure("the token service gave no proper answer")


def _name(subject: Subject) -> str:
    return f"{subject.noun} {subject.external_id}".strip()
