"""The matcher: accuracy on the labelled data set, then each rule on its own, then speed."""
from __future__ import annotations

import time

import pytest

from pysync_web.services.matching import (
    ACCEPT_THRESHOLD,
    STRONG_THRESHOLD,
    MatchScore,
    is_weak,
    pick_best,
    rank_candidates,
    score_candidate,
)
from pysync_web.services.matching_artists import Channel
from pysync_web.services.matching_duration import duration_fit
from pysync_web.services.matching_text import comparable, fold, remove_phrase
from pysync_web.services.matching_titles import parse_track_title
from pysync_web.services.matching_versions import Version, tags_of_segment
from tests.unit.matching_cases import CASES, sc, track, yt, ytm

MIN_ACCURACY = 0.95
MAX_WRONG_PICKS = 0.02


def _picks() -> list[tuple[str | None, str | None]]:
    return [(case.expected, pick_best(case.track, case.candidates)) for case in CASES]


# ------------------------------------------------------------------------------------------ data set
def test_data_set_is_large_varied_and_consistent():
    assert len(CASES) >= 100
    assert sum(case.expected is None for case in CASES) >= 15
    positions = {next(i for i, c in enumerate(case.candidates) if c["url"] == case.expected)
                 for case in CASES if case.expected}
    assert len(positions) >= 4, "the right answer must not always sit in the same place"
    for case in CASES:
        urls = [c["url"] for c in case.candidates]
        assert len(set(urls)) == len(urls), case.name
        assert case.expected is None or case.expected in urls, case.name
    assert len({case.name for case in CASES}) == len(CASES)


def test_accuracy_on_data_set():
    picks = _picks()
    right = sum(expected == got for expected, got in picks)
    assert right / len(picks) >= MIN_ACCURACY, f"{right}/{len(picks)} right"


def test_wrong_picks_on_data_set():
    """A url that is not the expected one, including any url where None was expected."""
    wrong = [case.name for case, (expected, got) in zip(CASES, _picks()) if got is not None and got != expected]
    assert len(wrong) / len(CASES) <= MAX_WRONG_PICKS, wrong


