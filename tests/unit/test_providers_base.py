"""The provider contract: the matcher's candidate dict, and how a track is searched (ISRC first, no url twice)."""
from __future__ import annotations

import pytest

from pysync_web.models import Platform, Track
from pysync_web.providers.base import AudioProvider, Candidate, track_query


def candidate(url: str, title: str = "Get Lucky") -> Candidate:
    return Candidate(url=url, title=title, channel="Daft Punk - Topic", duration=369.0, views=1_200_000,
                     source="youtube", page_url=url)


class ScriptedProvider(AudioProvider):
    """Answers each query from a script and records the queries, in order."""

    name = "scripted"

    def __init__(self, answers: dict[str, list[Candidate]] | None = None):
        self.answers = answers or {}
        self.queries: list[str] = []

    def search(self, query: str, limit: int = 10) -> list[Candidate]:
        self.queries.append(query)
        return self.answers.get(query, [])


class IsrcProvider(ScriptedProvider):
    supports_isrc = True


def track(isrc: str | None = "USQX91300108", artists: list[str] | None = None) -> Track:
    return Track(platform=Platform.SPOTIFY, platform_id="69kOkLUCkxIZYexIgSG8rq", title="Get Lucky",
                 artists=["Daft Punk", "Pharrell Williams"] if artists is None else artists, isrc=isrc)


def test_as_dict_is_exactly_what_the_matcher_reads() -> None:
    found = Candidate(url="https://inv.example/latest_version?id=5NV6Rdv1a3I&itag=140&local=true", title="Get Lucky",
                      channel="Daft Punk", duration=248.0, views=None, source="youtube",
                      page_url="https://www.youtube.com/watch?v=5NV6Rdv1a3I")
    assert found.as_dict() == {
        "url": "https://inv.example/latest_version?id=5NV6Rdv1a3I&itag=140&local=true", "title": "Get Lucky",
        "channel": "Daft Punk", "duration": 248.0, "views": None, "source": "youtube",
    }


def test_isrc_is_searched_first_then_artists_and_title_and_each_url_is_kept_once() -> None:
    exact, video, cover = candidate("https://a"), candidate("https://b"), candidate("https://c", "Get Lucky (cover)")
    exact_again = candidate("https://a", "Get Lucky (feat. Pharrell Williams)")
    provider = IsrcProvider({"USQX91300108": [exact], "Daft Punk, Pharrell Williams - Get Lucky": [video, exact_again, cover]})

    assert provider.search_track(track()) == [exact, video, cover]
    assert provider.queries == ["USQX91300108", "Daft Punk, Pharrell Williams - Get Lucky"]


@pytest.mark.parametrize(("provider_class", "isrc"), [(ScriptedProvider, "USQX91300108"), (IsrcProvider, None)])
def test_no_isrc_query_where_it_does_not_work_or_the_track_has_none(
    provider_class: type[ScriptedProvider], isrc: str | None
) -> None:
    provider = provider_class()
    provider.search_track(track(isrc=isrc))
    assert provider.queries == ["Daft Punk, Pharrell Williams - Get Lucky"]


def test_a_track_without_artists_is_searched_by_title_alone() -> None:
    assert track_query(track(artists=[])) == "Get Lucky"
    assert track_query(track(artists=["", "Daft Punk"])) == "Daft Punk - Get Lucky"
