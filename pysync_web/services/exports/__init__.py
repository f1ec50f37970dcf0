"""Exports of the library for DJ software and media servers: iTunes XML, rekordbox XML, M3U8, Traktor NML.

`ExportService` reads the store into an `ExportLibrary` snapshot; each format is a pure function of it.
"""
from pysync_web.services.exports.service import (
    ExportError, ExportFormat, ExportResult, ExportService, parse_format, parse_formats,
)

__all__ = ["ExportError", "ExportFormat", "ExportResult", "ExportService", "parse_format", "parse_formats"]
