"""From a downloaded file to a library file: probe, convert, tag, cover, verify, and name it.

Each step is a plain function a download pipeline calls from its worker thread; the ones that run
ffmpeg take a `threading.Event` and raise `Cancelled` soon after it is set.
"""
from pysync_web.services.audio.convert import AudioFormat, ConversionResult, convert
from pysync_web.services.audio.covers import CoverImageError, cover_jpeg_from_url, fetch_cover, square_jpeg
from pysync_web.services.audio.ffmpeg import AudioInfo, Cancelled, FfmpegError, UnreadableAudioError, probe
from pysync_web.services.audio.filenames import (
    DEFAULT_TEMPLATE,
    TEMPLATE_FIELDS,
    FilenameTemplateError,
    NameFields,
    target_path,
    validate_template,
)
from pysync_web.services.audio.tagging import TaggingError, TrackTags, read_tags, write_tags
from pysync_web.services.audio.verify import VerificationError, verify_audio

__all__ = [
    "DEFAULT_TEMPLATE",
    "TEMPLATE_FIELDS",
    "AudioFormat",
    "AudioInfo",
    "Cancelled",
    "ConversionResult",
    "CoverImageError",
    "FfmpegError",
    "FilenameTemplateError",
    "NameFields",
    "TaggingError",
    "TrackTags",
    "UnreadableAudioError",
    "VerificationError",
    "convert",
    "cover_jpeg_from_url",
    "fetch_cover",
    "probe",
    "read_tags",
    "square_jpeg",
    "target_path",
    "validate_template",
    "verify_audio",
    "write_tags",
]
