import json

import pytest

from pysync_web.errors import PySyncError
from pysync_web.services.passcodes import (
    MAX_FAILURES, PASSCODE_DIGITS, SESSION_MAX_AGE_S, FailedAttempts, PasscodeService, TooManyAttemptsError,
    WrongPasscodeError, format_passcode, generate_passcode, normalize_passcode,
)


class Clock:
    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(tmp_path, clock) -> PasscodeService:
    return PasscodeService(tmp_path, clock=clock, attempts=FailedAttempts(clock=clock))


def test_passcodes_are_digits_and_differ():
    codes = {generate_passcode() for _ in range(50)}
    assert all(len(code) == PASSCODE_DIGITS and code.isdigit() for code in codes)
    assert len(codes) > 45


def test_what_people_type_is_normalized():
    assert format_passcode("12345678") == "1234 5678"
    assert normalize_passcode(" 1234 5678\n") == normalize_passcode("1234-5678") == "12345678"


def test_first_start_makes_a_passcode_once_and_stores_only_a_hash(service, tmp_path):
    passcode = service.ensure()
    assert passcode and service.ensure() is None
    stored = (tmp_path / "lan-passcode.json").read_text()
    assert passcode not in stored
    assert json.loads(stored)["algorithm"] == "scrypt"
    assert (tmp_path / "lan-passcode.json").stat().st_mode & 0o077 == 0
    assert service.created_at() is not None


def test_a_restarted_app_accepts_the_same_passcode(service, tmp_path, clock):
    passcode = service.ensure()
    restarted = PasscodeService(tmp_path, clock=clock)
    assert restarted.ensure() is None
    assert restarted.session_valid(restarted.sign_in("10.0.0.5", format_passcode(passcode)))


def test_a_wrong_passcode_is_refused(service):
    service.ensure()
    with pytest.raises(WrongPasscodeError, match="not right"):
        service.sign_in("10.0.0.5", "00000000x")


def test_sign_in_before_any_passcode_says_how_to_make_one(service):
    with pytest.raises(WrongPasscodeError, match="--lan"):
        service.sign_in("10.0.0.5", "12345678")


def test_repeated_failures_lock_out_that_client_only(service, clock):
    passcode = service.ensure()
    for _ in range(MAX_FAILURES):
        with pytest.raises(WrongPasscodeError):
            service.sign_in("10.0.0.5", "wrong")
    with pytest.raises(TooManyAttemptsError, match="minutes"):
        service.sign_in("10.0.0.5", passcode)  # even the right one waits
    assert service.session_valid(service.sign_in("10.0.0.6", passcode))
    clock.now += 11 * 60
    assert service.session_valid(service.sign_in("10.0.0.5", passcode))


def test_a_correct_passcode_resets_the_failure_count(service):
    passcode = service.ensure()
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(WrongPasscodeError):
            service.sign_in("10.0.0.5", "wrong")
    service.sign_in("10.0.0.5", passcode)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(WrongPasscodeError):
            service.sign_in("10.0.0.5", "wrong")


def test_sessions_expire_and_cannot_be_forged(service, clock):
    token = service.sign_in("10.0.0.5", service.ensure())
    issued, nonce, signature = token.split(".")
    assert not service.session_valid(f"{int(issued) + 1}.{nonce}.{signature}")
    assert not service.session_valid(f"{issued}.{nonce}.{'0' * len(signature)}")
    assert not service.session_valid("garbage")
    assert not service.session_valid(None)
    clock.now += SESSION_MAX_AGE_S + 1
    assert not service.session_valid(token)


def test_a_new_passcode_signs_everybody_out(service):
    old = service.ensure()
    token = service.sign_in("10.0.0.5", old)
    new = service.renew()
    assert not service.session_valid(token)
    with pytest.raises(WrongPasscodeError):
        service.sign_in("10.0.0.5", old)
    assert service.session_valid(service.sign_in("10.0.0.5", new))


def test_a_damaged_passcode_file_says_what_to_do(tmp_path):
    (tmp_path / "lan-passcode.json").write_text("{not json")
    with pytest.raises(PySyncError, match="Delete it"):
        PasscodeService(tmp_path).created_at()


def test_failures_of_clients_that_went_quiet_are_forgotten(clock):
    attempts = FailedAttempts(limit=2, window_s=60, clock=clock)
    attempts.record("a")
    attempts.record("a")
    assert attempts.wait_s("a") == pytest.approx(60)
    clock.now += 61
    attempts.record("b")
    assert "a" not in attempts._failures  # memory stays bounded by the clients guessing right now
    assert attempts.wait_s("a") == 0
