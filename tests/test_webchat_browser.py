"""End to end with clients nobody here wrote: Microsoft's Web Chat (npm
``botframework-webchat``, its prebuilt bundle) in Debian's Chromium, through a
local Direct Line server (npm ``offline-directline``, tests/js/directline.js),
to the bot, all on 127.0.0.1 on free ports.

The conversation a new user has: the welcome, a question in French, a click on
a choice of the answer card, a vote.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator
from typing import Any

import pytest
from browsers import OUTPUT, ROOT, SCRIPTS, node_file, overflows

WELCOME_FR = "Bonjour ! Je réponds à vos questions"
TITLE_FR = "Transferts de données entre opérateurs et microsoft pour les opérateurs Connecter"
QUESTION_FR = "Est-ce que mon adresse IP est transmise ?"
PASSAGE_FR = "adresses IP et systèmes d’exploitation"
THANKS_FR = "Merci pour votre retour !"
ACTIVITY = ".webchat__basic-transcript__activity"
CARD = f"{ACTIVITY} .ac-adaptiveCard"
BUBBLE = ".webchat__bubble__content"


@pytest.fixture
async def directline(bot_url: str) -> AsyncIterator[str]:
    """offline-directline on a free loopback port, in front of the bot; its URL."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (Node.js 18+ is needed for the npm packages)")
    node_file("offline-directline/dist/bridge.js")
    node_file("botframework-webchat/dist/webchat.js")
    process = await asyncio.create_subprocess_exec(
        node,
        str(SCRIPTS / "directline.js"),
        "--bot",
        f"{bot_url}/api/messages",
        "--locale",
        "fr-FR",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    first = await process.stdout.readline()
    assert first, "the Direct Line server stopped before it listened"
    port = json.loads(first)["port"]
    # Keep reading its log so that it never blocks on a full pipe.
    drain = asyncio.create_task(process.stdout.read())
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        await process.wait()
        await drain


async def cards(page: Any, count: int) -> Any:
    """Wait for card number `count` (from 1) in the transcript; all the cards so far."""
    await page.locator(CARD).nth(count - 1).wait_for()
    return page.locator(CARD)


async def test_welcome_question_click_and_vote_in_web_chat(browser: Any, directline: str) -> None:
    context = await browser.new_context(viewport={"width": 480, "height": 900}, locale="fr-FR")
    page = await context.new_page()
    await page.goto(directline)

    # The welcome, in the page's language, with its example questions.
    welcome = (await cards(page, 1)).nth(0)
    assert WELCOME_FR in await welcome.inner_text()
    assert await welcome.get_by_role("button").count() >= 3

    # A question typed in French gets the French passage, its title and the privacy link.
    await page.fill('[data-id="webchat-sendbox-input"]', QUESTION_FR)
    await page.keyboard.press("Enter")
    answer = (await cards(page, 2)).nth(1)
    text = await answer.inner_text()
    assert TITLE_FR in text and PASSAGE_FR in text
    # The card alone: no text bubble repeats the passage above it.
    assert await page.locator(BUBBLE).filter(has_text=PASSAGE_FR).count() == 1
    link = answer.get_by_role("link", name="Déclaration de confidentialité Microsoft")
    assert await link.get_attribute("href") == "https://go.microsoft.com/fwlink/?LinkId=521839"
    OUTPUT.mkdir(exist_ok=True)
    await answer.scroll_into_view_if_needed()
    await page.screenshot(path=str(OUTPUT / "webchat-answer.png"))

    # A click on a choice of the answer gets that passage.
    choices = answer.get_by_role("button")
    count = await choices.count()
    labels = [await choices.nth(i).get_attribute("aria-label") for i in range(count)]
    assert "Afficher toute la notice" in labels and "👍 Utile" in labels
    first = labels[0]
    assert first is not None
    await answer.get_by_role("button", name=first, exact=True).click()
    chosen = (await cards(page, 3)).nth(2)
    assert TITLE_FR in await chosen.inner_text()
    assert await chosen.inner_text() != text
    # The transcript says what was chosen: the label as the user's message
    # (a messageBack card action's displayText), not a silent postBack.
    user = page.locator(".webchat__bubble--from-user")
    await user.get_by_text(first, exact=True).wait_for()

    # A vote is thanked.
    await chosen.get_by_role("button", name="👍 Utile", exact=True).click()
    await page.locator(".webchat__bubble__content").get_by_text(THANKS_FR, exact=True).wait_for()
    await user.get_by_text("👍 Utile", exact=True).wait_for()

    # Web Chat draws the cards with its own styles: nothing is cut there either.
    for index in range(3):
        assert await overflows(page.locator(CARD).nth(index)) == []
    await page.screenshot(path=str(OUTPUT / "webchat.png"))
    await context.close()
