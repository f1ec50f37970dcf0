"""One retry policy for every HTTP-speaking client.

Library defaults are wrong for an interactive app: spotipy's urllib3 retry honours any Retry-After, so
one 429 can sleep for an hour. Clients turn their library's errors into the two signals below and let
`call_with_retries` decide: wait for short rate limits, give up with a time for long ones, back off on
server errors and dropped connections, and fail clearly after a few tries.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from pysync_web.config import Settings
from pysync_web.errors import RateLimitedError, ServiceUnavailableError

T = TypeVar("T")


class RateLimitSignal(Exception):
    def __init__(self, retry_after_s: float):
        super().__init__(f"rate limited for {retry_after_s:.0f} s")
        self.retry_after_s = retry_after_s


class TransientFailure(Exception):
    """5xx, timeout or connection error: worth another try."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff_s: float = 0.5
    max_retry_after_s: float = 60.0
    max_rate_limit_waits: int = 5
    sleep: Callable[[float], None] = time.sleep


def policy_for(settings: Settings) -> RetryPolicy:
    return RetryPolicy(backoff_s=settings.retry_backoff_s, max_retry_after_s=settings.max_retry_after_s)


def parse_retry_after(value: str | None, default_s: float = 1.0) -> float:
    """Retry-After is seconds in practice; an HTTP date or garbage falls back to a short wait."""
    try:
        return max(0.0, float(value)) if value is not None else default_s
    except ValueError:
        return default_s


def call_with_retries(call: Callable[[], T], service: str, policy: RetryPolicy = RetryPolicy()) -> T:
    failures = 0
    waits = 0
    while True:
        try:
            return call()
        except RateLimitSignal as signal:
            waits += 1
            if signal.retry_after_s > policy.max_retry_after_s or waits > policy.max_rate_limit_waits:
                raise RateLimitedError(service, datetime.now() + timedelta(seconds=signal.retry_after_s)) from None
            policy.sleep(signal.retry_after_s)
        except TransientFailure as failure:
            failures += 1
            if failures >= policy.attempts:
                raise ServiceUnavailableError(
                    f"{service} is not answering properly ({failure}); tried {failures} times. "
                    "Check your connection and try again later."
                ) from None
            policy.sleep(policy.backoff_s * 2 ** (failures - 1))
