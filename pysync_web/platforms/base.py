"""The one interface every playlist source implements, so services never care where music lives."""
from __future__ import annotations

from abc import ABC, abstractmethod

from pysync_web.config import Settings
from pysync_web.models import Platform, PlaylistRef, RemotePlaylist


class PlatformClient(ABC):
    platform: Platform

    def __init__(self, settings: Settings):
        self.settings = settings

    @classmethod
    @abstractmethod
    def claims(cls, url: str) -> bool:
        """True when the URL belongs to this platform (even if it is the wrong kind of page).

        Pure and offline: the factory asks every client in turn.
        """

    @classmethod
    @abstractmethod
    def parse_url(cls, url: str) -> PlaylistRef:
        """Turn a claimed URL into a reference, or raise UnsupportedUrlError saying what to paste."""

    @abstractmethod
    def fetch_playlist(self, ref: PlaylistRef, known_snapshot_id: str | None = None) -> RemotePlaylist:
        """Fetch metadata and tracks. Blocking: callers run it in a worker thread.

        When the platform reports a snapshot id equal to `known_snapshot_id`, return the metadata with
        `tracks=None` instead of fetching items again.
        Raises PySyncError subclasses for everything a user can cause or meet.
        """