# ------------------------------------------------------------------------------------- normalisation
@pytest.mark.parametrize(("raw", "folded"), [
    ("Beyoncé", "beyonce"),
    ("Señorita", "senorita"),
    ("RÜFÜS DU SOL", "rufus du sol"),
    ("ＨＵＭＢＬＥ．", "humble."),  # full-width
    ("Taylor’s Version", "taylor's version"),
    ("Ke$ha", "kesha"),
    ("Måneskin", "maneskin"),
    ("MØ", "mo"),
    ("が", "が"),  # the dakuten is a combining mark but changes the kana: kept
    ("Группа Крови", "группа крови"),  # non-Latin text is compared as written
])
def test_fold(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize(("raw", "romanised"), [
    ("КИНО", "kino"),
    ("Группа крови", "gruppa krovi"),
    ("Μελίνα Μερκούρη", "melina merkouri"),
    ("HUMBLE.", "humble"),
    ("夜に駆ける", "夜に駆ける"),  # no table for kanji: left as written
])
def test_comparable_romanises_greek_and_cyrillic_only(raw, romanised):
    assert comparable(raw) == romanised


@pytest.mark.parametrize(("haystack", "phrase", "found"), [
    ("dont start now (remix)", "Don't Start Now", True),
    ("humble (skrillex remix)", "HUMBLE.", True),
    ("she's alive", "live", False),  # whole words only
    ("simon & garfunkel - the sound of silence", "Simon & Garfunkel", True),
])
def test_phrases_are_found_as_whole_words(haystack, phrase, found):
    assert remove_phrase(haystack, phrase)[1] is found


# ----------------------------------------------------------------------------------- version markers
@pytest.mark.parametrize(("segment", "kinds"), [
    ("live at glastonbury 1997", {Version.LIVE}),
    ("ao vivo", {Version.LIVE}),
    ("mtv unplugged", {Version.LIVE, Version.ACOUSTIC}),
    ("acoustic version", {Version.ACOUSTIC}),
    ("karaoke version", {Version.KARAOKE}),
    ("in the style of adele", {Version.KARAOKE}),
    ("karaoke version - originally performed by adele", {Version.KARAOKE}),
    ("カラオケ", {Version.KARAOKE}),
    ("instrumental", {Version.INSTRUMENTAL}),
    ("minus one", {Version.INSTRUMENTAL}),
    ("минус", {Version.INSTRUMENTAL}),
    ("acapella", {Version.ACAPPELLA}),
    ("cover by j.fla", {Version.COVER}),
    ("歌ってみた", {Version.COVER}),
    ("piano version", {Version.COVER}),
    ("sped up", {Version.SPED_UP}),
    ("pitched", {Version.SPED_UP}),  # pitch-shifted to dodge copyright matching
    ("slowed + reverb", {Version.SLOWED, Version.REVERB}),
    ("nightcore", {Version.NIGHTCORE}),
    ("8d audio", {Version.EIGHT_D}),
    ("1 hour", {Version.LOOP}),
    ("10 hours", {Version.LOOP}),
    ("loop", {Version.LOOP}),
    ("mashup", {Version.MASHUP}),
    ("hardstyle bootleg", {Version.BOOTLEG}),
    ("vip", {Version.VIP}),
    ("demo", {Version.DEMO}),
    ("reprise / remastered 2009", {Version.REPRISE}),
    ("taylor's version", {Version.RERECORDING}),
    ("japanese ver.", {Version.LANGUAGE}),
    ("extended mix", {Version.EXTENDED}),
    ("club edit", {Version.EXTENDED}),
    ("radio edit", {Version.RADIO_EDIT}),
    ("edit", {Version.RADIO_EDIT}),
    ("clean", {Version.CLEAN}),
    ("edited", {Version.CLEAN}),
    ("dirty", {Version.EXPLICIT}),
    ("dance practice", {Version.NOT_A_RECORDING}),
    ("alesso remix", {Version.REMIX}),
    ("dimitri vegas & like mike edit", {Version.REMIX}),  # a named edit is somebody's remix
    ("2019 mix", {Version.REMIX}),
    ("glee cast version", {Version.NAMED}),
    ("original mix", set()),  # "Original Mix" is the plain title
    ("remastered 2011", set()),  # a remaster is the same recording
    ("mono version", set()),  # and so is the mono master
    ("official audio", set()),
    ("prod. by metro boomin", set()),
])
def test_version_markers(segment, kinds):
    assert tags_of_segment(segment).kinds == kinds


@pytest.mark.parametrize(("segment", "kind", "name"), [
    ("alesso remix", Version.REMIX, "alesso"),
    ("remix by diplo", Version.REMIX, "diplo"),
    ("purple disco machine remix", Version.REMIX, "purple disco machine"),
    ("live on mtv, 1994", Version.LIVE, "mtv 1994"),
    ("japanese ver.", Version.LANGUAGE, "japanese"),
])
def test_version_names(segment, kind, name):
    assert tags_of_segment(segment).names[kind] == {name}


def test_spotify_title_splits_name_features_and_version():
    parsed = parse_track_title("Titanium (feat. Sia) - Alesso Remix", "")
    assert parsed.names == ("titanium",)
    assert parsed.featured == ("sia",)
    assert parsed.versions.kinds == {Version.REMIX}
    assert parsed.versions.names[Version.REMIX] == {"alesso"}


def test_spotify_title_keeps_brackets_that_are_part_of_the_name():
    assert "it goes like nanana" in parse_track_title("(It Goes Like) Nanana - Edit", "").names
    gangnam = parse_track_title("Gangnam Style (강남스타일)", "")
    assert {"gangnam style", "강남스타일"} <= set(gangnam.names)
    assert not gangnam.versions.kinds


def test_spotify_suffix_that_names_no_version_is_part_of_the_name_or_a_subtitle():
    assert {"kill bill part 2", "kill bill"} <= set(parse_track_title("Kill Bill - Part 2", "").names)
    wanted = track("Kill Bill - Part 2", ["Some Artist"], "3:00")
    assert score_candidate(wanted, yt("Kill Bill Part 2", "Some Artist - Topic", "3:00", 1)).accepted
    assert score_candidate(wanted, yt("Kill Bill Part 1", "Some Artist - Topic", "3:00", 1)).vetoes


def test_live_album_makes_a_plainly_titled_track_live():
    assert parse_track_title("About A Girl", "MTV Unplugged In New York").versions.kinds == {Version.LIVE}
    assert not parse_track_title("Violet", "Live Through This").versions.kinds  # a studio album


# ------------------------------------------------------ version rules, applied through the public score
MIDNIGHT_CITY = track("Midnight City", ["M83"], "4:03")


@pytest.mark.parametrize("decoration", [
    "Live at Coachella", "Acoustic", "Karaoke Version", "Instrumental", "Acapella", "Cover", "Sped Up",
    "Slowed + Reverb", "Nightcore", "8D Audio", "Reverb", "1 Hour", "Loop", "Eric Prydz Remix", "Mashup",
    "Bootleg", "VIP", "Demo", "Reprise", "Japanese Ver.", "Piano Version", "Dance Practice",
])
def test_a_marker_on_the_candidate_only_vetoes_even_at_the_same_length(decoration):
    candidate = yt(f"M83 - Midnight City ({decoration})", "M83", "4:03", 1_000_000)
    score = score_candidate(MIDNIGHT_CITY, candidate)
    assert score.vetoes and not score.accepted and score.total == 0


@pytest.mark.parametrize(("title", "decoration"), [
    ("Midnight City - Live", "Live"),
    ("Midnight City - Acoustic", "Acoustic Version"),
    ("Midnight City - Instrumental", "Instrumental"),
    ("Midnight City - sped up", "Sped Up"),
])
def test_a_marker_on_both_sides_matches(title, decoration):
    wanted = track(title, ["M83"], "4:03")
    assert pick_best(wanted, [yt(f"M83 - Midnight City ({decoration})", "M83", "4:03", 1_000)]) is not None


def test_a_marker_on_the_track_only_vetoes():
    wanted = track("Midnight City - Live", ["M83"], "4:03")
    assert score_candidate(wanted, yt("Midnight City", "M83 - Topic", "4:03", 1_000)).vetoes


def test_marker_words_inside_the_song_name_are_not_markers():
    live_forever = track("Live Forever", ["Oasis"], "4:36")
    assert score_candidate(live_forever, yt("Oasis - Live Forever", "Oasis", "4:37", 1_000)).accepted
    assert not score_candidate(live_forever, yt("Oasis - Live Forever (Live)", "Oasis", "4:37", 1_000)).accepted


def test_unbracketed_version_words_do_not_count_against_the_title():
    """The title part reads the song's name only; the version is judged (and vetoed) on its own."""
    score = score_candidate(MIDNIGHT_CITY, yt("M83 Midnight City 1 Hour", "Loops", "1:00:00", 1))
    assert score.title == 1.0
    assert any("loop" in veto for veto in score.vetoes)


def test_original_mix_is_the_plain_title_and_remasters_are_the_same_recording():
    assert score_candidate(MIDNIGHT_CITY, yt("M83 - Midnight City (Original Mix)", "M83", "4:03", 1)).accepted
    assert score_candidate(MIDNIGHT_CITY, yt("Midnight City (2021 Remaster)", "M83 - Topic", "4:03", 1)).accepted


def test_extended_track_wants_the_extended_upload_and_not_the_radio_edit():
    wanted = track("Losing It - Extended Mix", ["FISHER"], "6:38")
    extended = sc("FISHER - Losing It (Extended Mix)", "FISHER", "6:38", 1_000)
    radio = yt("FISHER - Losing It (Radio Edit)", "FISHER", "6:38", 1_000_000)  # even at the same length
    assert pick_best(wanted, [radio, extended]) == extended["url"]
    assert score_candidate(wanted, radio).vetoes


def test_radio_edit_track_wants_the_radio_edit_and_not_the_extended_mix():
    wanted = track("Animals - Radio Edit", ["Martin Garrix"], "2:56")
    radio = yt("Animals (Radio Edit)", "Martin Garrix - Topic", "2:57", 1_000)
    extended = yt("Martin Garrix - Animals (Extended Mix)", "Martin Garrix", "2:57", 9_000_000)
    assert pick_best(wanted, [extended, radio]) == radio["url"]


def test_official_audio_without_radio_edit_in_its_title_is_the_full_version():
    wanted = track("Levels - Radio Edit", ["Avicii"], "3:19")
    assert score_candidate(wanted, yt("Levels", "Avicii - Topic", "3:19", 1_000)).vetoes
    # a music video is the radio edit without saying so
    assert score_candidate(wanted, yt("Avicii - Levels (Official Video)", "Avicii", "3:20", 1_000)).accepted


# ----------------------------------------------------------------------------------------- remixers
TITANIUM_ALESSO = track("Titanium (feat. Sia) - Alesso Remix", ["David Guetta", "Sia", "Alesso"], "5:12")


def test_same_remixer_matches_and_another_remixer_is_vetoed():
    alesso = yt("David Guetta ft. Sia - Titanium (Alesso Remix)", "Alesso", "5:12", 1_000)
    romero = yt("David Guetta ft. Sia - Titanium (Nicky Romero Remix)", "Nicky Romero", "5:12", 1_000)
    assert score_candidate(TITANIUM_ALESSO, alesso).accepted
    assert any("nicky romero" in veto for veto in score_candidate(TITANIUM_ALESSO, romero).vetoes)


def test_a_named_remix_is_not_an_unnamed_one():
    unnamed = track("Old Town Road (feat. Billy Ray Cyrus) - Remix", ["Lil Nas X", "Billy Ray Cyrus"], "2:37")
    diplo = yt("Old Town Road (Diplo Remix) [feat. Billy Ray Cyrus]", "Lil Nas X - Topic", "2:37", 1_000)
    assert score_candidate(unnamed, diplo).vetoes


def test_a_bare_spotify_remix_title_credits_its_remixer_in_the_artist_list():
    wanted = track("Despacito - Remix", ["Luis Fonsi", "Daddy Yankee", "Justin Bieber"], "3:48")
    bieber = yt("Despacito (Justin Bieber Remix)", "Luis Fonsi - Topic", "3:48", 1)
    other = yt("Despacito (Major Lazer & MOSTER Remix)", "Luis Fonsi - Topic", "3:48", 1)
    assert score_candidate(wanted, bieber).accepted
    assert score_candidate(wanted, other).vetoes


def test_a_remix_without_its_remixer_name_is_accepted_but_ranks_lower():
    named = yt("Titanium (Alesso Remix)", "Alesso", "5:12", 1_000)
    unnamed = yt("Titanium (Remix)", "Alesso", "5:12", 1_000)
    assert score_candidate(TITANIUM_ALESSO, unnamed).accepted
    assert score_candidate(TITANIUM_ALESSO, unnamed).total < score_candidate(TITANIUM_ALESSO, named).total


# ----------------------------------------------------------------------------------------- duration
@pytest.mark.parametrize(("track_s", "candidate_s", "video", "too_far"), [
    (200, 201, False, False),
    (200, 209, False, False),
    (200, 215, False, True),  # a longer audio upload is another edit
    (200, 192, False, True),  # so is a shorter one
    (200, 260, True, False),  # a music video with an intro
    (200, 192, True, True),  # ...but never a shorter one
    (357, 822, True, True),  # a short film is not a music video with an intro
    (400, 520, True, True),  # at most 100 s of intro, however long the song
    (578, 600, False, False),  # long tracks get a proportional allowance (5 %)
    (578, 615, False, True),
])
def test_duration_tolerance(track_s, candidate_s, video, too_far):
    assert duration_fit(track_s, candidate_s, video).too_far is too_far


def test_duration_score_falls_with_the_difference():
    scores = [duration_fit(200, 200 + extra, True).score for extra in (0, 10, 30, 60)]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0 and scores[-1] >= 0.5


def test_official_video_title_earns_the_longer_allowance():
    wanted = track("Photograph", ["Ed Sheeran"], "4:18")
    video = yt("Ed Sheeran - Photograph (Official Music Video)", "Ed Sheeran", "5:05", 1)
    lyrics = yt("Ed Sheeran - Photograph (Lyrics)", "Lyrics", "5:05", 1)
    assert score_candidate(wanted, video).accepted
    assert not score_candidate(wanted, lyrics).accepted


# -------------------------------------------------------------------------------------- channels
def test_channel_names():
    assert Channel.of("DaftPunkVEVO") == Channel("Daft Punk", is_topic=False, is_vevo=True)
    assert Channel.of("Daft Punk - Topic") == Channel("Daft Punk", is_topic=True, is_vevo=False)


def test_official_channels_rank_above_third_party_copies_of_the_same_audio():
    wanted = track("Yellow", ["Coldplay"], "4:26")
    topic = yt("Yellow", "Coldplay - Topic", "4:26", None)
    music = ytm("Yellow", "Coldplay", "4:26", None)
    vevo = yt("Coldplay - Yellow", "ColdplayVEVO", "4:26", None)
    lyrics = yt("Coldplay - Yellow (Lyrics)", "7clouds", "4:26", 900_000_000)
    totals = [score_candidate(wanted, c).total for c in (topic, music, vevo, lyrics)]
    assert totals[0] == totals[1] > totals[2] > totals[3]
    assert pick_best(wanted, [lyrics, vevo, topic]) == topic["url"]


@pytest.mark.parametrize("channel", ["Sing King", "KaraFun Karaoke", "8D Tunes", "Nightcore Central",
                                     "sped up songs", "1 Hour Loops", "Piano Covers"])
def test_channel_names_reveal_versions(channel):
    assert score_candidate(MIDNIGHT_CITY, yt("M83 - Midnight City", channel, "4:03", 1_000)).vetoes


def test_a_channel_named_after_the_artist_can_still_name_a_version():
    assert score_candidate(MIDNIGHT_CITY, yt("M83 - Midnight City", "M83 Live", "4:03", 1)).vetoes
    assert score_candidate(MIDNIGHT_CITY, yt("M83 - Midnight City", "M83 Official", "4:03", 1)).accepted


def test_an_artist_named_like_a_marker_is_an_artist():
    wanted = track("Rockabye (feat. Sean Paul & Anne-Marie)", ["Clean Bandit", "Sean Paul", "Anne-Marie"], "4:11",
                   explicit=True)
    upload = yt("Rockabye (feat. Sean Paul & Anne-Marie)", "Clean Bandit - Topic", "4:11", 1_000)
    assert score_candidate(wanted, upload).accepted


# -------------------------------------------------------------------------------- artists, features
@pytest.mark.parametrize("title", [
    "Calvin Harris x Dua Lipa - One Kiss",
    "Calvin Harris & Dua Lipa - One Kiss",
    "Calvin Harris, Dua Lipa - One Kiss",
    "Calvin Harris feat. Dua Lipa - One Kiss",
    "Calvin Harris ft. Dua Lipa - One Kiss",
    "One Kiss - Calvin Harris (with Dua Lipa)",
    "Calvin Harris w/ Dua Lipa - One Kiss",
])
def test_artist_lists_in_third_party_titles(title):
    wanted = track("One Kiss (with Dua Lipa)", ["Calvin Harris", "Dua Lipa"], "3:34")
    score = score_candidate(wanted, yt(title, "Lyrics Channel", "3:34", 1_000))
    assert score.accepted and score.artist == 1.0


def test_the_main_artist_alone_is_enough_but_ranks_below_full_credit():
    wanted = track("Let Me Love You", ["DJ Snake", "Justin Bieber"], "3:25")
    alone = score_candidate(wanted, yt("Let Me Love You", "DJ Snake - Topic", "3:25", 1_000))
    both = score_candidate(wanted, yt("DJ Snake - Let Me Love You ft. Justin Bieber", "DJ Snake - Topic", "3:25", 1))
    assert alone.accepted and alone.artist < both.artist


@pytest.mark.parametrize(("artist", "title", "channel"), [
    ("Queen", "Bohemian Rhapsody", "Queen Latifah - Topic"),
    ("Prince", "Prince Royce - Purple Rain", "Prince Royce"),
    ("Future", "Future Islands - Purple Rain", "4AD"),
    ("Nas", "Lil Nas X - Purple Rain", "Lil Nas X"),
])
def test_a_longer_name_is_not_the_artist(artist, title, channel):
    wanted = track("Bohemian Rhapsody" if artist == "Queen" else "Purple Rain", [artist], "4:00")
    assert score_candidate(wanted, yt(title, channel, "4:00", 1)).vetoes


@pytest.mark.parametrize(("title", "channel"), [
    ("aespa 에스파 'Next Level' MV", "SMTOWN"),  # a name and its translation share the credit
    ("aespa - Next Level", "aespa Official YouTube"),
    ("aespa Next Level lyrics", "Lyrics Hub"),  # no dash: the song's own words share the credit
])
def test_what_may_share_a_credit_with_the_artist(title, channel):
    assert score_candidate(track("Next Level", ["aespa"], "3:41"), yt(title, channel, "3:41", 1)).accepted


@pytest.mark.parametrize("channel", ["Calvin Harris, Dua Lipa", "Calvin Harris & Dua Lipa", "Calvin Harris"])
def test_youtube_music_lists_a_songs_artists_as_its_channel(channel):
    wanted = track("One Kiss", ["Calvin Harris"], "3:34")
    score = score_candidate(wanted, ytm("One Kiss", channel, "3:34"))
    assert score.accepted and score.artist == 1.0


def test_wrong_artist_with_the_same_title_and_length_is_vetoed():
    wanted = track("Closer", ["Kings of Leon"], "3:57")
    assert score_candidate(wanted, yt("Closer", "Ne-Yo - Topic", "3:57", 1_000)).vetoes


def test_features_the_track_does_not_credit_mean_another_version_on_official_uploads():
    wanted = track("bad guy", ["Billie Eilish"], "3:14")
    official = yt("bad guy (with Justin Bieber)", "Billie Eilish - Topic", "3:14", 1_000)
    third_party = yt("Billie Eilish - bad guy ft. Justin Bieber", "Lyrics Channel", "3:14", 1_000)
    assert score_candidate(wanted, official).vetoes
    assert score_candidate(wanted, third_party).accepted and is_weak(score_candidate(wanted, third_party))


def test_official_audio_without_the_titles_feature_is_another_version():
    wanted = track("Bad Blood (feat. Kendrick Lamar)", ["Taylor Swift", "Kendrick Lamar"], "3:31")
    assert score_candidate(wanted, yt("Bad Blood", "Taylor Swift - Topic", "3:31", 1_000)).vetoes
    assert score_candidate(wanted, yt("Bad Blood (feat. Kendrick Lamar)", "Taylor Swift - Topic", "3:31", 1)).accepted


# ---------------------------------------------------------------------------------------- explicit
def test_clean_edits_of_an_explicit_track_are_vetoed():
    wanted = track("HUMBLE.", ["Kendrick Lamar"], "2:57", explicit=True)
    for title in ("HUMBLE. (Clean)", "HUMBLE. (Radio Edit)", "HUMBLE. (Clean Version)", "HUMBLE. (Edited)"):
        assert score_candidate(wanted, yt(title, "Kendrick Lamar - Topic", "2:57", 1)).vetoes, title
    assert score_candidate(wanted, yt("HUMBLE.", "Kendrick Lamar - Topic", "2:57", 1)).accepted


def test_an_explicit_upload_of_a_clean_track_ranks_below_the_plain_one():
    wanted = track("HUMBLE.", ["Kendrick Lamar"], "2:57", explicit=False)
    plain = score_candidate(wanted, yt("HUMBLE.", "Kendrick Lamar - Topic", "2:57", 1))
    explicit = score_candidate(wanted, yt("HUMBLE. (Explicit)", "Kendrick Lamar - Topic", "2:57", 1))
    assert explicit.total < plain.total


# ----------------------------------------------------------------------------------------- scripts
def test_cyrillic_upload_matches_a_romanised_spotify_track():
    wanted = track("Gruppa Krovi", ["Kino"], "4:46")
    assert score_candidate(wanted, yt("Кино - Группа крови", "КИНО", "4:46", 1)).accepted


def test_kanji_and_romaji_are_not_guessed_to_be_the_same():
    wanted = track("紅蓮華", ["LiSA"], "3:59")
    assert pick_best(wanted, [yt("LiSA - Gurenge", "LiSA", "3:59", 1)]) is None


def test_numbered_parts_are_different_songs():
    wanted = track("Another Brick in the Wall, Pt. 2", ["Pink Floyd"], "3:59")
    assert score_candidate(wanted, yt("Another Brick in the Wall, Pt. 1", "Pink Floyd - Topic", "3:59", 1)).vetoes


# -------------------------------------------------------------------------------------------- API
def test_scores_are_bounded_and_vetoes_zero_the_total():
    for case in CASES[:30]:
        for _, score in rank_candidates(case.track, case.candidates):
            assert isinstance(score, MatchScore)
            assert 0.0 <= score.total <= 1.0
            assert all(0.0 <= part <= 1.0 for part in (score.title, score.artist, score.duration))
            assert (score.total == 0.0) if score.vetoes else score.total > 0


def test_rank_puts_the_pick_first_and_vetoed_candidates_last():
    case = next(c for c in CASES if c.name == "shape_of_you_topic_third")
    ranked = rank_candidates(case.track, case.candidates)
    assert ranked[0][0]["url"] == pick_best(case.track, case.candidates) == case.expected
    accepted = [score.accepted for _, score in ranked]
    assert accepted == sorted(accepted, reverse=True)


def test_weak_matches_are_accepted_but_flagged():
    assert ACCEPT_THRESHOLD < STRONG_THRESHOLD
    weak = MatchScore(total=(ACCEPT_THRESHOLD + STRONG_THRESHOLD) / 2, title=1, artist=1, duration=0.5)
    strong = MatchScore(total=STRONG_THRESHOLD + 0.01, title=1, artist=1, duration=1)
    vetoed = MatchScore(total=0.0, title=1, artist=1, duration=1, vetoes=("live",))
    assert weak.accepted and is_weak(weak)
    assert strong.accepted and not is_weak(strong)
    assert not vetoed.accepted and not is_weak(vetoed)


def test_no_candidates_no_pick():
    assert pick_best(MIDNIGHT_CITY, []) is None


def test_reasons_explain_the_score():
    score = score_candidate(MIDNIGHT_CITY, yt("Midnight City", "M83 - Topic", "4:03", 1))
    assert any("Topic" in reason for reason in score.reasons)
    vetoed = score_candidate(MIDNIGHT_CITY, yt("M83 - Midnight City (Live)", "M83", "4:03", 1))
    assert any("live" in veto for veto in vetoed.vetoes)


# ------------------------------------------------------------------------------------------ speed
def test_a_thousand_fresh_candidates_score_well_under_a_second():
    """Unique titles so that no cache helps; best of three runs, as the CI machine is shared."""
    pairs = [(case.track, {**c, "title": f"{c['title']} {n}x"})
             for n in range(8) for case in CASES for c in case.candidates][:1000]
    assert len(pairs) == 1000
    best = min(_time_scoring(pairs) for _ in range(3))
    # ~0.16 s on an idle machine (bench/bench_matching.py); the bound is the contract, 1 ms a candidate,
    # so a loaded CI machine does not fail it.
    assert best < 1.0, f"{best:.3f} s for 1000 candidates"


def _time_scoring(pairs: list[tuple[dict, dict]]) -> float:
    started = time.perf_counter()
    for wanted, candidate in pairs:
        score_candidate(wanted, candidate)
    return time.perf_counter() - started
