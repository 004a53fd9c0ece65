"""Settings: one frozen dataclass, built from the environment in one place."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
# Far above any machine the bot needs (a worker handles hundreds of requests a
# second); a typo such as WORKERS=200 should stop start-up, not fork 200 processes.
MAX_WORKERS = 64
REDIS_SCHEMES = ("redis", "rediss", "unix")
# A chain of proxies longer than this is a configuration mistake.
MAX_TRUSTED_PROXIES = 10


# A shorter signing key can be guessed.
MIN_SIGNING_KEY = 16


class SettingsError(ValueError):
    """An environment variable has a value the bot cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    port: int = 3978
    host: str = "0.0.0.0"
    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    app_tenant_id: str = ""
    default_locale: str = "en-US"
    notices_dir: Path | None = None
    # The meaning reader's second opinion (knowledge/meaning.py): off saves about
    # 130 MB a process and 1 s of start-up, and answers with the words alone.
    meaning_reader: bool = True
    max_body_bytes: int = 256 * 1024
    log_level: str = "INFO"
    log_questions: bool = False
    allow_any_service_url: bool = False
    auth_timeout_seconds: int = 5
    # Where botbuilder fetches the channel's OpenID metadata and which issuer it
    # expects; empty means botbuilder's defaults (the public Bot Framework).
    openid_metadata_url: str = ""
    token_issuer: str = ""
    # Origins (scheme://host[:port]) whose pages may call the widget endpoint;
    # the bot's own origin always may. "*" allows any.
    widget_origins: tuple[str, ...] = ()
    widget_rate_per_minute: int = 30
    widget_burst: int = 10
    widget_max_body_bytes: int = 16 * 1024
    shutdown_timeout_seconds: int = 30
    # Sending one reply to serviceUrl: all attempts within this time, at most
    # this many attempts (429/502/503/504 are retried).
    delivery_timeout_seconds: int = 10
    delivery_attempts: int = 3
    # A connection with no complete request for this long is closed (idle
    # keep-alive, slow headers); keep it above a reverse proxy's idle timeout.
    idle_timeout_seconds: int = 75
    # Worker processes sharing the port; more than one runs under gunicorn's
    # aiohttp worker with prometheus-client's multiprocess metrics.
    workers: int = 1
    # Where the workers' metric files live (PROMETHEUS_MULTIPROC_DIR, the name
    # prometheus-client reads); None: a fresh temporary folder per start.
    metrics_dir: Path | None = None
    # redis://, rediss:// or unix:// URL: the widget's rate limit is then kept
    # there and holds across workers and machines. Empty: in process memory.
    redis_url: str = ""
    # Proxies in front of the bot that each append the address they saw to
    # X-Forwarded-For (App Service's front end is one); 0: the connection's address.
    widget_trusted_proxies: int = 0
    # VOTE_SIGNING_KEY: a secret (16+ characters, the same on every machine) with
    # which answer cards' ids are signed, so that only a vote on a card the bot
    # sent counts. Empty: a vote counts when its card id has the right shape,
    # which anyone can forge (see NoticeBot.vote). Changing it stops the votes
    # on cards sent before from counting.
    vote_signing_key: str = ""

    @property
    def authenticated(self) -> bool:
        """With an app id, botbuilder validates every incoming token."""
        return bool(self.app_id)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        def text(name: str, default: str) -> str:
            return environ.get(name, default).strip()

        app_type = text("MicrosoftAppType", "MultiTenant") or "MultiTenant"
        canonical = {t.lower(): t for t in APP_TYPES}
        if app_type.lower() not in canonical:
            raise SettingsError(
                f"MicrosoftAppType must be one of {', '.join(APP_TYPES)}, not {app_type!r}"
            )
        notices = text("NOTICES_DIR", "")
        metrics_dir = text("PROMETHEUS_MULTIPROC_DIR", "")
        settings = cls(
            port=_integer(environ, "PORT", 3978, 1, 65535),
            host=text("HOST", "0.0.0.0") or "0.0.0.0",
            app_id=text("MicrosoftAppId", ""),
            app_password=environ.get("MicrosoftAppPassword", ""),
            app_type=canonical[app_type.lower()],
            app_tenant_id=text("MicrosoftAppTenantId", ""),
            default_locale=text("DEFAULT_LOCALE", "en-US") or "en-US",
            notices_dir=Path(notices) if notices else None,
            meaning_reader=_boolean(environ, "MEANING_READER", default=True),
            max_body_bytes=_integer(environ, "MAX_BODY_BYTES", 256 * 1024, 1024, 64 * 1024 * 1024),
            log_level=_log_level(text("LOG_LEVEL", "")),
            log_questions=_boolean(environ, "LOG_QUESTIONS"),
            allow_any_service_url=_boolean(environ, "ALLOW_ANY_SERVICE_URL"),
            auth_timeout_seconds=_integer(environ, "AUTH_TIMEOUT_SECONDS", 5, 1, 60),
            openid_metadata_url=text("TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL", ""),
            token_issuer=text("TO_BOT_FROM_CHANNEL_TOKEN_ISSUER", ""),
            widget_origins=_origins(environ.get("WIDGET_ORIGINS", "")),
            widget_rate_per_minute=_integer(environ, "WIDGET_RATE_PER_MINUTE", 30, 1, 100_000),
            widget_burst=_integer(environ, "WIDGET_BURST", 10, 1, 100_000),
            shutdown_timeout_seconds=_integer(environ, "SHUTDOWN_TIMEOUT_SECONDS", 30, 0, 3600),
            delivery_timeout_seconds=_integer(environ, "DELIVERY_TIMEOUT_SECONDS", 10, 1, 120),
            delivery_attempts=_integer(environ, "DELIVERY_ATTEMPTS", 3, 1, 10),
            idle_timeout_seconds=_integer(environ, "IDLE_TIMEOUT_SECONDS", 75, 1, 3600),
            widget_max_body_bytes=_integer(
                environ, "WIDGET_MAX_BODY_BYTES", 16 * 1024, 1024, 1024 * 1024
            ),
            workers=_integer(environ, "WORKERS", 1, 1, MAX_WORKERS),
            metrics_dir=Path(metrics_dir) if metrics_dir else None,
            redis_url=_redis_url(text("REDIS_URL", "")),
            widget_trusted_proxies=_integer(
                environ, "WIDGET_TRUSTED_PROXIES", 0, 0, MAX_TRUSTED_PROXIES
            ),
            vote_signing_key=_secret(environ, "VOTE_SIGNING_KEY", MIN_SIGNING_KEY),
        )
        if settings.app_type == "SingleTenant" and settings.app_id and not settings.app_tenant_id:
            raise SettingsError("MicrosoftAppType SingleTenant needs MicrosoftAppTenantId")
        if settings.app_type == "UserAssignedMSI" and not (
            settings.app_id and settings.app_tenant_id
        ):
            raise SettingsError(
                "MicrosoftAppType UserAssignedMSI needs MicrosoftAppId and MicrosoftAppTenantId"
            )
        return settings


