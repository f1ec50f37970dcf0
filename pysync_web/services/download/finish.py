"""Steps 3–6: convert, tag, verify and move the file to its place in the music folder.

All work happens on files in the job's private work dir; only the last step moves the finished file
into the music folder (a rename on the same filesystem), so a cancel or a failure never leaves a
half-made file where DJ software could pick it up.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from pysync_web.services.audio.convert import convert
from pysync_web.services.audio.covers import cover_jpeg_from_url
from pysync_web.services.audio.filenames import NameFields, target_path
from pysync_web.services.audio.tagging import TrackTags, write_tags
from pysync_web.services.audio.verify import verify_audio
from pysync_web.services.download.cpu_slots import cpu_slot
from pysync_web.services.download.pipeline import DownloadContext
from pysync_web.worker.events import EventKind

log = logging.getLogger(__name__)


class ConvertAudio:
    def run(self, context: DownloadContext) -> None:
        assert context.downloaded is not None
        context.announce(EventKind.CONVERTING)  # the transfer is over: the queue may start another
        fmt = context.audio_format
        with cpu_slot(context.cancel):
            result = convert(context.downloaded, fmt, context.work_dir / f"converted.{fmt.extension}",
                             context.cancel, quality=context.audio_quality)
        context.downloaded.unlink(missing_ok=True)
        context.converted, context.conversion = result.path, result


class TagFile:
    def run(self, context: DownloadContext) -> None:
        assert context.converted is not None
        context.announce(EventKind.TAGGING)
        track = context.track
        write_tags(context.converted, TrackTags(
            title=track.title, artists=list(track.artists), album=track.album,
            album_artist=track.album_artist or (track.artists[0] if track.artists else ""),
            track_number=track.track_number, year=track.release_date, isrc=track.isrc,
            source_url=context.source_url,
            # A missing cover never fails a download that otherwise succeeded.
            cover_jpeg=cover_jpeg_from_url(track.cover_url, context.settings.http_timeout_s),
        ))


class VerifyFile:
    def run(self, context: DownloadContext) -> None:
        assert context.converted is not None
        context.announce(EventKind.VERIFYING)
        conversion = context.conversion
        source_decoding = (conversion.source_decoding, conversion.source) \
            if conversion is not None and conversion.source_decoding is not None else None
        if source_decoding is not None:  # only a probe left to do: no core needed
            context.audio_info = verify_audio(context.converted, context.track.duration_ms, context.cancel,
                                              source_decoding)
            return
        with cpu_slot(context.cancel):
            context.audio_info = verify_audio(context.converted, context.track.duration_ms, context.cancel)


class PlaceFile:
    def run(self, context: DownloadContext) -> None:
        assert context.converted is not None
        track = context.track
        fields = NameFields(title=track.title, artists=track.artists, album=track.album,
                            playlist=context.playlist_name, track_number=track.track_number)
        previous = Path(track.file) if track.file else None
        if previous is not None and previous.suffix == context.converted.suffix:
            destination = previous  # DJ software finds files by path: a re-download keeps it
        else:
            destination = target_path(context.settings.music_path, context.settings.filename_template, fields,
                                      context.audio_format.extension, f"track:{track.id}",
                                      context.is_path_taken)
        destination.parent.mkdir(parents=True, exist_ok=True)
        context.check_cancel()
        os.replace(context.converted, destination)
        context.final_path = destination
        log.info("saved %s", destination)
