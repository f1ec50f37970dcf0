"""File names: safe on Windows, macOS and Linux at once, inside the music folder, never shared."""
from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest

from pysync_web.services.audio.filenames import (
    DEFAULT_TEMPLATE,
    MAX_NAME_BYTES,
    FilenameTemplateError,
    NameFields,
    target_path,
    validate_template,
)

_keys = count()


def nobody_owns(_: Path) -> bool:
    return False


def path_for(
    music_dir: Path,
    fields: NameFields,
    template: str = DEFAULT_TEMPLATE,
    ext: str = "mp3",
    track_key: str | None = None,
    is_taken: Callable[[Path], bool] = nobody_owns,
) -> Path:
    return target_path(music_dir, template, fields, ext, track_key or f"track-{next(_keys)}", is_taken)


def relative_name(music_dir: Path, fields: NameFields, template: str = DEFAULT_TEMPLATE) -> str:
    return path_for(music_dir, fields, template).relative_to(music_dir).as_posix()


def track(title: str, *artists: str, **more: object) -> NameFields:
    return NameFields(title=title, artists=list(artists), **more)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (track("One More Time", "Daft Punk"), "Daft Punk - One More Time.mp3"),
        (track("One Kiss", "Calvin Harris", "Dua Lipa"), "Calvin Harris, Dua Lipa - One Kiss.mp3"),
        (track("Back in Black", "AC/DC"), "AC-DC - Back in Black.mp3"),  # a slash makes no folder
        (track("Left\\Right", "Artist"), "Artist - Left-Right.mp3"),
        (track("Star Wars: Main Title", "John Williams"), "John Williams - Star Wars - Main Title.mp3"),
        (track("12:00", "Loona"), "Loona - 12-00.mp3"),
        (track("Who Are You?", "The Who"), "The Who - Who Are You.mp3"),
        (track('Say "Hello"', "Artist"), "Artist - Say 'Hello'.mp3"),
        (track("Bye Bye Bye", "*NSYNC"), "_NSYNC - Bye Bye Bye.mp3"),
        (track("<3 | Love", "Artist"), "Artist - 3 - Love.mp3"),
        (track("Line\nBreak\tand\x00Null\x1f", "Artist"), "Artist - Line Break andNull.mp3"),
        (track("Lots     of   space ", "  Artist "), "Artist - Lots of space.mp3"),
        (track("Mr.", "The Killers"), "The Killers - Mr.mp3"),  # no "Mr..mp3", no trailing dot on Windows
        (track("...Baby One More Time", "Britney Spears"), "Britney Spears - ...Baby One More Time.mp3"),
        (track("..", "Artist"), "Artist - Unknown Title.mp3"),
        (track("", ), "Unknown Artist - Unknown Title.mp3"),
        (track("   ", " ", ""), "Unknown Artist - Unknown Title.mp3"),
        (track("???", "Artist"), "Artist - Unknown Title.mp3"),
        (track("🔥 Fire 🔥", "👨‍👩‍👧 Family"), "👨‍👩‍👧 Family - 🔥 Fire 🔥.mp3"),  # ZWJ emoji survive
        (track("تملي معاك", "عمرو دياب"), "عمرو دياب - تملي معاك.mp3"),
        (track("abc\u202egpj.exe", "Artist"), "Artist - abcgpj.exe.mp3"),  # no bidi override
        (track("Cafe\u0301 del Mar", "Energy 52"), "Energy 52 - Caf\u00e9 del Mar.mp3"),  # NFD to NFC
        (track("夜に駆ける", "YOASOBI"), "YOASOBI - 夜に駆ける.mp3"),
    ],
)
def test_names_keep_what_is_safe_and_replace_what_is_not(
    tmp_path: Path, fields: NameFields, expected: str
) -> None:
    assert relative_name(tmp_path, fields) == expected


@pytest.mark.parametrize(
    ("template", "fields", "expected"),
    [
        ("{title}", track("CON"), "CON_.mp3"),
        ("{title}", track("nul"), "nul_.mp3"),
        ("{title}", track("COM1"), "COM1_.mp3"),
        ("{title}", track("LPT1. Live"), "LPT1_. Live.mp3"),  # Windows reads "LPT1.anything" as the device
        ("{title}", track("CONTROL"), "CONTROL.mp3"),  # only the exact names are reserved
        ("{artist}/{title}", track("Intro", "AUX"), "AUX_/Intro.mp3"),
        ("{title}", track(".hidden"), "hidden.mp3"),  # a leading dot hides a file on macOS and Linux
        ("{playlist}/{artist} - {title}", track("Title", "Artist", playlist="Deep House"),
         "Deep House/Artist - Title.mp3"),
        ("{playlist}/{title}", track("Title", playlist="Techno / House"), "Techno - House/Title.mp3"),
        ("{playlist}/{title}", track("Title"), "Unknown Playlist/Title.mp3"),
        ("{artist}/{album}/{track_number} - {title}", track("Da Funk", "Daft Punk", album="Homework", track_number=3),
         "Daft Punk/Homework/03 - Da Funk.mp3"),
        ("{track_number} {title}", track("Untitled"), "00 Untitled.mp3"),
        ("{artist}\\{title}", track("Title", "Artist"), "Artist/Title.mp3"),  # a Windows-style separator
        ("{artist}//{title}/", track("Title", "Artist"), "Artist/Title.mp3"),
        ("{artist}/???/{title}", track("Title", "Artist"), "Artist/Title.mp3"),  # an empty folder name is dropped
        ("{artist}: {title}", track("Title", "Artist"), "Artist - Title.mp3"),
        ("{artist}/{title}", track("Title", ".."), "Unknown Artist/Title.mp3"),
        ("{album} ...", track("Title", album="Album"), "Album.mp3"),
    ],
)
def test_templates_make_sub_folders_of_safe_segments(
    tmp_path: Path, template: str, fields: NameFields, expected: str
) -> None:
    assert relative_name(tmp_path, fields, template) == expected


