"""Configuration: typed settings from the environment, no unsafe fallback in production."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from app.config import Config, ConfigError


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("RONGRIAN_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        Config.from_env()


def test_development_generates_and_keeps_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setattr("app.config.INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("RONGRIAN_ENV", raising=False)
    first = Config.from_env().SECRET_KEY
    assert len(first) > 40
    assert first == Config.from_env().SECRET_KEY
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_numbers_are_read_as_numbers_and_bad_ones_are_explained(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("MAX_UPLOAD_MB", "4")
    assert Config.from_env().MAX_UPLOAD_MB == 4
    monkeypatch.setenv("MAX_UPLOAD_MB", "ten")
    with pytest.raises(ConfigError, match="MAX_UPLOAD_MB must be a whole number"):
        Config.from_env()


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("RONGRIAN_ENV", "production")
    monkeypatch.setenv("SINGLE_PROCESS", "true")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("INTEGRITY_KEY", Fernet.generate_key().decode())
    mapping = Config.from_env().flask_mapping()
    assert mapping["SESSION_COOKIE_SECURE"] is True
    assert mapping["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize("value", ["0", "10001"])
def test_line_timeout_outside_what_the_worker_lease_covers_is_refused(monkeypatch, value):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("LINE_API_TIMEOUT_MS", value)
    with pytest.raises(ConfigError, match="LINE_API_TIMEOUT_MS must be between 1 and 10000"):
        Config.from_env()


@pytest.mark.parametrize(
    ("name", "value"),
    [("LINE_PROCESSES", "-1"), ("NOTIFY_PROCESSES", "-1"), ("LINE_PROCESSOR_THREADS", "0")],
)
def test_background_process_counts_that_cannot_work_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        Config.from_env()


def _production_env(monkeypatch):
    monkeypatch.setenv("RONGRIAN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("INTEGRITY_KEY", Fernet.generate_key().decode())
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("SINGLE_PROCESS", raising=False)


def test_production_refuses_per_process_rate_limit_counters(monkeypatch):
    _production_env(monkeypatch)
    with pytest.raises(ConfigError, match=r"RATELIMIT_STORAGE_URI is memory://.*SINGLE_PROCESS"):
        Config.from_env()


@pytest.mark.parametrize(
    ("name", "value"),
    [("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/5"), ("SINGLE_PROCESS", "true")],
)
def test_production_starts_with_shared_counters_or_one_declared_process(monkeypatch, name, value):
    _production_env(monkeypatch)
    monkeypatch.setenv(name, value)
    assert Config.from_env().is_production


def test_development_keeps_counting_in_memory(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("RONGRIAN_ENV", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert Config.from_env().RATELIMIT_STORAGE_URI == "memory://"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("INTAKE_RATE_LIMIT", "300 per hour", "300 per hour"),
        ("TRACK_RATE_LIMIT", "100/hour", "100/hour"),
        ("INTEGRITY_RECEIPT_RATE_LIMIT", "5 per hour", "5 per hour"),
        ("SIGNIN_FAILURES_PER_ACCOUNT", "8", 8),
        ("SIGNIN_FAILURES_PER_IP", "200", 200),
        ("SIGNIN_THROTTLE_MINUTES", "30", 30),
    ],
)
def test_every_rate_limit_is_a_setting(monkeypatch, name, value, expected):
    # Thai mobile carriers put many residents behind one address: operators raise the limits.
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv(name, value)
    assert getattr(Config.from_env(), name) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [("INTAKE_RATE_LIMIT", "lots"), ("TRACK_RATE_LIMIT", ""), ("SIGNIN_FAILURES_PER_IP", "0")],
)
def test_a_rate_limit_that_cannot_work_stops_start_up(monkeypatch, name, value):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        Config.from_env()


def test_upload_and_staging_limits_are_settings(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    settings = {
        "MAX_IMAGE_PIXELS": "1000000",
        "MAX_IMAGE_SIDE": "1024",
        "STAGING_MAX_FILES_PER_CLIENT": "7",
        "STAGING_MAX_MB_PER_CLIENT": "15",
        "STAGING_MAX_TOTAL_MB": "200",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    config = Config.from_env()
    assert {name: str(getattr(config, name)) for name in settings} == settings
    monkeypatch.setenv("STAGING_MAX_TOTAL_MB", "5")
    with pytest.raises(ConfigError, match="STAGING_MAX_TOTAL_MB must be at least MAX_UPLOAD_MB"):
        Config.from_env()
