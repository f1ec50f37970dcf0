"""Serves a track's audio file to the in-page player: GET /media/tracks/{track_id}.

Starlette's FileResponse answers Range requests (206), so the browser's player can seek and streams
long files instead of loading them whole. Only an id comes from the browser; the path is the one the
store records for that track, checked by TrackFileService before anything is served.
"""
from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import FileResponse
from nicegui import app

from pysync_web.errors import PySyncError
from pysync_web.ui.context import AppContext

MEDIA_ROUTE = "/media/tracks/{track_id}"
MEDIA_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".opus": "audio/ogg", ".flac": "audio/flac"}


def media_url(track_id: int) -> str:
    return MEDIA_ROUTE.format(track_id=track_id)


def register_media_routes(context: AppContext) -> None:
    """Call once before the app serves (ui.run); the route lives as long as the app."""
    files = context.services.track_files

    # A plain `def`: FastAPI runs it in a worker thread, so the store read and stat never block the loop.
    def track_audio(track_id: int) -> FileResponse:
        try:
            path = files.file_to_play(track_id)
        except PySyncError as error:
            raise HTTPException(status_code=404, detail=str(error)) from None
        return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream"))

    app.add_api_route(MEDIA_ROUTE, track_audio, methods=["GET", "HEAD"], include_in_schema=False)