def _integer(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _log_level(raw: str) -> str:
    """A level name logging knows (DEBUG, INFO, WARNING, ...), in capitals; INFO when unset."""
    if not raw:
        return "INFO"
    names = logging.getLevelNamesMapping()
    if raw.upper() not in names:
        known = ", ".join(sorted(names, key=names.__getitem__))
        raise SettingsError(f"LOG_LEVEL must be one of {known}, not {raw!r}")
    return raw.upper()


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not re.match(r"^https?://[^/\s]+$", origin):
            raise SettingsError(
                f"WIDGET_ORIGINS: {origin!r} is not an origin like https://intranet.example.com"
            )
    return origins


def _redis_url(raw: str) -> str:
    if not raw:
        return raw
    # The URL may hold a password: messages name the part at fault, never the value.
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in REDIS_SCHEMES:
        got = f"{scheme}://" if scheme else "no scheme"
        raise SettingsError(f"REDIS_URL must start with redis://, rediss:// or unix:// ({got})")
    try:
        parts.port  # noqa: B018 (parsing it is the check)
    except ValueError:
        raise SettingsError("REDIS_URL has a port that is not a number from 0 to 65535") from None
    if not (parts.path if scheme == "unix" else parts.hostname):
        where = "socket path" if scheme == "unix" else "host"
        raise SettingsError(f"REDIS_URL names no {where}")
    return raw


def _secret(environ: Mapping[str, str], name: str, min_length: int) -> str:
    raw = environ.get(name, "").strip()
    if raw and len(raw) < min_length:
        # The message gives its length, never the value.
        raise SettingsError(f"{name} must be at least {min_length} characters, not {len(raw)}")
    return raw


def _boolean(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, not {raw!r}")
