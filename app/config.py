"""Configuration: every environment variable the service reads, in one place.

Each setting is one line: its name, its type and its default. Nothing else in the code base reads
``os.environ``. In production (``RONGRIAN_ENV=production``) secrets have no fallback: start-up stops
with a clear message instead of running with a guessable key.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse_many

INSTANCE_DIR = Path(os.environ.get("RONGRIAN_INSTANCE_DIR", Path.cwd() / "instance")).resolve()
DEFAULT_ORG_NAME = "องค์การบริหารส่วนตำบลจอหอ"
# One send must fit the outbox lease (checked by notifications.worker.check_lease_covers_a_send).
LINE_API_TIMEOUT_MAX_MS = 10_000


# Settings holding a Flask-Limiter rate ("10 per hour"); each is checked at start-up.
RATE_LIMIT_SETTINGS = ("INTAKE_RATE_LIMIT", "TRACK_RATE_LIMIT", "INTEGRITY_RECEIPT_RATE_LIMIT")


def is_tile_url(template: str) -> bool:
    """Whether ``template`` is a map tile address: http(s), a host, and {z}, {x} and {y}."""
    parts = urlsplit(template)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and all(f"{{{name}}}" in template for name in "zxy")
    )


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot run safely."""


def _env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret(
    filename: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(48)
) -> str:
    """Return a random secret kept in ``instance/`` so development sessions survive restarts."""
    path = INSTANCE_DIR / filename
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value)
    path.chmod(0o600)
    return value


