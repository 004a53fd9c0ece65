from __future__ import annotations

from pathlib import Path

import pytest

from bot.botframework.auth import botbuilder_configuration
from bot.settings import Settings, SettingsError


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert (settings.port, settings.host, settings.default_locale) == (3978, "0.0.0.0", "en-US")
    assert (
        not settings.authenticated
        and not settings.log_questions
        and not settings.allow_any_service_url
    )
    assert settings.max_body_bytes == 256 * 1024


def test_bot_framework_names() -> None:
    settings = Settings.from_env(
        {
            "MicrosoftAppId": "00000000-0000-0000-0000-000000000001",
            "MicrosoftAppPassword": "secret",
            "MicrosoftAppType": "singletenant",
            "MicrosoftAppTenantId": "tenant",
            "PORT": "8080",
            "NOTICES_DIR": "/srv/notices",
            "LOG_QUESTIONS": "yes",
        }
    )
    assert settings.authenticated and settings.app_type == "SingleTenant" and settings.port == 8080
    assert settings.notices_dir == Path("/srv/notices") and settings.log_questions
    config = botbuilder_configuration(settings)
    assert (config.APP_ID, config.APP_PASSWORD, config.APP_TYPE, config.APP_TENANTID) == (
        "00000000-0000-0000-0000-000000000001",
        "secret",
        "SingleTenant",
        "tenant",
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a whole number"),
        ({"PORT": "70000"}, "PORT must be between"),
        ({"MicrosoftAppType": "Other"}, "MicrosoftAppType must be one of"),
        ({"MicrosoftAppId": "x", "MicrosoftAppType": "SingleTenant"}, "needs MicrosoftAppTenantId"),
        ({"LOG_QUESTIONS": "maybe"}, "LOG_QUESTIONS must be true or false"),
        ({"MEANING_READER": "sometimes"}, "MEANING_READER must be true or false"),
        ({"LOG_LEVEL": "verbose"}, "LOG_LEVEL must be one of .*DEBUG.*'verbose'"),
        ({"VOTE_SIGNING_KEY": "short"}, "VOTE_SIGNING_KEY must be at least 16 characters, not 5"),
        ({"WORKERS": "0"}, "WORKERS must be between 1 and 64"),
        ({"WORKERS": "two"}, "WORKERS must be a whole number"),
        ({"WIDGET_TRUSTED_PROXIES": "11"}, "WIDGET_TRUSTED_PROXIES must be between 0 and 10"),
        ({"REDIS_URL": "cache.example.com:6379"}, r"REDIS_URL must start with redis://"),
        ({"REDIS_URL": "http://cache.example.com"}, r"REDIS_URL .*\(http://\)"),
        ({"REDIS_URL": "redis://:pw@cache.example.com:63x9"}, "REDIS_URL has a port"),
        ({"REDIS_URL": "redis://"}, "REDIS_URL names no host"),
        ({"REDIS_URL": "unix://"}, "REDIS_URL names no socket path"),
    ],
)
def test_bad_values_are_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_scaling_settings() -> None:
    assert (Settings.from_env({}).workers, Settings.from_env({}).redis_url) == (1, "")
    settings = Settings.from_env(
        {
            "WORKERS": "4",
            "REDIS_URL": "rediss://:secret@cache.example.com:6380/0",
            "PROMETHEUS_MULTIPROC_DIR": "/tmp/bot-metrics",
        }
    )
    assert settings.workers == 4 and settings.redis_url.startswith("rediss://")
    assert settings.metrics_dir == Path("/tmp/bot-metrics")
    assert Settings.from_env({}).widget_trusted_proxies == 0
    assert Settings.from_env({"WIDGET_TRUSTED_PROXIES": "1"}).widget_trusted_proxies == 1


def test_a_bad_redis_url_is_named_without_its_password() -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"REDIS_URL": "http://:hunter2@cache.example.com"})
    assert "hunter2" not in str(error.value)


def test_log_level_is_a_logging_level_name() -> None:
    assert Settings.from_env({}).log_level == "INFO"
    assert Settings.from_env({"LOG_LEVEL": " debug "}).log_level == "DEBUG"
    assert Settings.from_env({"LOG_LEVEL": "Warning"}).log_level == "WARNING"


def test_the_meaning_reader_is_on_unless_switched_off() -> None:
    assert Settings.from_env({}).meaning_reader
    assert Settings.from_env({"MEANING_READER": "  "}).meaning_reader
    assert not Settings.from_env({"MEANING_READER": "off"}).meaning_reader
    assert Settings.from_env({"MEANING_READER": "on"}).meaning_reader
