"""Write and read the tags DJ software sorts by, the same fields in every format we produce.

`write_tags` replaces all existing tags (a file converted by ffmpeg carries only an encoder note) so
the result is the same whatever the source held. Mutagen edits in place: call it on the work file
before it is moved to its final name, so a crash never leaves a half-tagged file in the library.

Every format goes through one neutral form, field name -> list of texts, so the three tag systems
differ only in their key tables and their few special cases (cover, track number, URL).
"""
from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import mutagen
from mutagen.flac import FLAC, Picture
from mutagen.id3 import (
    APIC,
    COMM,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TPE1,
    TPE2,
    TRCK,
    TSRC,
    WOAS,
    ID3v1SaveOptions,
    PictureType,
)
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, AtomDataType, MP4Cover, MP4FreeForm
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from pysync_web.errors import PySyncError
from pysync_web.services.audio.covers import jpeg_dimensions

_JPEG_MAGIC = b"\xff\xd8\xff"
# Freeform keys live where iTunes, Picard and Mp3tag keep what MP4 has no atom for. No standard
# field exists for the source URL; it has the same name in MP4 and Vorbis comments.
_MP4_FREEFORM = "----:com.apple.iTunes:"
_ID3_TEXT_FRAMES = {"title": TIT2, "artists": TPE1, "album": TALB, "album_artist": TPE2, "track_number": TRCK,
                    "year": TDRC, "isrc": TSRC, "genre": TCON}
_MP4_KEYS = {"title": "\xa9nam", "artists": "\xa9ART", "album": "\xa9alb", "album_artist": "aART", "year": "\xa9day",
             "genre": "\xa9gen", "comment": "\xa9cmt", "isrc": f"{_MP4_FREEFORM}ISRC",
             "source_url": f"{_MP4_FREEFORM}SOURCE_URL"}
_VORBIS_KEYS = {"title": "TITLE", "artists": "ARTIST", "album": "ALBUM", "album_artist": "ALBUMARTIST",
                "track_number": "TRACKNUMBER", "year": "DATE", "isrc": "ISRC", "genre": "GENRE",
                "comment": "COMMENT", "source_url": "SOURCE_URL"}

Texts = Mapping[str, list[str]]  # neutral form: TrackTags field name -> its values as text


class TaggingError(PySyncError):
    """The file is not in a format we tag (mp3, m4a, opus, ogg, flac)."""


@dataclass
class TrackTags:
    title: str = ""
    artists: list[str] = field(default_factory=list)
    album: str = ""
    album_artist: str = ""
    track_number: int | None = None
    year: str | int | None = None  # "2021", 2021 or a full release date "2021-03-05"
    isrc: str | None = None
    source_url: str | None = None  # where the audio came from, so a wrong match can be traced
    cover_jpeg: bytes | None = None  # see covers.square_jpeg
    genre: str = ""
    comment: str = ""


def write_tags(path: Path, tags: TrackTags) -> None:
    if tags.cover_jpeg is not None and not tags.cover_jpeg.startswith(_JPEG_MAGIC):
        raise ValueError("cover_jpeg must be JPEG data (use covers.square_jpeg)")
    audio = _open(path)
    texts = _texts_of(tags)
    if isinstance(audio, MP3):
        _write_id3(path, texts, tags.cover_jpeg)
    elif isinstance(audio, MP4):
        _write_mp4(audio, texts, tags.cover_jpeg)
    else:
        _write_vorbis(audio, texts, tags.cover_jpeg)


def read_tags(path: Path) -> TrackTags:
    audio = _open(path)
    if isinstance(audio, MP3):
        return _read_id3(audio.tags or ID3())
    if isinstance(audio, MP4):
        return _read_mp4(audio)
    return _read_vorbis(audio)


def _open(path: Path) -> MP3 | MP4 | FLAC | OggOpus | OggVorbis:
    audio = mutagen.File(path)
    if not isinstance(audio, (MP3, MP4, FLAC, OggOpus, OggVorbis)):
        kind = type(audio).__name__ if audio is not None else "an unknown format"
        raise TaggingError(f"cannot tag {path.name}: it is {kind}, not mp3, m4a, opus, ogg or flac")
    return audio


def _texts_of(tags: TrackTags) -> dict[str, list[str]]:
    texts = {
        "title": [tags.title], "artists": list(tags.artists), "album": [tags.album],
        "album_artist": [tags.album_artist], "track_number": [str(tags.track_number or "")],
        "year": ["" if tags.year is None else str(tags.year).strip()], "isrc": [tags.isrc or ""],
        "source_url": [tags.source_url or ""], "genre": [tags.genre], "comment": [tags.comment],
    }
    non_empty = {name: [value for value in values if value] for name, values in texts.items()}
    return {name: values for name, values in non_empty.items() if values}


def _tags_from(texts: Texts, cover_jpeg: bytes | None) -> TrackTags:
    def first(name: str) -> str:
        return texts[name][0] if texts.get(name) else ""

    track_number = first("track_number").split("/")[0].strip()  # "3/12" is track 3 of 12
    return TrackTags(
        title=first("title"),
        artists=list(texts.get("artists", [])),
        album=first("album"),
        album_artist=first("album_artist"),
        track_number=int(track_number) if track_number.isdigit() else None,
        year=first("year") or None,
        isrc=first("isrc") or None,
        source_url=first("source_url") or None,
        cover_jpeg=cover_jpeg,
        genre=first("genre"),
        comment=first("comment"),
    )


