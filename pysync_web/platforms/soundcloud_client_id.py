"""Reaching SoundCloud: one retried GET, and the client id its own web app uses.

SoundCloud stopped handing out API keys years ago; yt-dlp, soundcloud.ts and every other public tool
send the client id the soundcloud.com web app ships instead. That id rotates with SoundCloud's web
releases, so a discovered id is cached in memory and in the data dir (a restart should not cost a page
and several script downloads) and replaced when the API starts rejecting it.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path
from urllib.parse import urljoin

import requests

from pysync_web.atomic_file import write_atomically
from pysync_web.config import Settings
from pysync_web.errors import CredentialsError
from pysync_web.platforms.retry import (
    RateLimitSignal,
    TransientFailure,
    call_with_retries,
    parse_retry_after,
    policy_for,
)

SERVICE = "SoundCloud"
CLIENT_ID_FILE = "soundcloud_client_id.txt"
# soundcloud.com and api-v2 sit behind bot protection that is stricter with non-browser user agents.
BROWSER_HEADERS = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}

# The home page hydrates the web app with {"hydratable":"apiClient","data":{"id":"…"}}; the id is also a
# literal `client_id:"…"` in one of the JS bundles (usually one of the last), which older pages relied on.
_HYDRATED_ID = re.compile(r'"hydratable"\s*:\s*"apiClient"\s*,\s*"data"\s*:\s*\{\s*"id"\s*:\s*"([0-9A-Za-z]{32})"')
_BUNDLED_ID = re.compile(r'client_id\s*:\s*"([0-9A-Za-z]{32})"')
_SCRIPT_SRC = re.compile(r'<script[^>]*\ssrc="([^"]+\.js)"')
_WELL_FORMED_ID = re.compile(r"[0-9A-Za-z]{32}")

_lock = threading.Lock()  # one discovery at a time: parallel fetches must not each scrape the site
_discovered: dict[tuple[Path, str], str] = {}  # per data dir and web URL, so tests and installs never mix


def soundcloud_get(
    session: requests.Session, settings: Settings, url: str, params: dict[str, str] | None = None
) -> requests.Response:
    """A retried GET as SoundCloud's bot protection wants it (browser headers)."""
    return retried_get(session, settings, url, params, service=SERVICE, headers=BROWSER_HEADERS)


def retried_get(
    session: requests.Session, settings: Settings, url: str, params: dict[str, str] | None = None, *,
    service: str, headers: dict[str, str] | None = None,
) -> requests.Response:
    """One GET under the shared retry policy: 429 waits or gives up, 5xx and dropped connections retry.

    Every other status is returned for the caller to judge, since what a 401 or 404 means depends on
    what was asked. `service` names the site in the messages a user sees.
    """

    def attempt() -> requests.Response:
        try:
            response = session.get(url, params=params, headers=headers, timeout=settings.http_timeout_s)
        except requests.RequestException as error:  # refused, reset, timed out, bad TLS
            raise TransientFailure(f"{type(error).__name__}: {error}") from error
        if response.status_code == 429:
            raise RateLimitSignal(parse_retry_after(response.headers.get("Retry-After")))
        if response.status_code >= 500:
            raise TransientFailure(f"HTTP {response.status_code}")
        return response

    return call_with_retries(attempt, service, policy_for(settings))


def client_id_for(settings: Settings, session: requests.Session) -> tuple[str, bool]:
    """The id to send, and whether it was discovered (only a discovered id may be replaced on rejection)."""
    if settings.soundcloud_client_id.strip():
        return settings.soundcloud_client_id.strip(), False
    with _lock:
        known = _discovered.get(_key(settings)) or _read_saved(settings)
        if known:
            _discovered[_key(settings)] = known
            return known, True
        return _discover(settings, session), True


def discover_client_id(settings: Settings, session: requests.Session | None = None) -> str:
    """Read a fresh client id from soundcloud.com now, remember and persist it.

    For the Settings page's "obtain automatically". Raises CredentialsError when the site has none we
    can find, ServiceUnavailableError or RateLimitedError when it does not answer properly.
    """
    with _lock:
        return _discover(settings, session or requests.Session())


def replace_rejected_client_id(settings: Settings, rejected: str, session: requests.Session) -> str:
    """A working id after the API rejected `rejected`; rediscovers unless a parallel fetch already did."""
    with _lock:
        current = _discovered.get(_key(settings))
        if current and current != rejected:
            return current
        return _discover(settings, session)


def _discover(settings: Settings, session: requests.Session) -> str:
    home = settings.soundcloud_web_url.rstrip("/") + "/"
    page = _text(session, settings, home)
    client_id = _first_match(_HYDRATED_ID, page) or _search_scripts(session, settings, home, page)
    if not client_id:
        raise CredentialsError(_failed(f"no client id in the page or the scripts of {home}"))
    _discovered[_key(settings)] = client_id
    write_atomically(settings.data_dir / CLIENT_ID_FILE, client_id.encode())
    return client_id


def _search_scripts(session: requests.Session, settings: Settings, home: str, page: str) -> str | None:
    for src in reversed(_SCRIPT_SRC.findall(page)):
        try:
            script = _text(session, settings, urljoin(home, src))
        except CredentialsError:  # one missing bundle (a deploy in progress) should not end the search
            continue
        if client_id := _first_match(_BUNDLED_ID, script):
            return client_id
    return None


def _text(session: requests.Session, settings: Settings, url: str) -> str:
    response = soundcloud_get(session, settings, url)
    if response.status_code >= 400:
        raise CredentialsError(_failed(f"{url} answered HTTP {response.status_code}"))
    return response.text


def _failed(reason: str) -> str:
    return (
        f"Could not obtain a SoundCloud client id automatically ({reason}). "
        "Set PYSYNC_SOUNDCLOUD_CLIENT_ID or the SoundCloud client id in Settings."
    )


def _first_match(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


def _key(settings: Settings) -> tuple[Path, str]:
    return settings.data_dir.resolve(), settings.soundcloud_web_url.rstrip("/")


def _read_saved(settings: Settings) -> str | None:
    try:
        saved = (settings.data_dir / CLIENT_ID_FILE).read_text(encoding="utf-8").strip()
    except OSError:  # missing or unreadable: discover a new one
        return None
    return saved if _WELL_FORMED_ID.fullmatch(saved) else None
