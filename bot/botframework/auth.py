"""The bearer token, checked by botbuilder's own validators before anything else.

The token is validated against a minimal Activity built from the JSON (the
fields botbuilder's validation reads: channelId, serviceUrl, the recipient's
role, relatesTo), so that an unauthenticated request costs no activity
parsing. For replies, the bot's credentials (botbuilder's, MSAL underneath)
are kept per app id and audience in a bounded LRU.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ChannelAccount, ConversationReference
from botframework.connector.auth import AuthenticateRequestResult, AuthenticationConstants
from botframework.connector.auth._built_in_bot_framework_authentication import (
    _BuiltinBotFrameworkAuthentication,
)

from bot.botframework.body import Problem
from bot.botframework.openid import MetadataUnavailable
from bot.botframework.wire import WireError, model_from_json
from bot.privacy import printable
from bot.settings import Settings

log = logging.getLogger(__name__)

# Credentials differ by app id and audience only; a bot has one or two.
MAX_CREDENTIALS = 16


def minimal_activity(data: dict[str, Any]) -> Activity:
    """What botbuilder's token validation reads of the activity, from its JSON."""
    recipient = data.get("recipient")
    role = recipient.get("role") if isinstance(recipient, dict) else None
    relates_to = None
    if isinstance(data.get("relatesTo"), dict):
        try:
            relates_to = model_from_json(ConversationReference, data["relatesTo"], "relatesTo")
        except WireError as exc:
            raise Problem(400, f"not a valid activity ({exc})") from None
    return Activity(
        channel_id=_text(data.get("channelId")),
        service_url=_text(data.get("serviceUrl")),
        recipient=ChannelAccount(role=_text(role)),
        relates_to=relates_to,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class Authenticator:
    """botbuilder's BotFrameworkAuthentication, bounded in time, answering with Problems."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.inner = ConfigurationBotFrameworkAuthentication(botbuilder_configuration(settings))
        self._credentials: OrderedDict[tuple[str, str], Any] = OrderedDict()

    async def authenticate(
        self, authorization: str | None, data: dict[str, Any]
    ) -> AuthenticateRequestResult:
        """The validated identity; Problem 401 for a bad token, 503 if keys are unreachable.

        Without MicrosoftAppId botbuilder lets anonymous requests in.
        """
        unavailable = "cannot validate the token now (identity metadata unreachable)"
        try:
            async with asyncio.timeout(self.settings.auth_timeout_seconds):
                result: AuthenticateRequestResult = await self.inner.authenticate_request(
                    minimal_activity(data), authorization or None
                )
                return result
        except Problem:
            raise
        except (MetadataUnavailable, TimeoutError) as exc:
            log.warning("token validation impossible: %s", printable(str(exc) or "timeout"))
            raise Problem(503, unavailable) from None
        except Exception as exc:
            # botbuilder rejects tokens with PermissionError, PyJWT errors and bare
            # Exceptions ("Could not validate endorsement key"): all are a denial.
            log.info("token rejected: %s: %s", type(exc).__name__, printable(str(exc)))
            raise Problem(401, "unauthorized: missing or invalid bearer token") from None

    async def token(self, result: AuthenticateRequestResult, service_url: str) -> str | None:
        """The bearer token for a reply, or None when the bot has no app id."""
        if not self.settings.authenticated or result.connector_factory is None:
            return None
        app_id = _BuiltinBotFrameworkAuthentication.get_app_id(result.claims_identity) or ""
        key = (app_id, result.audience or "")
        credentials = self._credentials.get(key)
        if credentials is None:
            # botbuilder builds the credentials with a connector client; only they are kept.
            client = await result.connector_factory.create(service_url, result.audience)
            credentials = client.config.credentials
            self._credentials[key] = credentials
            while len(self._credentials) > MAX_CREDENTIALS:
                self._credentials.popitem(last=False)
        self._credentials.move_to_end(key)
        app = getattr(credentials, "microsoft_app_id", None)
        if not app or app == AuthenticationConstants.ANONYMOUS_SKILL_APP_ID:
            return None
        # MSAL's token acquisition blocks (an HTTP call when its cache is cold).
        async with asyncio.timeout(self.settings.auth_timeout_seconds):
            token: str = await asyncio.to_thread(credentials.get_access_token)
        return token


def botbuilder_configuration(settings: Settings) -> SimpleNamespace:
    """The attribute names botbuilder's ConfigurationBotFrameworkAuthentication reads."""
    config = SimpleNamespace(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type,
        APP_TENANTID=settings.app_tenant_id,
    )
    if settings.openid_metadata_url or settings.token_issuer:
        # Any of these switches botbuilder to its parameterized authentication,
        # which needs every endpoint: the public cloud's, but for the overrides.
        constants = AuthenticationConstants
        config.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = (
            settings.openid_metadata_url or constants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        )
        config.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = (
            settings.token_issuer or constants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
        )
        config.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = (
            constants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
        )
        config.TO_CHANNEL_FROM_BOT_LOGIN_URL = constants.TO_CHANNEL_FROM_BOT_LOGIN_URL
        config.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = constants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        config.OAUTH_URL = constants.OAUTH_URL
    return config
