"""Tags in every format we write: read back by us, by mutagen's raw view (the frames other software
looks for) and by ffmpeg, and the file still plays afterwards."""
from __future__ import annotations

import base64
import io
from pathlib import Path

import mutagen
import pytest
from mutagen.flac import Picture
from mutagen.id3 import ID3, ID3v1SaveOptions
from PIL import Image

from pysync_web.services.audio.covers import square_jpeg
from pysync_web.services.audio.ffmpeg import run_ffmpeg
from pysync_web.services.audio.tagging import TaggingError, TrackTags, read_tags, write_tags
from pysync_web.services.audio.verify import check_decoding
from tests.fakes.audio import ToneLibrary, make_cover

TAGGED_KINDS = ["mp3", "m4a", "opus", "vorbis", "flac"]


def full_tags() -> TrackTags:
    return TrackTags(
        title="夜に駆ける (Café ♥ Édit) 🎧",
        artists=["YOASOBI", "Beyoncé", "Sigur Rós", "Mø 🌊"],
        album="THE BOOK — 限定盤",
        album_artist="YOASOBI",
        track_number=7,
        year="2021-03-05",
        isrc="JPU902000211",
        source_url="https://music.youtube.com/watch?v=x8VYWazR5mE&feature=share",
        cover_jpeg=square_jpeg(make_cover(640, 360)),
        genre="J-Pop",
        comment="synced by PySync Hub",
    )


@pytest.mark.parametrize("kind", TAGGED_KINDS)
def test_every_field_round_trips(tones: ToneLibrary, tmp_path: Path, kind: str) -> None:
    path = tones.copy(kind, tmp_path)
    tags = full_tags()

    write_tags(path, tags)

    assert read_tags(path) == tags
    assert check_decoding(path).clean


@pytest.mark.parametrize("kind", TAGGED_KINDS)
def test_the_cover_read_back_is_the_square_jpeg_made_from_a_wide_png(
    tones: ToneLibrary, tmp_path: Path, kind: str
) -> None:
    path = tones.copy(kind, tmp_path)

    write_tags(path, TrackTags(title="t", artists=["a"], cover_jpeg=square_jpeg(make_cover(900, 300))))

    cover = read_tags(path).cover_jpeg
    assert cover is not None
    with Image.open(io.BytesIO(cover)) as image:
        assert (image.format, image.size) == ("JPEG", (300, 300))


@pytest.mark.parametrize("kind", TAGGED_KINDS)
def test_writing_again_replaces_every_old_tag(tones: ToneLibrary, tmp_path: Path, kind: str) -> None:
    path = tones.copy(kind, tmp_path)
    write_tags(path, full_tags())
    minimal = TrackTags(title="Only a title")

    write_tags(path, minimal)

    assert read_tags(path) == minimal


@pytest.mark.parametrize("kind", TAGGED_KINDS)
def test_other_programs_see_title_and_artist(tones: ToneLibrary, tmp_path: Path, kind: str) -> None:
    path = tones.copy(kind, tmp_path)
    write_tags(path, full_tags())

    description = run_ffmpeg(["-i", str(path)]).stderr

    assert "夜に駆ける (Café ♥ Édit) 🎧" in description
    # Only the first artist: ffmpeg's ID3 reader ignores the further values of a v2.4 multi-value frame.
    assert "YOASOBI" in description


def test_mp3_uses_id3v24_multi_value_artists_and_standard_frames(tones: ToneLibrary, tmp_path: Path) -> None:
    path = tones.copy("mp3", tmp_path)
    write_tags(path, full_tags())

    id3 = mutagen.File(path).tags

    assert id3.version == (2, 4, 0)
    assert id3["TPE1"].text == ["YOASOBI", "Beyoncé", "Sigur Rós", "Mø 🌊"]
    assert str(id3["TSRC"]) == "JPU902000211"
    assert str(id3["TDRC"]) == "2021-03-05"
    assert id3["WOAS"].url == "https://music.youtube.com/watch?v=x8VYWazR5mE&feature=share"
    assert id3.getall("APIC")[0].mime == "image/jpeg" and id3.getall("APIC")[0].type == 3  # front cover


def test_mp3_source_urls_beyond_latin1_are_percent_encoded(tones: ToneLibrary, tmp_path: Path) -> None:
    path = tones.copy("mp3", tmp_path)

    write_tags(path, TrackTags(title="t", source_url="https://soundcloud.com/künstler/lied-♥"))

    assert read_tags(path).source_url == "https://soundcloud.com/k%C3%BCnstler/lied-%E2%99%A5"


def test_m4a_uses_itunes_atoms(tones: ToneLibrary, tmp_path: Path) -> None:
    path = tones.copy("m4a", tmp_path)
    write_tags(path, full_tags())

    atoms = mutagen.File(path).tags

    assert atoms["\xa9ART"] == ["YOASOBI", "Beyoncé", "Sigur Rós", "Mø 🌊"]
    assert atoms["trkn"] == [(7, 0)]
    assert bytes(atoms["----:com.apple.iTunes:ISRC"][0]) == b"JPU902000211"
    assert atoms["covr"][0].imageformat == atoms["covr"][0].FORMAT_JPEG


@pytest.mark.parametrize("kind", ["opus", "vorbis"])
def test_ogg_carries_one_artist_comment_each_and_a_base64_picture_block(
    tones: ToneLibrary, tmp_path: Path, kind: str
) -> None:
    path = tones.copy(kind, tmp_path)
    write_tags(path, full_tags())

    comments = mutagen.File(path).tags

    assert comments["ARTIST"] == ["YOASOBI", "Beyoncé", "Sigur Rós", "Mø 🌊"]
    picture = Picture(base64.b64decode(comments["METADATA_BLOCK_PICTURE"][0]))
    assert (picture.mime, picture.type, picture.width, picture.height) == ("image/jpeg", 3, 360, 360)


def test_flac_keeps_the_cover_in_a_picture_block(tones: ToneLibrary, tmp_path: Path) -> None:
    path = tones.copy("flac", tmp_path)
    write_tags(path, full_tags())

    flac = mutagen.File(path)

    assert len(flac.pictures) == 1 and (flac.pictures[0].width, flac.pictures[0].height) == (360, 360)
    assert "METADATA_BLOCK_PICTURE" not in flac.tags
    assert flac.tags["ISRC"] == ["JPU902000211"]


def test_a_format_we_do_not_produce_is_refused_clearly(tones: ToneLibrary, tmp_path: Path) -> None:
    with pytest.raises(TaggingError, match="cannot tag source.wav"):
        write_tags(tones.copy("wav", tmp_path), TrackTags(title="t"))


def test_a_cover_that_is_not_jpeg_is_refused(tones: ToneLibrary, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="JPEG"):
        write_tags(tones.copy("mp3", tmp_path), TrackTags(title="t", cover_jpeg=make_cover(10, 10)))


def test_an_old_id3v1_tag_is_removed(tones: ToneLibrary, tmp_path: Path) -> None:
    # ID3v1 cuts titles to 30 Latin-1 bytes; players that prefer it would show "Caf? del Mar (Ext...".
    path = tones.copy("mp3", tmp_path)
    ID3().save(path, v1=ID3v1SaveOptions.CREATE)
    assert path.read_bytes()[-128:].startswith(b"TAG")

    write_tags(path, full_tags())

    assert not path.read_bytes()[-128:].startswith(b"TAG")
