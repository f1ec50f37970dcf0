"""build_library: which tracks and playlists an export holds, in which order, with which text."""
from datetime import datetime, timedelta, timezone

from pysync_web.models import Folder, Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus
from pysync_web.services.exports.audio_facts import AudioFacts
from pysync_web.services.exports.library import (
    ExportFolder, ExportPlaylist, LibrarySource, build_library, clean_text,
)

START = datetime(2024, 5, 1, tzinfo=timezone.utc)


class Library:
    """A store in memory: tracks with files under /music, facts served from a dict (no disk)."""

    def __init__(self) -> None:
        self.tracks: list[Track] = []
        self.playlists: list[Playlist] = []
        self.folders: list[Folder] = []
        self.entries: dict[int, list[PlaylistEntry]] = {}
        self.files: dict[str, AudioFacts] = {}

    def track(self, title: str, downloaded: bool = True, on_disk: bool = True, file_name: str | None = None,
              **fields) -> Track:
        number = len(self.tracks) + 1
        file = f"/music/{file_name or title}.mp3" if downloaded else None
        track = Track(Platform.SPOTIFY, f"id{number}", title, ["Artist"], id=number, file=file,
                      status=TrackStatus.DOWNLOADED if downloaded else TrackStatus.PENDING,
                      created_at=START + timedelta(minutes=number), **fields)
        if file and on_disk:
            self.files[file] = AudioFacts(size=1000 + number, duration_ms=200_000, bitrate_kbps=320, sample_rate=44100)
        self.tracks.append(track)
        return track

    def folder(self, name: str, parent: Folder | None = None, enabled: bool = True, position: int = 0) -> Folder:
        folder = Folder(name, parent_id=parent.id if parent else None, enabled=enabled, position=position,
                        id=len(self.folders) + 1)
        self.folders.append(folder)
        return folder

    def playlist(self, name: str, tracks: list[Track], folder: Folder | None = None, enabled: bool = True,
                 position: int = 0) -> Playlist:
        number = len(self.playlists) + 1
        playlist = Playlist(Platform.SPOTIFY, PlaylistKind.PLAYLIST, f"pl{number}", f"u{number}", name,
                            enabled=enabled, folder_id=folder.id if folder else None, position=position,
                            id=number)
        self.playlists.append(playlist)
        self.entries[number] = [PlaylistEntry(number, t.id, i) for i, t in enumerate(tracks)]
        return playlist

    def build(self, playlist_ids=None):
        source = LibrarySource(self.tracks, self.playlists, self.folders, self.entries)
        return build_library(source, lambda path, _: self.files.get(path), "key", "/music",
                             playlist_ids=playlist_ids)


def names(library) -> list[tuple[int, str, str]]:
    """(depth, kind, name) of every folder and playlist, depth first."""
    depth: dict[int, int] = {}
    rows = []
    for node, parent in library.walk():
        depth[id(node)] = 0 if parent is None else depth[id(parent)] + 1
        rows.append((depth[id(node)], "folder" if isinstance(node, ExportFolder) else "playlist", node.name))
    return rows


def titles(library, playlist: ExportPlaylist) -> list[str]:
    return [library.track_by_id[t].name for t in playlist.track_ids]


def test_every_downloaded_track_once_and_playlists_in_order():
    lib = Library()
    a, b, c = lib.track("A"), lib.track("B"), lib.track("C")
    pending = lib.track("Pending", downloaded=False)
    lib.playlist("One", [c, a, pending])
    lib.playlist("Two", [a, b])
    built = lib.build()
    assert [t.name for t in built.tracks] == ["A", "B", "C"]  # oldest first, A once though in two lists
    one, two = built.playlists
    assert titles(built, one) == ["C", "A"] and titles(built, two) == ["A", "B"]
    assert built.tracks[0].size == 1001 and built.tracks[0].bitrate_kbps == 320
    assert built.warnings == ()


def test_disabled_playlists_and_folders_are_left_out_with_everything_below():
    lib = Library()
    t = lib.track("T")
    crate = lib.folder("Crate", position=0)
    old = lib.folder("Old", enabled=False, position=1)
    deep = lib.folder("Deep", parent=old)
    lib.playlist("Kept", [t], folder=crate)
    lib.playlist("Off", [t], folder=crate, enabled=False, position=1)
    lib.playlist("Hidden", [t], folder=deep)
    lib.playlist("Top", [t])
    assert names(lib.build()) == [(0, "folder", "Crate"), (1, "playlist", "Kept"), (0, "playlist", "Top")]


