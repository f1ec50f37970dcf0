"""YouTube titles to artists + title: the conventions uploaders follow, and the traps in them."""
from __future__ import annotations

import pytest

from pysync_web.platforms.youtube_titles import clean_channel, clean_title, is_topic_channel, split_artist_title


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Daft Punk - Get Lucky (Official Video)", "Daft Punk - Get Lucky"),
        ("Rick Astley - Never Gonna Give You Up (Official Music Video)", "Rick Astley - Never Gonna Give You Up"),
        ("Artist - Title [Official Audio]", "Artist - Title"),
        ("Artist - Title (Lyrics)", "Artist - Title"),
        ("Artist - Title (Lyric Video)", "Artist - Title"),
        ("Artist - Title [FREE DL]", "Artist - Title"),
        ("Artist - Title (Free Download)", "Artist - Title"),
        ("Artist - Title (Out Now)", "Artist - Title"),
        ("Artist - Title [OUT NOW]", "Artist - Title"),
        ("Artist - Title (Visualizer)", "Artist - Title"),
        ("Artist - Title | Official Video", "Artist - Title"),
        ("Artist - Title HD", "Artist - Title"),
        ("Artist - Title 4K", "Artist - Title"),
        ("Artist - Title (Official HD Video)", "Artist - Title"),
        ("Artist - Title (M/V)", "Artist - Title"),
        ("Artist - Title (Clip Officiel)", "Artist - Title"),
        ("Artist - Title - Official Audio | HD", "Artist - Title"),
        ("Premiere: Artist - Title", "Artist - Title"),
        ("[Premiere] Artist - Title", "Artist - Title"),
        ("Artist - Title (Official Video) (feat. Guest)", "Artist - Title (feat. Guest)"),
        # version info tells recordings apart: it stays
        ("Artist - Title (Extended Mix)", "Artist - Title (Extended Mix)"),
        ("Artist - Title (Remix) [Official Video]", "Artist - Title (Remix)"),
        ("Artist - Title (Live)", "Artist - Title (Live)"),
        ("Artist - Title (Acoustic)", "Artist - Title (Acoustic)"),
        ("Artist - Title (Radio Edit)", "Artist - Title (Radio Edit)"),
        ("Artist - Title [Label Records]", "Artist - Title [Label Records]"),
        # a single everyday word after a dash may be the song itself
        ("Madonna - Music", "Madonna - Music"),
        ("George Michael - Freedom", "George Michael - Freedom"),
        # non-Latin text is left alone; only the noise tag goes
        ("【MV】YOASOBI「夜に駆ける」", "YOASOBI「夜に駆ける」"),
        ("Кино - Группа крови", "Кино - Группа крови"),
        # nothing but noise: better the original than an empty title
        ("Official Video", "Official Video"),
    ],
)
def test_clean_title(raw: str, cleaned: str) -> None:
    assert clean_title(raw) == cleaned


@pytest.mark.parametrize(
    ("title", "channel", "artists", "song"),
    [
        ("Daft Punk - Get Lucky (Official Video)", "DaftPunkVEVO", ["Daft Punk"], "Get Lucky"),
        ("Artist \u2013 Title", "", ["Artist"], "Title"),  # en dash
        ("Artist \u2014 Title", "", ["Artist"], "Title"),  # em dash
        ("Artist ft. Guest - Title", "", ["Artist", "Guest"], "Title"),
        ("Artist feat. One & Two - Title", "", ["Artist", "One", "Two"], "Title"),
        ("Artist x Other - Title", "", ["Artist", "Other"], "Title"),
        ("Artist - Title (feat. Guest)", "", ["Artist", "Guest"], "Title (feat. Guest)"),
        ("Artist - Title ft. Guest", "", ["Artist", "Guest"], "Title ft. Guest"),
        ("Artist ft. Guest - Title (feat. Guest)", "", ["Artist", "Guest"], "Title (feat. Guest)"),
        ("Artist - Title (Extended Mix)", "Label", ["Artist"], "Title (Extended Mix)"),
        ('Artist "Title"', "", ["Artist"], "Title"),
        ('Artist "Title" (Live)', "", ["Artist"], "Title (Live)"),
        ('Artist - "Title"', "", ["Artist"], "Title"),
        ('The "Best" Song', "Some Band", ["Some Band"], 'The "Best" Song'),
        ("米津玄師 MV「Lemon」", "米津玄師", ["米津玄師"], "Lemon"),
        ("米津玄師 - Lemon", "", ["米津玄師"], "Lemon"),
        # "by" only when it names the channel: "Stand by Me" is a title
        ("Stand by Me", "Ben E. King", ["Ben E. King"], "Stand by Me"),
        ("Song by Ben E. King", "Ben E. King", ["Ben E. King"], "Song"),
        ("Song by Someone Else", "Ben E. King", ["Ben E. King"], "Song by Someone Else"),
        # "Title - Artist" only when the right side is the channel
        ("Title - Artist", "Artist", ["Artist"], "Title"),
        # Topic channels: the channel is the artist and the whole title is the song
        ("Get Lucky", "Daft Punk - Topic", ["Daft Punk"], "Get Lucky"),
        ("Song - Remastered 2011", "The Band - Topic", ["The Band"], "Song - Remastered 2011"),
        ("Poker Face", "LadyGagaVEVO", ["Lady Gaga"], "Poker Face"),
        ("Title", "Artist Official", ["Artist"], "Title"),
        ("Title (Official Video)", "", [], "Title"),
        ("Simon & Garfunkel - The Boxer", "", ["Simon & Garfunkel"], "The Boxer"),
    ],
)
def test_split_artist_title(title: str, channel: str, artists: list[str], song: str) -> None:
    assert split_artist_title(title, channel) == (artists, song)


@pytest.mark.parametrize(
    ("channel", "artist"),
    [
        ("Daft Punk - Topic", "Daft Punk"),
        ("LadyGagaVEVO", "Lady Gaga"),
        ("ACDCVEVO", "ACDC"),
        ("Artist Official", "Artist"),
        ("Artist - Official", "Artist"),
        ("Artist (Official)", "Artist"),
        ("Artist Official Channel", "Artist"),
        ("Unofficial", "Unofficial"),
        ("VEVO", "VEVO"),
        ("Monstercat Uncaged", "Monstercat Uncaged"),
    ],
)
def test_clean_channel(channel: str, artist: str) -> None:
    assert clean_channel(channel) == artist


def test_only_topic_channels_are_topic_channels() -> None:
    assert is_topic_channel("Daft Punk - Topic")
    assert not is_topic_channel("Topic")
    assert not is_topic_channel("Daft Punk")
