"""Wires settings, the store and the services together once, for the CLI and the web app alike."""
from __future__ import annotations

from dataclasses import dataclass

from pysync_web.config import Settings
from pysync_web.platforms.factory import warm_up
from pysync_web.models import Playlist
from pysync_web.services.catalog import Catalog
from pysync_web.services.downloads import DownloadService
from pysync_web.services.exports.service import ExportService
from pysync_web.services.folders import FolderService
from pysync_web.services.playlists import PlaylistService
from pysync_web.services.settings_service import SettingsService
from pysync_web.services.track_files import TrackFileService
from pysync_web.store.database import Database, open_database
from pysync_web.worker.events import EventBus


@dataclass
class AppServices:
    settings: Settings
    db: Database
    playlists: PlaylistService
    folders: FolderService
    catalog: Catalog
    events: EventBus
    downloads: DownloadService
    exports: ExportService
    track_files: TrackFileService
    settings_service: SettingsService

    @classmethod
    def open(cls, settings: Settings) -> AppServices:
        db = open_database(settings.data_dir)
        events = EventBus()
        downloads = DownloadService(db, settings, events)

        def queue_downloads(playlist: Playlist) -> None:
            if playlist.auto_download and playlist.enabled:
                downloads.enqueue_missing([playlist.id])

        exports = ExportService(db, settings)
        playlists = PlaylistService(db, settings, on_synced=queue_downloads, on_run_finished=exports.auto_export)
        return cls(settings, db, playlists, FolderService(db), Catalog(db), events, downloads, exports,
                   TrackFileService(db, downloads), SettingsService(settings))

    @property
    def recovery_notice(self) -> str | None:
        """Said once at start when the library file was damaged and moved aside."""
        if self.db.recovered_from is None:
            return None
        return (f"The library file was damaged and has been moved to {self.db.recovered_from}; "
                "starting with an empty library.")

    def warm_up(self) -> None:
        """Blocking start-up work that makes the first pasted link answer at once."""
        warm_up()

    def close(self) -> None:
        self.db.close()
