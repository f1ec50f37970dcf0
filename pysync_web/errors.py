"""Errors a user can cause or meet, each with a message that says what happened and what to do.

Everything raised for a user derives from PySyncError; the CLI prints `str(error)` on one line and the
UI shows it inline, so messages are written for people, not for logs.
"""
from __future__ import annotations

from datetime import datetime


class PySyncError(Exception):
    """A failure with a message fit to show a user."""


class InvalidUrlError(PySyncError):
    """The input is not something we can read as a playlist link."""


class UnsupportedUrlError(InvalidUrlError):
    """A valid link, but to a site or a kind of page we cannot sync."""


class NotFoundError(PySyncError):
    pass


class AccessDeniedError(PySyncError):
    """Private, region-locked or otherwise forbidden content."""


class CredentialsError(PySyncError):
    """Missing, wrong or expired credentials for a platform."""


class RateLimitedError(PySyncError):
    def __init__(self, service: str, until: datetime):
        self.until = until
        super().__init__(
            f"{service} rate limited us until {until.strftime('%H:%M')}; try again after that."
        )


class ServiceUnavailableError(PySyncError):
    """The platform did not answer properly after retries (5xx, timeouts, no connection)."""


class AlreadyAddedError(PySyncError):
    pass


class UnknownPlaylistError(PySyncError):
    pass


class UnknownFolderError(PySyncError):
    pass