# --- MP3: ID3v2.4, whose text frames hold several values (v2.3 could only join them with "/") ---

def _write_id3(path: Path, texts: Texts, cover_jpeg: bytes | None) -> None:
    id3 = ID3()
    for name, frame in _ID3_TEXT_FRAMES.items():
        if name in texts:
            id3.add(frame(encoding=3, text=texts[name]))  # encoding 3: UTF-8
    if "comment" in texts:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=texts["comment"]))
    if "source_url" in texts:
        # URL frames are Latin-1 only: percent-encode anything else, as a browser would.
        id3.add(WOAS(url=quote(texts["source_url"][0], safe=":/?#[]@!$&'()*+,;=%~")))
    if cover_jpeg:
        id3.add(APIC(encoding=3, mime="image/jpeg", type=PictureType.COVER_FRONT, desc="", data=cover_jpeg))
    # Saving a fresh ID3 replaces the old tag; v1 is removed since it truncates titles to 30 bytes.
    id3.save(path, v2_version=4, v1=ID3v1SaveOptions.REMOVE)


def _read_id3(id3: ID3) -> TrackTags:
    texts = {name: [str(text) for text in id3[frame.__name__].text]
             for name, frame in _ID3_TEXT_FRAMES.items() if frame.__name__ in id3}
    comments = [comment for comment in id3.getall("COMM") if not comment.desc]  # not iTunNORM and kin
    if comments:
        texts["comment"] = list(comments[0].text)
    sources = id3.getall("WOAS")
    if sources:
        texts["source_url"] = [sources[0].url]
    covers = [apic.data for apic in id3.getall("APIC") if apic.type == PictureType.COVER_FRONT]
    return _tags_from(texts, covers[0] if covers else None)


# --- M4A: iTunes atoms; ISRC and the source URL have none, so they go into freeform atoms ---

def _write_mp4(audio: MP4, texts: Texts, cover_jpeg: bytes | None) -> None:
    atoms = _emptied_tags(audio)
    for name, key in _MP4_KEYS.items():
        if name in texts:
            is_freeform = key.startswith(_MP4_FREEFORM)
            atoms[key] = [MP4FreeForm(text.encode("utf-8"), AtomDataType.UTF8) if is_freeform else text
                          for text in texts[name]]
    if "track_number" in texts:
        atoms["trkn"] = [(int(texts["track_number"][0]), 0)]  # (number, total); 0: total unknown
    if cover_jpeg:
        atoms["covr"] = [MP4Cover(cover_jpeg, imageformat=MP4Cover.FORMAT_JPEG)]
    audio.save()


def _read_mp4(audio: MP4) -> TrackTags:
    atoms: Any = audio.tags or {}
    texts = {name: [bytes(value).decode("utf-8") if isinstance(value, MP4FreeForm) else str(value)
                    for value in atoms[key]]
             for name, key in _MP4_KEYS.items() if key in atoms}
    if atoms.get("trkn"):
        texts["track_number"] = [str(atoms["trkn"][0][0])]
    covers = atoms.get("covr")
    return _tags_from(texts, bytes(covers[0]) if covers else None)


# --- Opus, Vorbis, FLAC: Vorbis comments, where repeating a field gives several values ---

def _write_vorbis(audio: FLAC | OggOpus | OggVorbis, texts: Texts, cover_jpeg: bytes | None) -> None:
    comments = _emptied_tags(audio)
    for name, key in _VORBIS_KEYS.items():
        if name in texts:
            comments[key] = texts[name]
    if isinstance(audio, FLAC):
        audio.clear_pictures()  # FLAC keeps pictures in their own metadata block
        if cover_jpeg:
            audio.add_picture(_front_cover_picture(cover_jpeg))
    elif cover_jpeg:
        # Ogg has no picture block: the FLAC picture structure travels base64-encoded in a comment.
        comments["METADATA_BLOCK_PICTURE"] = [base64.b64encode(_front_cover_picture(cover_jpeg).write()).decode()]
    audio.save()


def _read_vorbis(audio: FLAC | OggOpus | OggVorbis) -> TrackTags:
    comments: Any = audio.tags or {}
    texts = {name: list(comments[key]) for name, key in _VORBIS_KEYS.items() if key in comments}
    if isinstance(audio, FLAC):
        pictures = audio.pictures
    else:
        pictures = [Picture(base64.b64decode(data)) for data in comments.get("METADATA_BLOCK_PICTURE", [])]
    covers = [picture.data for picture in pictures if picture.type == PictureType.COVER_FRONT]
    return _tags_from(texts, covers[0] if covers else None)


def _front_cover_picture(jpeg: bytes) -> Picture:
    picture = Picture()
    picture.type = PictureType.COVER_FRONT
    picture.mime = "image/jpeg"
    picture.width, picture.height = jpeg_dimensions(jpeg)
    picture.depth = 24
    picture.data = jpeg
    return picture


def _emptied_tags(audio: MP4 | FLAC | OggOpus | OggVorbis) -> Any:
    """The file's tag container with nothing in it; created first when the file has none."""
    if audio.tags is None:
        audio.add_tags()
    tags: Any = audio.tags
    tags.clear()
    return tags
