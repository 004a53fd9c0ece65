"""The Microsoft Teams app package: ``python -m bot.teams_app`` (or ``make teams-app``).

Builds ``teams-app.zip`` with ``manifest.json`` (schema 1.29: the bot and a
search message extension over the notice), one localization
file per language of the bot's strings, ``color.png`` (192x192) and
``outline.png`` (32x32, white on transparent). The icons are drawn here, so the
package needs nothing but this code and the settings:

    MicrosoftAppId        the bot's app id (required): the manifest's botId
    TEAMS_APP_ID          the Teams app's own id (default: derived from MicrosoftAppId)
    TEAMS_APP_VERSION     semantic version of the package (default: the project's)
    TEAMS_DEVELOPER_NAME  who publishes the app in your tenant
    TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL
                          developer links (default: the notice's privacy link)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import struct
import sys
import uuid
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bot import message_extension
from bot.strings import FALLBACK_LANGUAGE, Catalog
from knowledge import KnowledgeBase

MANIFEST_SCHEMA = (
    "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json"
)
LOCALIZATION_SCHEMA = "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.Localization.schema.json"
SCOPES = ["personal", "team", "groupChat"]
ACCENT = (0x1F, 0x5F, 0x9E)  # a calm blue; also the colour icon's background
APP_ID_NAMESPACE = uuid.UUID("5b0c6f0e-2f7c-4a57-9b8e-3c1d2e4f6a80")


class PackageError(ValueError):
    """A setting the package cannot be built without."""


@dataclass(frozen=True, slots=True)
class PackageSettings:
    bot_id: str
    app_id: str
    version: str
    developer_name: str
    website_url: str
    privacy_url: str
    terms_url: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str], default_url: str) -> PackageSettings:
        bot_id = environ.get("MicrosoftAppId", "").strip()
        if not _is_guid(bot_id):
            raise PackageError("MicrosoftAppId must be set to the bot's app id (a GUID)")
        app_id = environ.get("TEAMS_APP_ID", "").strip() or str(
            uuid.uuid5(APP_ID_NAMESPACE, bot_id)
        )
        if not _is_guid(app_id):
            raise PackageError("TEAMS_APP_ID must be a GUID")
        urls = {
            name: environ.get(name, "").strip() or default_url
            for name in ("TEAMS_WEBSITE_URL", "TEAMS_PRIVACY_URL", "TEAMS_TERMS_URL")
        }
        for name, url in urls.items():
            if not url.lower().startswith("https://"):
                raise PackageError(f"{name} must be an https:// URL")
        developer = environ.get("TEAMS_DEVELOPER_NAME", "").strip() or "IT service desk"
        if len(developer) > 32:
            raise PackageError("TEAMS_DEVELOPER_NAME must be at most 32 characters")
        return cls(
            bot_id=bot_id,
            app_id=app_id,
            version=environ.get("TEAMS_APP_VERSION", "").strip() or _project_version(),
            developer_name=developer,
            website_url=urls["TEAMS_WEBSITE_URL"],
            privacy_url=urls["TEAMS_PRIVACY_URL"],
            terms_url=urls["TEAMS_TERMS_URL"],
        )


def _is_guid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _project_version() -> str:
    try:
        return metadata.version("carrier-privacy-bot")
    except metadata.PackageNotFoundError:
        return "1.0.0"


def _texts(app: Mapping[str, str], examples: tuple[str, ...]) -> dict[str, str]:
    """The localizable strings, keyed as the localization files key them."""
    texts = {
        "name.short": app["name_short"],
        "name.full": app["name_full"],
        "description.short": app["description_short"],
        "description.full": app["description_full"],
    }
    for n, question in enumerate(examples):
        texts[f"bots[0].commandLists[0].commands[{n}].title"] = question
        texts[f"bots[0].commandLists[0].commands[{n}].description"] = app["command_hint"]
    search = "composeExtensions[0].commands[0]"
    texts[f"{search}.title"] = app["search_title"]
    texts[f"{search}.description"] = app["search_description"]
    texts[f"{search}.parameters[0].title"] = app["search_parameter_title"]
    texts[f"{search}.parameters[0].description"] = app["search_parameter_description"]
    return texts


def build_manifest(
    settings: PackageSettings, catalog: Catalog
) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """The manifest (in English) and one localization file per other language."""
    english = catalog.by_language[FALLBACK_LANGUAGE]
    default = _texts(english.teams_app, english.examples)
    others = {
        lang: {"$schema": LOCALIZATION_SCHEMA, **_texts(strings.teams_app, strings.examples)}
        for lang, strings in sorted(catalog.by_language.items())
        if lang != FALLBACK_LANGUAGE
    }
    hint = english.teams_app["command_hint"]
    commands = [{"title": question, "description": hint} for question in english.examples]
    manifest = {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": "1.29",
        "version": settings.version,
        "id": settings.app_id,
        "localizationInfo": {
            "defaultLanguageTag": "en",
            "additionalLanguages": [
                {"languageTag": lang, "file": f"{lang}.json"} for lang in others
            ],
        },
        "developer": {
            "name": settings.developer_name,
            "websiteUrl": settings.website_url,
            "privacyUrl": settings.privacy_url,
            "termsOfUseUrl": settings.terms_url,
        },
        "name": {"short": default["name.short"], "full": default["name.full"]},
        "description": {"short": default["description.short"], "full": default["description.full"]},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": settings.bot_id,
                "scopes": SCOPES,
                "isNotificationOnly": False,
                "supportsFiles": False,
                "commandLists": [{"scopes": SCOPES, "commands": commands}],
            }
        ],
        # Search the notice from the compose box and the command box (bot.message_extension).
        "composeExtensions": [
            {
                "botId": settings.bot_id,
                "commands": [
                    {
                        "id": message_extension.COMMAND_ID,
                        "type": "query",
                        "title": default["composeExtensions[0].commands[0].title"],
                        "description": default["composeExtensions[0].commands[0].description"],
                        # Opening it lists passages before anything is typed.
                        "initialRun": True,
                        "context": ["compose", "commandBox"],
                        "parameters": [
                            {
                                "name": message_extension.PARAMETER,
                                "inputType": "text",
                                "title": default[
                                    "composeExtensions[0].commands[0].parameters[0].title"
                                ],
                                "description": default[
                                    "composeExtensions[0].commands[0].parameters[0].description"
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
        "validDomains": [],
    }
    return manifest, others


# -- icons ---------------------------------------------------------------------

Shape = Callable[[float, float], bool]


def _bubble(size: float) -> Shape:
    """A speech bubble filling most of a size x size square (coordinates in pixels)."""
    left, top, right, bottom = 0.16 * size, 0.2 * size, 0.84 * size, 0.68 * size
    radius = 0.12 * size
    tail = ((0.3 * size, bottom - 1), (0.3 * size, 0.84 * size), (0.48 * size, bottom - 1))

    def inside(x: float, y: float) -> bool:
        if left <= x <= right and top <= y <= bottom:
            cx = min(max(x, left + radius), right - radius)
            cy = min(max(y, top + radius), bottom - radius)
            return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2
        return _in_triangle(x, y, *tail)

    return inside


def _dots(size: float) -> Shape:
    centres = [(size * f, 0.44 * size) for f in (0.35, 0.5, 0.65)]
    radius = 0.045 * size
    return lambda x, y: any((x - cx) ** 2 + (y - cy) ** 2 <= radius**2 for cx, cy in centres)


def _in_triangle(
    x: float, y: float, a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]
) -> bool:
    def side(p: tuple[float, float], q: tuple[float, float]) -> float:
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])

    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def _coverage(shape: Shape, x: int, y: int, samples: int = 4) -> float:
    """Share of the pixel inside the shape (supersampled, for smooth edges)."""
    step = 1 / samples
    hits = sum(
        shape(x + (i + 0.5) * step, y + (j + 0.5) * step)
        for i in range(samples)
        for j in range(samples)
    )
    return hits / samples**2


def color_icon(size: int = 192) -> bytes:
    """White speech bubble with blue dots on a blue square."""
    bubble, dots = _bubble(size), _dots(size)
    pixels: list[tuple[int, int, int, int]] = []
    for y in range(size):
        for x in range(size):
            white = _coverage(bubble, x, y) * (1 - _coverage(dots, x, y))
            r, g, b = (round(c + (255 - c) * white) for c in ACCENT)
            pixels.append((r, g, b, 255))
    return png(size, size, pixels)


def outline_icon(size: int = 32) -> bytes:
    """The bubble's outline in white on transparent, as Teams asks of outline icons."""
    outer = _bubble(size)
    inner = _bubble_inset(size, 2.0)
    pixels = []
    for y in range(size):
        for x in range(size):
            alpha = max(0.0, _coverage(outer, x, y) - _coverage(inner, x, y))
            pixels.append((255, 255, 255, round(255 * alpha)))
    return png(size, size, pixels)