def _new_fernet_key() -> str:
    """32 random bytes, URL-safe base64: the format ``cryptography.fernet`` expects."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _check_fernet_keys(value: str, name: str = "INTEGRITY_KEY") -> None:
    """Each comma-separated key must decode to 32 bytes, or what they seal could not be read."""
    for key in (k.strip() for k in value.split(",")):
        try:
            valid = len(base64.urlsafe_b64decode(key.encode())) == 32
        except ValueError:
            valid = False
        if not valid:
            raise ConfigError(f"{name} must be comma-separated Fernet keys (32 bytes, base64)")


@dataclass
class Config:
    """Typed settings; ``Config.from_env()`` reads them, tests build one directly."""

    ENV: str = "development"
    SECRET_KEY: str = ""
    DATABASE_URL: str = f"sqlite:///{INSTANCE_DIR / 'rongrian.sqlite3'}"
    # The tables' owner, for ``flask db upgrade`` (empty: DATABASE_URL). On PostgreSQL the app
    # serves as a role that does not own the tables, so row-level security applies to it.
    MIGRATION_DATABASE_URL: str = ""
    UPLOAD_DIR: str = str(INSTANCE_DIR / "uploads")
    MAX_UPLOAD_MB: int = 10
    MAX_ATTACHMENTS: int = 5
    MAX_IMAGE_PIXELS: int = 25_000_000
    MAX_IMAGE_SIDE: int = 2560
    STAGING_MAX_FILES_PER_CLIENT: int = 20
    STAGING_MAX_MB_PER_CLIENT: int = 40
    STAGING_MAX_TOTAL_MB: int = 500
    ORG_NAME: str = DEFAULT_ORG_NAME
    ORG_PHONE: str = "044-000-000"
    ORG_ADDRESS: str = "ตำบลจอหอ อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา"
    ORG_OFFICE_HOURS: str = "วันจันทร์–วันศุกร์ เวลา 08.30–16.30 น. (เว้นวันหยุดราชการ)"
    # The emblem (ตราสัญลักษณ์) shown on the home page and printed slips: a file under static/.
    ORG_EMBLEM: str = "img/emblem.svg"
    # The LINE Official Account's id as residents search for it (e.g. @johor); '' hides the box.
    LINE_OA_ID: str = ""
    PUBLIC_BASE_URL: str = "http://127.0.0.1:5000"
    TRUSTED_PROXY_COUNT: int = 0
    BABEL_DEFAULT_LOCALE: str = "th"
    BABEL_DEFAULT_TIMEZONE: str = "Asia/Bangkok"
    RATELIMIT_STORAGE_URI: str = "memory://"
    SINGLE_PROCESS: bool = False
    INTAKE_RATE_LIMIT: str = "10 per hour"
    TRACK_RATE_LIMIT: str = "30 per hour"
    SIGNIN_FAILURES_PER_ACCOUNT: int = 5
    SIGNIN_FAILURES_PER_IP: int = 30
    SIGNIN_THROTTLE_MINUTES: int = 15
    RETENTION_DAYS: int = 1825
    STAFF_IDLE_MINUTES: int = 30
    STAFF_SESSION_HOURS: int = 10
    MAIL_SERVER: str = ""
    MAIL_PORT: int = 587
    MAIL_USERNAME: str = ""
    MAIL_PASSWORD: str = ""
    MAIL_USE_TLS: bool = True
    MAIL_FROM: str = ""
    LINE_CHANNEL_ACCESS_TOKEN: str = ""
    LINE_API_BASE_URL: str = "https://api.line.me"
    NOTIFY_MAX_ATTEMPTS: int = 8
    NOTIFY_RETRY_SECONDS: int = 60
    REPORT_TERM_SAMPLE: int = 1000
    INTEGRITY_KEY: str = ""
    INTEGRITY_RETENTION_DAYS: int = 3650
    INTEGRITY_RECEIPT_RATE_LIMIT: str = "10 per hour"
    PUBLIC_STATS_MIN_COUNT: int = 3
    MAP_TILE_URL: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    MAP_TILE_ATTRIBUTION: str = (
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    )
    LINE_CHANNEL_SECRET: str = ""
    LINE_DATA_API_BASE_URL: str = "https://api-data.line.me"
    LINE_API_TIMEOUT_MS: int = 5000
    LINE_SIMULATOR_ENABLED: bool = False
    LINE_PROCESSES: int = 2
    NOTIFY_PROCESSES: int = 1
    LINE_PROCESSOR_THREADS: int = 20
    LINE_POLL_MS: int = 250
    # Fernet keys (comma-separated, the first encrypts) sealing each body's LINE channel secret
    # and access token in the database; empty: keys derived from INTEGRITY_KEY's.
    CREDENTIALS_KEY: str = ""
    # The platform-wide LINE Official Account (one account for every body); empty: none.
    LINE_PLATFORM_CHANNEL_SECRET: str = ""
    LINE_PLATFORM_CHANNEL_ACCESS_TOKEN: str = ""
    TESTING: bool = False
    WTF_CSRF_ENABLED: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Config:
        """Build the configuration from the environment, one line per variable."""
        env = _env_str("RONGRIAN_ENV", "development")
        config = cls(
            ENV=env,
            SECRET_KEY=_env_str("SECRET_KEY", ""),
            DATABASE_URL=_env_str("DATABASE_URL", cls.DATABASE_URL),
            MIGRATION_DATABASE_URL=_env_str("MIGRATION_DATABASE_URL", ""),
            UPLOAD_DIR=_env_str("UPLOAD_DIR", cls.UPLOAD_DIR),
            MAX_UPLOAD_MB=_env_int("MAX_UPLOAD_MB", cls.MAX_UPLOAD_MB),
            MAX_IMAGE_PIXELS=_env_int("MAX_IMAGE_PIXELS", cls.MAX_IMAGE_PIXELS),
            MAX_IMAGE_SIDE=_env_int("MAX_IMAGE_SIDE", cls.MAX_IMAGE_SIDE),
            STAGING_MAX_FILES_PER_CLIENT=_env_int(
                "STAGING_MAX_FILES_PER_CLIENT", cls.STAGING_MAX_FILES_PER_CLIENT
            ),
            STAGING_MAX_MB_PER_CLIENT=_env_int(
                "STAGING_MAX_MB_PER_CLIENT", cls.STAGING_MAX_MB_PER_CLIENT
            ),
            STAGING_MAX_TOTAL_MB=_env_int("STAGING_MAX_TOTAL_MB", cls.STAGING_MAX_TOTAL_MB),
            ORG_NAME=_env_str("ORG_NAME", cls.ORG_NAME),
            ORG_PHONE=_env_str("ORG_PHONE", cls.ORG_PHONE),
            ORG_ADDRESS=_env_str("ORG_ADDRESS", cls.ORG_ADDRESS),
            ORG_OFFICE_HOURS=_env_str("ORG_OFFICE_HOURS", cls.ORG_OFFICE_HOURS),
            ORG_EMBLEM=_env_str("ORG_EMBLEM", cls.ORG_EMBLEM),
            LINE_OA_ID=_env_str("LINE_OA_ID", cls.LINE_OA_ID),
            PUBLIC_BASE_URL=_env_str("PUBLIC_BASE_URL", cls.PUBLIC_BASE_URL),
            TRUSTED_PROXY_COUNT=_env_int("TRUSTED_PROXY_COUNT", cls.TRUSTED_PROXY_COUNT),
            BABEL_DEFAULT_LOCALE=_env_str("BABEL_DEFAULT_LOCALE", cls.BABEL_DEFAULT_LOCALE),
            RATELIMIT_STORAGE_URI=_env_str("RATELIMIT_STORAGE_URI", cls.RATELIMIT_STORAGE_URI),
            SINGLE_PROCESS=_env_bool("SINGLE_PROCESS", cls.SINGLE_PROCESS),
            INTAKE_RATE_LIMIT=_env_str("INTAKE_RATE_LIMIT", cls.INTAKE_RATE_LIMIT),
            TRACK_RATE_LIMIT=_env_str("TRACK_RATE_LIMIT", cls.TRACK_RATE_LIMIT),
            INTEGRITY_RECEIPT_RATE_LIMIT=_env_str(
                "INTEGRITY_RECEIPT_RATE_LIMIT", cls.INTEGRITY_RECEIPT_RATE_LIMIT
            ),
            SIGNIN_FAILURES_PER_ACCOUNT=_env_int(
                "SIGNIN_FAILURES_PER_ACCOUNT", cls.SIGNIN_FAILURES_PER_ACCOUNT
            ),
            SIGNIN_FAILURES_PER_IP=_env_int("SIGNIN_FAILURES_PER_IP", cls.SIGNIN_FAILURES_PER_IP),
            SIGNIN_THROTTLE_MINUTES=_env_int(
                "SIGNIN_THROTTLE_MINUTES", cls.SIGNIN_THROTTLE_MINUTES
            ),
            RETENTION_DAYS=_env_int("RETENTION_DAYS", cls.RETENTION_DAYS),
            STAFF_IDLE_MINUTES=_env_int("STAFF_IDLE_MINUTES", cls.STAFF_IDLE_MINUTES),
            STAFF_SESSION_HOURS=_env_int("STAFF_SESSION_HOURS", cls.STAFF_SESSION_HOURS),
            MAIL_SERVER=_env_str("MAIL_SERVER", cls.MAIL_SERVER),
            MAIL_PORT=_env_int("MAIL_PORT", cls.MAIL_PORT),
            MAIL_USERNAME=_env_str("MAIL_USERNAME", cls.MAIL_USERNAME),
            MAIL_PASSWORD=_env_str("MAIL_PASSWORD", cls.MAIL_PASSWORD),
            MAIL_USE_TLS=_env_bool("MAIL_USE_TLS", cls.MAIL_USE_TLS),
            MAIL_FROM=_env_str("MAIL_FROM", cls.MAIL_FROM),
            LINE_CHANNEL_ACCESS_TOKEN=_env_str("LINE_CHANNEL_ACCESS_TOKEN", ""),
            LINE_API_BASE_URL=_env_str("LINE_API_BASE_URL", cls.LINE_API_BASE_URL),
            NOTIFY_MAX_ATTEMPTS=_env_int("NOTIFY_MAX_ATTEMPTS", cls.NOTIFY_MAX_ATTEMPTS),
            NOTIFY_RETRY_SECONDS=_env_int("NOTIFY_RETRY_SECONDS", cls.NOTIFY_RETRY_SECONDS),
            REPORT_TERM_SAMPLE=_env_int("REPORT_TERM_SAMPLE", cls.REPORT_TERM_SAMPLE),
            INTEGRITY_KEY=_env_str("INTEGRITY_KEY", ""),
            INTEGRITY_RETENTION_DAYS=_env_int(
                "INTEGRITY_RETENTION_DAYS", cls.INTEGRITY_RETENTION_DAYS
            ),
            PUBLIC_STATS_MIN_COUNT=_env_int("PUBLIC_STATS_MIN_COUNT", cls.PUBLIC_STATS_MIN_COUNT),
            MAP_TILE_URL=_env_str("MAP_TILE_URL", cls.MAP_TILE_URL).strip(),
            MAP_TILE_ATTRIBUTION=_env_str("MAP_TILE_ATTRIBUTION", cls.MAP_TILE_ATTRIBUTION),
            LINE_CHANNEL_SECRET=_env_str("LINE_CHANNEL_SECRET", ""),
            LINE_DATA_API_BASE_URL=_env_str("LINE_DATA_API_BASE_URL", cls.LINE_DATA_API_BASE_URL),
            LINE_API_TIMEOUT_MS=_env_int("LINE_API_TIMEOUT_MS", cls.LINE_API_TIMEOUT_MS),
            LINE_SIMULATOR_ENABLED=_env_bool("LINE_SIMULATOR_ENABLED", env == "development"),
            LINE_PROCESSES=_env_int("LINE_PROCESSES", cls.LINE_PROCESSES),
            NOTIFY_PROCESSES=_env_int("NOTIFY_PROCESSES", cls.NOTIFY_PROCESSES),
            LINE_PROCESSOR_THREADS=_env_int("LINE_PROCESSOR_THREADS", cls.LINE_PROCESSOR_THREADS),
            LINE_POLL_MS=_env_int("LINE_POLL_MS", cls.LINE_POLL_MS),
            CREDENTIALS_KEY=_env_str("CREDENTIALS_KEY", ""),
            LINE_PLATFORM_CHANNEL_SECRET=_env_str("LINE_PLATFORM_CHANNEL_SECRET", ""),
            LINE_PLATFORM_CHANNEL_ACCESS_TOKEN=_env_str("LINE_PLATFORM_CHANNEL_ACCESS_TOKEN", ""),
        )
        config.finalise()
        return config

    @property
    def is_production(self) -> bool:
        """True when running for real residents: no development fallbacks allowed."""
        return self.ENV == "production"

    def finalise(self) -> None:
        """Fill development defaults and refuse unsafe production settings."""
        if not self.SECRET_KEY:
            if self.is_production:
                raise ConfigError(
                    "SECRET_KEY is not set. Set it to a long random value before starting in "
                    "production (python -c 'import secrets; print(secrets.token_urlsafe(48))')."
                )
            self.SECRET_KEY = _development_secret("secret_key")
        if not self.INTEGRITY_KEY:
            if self.is_production:
                raise ConfigError(
                    "INTEGRITY_KEY is not set. It encrypts corruption reports at rest; set it to "
                    "a Fernet key (python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())')."
                )
            self.INTEGRITY_KEY = _development_secret("integrity_key", _new_fernet_key)
        _check_fernet_keys(self.INTEGRITY_KEY)
        if self.CREDENTIALS_KEY:
            _check_fernet_keys(self.CREDENTIALS_KEY, "CREDENTIALS_KEY")
        if self.is_production and self.LINE_SIMULATOR_ENABLED:
            # The simulator signs any event it is given: in production it would let anyone
            # speak to the bot as any resident.
            raise ConfigError("LINE_SIMULATOR_ENABLED must be off in production")
        if self.TRUSTED_PROXY_COUNT < 0:
            raise ConfigError("TRUSTED_PROXY_COUNT must be 0 (no proxy) or the number of proxies")
        if not 1 <= self.LINE_API_TIMEOUT_MS <= LINE_API_TIMEOUT_MAX_MS:
            raise ConfigError(
                f"LINE_API_TIMEOUT_MS must be between 1 and {LINE_API_TIMEOUT_MAX_MS} milliseconds"
            )
        if min(self.LINE_PROCESSES, self.NOTIFY_PROCESSES) < 0:
            raise ConfigError("LINE_PROCESSES and NOTIFY_PROCESSES must be 0 or more")
        if self.LINE_PROCESSOR_THREADS < 1 or self.LINE_POLL_MS < 10:
            raise ConfigError("LINE_PROCESSOR_THREADS must be 1 or more, LINE_POLL_MS 10 or more")
        if self.MAX_UPLOAD_MB < 1:
            raise ConfigError("MAX_UPLOAD_MB must be at least 1")
        if self.MAX_IMAGE_PIXELS < 1 or self.MAX_IMAGE_SIDE < 1:
            raise ConfigError("MAX_IMAGE_PIXELS and MAX_IMAGE_SIDE must be at least 1")
        if min(self.STAGING_MAX_FILES_PER_CLIENT, self.STAGING_MAX_MB_PER_CLIENT) < 1:
            raise ConfigError("STAGING_MAX_FILES_PER_CLIENT and _MB_PER_CLIENT must be at least 1")
        if self.STAGING_MAX_TOTAL_MB < self.MAX_UPLOAD_MB:
            raise ConfigError("STAGING_MAX_TOTAL_MB must be at least MAX_UPLOAD_MB")
        if self.MAP_TILE_URL and not is_tile_url(self.MAP_TILE_URL):
            raise ConfigError(
                "MAP_TILE_URL must be empty (no map tiles) or an http(s) address with {z}, {x} "
                f"and {{y}}, such as https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png; got "
                f"{self.MAP_TILE_URL!r}"
            )
        self._check_rate_limits()
        self._check_rate_limit_storage()

    def _check_rate_limits(self) -> None:
        """Each limit must parse ("10 per hour", "100/day"), or start-up stops saying which."""
        for name in RATE_LIMIT_SETTINGS:
            value = getattr(self, name)
            try:
                valid = bool(parse_many(value))
            except ValueError:
                valid = False
            if not valid:
                raise ConfigError(f"{name} must be a rate such as '10 per hour', got {value!r}")
        for name in ("SIGNIN_FAILURES_PER_ACCOUNT", "SIGNIN_FAILURES_PER_IP"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        if self.SIGNIN_THROTTLE_MINUTES < 1:
            raise ConfigError("SIGNIN_THROTTLE_MINUTES must be at least 1")

    def _check_rate_limit_storage(self) -> None:
        """In production, refuse counters that each worker process keeps on its own.

        With ``memory://`` every gunicorn worker counts separately, so with 3 workers a limit
        of 10 lets about 30 requests through: the limits would only look like they hold.
        """
        shared = not self.RATELIMIT_STORAGE_URI.startswith("memory://")
        if self.is_production and not shared and not self.SINGLE_PROCESS:
            raise ConfigError(
                "RATELIMIT_STORAGE_URI is memory://, so each app process counts rate limits on "
                "its own and the limits do not hold with several processes. Set "
                "RATELIMIT_STORAGE_URI=redis://host:6379/0, or SINGLE_PROCESS=true if the app "
                "runs as one process only (gunicorn --workers 1)."
            )

    def flask_mapping(self) -> dict[str, Any]:
        """The settings as Flask expects them in ``app.config``."""
        mapping = {key: getattr(self, key) for key in self.__dataclass_fields__ if key != "extra"}
        mapping.update(self.extra)
        # The per-file limit is checked field by field so that an oversized photo gives a message
        # beside its field; this overall cap only stops absurd bodies before they are parsed.
        mapping["MAX_CONTENT_LENGTH"] = (self.MAX_UPLOAD_MB * self.MAX_ATTACHMENTS + 2) * 1024**2
        mapping["SESSION_COOKIE_HTTPONLY"] = True
        mapping["SESSION_COOKIE_SAMESITE"] = "Lax"
        mapping["SESSION_COOKIE_SECURE"] = self.is_production
        mapping["WTF_CSRF_TIME_LIMIT"] = None  # a long Thai complaint may take a while to type
        mapping["RATELIMIT_ENABLED"] = not self.TESTING or bool(self.extra.get("RATELIMIT_ENABLED"))
        mapping["RATELIMIT_HEADERS_ENABLED"] = False
        return mapping
