"""What every page gets: the services and the running download queue."""
from __future__ import annotations

from dataclasses import dataclass

from pysync_web.services.app_services import AppServices
from pysync_web.worker.queue import DownloadQueue


@dataclass
class AppContext:
    services: AppServices
    queue: DownloadQueue

    @classmethod
    def create(cls, services: AppServices) -> AppContext:
        return cls(services, DownloadQueue(services.downloads, services.events,
                                           services.settings.download_concurrency,
                                           on_idle=services.exports.auto_export))
