"""Audio facts for exports: read from real files, cached by (path, mtime, size), kept on disk."""
import os

import pytest

from pysync_web.services.exports import audio_facts
from pysync_web.services.exports.audio_facts import AudioFacts, AudioFactsCache, read_audio_facts


@pytest.mark.parametrize("kind, bitrate, sample_rate", [
    ("mp3", 128, 44100), ("mp3-with-cover", None, 44100), ("m4a", 96, 44100), ("opus", None, 48000),
    ("flac", None, 44100),
])
def test_facts_from_real_files(tones, kind, bitrate, sample_rate):
    path = tones.original(kind, seconds=2)
    facts = read_audio_facts(str(path), path.stat().st_size)
    assert facts.size == path.stat().st_size and facts.sample_rate == sample_rate
    assert facts.duration_ms == pytest.approx(2000, abs=80)
    if bitrate is not None:
        assert facts.bitrate_kbps == pytest.approx(bitrate, abs=6)
    else:
        assert facts.bitrate_kbps and facts.bitrate_kbps > 0


def test_a_file_that_is_not_audio_still_has_its_size(tmp_path):
    path = tmp_path / "not audio.mp3"
    path.write_bytes(b"hello" * 100)
    assert read_audio_facts(str(path), 500) == AudioFacts(size=500)


@pytest.fixture
def counted_reads(monkeypatch):
    reads: list[str] = []
    real = audio_facts.read_audio_facts

    def counting(path, size):
        reads.append(path)
        return real(path, size)

    monkeypatch.setattr(audio_facts, "read_audio_facts", counting)
    return reads


def test_cache_reads_each_file_once_until_it_changes(tmp_path, counted_reads):
    path = tmp_path / "a.mp3"
    path.write_bytes(b"x" * 10)
    cache = AudioFactsCache()
    assert cache.facts(str(path)).size == 10
    assert cache.facts(str(path)).size == 10
    assert counted_reads == [str(path)]
    path.write_bytes(b"y" * 20)
    assert cache.facts(str(path)).size == 20 and len(counted_reads) == 2
    os.utime(path, ns=(1, 1))  # same size, other mtime: re-read too
    cache.facts(str(path))
    assert len(counted_reads) == 3


def test_missing_files_and_folders_have_no_facts(tmp_path):
    cache = AudioFactsCache()
    assert cache.facts(str(tmp_path / "gone.mp3")) is None
    assert cache.facts(str(tmp_path)) is None


def test_cache_file_spares_a_new_process_the_reads(tmp_path, tones, counted_reads):
    path = tones.copy("mp3", tmp_path, seconds=1)
    cache_file = tmp_path / "cache" / "facts.json"
    first = AudioFactsCache(cache_file)
    facts = first.facts(str(path))
    first.save()
    second = AudioFactsCache(cache_file)
    assert second.facts(str(path)) == facts and counted_reads == [str(path)]


def test_a_damaged_cache_file_is_ignored(tmp_path, counted_reads):
    path = tmp_path / "a.mp3"
    path.write_bytes(b"x")
    cache_file = tmp_path / "facts.json"
    for damage in (b"{not json", b'{"version": 1, "files": {"p": [1]}}', b"[]"):
        cache_file.write_bytes(damage)
        assert AudioFactsCache(cache_file).facts(str(path)) == AudioFacts(size=1)
    assert len(counted_reads) == 3


def test_an_unwritable_cache_costs_nothing_but_speed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    cache = AudioFactsCache(blocker / "facts.json")  # its folder is a file: cannot be written
    path = tmp_path / "a.mp3"
    path.write_bytes(b"x")
    cache.facts(str(path))
    cache.save()  # logs, does not raise


def test_facts_recorded_at_download_spare_the_read_while_the_size_matches(tmp_path, counted_reads):
    path = tmp_path / "a.mp3"
    path.write_bytes(b"x" * 10)
    recorded = AudioFacts(size=10, duration_ms=5000, bitrate_kbps=320, sample_rate=48000)
    cache = AudioFactsCache()
    assert cache.facts(str(path), recorded) == recorded and counted_reads == []
    path.write_bytes(b"x" * 11)  # replaced since: the recorded facts are stale
    assert cache.facts(str(path), recorded) == AudioFacts(size=11) and counted_reads == [str(path)]
