"""Matcher speed: time to score one candidate, over the labelled data set.

Two figures, because the matcher caches per-string work (folding, patterns, segment markers):
- fresh: every candidate title made unique, so nothing it needs is cached yet (a new search result);
- repeated: the same candidates again (re-ranking, or the many "(Lyrics)" / "sped up" segments that
  recur across searches).
Each is the best of `--rounds` runs per candidate, so that a busy machine's scheduling noise does not
pass for the matcher's cost. Also prints the data set's accuracy, as a sanity check that the timed code is
the real thing. Run: `python bench/bench_matching.py [--rounds N]`.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pysync_web.services.matching import pick_best, score_candidate  # noqa: E402
from tests.unit.matching_cases import CASES  # noqa: E402

Pair = tuple[dict, dict]


def fresh_pairs(round_number: int) -> list[Pair]:
    return [(case.track, {**candidate, "title": f"{candidate['title']} {round_number}x"})
            for case in CASES for candidate in case.candidates]


def repeated_pairs(_: int) -> list[Pair]:
    return [(case.track, candidate) for case in CASES for candidate in case.candidates]


def time_each(make_pairs: Callable[[int], list[Pair]], rounds: int) -> list[float]:
    """Best time per candidate, in seconds, over `rounds` runs."""
    best: list[float] = []
    for round_number in range(rounds):
        for index, (track, candidate) in enumerate(make_pairs(round_number)):
            started = time.perf_counter()
            score_candidate(track, candidate)
            elapsed = time.perf_counter() - started
            if index == len(best):
                best.append(elapsed)
            else:
                best[index] = min(best[index], elapsed)
    return best


def report(label: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{label:<9} mean {statistics.mean(ordered) * 1e6:7.1f} µs   p99 {p99 * 1e6:7.1f} µs   "
          f"max {ordered[-1] * 1e6:7.1f} µs   ({len(ordered)} candidates)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    right = sum(pick_best(case.track, case.candidates) == case.expected for case in CASES)
    print(f"data set: {len(CASES)} cases, {right} right ({right / len(CASES):.1%})")
    report("fresh", time_each(fresh_pairs, args.rounds))
    report("repeated", time_each(repeated_pairs, args.rounds))


if __name__ == "__main__":
    main()
