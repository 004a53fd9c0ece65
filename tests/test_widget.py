"""The widget's HTTP side: assets, demo page, endpoint, CORS, rate limit, limits."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.settings import Settings, SettingsError
from bot.strings import STRINGS_DIR, Catalog
from bot.web import create_app
from bot.widget import STATIC, widget_strings
from knowledge import KnowledgeBase
from tests.conftest import shown

MAX_WIDGET_BYTES = 30 * 1024


async def call(url: str, path: str, method: str = "GET", **kwargs: Any) -> tuple[int, Any, bytes]:
    """Status, headers (case-insensitive) and body."""
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, url + path, **kwargs) as r,
    ):
        return r.status, r.headers.copy(), await r.read()


def question(text: str = "Mon adresse IP est-elle transmise ?", **fields: Any) -> dict[str, Any]:
    return {"type": "message", "text": text, "locale": "fr-FR", **fields}


def test_the_widget_is_small() -> None:
    size = sum((STATIC / name).stat().st_size for name in ("widget.js", "widget.css"))
    assert size < MAX_WIDGET_BYTES


@pytest.mark.parametrize("name", ["widget.js", "widget.css"])
async def test_assets_have_cache_headers_and_an_etag(bot_url: str, name: str) -> None:
    status, headers, body = await call(bot_url, f"/{name}")
    assert status == 200 and body == (STATIC / name).read_bytes()
    assert headers["Cache-Control"] == "public, max-age=3600"
    status, again, body = await call(
        bot_url, f"/{name}", headers={"If-None-Match": headers["ETag"]}
    )
    assert status == 304 and body == b"" and again["ETag"] == headers["ETag"]


async def test_demo_page_has_a_strict_csp_and_the_locale(bot_url: str) -> None:
    status, headers, body = await call(bot_url, "/?locale=it-CH")
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert b'data-locale="it-IT"' in body
    _, _, hostile = await call(bot_url, '/?locale="><script>alert(1)</script>')
    assert b"<script>alert" not in hostile and b'data-locale="en-US"' in hostile


async def test_the_endpoint_answers_inline_with_the_same_handler_and_no_outbound(
    bot_url: str,
) -> None:
    # A client-given serviceUrl is ignored: the reply goes nowhere but the response.
    status, _, body = await call(
        bot_url, "/api/widget/messages", "POST", json=question(serviceUrl="http://169.254.169.254/")
    )
    assert status == 200
    [reply] = json.loads(body)["activities"]
    assert reply["channelId"] == "webchat" and reply["serviceUrl"] == "https://widget.invalid/"
    assert "adresses IP" in shown(reply)
    assert reply["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"


async def test_button_data_is_answered(bot_url: str) -> None:
    value = {"action": "show", "id": "de-DE/operator-connect-privacy#p2"}
    _, _, body = await call(bot_url, "/api/widget/messages", "POST", json=question("", value=value))
    assert "exportieren und herunterladen" in shown(json.loads(body)["activities"][0])


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": b"{oops", "headers": {"Content-Type": "application/json"}}, 400),
        ({"json": {"type": "conversationUpdate"}}, 400),
        ({"json": question("x" * 20_000)}, 413),
        ({"data": b"{}", "headers": {"Content-Type": "text/plain"}}, 415),
    ],
)
async def test_bad_widget_requests_are_4xx(
    bot_url: str, kwargs: dict[str, Any], status: int
) -> None:
    got, _, _ = await call(bot_url, "/api/widget/messages", "POST", **kwargs)
    assert got == status


async def test_other_origins_are_refused_by_default(bot_url: str) -> None:
    status, headers, _ = await call(
        bot_url,
        "/api/widget/messages",
        "POST",
        json=question(),
        headers={"Origin": "https://elsewhere.example"},
    )
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    own = bot_url  # same origin needs no CORS
    status, _, _ = await call(
        bot_url, "/api/widget/messages", "POST", json=question(), headers={"Origin": own}
    )
    assert status == 200


async def test_listed_origins_get_cors(
    serve: Callable[[web.Application], Any], kb: KnowledgeBase
) -> None:
    settings = Settings.from_env(
        {"WIDGET_ORIGINS": "https://intranet.example.com, https://help.example.com"}
    )
    url = await serve(create_app(settings, kb))
    origin = {"Origin": "https://help.example.com"}
    preflight = {
        **origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    status, headers, _ = await call(url, "/api/widget/messages", "OPTIONS", headers=preflight)
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "https://help.example.com"
    assert "POST" in headers["Access-Control-Allow-Methods"] and headers["Vary"] == "Origin"
    status, headers, _ = await call(
        url, "/api/widget/messages", "POST", json=question(), headers=origin
    )
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://help.example.com"


async def test_rate_limit_answers_429_with_retry_after(
    serve: Callable[[web.Application], Any], kb: KnowledgeBase
) -> None:
    settings = Settings.from_env({"WIDGET_RATE_PER_MINUTE": "6", "WIDGET_BURST": "2"})
    url = await serve(create_app(settings, kb))
    statuses = [
        (await call(url, "/api/widget/messages", "POST", json=question()))[:2] for _ in range(3)
    ]
    assert [s for s, _ in statuses] == [200, 200, 429]
    assert statuses[2][1]["Retry-After"] == "10"


def test_widget_origins_setting_is_checked() -> None:
    with pytest.raises(SettingsError, match="WIDGET_ORIGINS"):
        Settings.from_env({"WIDGET_ORIGINS": "intranet.example.com/path"})


async def test_the_widget_strings_come_from_the_catalogue(bot_url: str) -> None:
    status, headers, body = await call(
        bot_url, "/widget-strings.json", headers={"Origin": "https://intranet.example.com"}
    )
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["Access-Control-Allow-Origin"] == "*" and "ETag" in headers
    data = json.loads(body)
    catalog = Catalog.load()
    assert [entry["locale"] for entry in data["locales"]] == sorted(catalog.by_language)
    assert {"locale": "fr", "name": "Français"} in data["locales"]
    assert data["strings"]["fr"] == catalog.by_language["fr"].widget
    assert data["defaultLocale"] == "en"


def test_a_new_language_needs_only_a_strings_file(tmp_path: Path) -> None:
    for language in ("en", "fr"):
        shutil.copy(STRINGS_DIR / f"{language}.json", tmp_path)
    portuguese = json.loads((STRINGS_DIR / "es.json").read_text(encoding="utf-8"))
    portuguese["widget"] = {**portuguese["widget"], "language_name": "Português"}
    portuguese["widget"]["send"] = "Enviar pergunta"
    (tmp_path / "pt.json").write_text(json.dumps(portuguese), encoding="utf-8")
    data = json.loads(widget_strings(Catalog.load(tmp_path)))
    assert {"locale": "pt", "name": "Português"} in data["locales"]
    assert data["strings"]["pt"]["send"] == "Enviar pergunta"


def test_a_strings_file_missing_a_widget_string_is_refused(tmp_path: Path) -> None:
    shutil.copy(STRINGS_DIR / "en.json", tmp_path)
    broken = json.loads((STRINGS_DIR / "fr.json").read_text(encoding="utf-8"))
    del broken["widget"]["busy"]
    (tmp_path / "fr.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match=r"fr\.json: widget strings differ: \['busy'\]"):
        Catalog.load(tmp_path)


def test_the_widget_script_holds_no_words_of_its_own() -> None:
    """Its words are in bot/strings: none of them is written in widget.js."""
    script = (STATIC / "widget.js").read_text(encoding="utf-8")
    for strings in Catalog.load().by_language.values():
        for key, text in strings.widget.items():
            assert text not in script, (strings.language, key)