@pytest.mark.parametrize("character", ["x", "日", "🎧", "é"])
def test_long_names_are_cut_to_200_bytes_on_a_character_boundary(tmp_path: Path, character: str) -> None:
    path = path_for(tmp_path, track(character * 300, "Artist"), ext="flac")

    assert len(path.name.encode("utf-8")) <= MAX_NAME_BYTES
    assert len(path.name.encode("utf-8")) > MAX_NAME_BYTES - 4  # used the room, not merely truncated hard
    assert path.name.startswith("Artist - " + character) and path.name.endswith(character + ".flac")


def test_long_folder_names_are_cut_too(tmp_path: Path) -> None:
    path = path_for(tmp_path, track("Title", playlist="🎶" * 100), "{playlist}/{title}")

    assert len(path.parent.name.encode("utf-8")) <= MAX_NAME_BYTES
    assert path.parent.name == "🎶" * (MAX_NAME_BYTES // 4)


def test_a_long_name_that_collides_keeps_its_number_and_extension(tmp_path: Path) -> None:
    fields = track("長い" * 200, "Artist")
    first = path_for(tmp_path, fields)

    second = path_for(tmp_path, fields)

    assert second != first and second.name.endswith(" (2).mp3")
    assert len(second.name.encode("utf-8")) <= MAX_NAME_BYTES


@pytest.mark.parametrize(
    ("template", "fields"),
    [
        ("{artist}/{title}", track("../../etc/passwd", "..")),
        ("{playlist}/{title}", track("x", playlist="/etc")),
        ("{title}", track("..\\..\\Windows\\win.ini")),
        ("{artist}/{album}/{title}", track("..", "..", album="..")),
        ("{title}", track("C:\\Users\\x")),
    ],
)
def test_paths_never_leave_the_music_folder(tmp_path: Path, template: str, fields: NameFields) -> None:
    music_dir = tmp_path / "music"

    path = path_for(music_dir, fields, template)

    assert path.resolve().is_relative_to(music_dir.resolve())
    assert ".." not in path.relative_to(music_dir).parts


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "Artist - Title.mp3").write_bytes(b"the user's own file")

    assert path_for(tmp_path, track("Title", "Artist")).name == "Artist - Title (2).mp3"


def test_a_path_another_track_owns_is_skipped_though_its_file_is_gone(tmp_path: Path) -> None:
    owned = {tmp_path / "Artist - Title.mp3", tmp_path / "Artist - Title (2).mp3"}

    path = path_for(tmp_path, track("Title", "Artist"), is_taken=lambda candidate: candidate in owned)

    assert path.name == "Artist - Title (3).mp3"


def test_two_tracks_named_alike_at_once_get_two_paths(tmp_path: Path) -> None:
    # Neither file exists yet and the store knows neither: only the in-process reservation tells.
    first = path_for(tmp_path, track("Intro", "Artist"), track_key="spotify:1")
    second = path_for(tmp_path, track("intro", "artist"), track_key="spotify:2")  # same file on Windows/macOS

    assert first.name == "Artist - Intro.mp3"
    assert second.name == "artist - intro (2).mp3"


def test_the_same_track_gets_its_own_path_back_on_a_retry(tmp_path: Path) -> None:
    first = path_for(tmp_path, track("Intro", "Artist"), track_key="spotify:1")
    first.write_bytes(b"half-finished attempt of the same track")

    assert path_for(tmp_path, track("Intro", "Artist"), track_key="spotify:1") == first


def test_concurrent_workers_never_share_a_path(tmp_path: Path) -> None:
    results: list[Path] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker(key: int) -> None:
        start.wait()
        path = path_for(tmp_path, track("Intro", "Various"), track_key=f"track-{key}-of-8")
        with lock:
            results.append(path)

    threads = [threading.Thread(target=worker, args=(key,)) for key in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(results)) == 8


def test_names_are_nfc_normalised(tmp_path: Path) -> None:
    name = path_for(tmp_path, track(unicodedata.normalize("NFD", "Ça plane pour moi"), "Plastic Bertrand")).name

    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("{artist} - {name}", "Unknown field {name}"),
        ("{}", "Unknown field {}"),
        ("{artist.upper}", "Unknown field {artist.upper}"),
        ("{artist - {title}", "without a matching }"),
        ("{title:>30}", "formatting inside the braces"),
        ("{title!r}", "formatting inside the braces"),
        ("../{title}", ".. folders"),
        ("/{artist}/{title}", "leading /"),
        ("{artist}/music", "needs a field"),
    ],
)
def test_bad_templates_are_explained(template: str, error: str) -> None:
    message = validate_template(template)

    assert message is not None and error in message


@pytest.mark.parametrize(
    "template",
    [DEFAULT_TEMPLATE, "{playlist}/{artist} - {title}", "{artist}/{album}/{track_number} {title}", "{{{title}}}"],
)
def test_good_templates_pass(template: str) -> None:
    assert validate_template(template) is None


def test_target_path_refuses_a_bad_template(tmp_path: Path) -> None:
    with pytest.raises(FilenameTemplateError, match="Unknown field"):
        path_for(tmp_path, track("Title"), "{bpm} {title}")
