"""`python main.py export FORMAT`: write the library for DJ software or media servers."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from pysync_web.services.app_services import AppServices
from pysync_web.services.exports import ExportFormat

_WARNINGS_SHOWN = 20  # a library with hundreds of missing files should not bury the summary


def add_export_parser(commands: Any) -> None:
    export = commands.add_parser(
        "export", help="export the library for DJ software or media servers",
        description="Write downloaded tracks and enabled playlists (in their folders) as iTunes XML "
                    "(rekordbox, Serato, Traktor, VirtualDJ import it), rekordbox XML, M3U8 playlists "
                    "(Navidrome, Jellyfin, foobar2000) or Traktor NML. Track ids stay the same from one "
                    "export to the next, so DJ software keeps its cue points.")
    export.add_argument("format", choices=[f.value for f in ExportFormat], metavar="FORMAT",
                        help="itunes, rekordbox, m3u or nml")
    export.add_argument("--out", metavar="PATH",
                        help="file to write (a folder for m3u); default: <data dir>/exports/ "
                             "(m3u: <music dir>/Playlists/)")
    export.add_argument("--playlist", type=int, action="append", metavar="ID", dest="playlists",
                        help="export only this playlist (repeat for more); default: every enabled one")
    export.add_argument("--absolute", action="store_true", help="m3u: absolute paths instead of relative ones")


def cmd_export(services: AppServices, args: argparse.Namespace) -> int:
    exports = services.exports
    result = exports.export(args.format, out=args.out, playlist_ids=args.playlists, absolute=args.absolute)
    tracks = f"{result.tracks} track{'s' if result.tracks != 1 else ''}"
    playlists = f"{result.playlists} playlist{'s' if result.playlists != 1 else ''}"
    if result.format == ExportFormat.M3U:
        folder = result.paths[0].parent if result.paths else args.out or exports.default_destination(result.format)
        print(f"Wrote {result.format.label} to {folder}: {playlists}, {tracks}")
    else:
        print(f"Wrote {result.format.label} to {result.paths[0]}: {tracks}, {playlists}")
    for warning in result.warnings[:_WARNINGS_SHOWN]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(result.warnings) > _WARNINGS_SHOWN:
        print(f"warning: … and {len(result.warnings) - _WARNINGS_SHOWN} more skipped tracks", file=sys.stderr)
    return 0