def test_folders_nest_and_come_before_playlists_in_position_order():
    lib = Library()
    t = lib.track("T")
    b = lib.folder("B", position=2)
    a = lib.folder("A", position=1)
    inner = lib.folder("Inner", parent=a)
    lib.playlist("Loose 2", [t], position=5)
    lib.playlist("Loose 1", [t], position=4)
    lib.playlist("In A", [t], folder=a)
    lib.playlist("In Inner", [t], folder=inner)
    lib.playlist("Empty B", [], folder=b)
    assert names(lib.build()) == [
        (0, "folder", "A"), (1, "folder", "Inner"), (2, "playlist", "In Inner"), (1, "playlist", "In A"),
        (0, "folder", "B"), (1, "playlist", "Empty B"), (0, "playlist", "Loose 1"), (0, "playlist", "Loose 2"),
    ]


def test_chosen_playlists_only_with_their_folders_and_tracks():
    lib = Library()
    a, b, c = lib.track("A"), lib.track("B"), lib.track("C")
    off = lib.folder("Off", enabled=False)
    lib.folder("Unrelated")
    lib.playlist("Wanted", [b], folder=off, enabled=False)  # asked for by id: disabled flags do not apply
    lib.playlist("Other", [a, c])
    built = lib.build(playlist_ids=[1])
    assert names(built) == [(0, "folder", "Off"), (1, "playlist", "Wanted")]
    assert [t.name for t in built.tracks] == ["B"]
    assert built.tracks[0].track_id == lib.build().tracks[1].track_id  # same id as in the full export


def test_missing_file_is_skipped_with_a_warning_naming_it():
    lib = Library()
    kept, gone = lib.track("Kept"), lib.track("Gone", on_disk=False)
    lib.playlist("P", [gone, kept])
    built = lib.build()
    assert [t.name for t in built.tracks] == ["Kept"]
    assert titles(built, built.playlists[0]) == ["Kept"]
    assert len(built.warnings) == 1 and "Artist - Gone" in built.warnings[0] and "/music/Gone.mp3" in built.warnings[0]


def test_text_loses_control_characters_but_keeps_everything_else():
    assert clean_text("a\x00b\x07c\x1b[0m\ufffe") == "abc[0m"
    assert clean_text(" line\r\nbreak\ttab ") == "line break tab"
    kept = "R&B <live> \"quoted\" 'x' 😀 שלום مرحبا \u202eRTL\u202c"
    assert clean_text(kept) == kept
    lib = Library()
    lib.track("Bad\x01\nTitle", album="Al\x0bbum", file_name="bad")
    built = lib.build()
    assert built.tracks[0].name == "Bad Title" and built.tracks[0].album == "Album"


def test_a_file_name_xml_cannot_hold_is_skipped_with_a_warning():
    lib = Library()
    lib.track("Fine")
    lib.track("x", file_name="line\nbreak")
    built = lib.build()
    assert [t.name for t in built.tracks] == ["Fine"] and "line\\nbreak" in built.warnings[0]


def test_two_tracks_recorded_with_one_file_become_one_export_track():
    lib = Library()
    first, second = lib.track("Same"), lib.track("Same")
    lib.playlist("P", [second, first])
    built = lib.build()
    assert len(built.tracks) == 1
    assert built.playlists[0].track_ids == (built.tracks[0].track_id,) * 2


def test_year_time_and_date_added():
    lib = Library()
    lib.track("T", release_date="2019-07-02", track_number=4)
    lib.files["/music/T.mp3"] = AudioFacts(size=5, duration_ms=None)
    lib.tracks[0].duration_ms = 123_456
    track = lib.build().tracks[0]
    assert (track.year, track.track_number, track.total_time_ms) == (2019, 4, 123_456)  # platform's length
    assert track.date_added == START + timedelta(minutes=1)


def test_equal_libraries_compare_equal_and_a_change_shows():
    lib = Library()
    t = lib.track("T")
    lib.playlist("P", [t])
    assert lib.build() == lib.build()
    lib.playlists[0].name = "Renamed"
    first = lib.build()
    lib.track("New")
    assert first != lib.build()


def test_folders_in_one_position_go_by_name_and_orphans_sit_on_top():
    lib = Library()
    t = lib.track("T")
    lib.folder("beta")
    lib.folder("Alpha")
    lib.playlist("Orphan", [t]).folder_id = 42  # its folder was deleted under it
    assert names(lib.build()) == [(0, "folder", "Alpha"), (0, "folder", "beta"), (0, "playlist", "Orphan")]