def _bubble_inset(size: float, stroke: float) -> Shape:
    outer = _bubble(size)
    offsets = [(dx * stroke, dy * stroke) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    return lambda x, y: all(outer(x + dx, y + dy) for dx, dy in offsets)


def png(width: int, height: int, pixels: list[tuple[int, int, int, int]]) -> bytes:
    """An RGBA PNG (8 bits per channel, no filtering)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(
        b"\x00" + b"".join(bytes(p) for p in pixels[y * width : (y + 1) * width])
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


# -- package -------------------------------------------------------------------


def build_package(settings: PackageSettings, catalog: Catalog) -> bytes:
    manifest, localizations = build_manifest(settings, catalog)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for lang, texts in localizations.items():
            archive.writestr(f"{lang}.json", json.dumps(texts, ensure_ascii=False, indent=2))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.teams_app", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--output", type=Path, default=Path("teams-app.zip"))
    args = parser.parse_args(argv)
    kb = KnowledgeBase.load(meaning=False)  # only the privacy link is read
    privacy = kb.first_notice(kb.resolve_locale("en-US", "en-US")).privacy_link.url
    try:
        settings = PackageSettings.from_env(os.environ, privacy)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.output.write_bytes(build_package(settings, Catalog.load()))
    print(f"wrote {args.output}: Teams app {settings.app_id} v{settings.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
