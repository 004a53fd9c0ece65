"""What users type never reaches the logs, unless the operator asks; then redacted."""

from __future__ import annotations

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from bot.handler import NoticeBot
from bot.privacy import redact
from bot.settings import Settings
from bot.strings import Catalog
from knowledge import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("appelez le +33 6 12 34 56 78 svp", "<phone>", "12 34 56"),
        ("my number is (425) 555-0100", "<phone>", "555-0100"),
        ("écrivez à camille.martin@contoso.fr", "<email>", "contoso"),
        ("mon IP 192.168.10.42 est-elle vue", "<ip>", "192.168"),
        ("IPv6 2001:db8:85a3::8a2e:370:7334 ?", "<ip>", "8a2e"),
        ("sip:alice@contoso.com is mine", "<sip>", "alice"),
        ("SIPS:+14255550100@sbc.contoso.com", "<sip>", "4255550100"),
    ],
)
def test_redact(text: str, kept: str, gone: str) -> None:
    redacted = redact(text)
    assert kept in redacted and gone not in redacted


def test_redact_keeps_ordinary_questions() -> None:
    assert (
        redact("Est-ce que mon adresse IP est transmise ?")
        == "Est-ce que mon adresse IP est transmise ?"
    )


async def ask_with_logging(kb: KnowledgeBase, log_questions: str, text: str) -> None:
    settings = Settings.from_env({"LOG_QUESTIONS": log_questions})
    adapter = TestAdapter(NoticeBot(kb, Catalog.load(), settings).on_turn)
    await adapter.receive_activity(Activity(type="message", text=text, locale="fr-FR"))


QUESTION = (
    "Mon numéro +33 6 12 34 56 78 et sip:camille@contoso.fr, IP 10.1.2.3, "
    "mail c.m@contoso.fr : partagés ?"
)


async def test_nothing_typed_is_logged_by_default(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    await ask_with_logging(kb, "false", QUESTION)
    assert "partagés" not in caplog.text and "contoso" not in caplog.text


async def test_logged_questions_are_redacted_first(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    await ask_with_logging(kb, "true", QUESTION)
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("question")]
    assert "partagés" in line
    for secret in ("12 34 56 78", "camille", "10.1.2.3", "c.m@contoso"):
        assert secret not in line
    for placeholder in ("<phone>", "<sip>", "<ip>", "<email>"):
        assert placeholder in line
