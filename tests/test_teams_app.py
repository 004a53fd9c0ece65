"""The Teams app package, validated against the official JSON schemas in ../shared/schemas."""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.strings import Catalog
from bot.teams_app import PackageError, PackageSettings, build_package, main

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(os.environ.get("TEAMS_SCHEMAS_DIR", ROOT.parent / "shared" / "schemas"))
BOT_ID = "9c1a5f53-57a4-4b0a-9e63-2d6c9a0e7d11"
PRIVACY = "https://go.microsoft.com/fwlink/?LinkId=521839"


def schema(name: str) -> dict[str, Any]:
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{path} not found: the official Teams schemas live in ../shared/schemas")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def package() -> dict[str, bytes]:
    settings = PackageSettings.from_env({"MicrosoftAppId": BOT_ID}, PRIVACY)
    with zipfile.ZipFile(io.BytesIO(build_package(settings, Catalog.load()))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        assert (
            zlib.crc32(kind + body)
            == struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0]
        )
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 6)  # 8-bit RGBA
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    return width, height, [raw[y * stride + 1 : (y + 1) * stride] for y in range(height)]


def test_the_package_holds_manifest_icons_and_six_languages(package: dict[str, bytes]) -> None:
    assert sorted(package) == sorted(
        [
            "manifest.json",
            "color.png",
            "outline.png",
            "fr.json",
            "it.json",
            "de.json",
            "es.json",
            "ja.json",
        ]
    )


def test_manifest_is_valid_against_the_1_29_schema(package: dict[str, bytes]) -> None:
    manifest = json.loads(package["manifest.json"])
    validator = jsonschema.Draft4Validator(schema("teams-manifest-1.29.schema.json"))
    assert [e.message for e in validator.iter_errors(manifest)] == []
    [bot] = manifest["bots"]
    assert bot["botId"] == BOT_ID
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert [c["title"] for c in bot["commandLists"][0]["commands"]] == list(
        Catalog.load().by_language["en"].examples
    )
    languages = {
        entry["languageTag"]: entry["file"]
        for entry in manifest["localizationInfo"]["additionalLanguages"]
    }
    # The message extension: one search command, run once when opened (empty query).
    [extension] = manifest["composeExtensions"]
    assert extension["botId"] == BOT_ID
    [command] = extension["commands"]
    assert command["id"] == "searchNotice" and command["type"] == "query"
    assert command["initialRun"] is True
    assert [p["name"] for p in command["parameters"]] == ["query"]
    assert command["title"] == "Search the notice"
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "en"
    assert languages == {lang: f"{lang}.json" for lang in ("de", "es", "fr", "it", "ja")}


@pytest.mark.parametrize("language", ["de", "es", "fr", "it", "ja"])
def test_each_localization_file_is_valid_and_complete(
    package: dict[str, bytes], language: str
) -> None:
    texts = json.loads(package[f"{language}.json"])
    validator = jsonschema.Draft4Validator(schema("teams-localization.schema.json"))
    assert [e.message for e in validator.iter_errors(texts)] == []
    strings = Catalog.load().by_language[language]
    assert texts["name.short"] == strings.teams_app["name_short"]
    assert texts["bots[0].commandLists[0].commands[0].title"] == strings.examples[0]
    search = "composeExtensions[0].commands[0]"
    assert texts[f"{search}.title"] == strings.teams_app["search_title"]
    assert texts[f"{search}.parameters[0].title"] == strings.teams_app["search_parameter_title"]
    english = Catalog.load().by_language["en"].teams_app
    assert texts[f"{search}.description"] != english["search_description"]  # translated


def test_colour_icon_is_192_opaque(package: dict[str, bytes]) -> None:
    width, height, rows = decode_png(package["color.png"])
    assert (width, height) == (192, 192)
    assert all(row[i + 3] == 255 for row in rows for i in range(0, len(row), 4))


def test_outline_icon_is_32_white_on_transparent(package: dict[str, bytes]) -> None:
    width, height, rows = decode_png(package["outline.png"])
    assert (width, height) == (32, 32)
    pixels = [row[i : i + 4] for row in rows for i in range(0, len(row), 4)]
    assert all(p[3] == 0 or p[:3] == b"\xff\xff\xff" for p in pixels)
    assert any(p[3] == 255 for p in pixels) and any(p[3] == 0 for p in pixels)
    assert pixels[0][3] == 0  # the corner is transparent


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "MicrosoftAppId must be set"),
        ({"MicrosoftAppId": "not-a-guid"}, "MicrosoftAppId must be set"),
        ({"MicrosoftAppId": BOT_ID, "TEAMS_APP_ID": "x"}, "TEAMS_APP_ID must be a GUID"),
        (
            {"MicrosoftAppId": BOT_ID, "TEAMS_TERMS_URL": "http://insecure"},
            "TEAMS_TERMS_URL must be an https",
        ),
    ],
)
def test_bad_settings_are_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(PackageError, match=message):
        PackageSettings.from_env(environ, PRIVACY)


def test_the_app_id_is_stable_for_a_bot() -> None:
    first = PackageSettings.from_env({"MicrosoftAppId": BOT_ID}, PRIVACY)
    again = PackageSettings.from_env({"MicrosoftAppId": BOT_ID}, PRIVACY)
    assert first.app_id == again.app_id != BOT_ID


def test_the_command_writes_the_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", BOT_ID)
    output = tmp_path / "teams-app.zip"
    assert main(["--output", str(output)]) == 0
    with zipfile.ZipFile(output) as archive:
        assert json.loads(archive.read("manifest.json"))["bots"][0]["botId"] == BOT_ID
