"""The command line: `python main.py` serves the web app; subcommands run the same services headless.

Exit status: 0 success, 1 when a sync or download failed, 2 for bad input or an error a user can fix.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone

from pysync_web import cli_output as out
from pysync_web.cli_export import add_export_parser, cmd_export
from pysync_web.config import DATA_DIR_ENV, Settings
from pysync_web.errors import PySyncError
from pysync_web.services.app_services import AppServices
from pysync_web.services.playlists import PlaylistOptions

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """PySync Hub keeps local copies of your Spotify, SoundCloud and YouTube playlists.
Without a command it serves the web app; the commands below do the same work headless."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python main.py", description=DESCRIPTION)
    parser.add_argument("--data-dir", metavar="DIR",
                        help=f"where the library and settings live (env {DATA_DIR_ENV}, default ./data)")
    parser.add_argument("--host", help="address the web app listens on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port of the web app (default 8080)")
    parser.add_argument("--lan", action="store_true",
                        help="let phones and other computers on your network in, with a passcode "
                             "(listens on 0.0.0.0; setting lan_access)")
    parser.add_argument("--native", action="store_true",
                        help="open the web app in its own window (needs pywebview; see README)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    add = commands.add_parser("add", help="add playlists and fetch their tracks",
                              description="Add each playlist link and fetch its tracks.")
    add.add_argument("urls", nargs="+", metavar="URL",
                     help="Spotify playlist/album/Liked Songs, SoundCloud set/likes/profile, YouTube "
                          "playlist or channel, Bandcamp album, podcast RSS feed")
    add.add_argument("--limit", type=_positive_int, metavar="N", help="keep only the newest N tracks")
    add.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD",
                     help="keep only tracks added on or after this day")
    add.add_argument("--no-auto-download", action="store_true", help="do not queue downloads for it")
    add.add_argument("--folder", type=int, metavar="FOLDER_ID", help="put it in this folder")

    sync = commands.add_parser("sync", help="re-sync playlists with their source",
                               description="Re-sync the given playlists, or every enabled one.")
    sync.add_argument("ids", nargs="*", type=int, metavar="ID", help="playlist ids (default: all enabled)")

    listing = commands.add_parser("list", help="show playlists", description="Show every playlist.")
    listing.add_argument("--json", action="store_true", help="print a JSON array")

    tracks = commands.add_parser(
        "tracks", help="show tracks",
        description="Without an id, every track in the library once; with an id, that playlist's "
                    "tracks in order.")
    tracks.add_argument("playlist_id", nargs="?", type=int, metavar="PLAYLIST_ID")
    tracks.add_argument("--all", action="store_true", help="include tracks removed from the playlist")
    tracks.add_argument("--json", action="store_true", help="print a JSON array")

    download = commands.add_parser(
        "download", help="download every queued track",
        description="Run the download queue until it is empty. Tracks are queued by add and sync; "
                    "--retry-failed queues failed ones again.")
    download.add_argument("--concurrency", type=_positive_int, metavar="N",
                          help="downloads at once (default 3, setting download_concurrency)")
    download.add_argument("--retry-failed", action="store_true", help="queue failed downloads again first")
    download.add_argument("--missing", action="store_true",
                          help="first queue every track of auto-download playlists that has no file")

    remove = commands.add_parser(
        "remove", help="remove a playlist (files stay on disk)",
        description="Remove a playlist. Tracks in other playlists and files on disk stay.")
    remove.add_argument("id", type=int, metavar="ID")
    add_export_parser(commands)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    settings = Settings.load(args.data_dir)
    if args.host:
        settings.host = args.host
    if args.port:
        settings.port = args.port
    if args.lan:
        settings.lan_access = True
    if args.command is None:
        # NiceGUI reads this when imported: browser storage (dark mode...) lives in the data dir too.
        os.environ.setdefault("NICEGUI_STORAGE_PATH", str(settings.data_dir / ".nicegui"))
        from pysync_web.ui.app import serve  # NiceGUI loads only when the web app is wanted

        try:
            serve(settings, native=args.native)
        except PySyncError as error:
            return _fail(error)
        except KeyboardInterrupt:  # Ctrl-C: uvicorn has shut down cleanly and re-raises the signal
            pass
        return EXIT_OK
    try:
        services = AppServices.open(settings)
    except PySyncError as error:
        return _fail(error)
    try:
        if services.recovery_notice:
            print(f"warning: {services.recovery_notice}", file=sys.stderr)
        return COMMANDS[args.command](services, args)
    except PySyncError as error:
        return _fail(error)
    except KeyboardInterrupt:
        return 130
    finally:
        services.close()


