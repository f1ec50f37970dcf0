"""The LAN passcode: what another device on the network types once before it may use the web app.

The passcode is made on the first LAN start and shown on the host only then: the data dir keeps a
salted scrypt hash, never the passcode. A correct passcode earns a signed session token (the web
app puts it in a cookie), signed with a key kept beside the hash, so a new passcode also signs out
every device that used the old one. Wrong guesses are counted per client address and a client that
keeps guessing waits, so eight digits are plenty on a home network.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pysync_web.atomic_file import write_atomically
from pysync_web.errors import PySyncError

PASSCODE_FILE = "lan-passcode.json"
PASSCODE_DIGITS = 8  # digits: a phone shows its number pad for them
MAX_FAILURES = 5  # wrong passcodes one client may enter within FAILURE_WINDOW_S
FAILURE_WINDOW_S = 10 * 60
SESSION_MAX_AGE_S = 30 * 24 * 3600  # a signed-in phone stays signed in for a month
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}  # ~16 MB and ~50 ms per check: slows guessing


class WrongPasscodeError(PySyncError):
    pass


class TooManyAttemptsError(PySyncError):
    def __init__(self, wait_s: float):
        self.wait_s = wait_s
        minutes = max(1, round(wait_s / 60))
        super().__init__(f"Too many wrong passcodes from this device. Try again in {minutes} "
                         f"minute{'s' if minutes != 1 else ''}.")


def generate_passcode() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PASSCODE_DIGITS))


def format_passcode(passcode: str) -> str:
    """'12345678' -> '1234 5678': easier to read out and to type."""
    half = len(passcode) // 2
    return f"{passcode[:half]} {passcode[half:]}"


def normalize_passcode(text: str) -> str:
    """People type the spaces and dashes they see, or none: only the digits count."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "-")


def hash_passcode(passcode: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passcode.encode(), salt=salt, **_SCRYPT)


@dataclass(frozen=True)
class PasscodeRecord:
    """What the data dir keeps: the salted hash, the session signing key and when it was made."""
    salt: bytes
    digest: bytes
    session_key: bytes
    created_at: datetime

    @classmethod
    def create(cls, passcode: str, now: datetime) -> PasscodeRecord:
        salt = secrets.token_bytes(16)
        return cls(salt, hash_passcode(passcode, salt), secrets.token_bytes(32), now)

    def matches(self, passcode: str) -> bool:
        return hmac.compare_digest(hash_passcode(normalize_passcode(passcode), self.salt), self.digest)

    def to_json(self) -> bytes:
        return json.dumps({
            "algorithm": "scrypt", **{k: v for k, v in _SCRYPT.items() if k != "dklen"},
            "salt": self.salt.hex(), "hash": self.digest.hex(), "session_key": self.session_key.hex(),
            "created_at": self.created_at.isoformat(),
        }, indent=2).encode()

    @classmethod
    def from_json(cls, data: bytes) -> PasscodeRecord:
        values = json.loads(data)
        return cls(bytes.fromhex(values["salt"]), bytes.fromhex(values["hash"]),
                   bytes.fromhex(values["session_key"]), datetime.fromisoformat(values["created_at"]))


class FailedAttempts:
    """Wrong passcodes per client address within a sliding window; thread-safe (checks run in threads)."""

    def __init__(self, limit: int = MAX_FAILURES, window_s: float = FAILURE_WINDOW_S,
                 clock: Callable[[], float] = time.monotonic):
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_s(self, client: str) -> float:
        """How long `client` must wait before its next try; 0 when it may try now."""
        with self._lock:
            failures = self._recent(client)
            if len(failures) < self.limit:
                return 0.0
            return failures[0] + self.window_s - self._clock()

    def record(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self._clock())

    def clear(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)

    def _recent(self, client: str) -> deque[float]:
        cutoff = self._clock() - self.window_s
        for address in list(self._failures):  # forget clients whose failures have all expired
            failures = self._failures[address]
            while failures and failures[0] <= cutoff:
                failures.popleft()
            if not failures and address != client:
                del self._failures[address]
        return self._failures.setdefault(client, deque())


class PasscodeService:
    """The passcode of one data dir: make, renew, check (rate-limited) and sign sessions."""

    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time,
                 attempts: FailedAttempts | None = None):
        self.path = Path(data_dir) / PASSCODE_FILE
        self._clock = clock
        self.attempts = attempts or FailedAttempts()
        self._record: PasscodeRecord | None = None
        self._lock = threading.Lock()

    def created_at(self) -> datetime | None:
        """When the current passcode was made; None before the first LAN start."""
        record = self._load()
        return record.created_at if record else None

    def ensure(self) -> str | None:
        """Make the passcode if there is none yet: returns it then (to show once), else None."""
        with self._lock:
            if self._load() is not None:
                return None
            return self._replace()

    def renew(self) -> str:
        """A new passcode; every device signed in with the old one must sign in again."""
        with self._lock:
            return self._replace()

    def sign_in(self, client: str, passcode: str) -> str:
        """A session token for a correct passcode; raises for a wrong one or too many tries."""
        wait_s = self.attempts.wait_s(client)
        if wait_s > 0:
            raise TooManyAttemptsError(wait_s)
        record = self._load()
        if record is None:
            raise WrongPasscodeError("No passcode is set yet. Start PySync Hub with --lan to make one.")
        if not record.matches(passcode):
            self.attempts.record(client)
            raise WrongPasscodeError("That passcode is not right. Check it on the computer running "
                                     "PySync Hub, or make a new one in its Settings.")
        self.attempts.clear(client)
        return self._sign(record, int(self._clock()), secrets.token_hex(8))

    def session_valid(self, token: str | None) -> bool:
        """Cheap enough for every request: one HMAC, no file access after the first read."""
        record = self._load()
        if not token or record is None:
            return False
        try:
            issued_text, nonce, _ = token.split(".")
            issued = int(issued_text)
        except ValueError:
            return False
        if not hmac.compare_digest(self._sign(record, issued, nonce), token):
            return False
        return issued - 60 <= self._clock() <= issued + SESSION_MAX_AGE_S

    @staticmethod
    def _sign(record: PasscodeRecord, issued: int, nonce: str) -> str:
        payload = f"{issued}.{nonce}"
        signature = hmac.new(record.session_key, payload.encode(), hashlib.sha256).hexdigest()
        return f"{payload}.{signature}"

    def _replace(self) -> str:
        passcode = generate_passcode()
        record = PasscodeRecord.create(passcode, datetime.fromtimestamp(self._clock(), timezone.utc))
        write_atomically(self.path, record.to_json())
        self.path.chmod(0o600)
        self._record = record
        return passcode

    def _load(self) -> PasscodeRecord | None:
        if self._record is None:
            try:
                self._record = PasscodeRecord.from_json(self.path.read_bytes())
            except FileNotFoundError:
                return None
            except (OSError, ValueError, KeyError) as error:
                raise PySyncError(f"The LAN passcode file {self.path} is unreadable ({error}). Delete it "
                                  "and start again with --lan to make a new passcode.") from None
        return self._record