def _fail(error: PySyncError) -> int:
    print(f"error: {error}", file=sys.stderr)
    return EXIT_USAGE


def cmd_add(services: AppServices, args: argparse.Namespace) -> int:
    options = PlaylistOptions(track_limit=args.limit, date_limit=args.since,
                              auto_download=not args.no_auto_download, folder_id=args.folder)
    status = EXIT_OK
    for url in args.urls:
        try:
            result = services.playlists.add(url, options)
        except PySyncError as error:
            print(f"error: {out.shorten(url)}: {error}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        print(f"{result.playlist.id}  {result.playlist.name}  {result.added} tracks")
        _print_details(result.playlist.notice, out.skipped_line(result.skipped))
    return status


def cmd_sync(services: AppServices, args: argparse.Namespace) -> int:
    outcomes = services.playlists.sync_many(args.ids or None)
    if not outcomes:
        print("No enabled playlists to sync. Add one with: python main.py add URL")
    for outcome in outcomes:
        label = f"{outcome.playlist.id}  {outcome.playlist.name}"
        if outcome.error is not None:
            print(f"{label}: error: {outcome.error}")
            continue
        print(f"{label}: {out.sync_line(outcome.result)}")
        _print_details(outcome.result.playlist.notice, out.skipped_line(outcome.result.skipped))
    return EXIT_FAILED if any(o.error for o in outcomes) else EXIT_OK


def cmd_list(services: AppServices, args: argparse.Namespace) -> int:
    summaries = services.catalog.playlist_summaries()
    if args.json:
        print(out.dumps([out.playlist_json(s) for s in summaries]))
    elif not summaries:
        print("No playlists yet. Add one with: python main.py add URL")
    else:
        print(out.playlists_table(summaries, datetime.now(timezone.utc)))
    return EXIT_OK


def cmd_tracks(services: AppServices, args: argparse.Namespace) -> int:
    if args.playlist_id is None:
        tracks = services.catalog.library_tracks()
        print(out.dumps([out.track_json(t) for t in tracks]) if args.json else out.tracks_table(tracks))
        return EXIT_OK
    services.playlists.get(args.playlist_id)
    items = services.catalog.playlist_tracks(args.playlist_id, include_removed=args.all)
    if args.json:
        print(out.dumps([out.playlist_track_json(i) for i in items]))
    else:
        positions = [str(i.entry.position + 1) if i.entry.is_current else "removed" for i in items]
        print(out.tracks_table([i.track for i in items], positions))
    return EXIT_OK


def cmd_remove(services: AppServices, args: argparse.Namespace) -> int:
    playlist = services.playlists.remove(args.id)
    print(f"Removed playlist {playlist.id} ({playlist.name}). Files on disk were kept.")
    return EXIT_OK


def cmd_download(services: AppServices, args: argparse.Namespace) -> int:
    from pysync_web.cli_download import run_downloads  # rich and the queue load only for this command

    if args.retry_failed:
        services.downloads.retry()
    if args.missing:
        services.downloads.enqueue_missing()
    summary = run_downloads(services, args.concurrency)
    print(f"{summary.done} downloaded, {len(summary.failures)} failed"
          + (f", {summary.cancelled} cancelled" if summary.cancelled else ""))
    for label, reason in summary.failures:
        print(f"  failed: {label}: {reason}")
    return EXIT_FAILED if summary.failures else EXIT_OK


def _print_details(*lines: str | None) -> None:
    for line in lines:
        if line:
            print(f"    {line}")


COMMANDS: dict[str, Callable[[AppServices, argparse.Namespace], int]] = {
    "add": cmd_add, "sync": cmd_sync, "list": cmd_list, "tracks": cmd_tracks, "remove": cmd_remove,
    "download": cmd_download, "export": cmd_export,
}
