"""The widget in a real browser: Debian's Chromium driven by Playwright, against a
real server on 127.0.0.1. Never downloads a browser (no ``playwright install``)."""

from __future__ import annotations

from typing import Any

import pytest
from browsers import OUTPUT, PHONE_WIDTH, node_file, overflows
from playwright.async_api import Browser, Page

LINK = "https://go.microsoft.com/fwlink/?LinkId=521839"
TITLE_FR = "Transferts de données entre opérateurs et microsoft pour les opérateurs Connecter"
# Collect CSP violations from the first script on; init scripts run outside the page's CSP.
WATCH_CSP = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


async def open_page(browser: Browser, url: str, width: int = 1000, height: int = 760) -> Page:
    context = await browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    await context.add_init_script(WATCH_CSP)
    page = await context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: page.dialogs.append(dialog.message))  # type: ignore[attr-defined]
    await page.goto(url)
    await page.wait_for_selector(".cpw-launcher")
    return page


@pytest.fixture
async def page(browser: Browser, bot_url: str) -> Page:
    return await open_page(browser, f"{bot_url}/?locale=fr-FR")


async def next_bot_message(page: Page, count: int) -> Any:
    """Wait for bot message number count + 1 (wait_for_function needs eval: the CSP forbids it)."""
    message = page.locator(".cpw-bot").nth(count)
    await message.wait_for()
    return message


async def ask(page: Page, text: str) -> Any:
    """Type a question, send it, return the new bot message."""
    count = await page.locator(".cpw-bot").count()
    await page.fill(".cpw-input", text)
    await page.keyboard.press("Enter")
    return await next_bot_message(page, count)


async def shown_text(message: Any) -> str:
    """A message's visible text, without the label kept for screen readers."""
    return str(
        await message.evaluate(
            "m => Array.from(m.childNodes)"
            ".filter(n => !(n.classList && n.classList.contains('cpw-sr')))"
            ".map(n => n.textContent).join('')"
        )
    )


async def tab_to(page: Page, class_name: str, limit: int = 10) -> None:
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.className") == class_name:
            return
    raise AssertionError(f"{class_name} is not reachable with Tab")


async def test_a_french_question_gets_the_french_passage_and_the_link(page: Page) -> None:
    await page.click(".cpw-launcher")
    answer = await ask(page, "Est-ce que mon adresse IP est transmise ?")
    text = await answer.inner_text()
    assert TITLE_FR in text and "adresses IP et systèmes d’exploitation" in text
    link = answer.locator(f'a[href="{LINK}"]')
    assert await link.inner_text() == "Déclaration de confidentialité Microsoft"
    assert await link.get_attribute("rel") == "noopener noreferrer"
    assert await link.get_attribute("target") == "_blank"
    assert await answer.get_by_role("button", name="👍 Utile", exact=True).count() == 1
    OUTPUT.mkdir(exist_ok=True)
    await page.screenshot(path=str(OUTPUT / "widget-open.png"))
    assert (OUTPUT / "widget-open.png").stat().st_size > 10_000


async def test_a_did_you_mean_button_gets_the_chosen_passage(page: Page) -> None:
    await page.click(".cpw-launcher")
    choices = await ask(page, "Que fait Microsoft avec mes appels ?")
    assert "Vouliez-vous dire" in await choices.inner_text()
    first = choices.locator(".cpw-actions button").first
    label = await first.inner_text()
    await first.click()
    chosen = await next_bot_message(page, 1)
    assert await shown_text(page.locator(".cpw-user").last) == label
    assert TITLE_FR in await chosen.inner_text()


async def test_markup_in_a_question_shows_as_text_and_runs_nothing(page: Page) -> None:
    hostile = "<img src=x onerror=alert(1)><b>bold</b>"
    await page.click(".cpw-launcher")
    await ask(page, hostile)
    assert await shown_text(page.locator(".cpw-user").last) == hostile
    assert await page.locator(".cpw-log img, .cpw-log b").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


async def test_keyboard_only_use(page: Page) -> None:
    await tab_to(page, "cpw-launcher")
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    await page.keyboard.press("Enter")
    assert (
        await page.evaluate("document.activeElement.id") == "cpw-input"
    )  # focus moved into the panel
    await page.keyboard.type("Qui est responsable de mes données ?")
    await page.keyboard.press("Enter")
    await page.wait_for_selector(".cpw-bot")
    # The last control of the answer (thumbs down) is one Shift+Tab away.
    await page.keyboard.press("Shift+Tab")
    assert "Pas utile" in await page.evaluate("document.activeElement.textContent")
    await page.keyboard.press("Enter")
    thanks = await next_bot_message(page, 1)
    assert await shown_text(thanks) == "Merci pour votre retour !"
    await page.keyboard.press("Escape")
    assert await page.locator(".cpw-panel").is_hidden()
    assert await page.evaluate("document.activeElement.className") == "cpw-launcher"  # focus back


async def test_the_strict_csp_holds(page: Page) -> None:
    await page.click(".cpw-launcher")
    await ask(page, "Mon numéro est-il partagé ?")
    assert await page.evaluate("window.__violations") == []
    # And the policy is really enforced: an inline script is blocked.
    await page.evaluate(
        "document.body.appendChild(document.createElement('script')).textContent = 'x=1'"
    )
    await page.wait_for_timeout(200)  # the violation event is dispatched asynchronously
    violations = await page.evaluate("window.__violations")
    assert violations and all(v.startswith("script-src") for v in violations)


async def test_an_unreachable_bot_is_said_in_the_users_language_and_the_question_kept(
    page: Page,
) -> None:
    await page.route("**/api/widget/messages", lambda route: route.abort())
    await page.click(".cpw-launcher")
    await page.fill(".cpw-input", "Mon adresse IP est-elle partagée ?")
    await page.keyboard.press("Enter")
    await page.wait_for_selector(".cpw-error")
    assert "injoignable" in await page.locator(".cpw-error").inner_text()
    assert await page.input_value(".cpw-input") == "Mon adresse IP est-elle partagée ?"


async def test_the_language_menu_switches(page: Page) -> None:
    await page.click(".cpw-launcher")
    await page.select_option("#cpw-language", "de")
    assert (
        await page.get_attribute(".cpw-input", "placeholder") == "Ihre Frage zu Ihren Telefondaten…"
    )
    answer = await ask(page, "Wird meine IP-Adresse weitergegeben?")
    assert "IP-Adressen und Betriebssysteme" in await answer.inner_text()


async def test_navigator_language_is_used_without_data_locale(
    browser: Browser, bot_url: str
) -> None:
    context = await browser.new_context(locale="it-IT")
    page = await context.new_page()
    await page.goto(f"{bot_url}/widget.css")  # an origin to run a page from
    await page.set_content(f'<script src="{bot_url}/widget.js"></script>')
    await page.wait_for_selector(".cpw-launcher")
    assert await page.get_attribute(".cpw-input", "placeholder") == "Fai una domanda…"


async def test_usable_at_360_px(browser: Browser, bot_url: str) -> None:
    page = await open_page(browser, f"{bot_url}/?locale=es-ES", width=360, height=640)
    await page.click(".cpw-launcher")
    box = await page.locator(".cpw-panel").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    answer = await ask(page, "¿Se comparte mi ubicación en una emergencia?")
    assert "ubicación de llamadas de emergencia" in await answer.inner_text()
    send = await page.locator(".cpw-send").bounding_box()
    assert send is not None and send["x"] + send["width"] <= 360


async def test_the_conversation_goes_on_across_pages_in_the_same_tab(
    page: Page, bot_url: str
) -> None:
    conversations: list[str] = []
    page.on(
        "request",
        lambda request: (
            conversations.append(request.post_data_json["conversation"]["id"])
            if request.url.endswith("/api/widget/messages")
            else None
        ),
    )
    await page.click(".cpw-launcher")
    await ask(page, "Est-ce que mon adresse IP est transmise ?")

    await page.goto(f"{bot_url}/?locale=fr-FR")  # another page of the site
    await page.wait_for_selector(".cpw-launcher")
    assert await page.locator(".cpw-panel").is_visible()  # still open
    assert await shown_text(page.locator(".cpw-user").first) == (
        "Est-ce que mon adresse IP est transmise ?"
    )
    answer = page.locator(".cpw-bot").first
    assert TITLE_FR in await answer.inner_text()
    # Its buttons still work, in the same conversation.
    await answer.get_by_role("button", name="Afficher toute la notice").click()
    whole = await next_bot_message(page, 1)
    assert "Operator Connect" in await whole.inner_text() or TITLE_FR in await whole.inner_text()
    assert len(conversations) == 2 and conversations[0] == conversations[1]

    # Another tab starts its own conversation.
    other = await page.context.new_page()
    await other.goto(f"{bot_url}/?locale=fr-FR")
    await other.wait_for_selector(".cpw-launcher")
    assert await other.locator(".cpw-msg").count() == 0
    assert await other.locator(".cpw-panel").is_hidden()


async def widget_with_an_answer_and_a_did_you_mean(
    browser: Browser, bot_url: str, width: int, height: int, **options: Any
) -> Page:
    context = await browser.new_context(
        viewport={"width": width, "height": height}, locale="fr-FR", **options
    )
    page = await context.new_page()
    await page.goto(f"{bot_url}/?locale=fr-FR")
    await page.wait_for_selector(".cpw-launcher")
    await page.click(".cpw-launcher")
    await ask(page, "Est-ce que mon adresse IP est transmise ?")
    choices = await ask(page, "Que fait Microsoft avec mes appels ?")
    assert "Vouliez-vous dire" in await choices.inner_text()
    return page


async def test_no_accessibility_violations_with_an_answer_and_a_did_you_mean(
    browser: Browser, bot_url: str
) -> None:
    # axe-core is injected as a script: the demo page's CSP would block it.
    page = await widget_with_an_answer_and_a_did_you_mean(
        browser, bot_url, 1000, 760, bypass_csp=True
    )
    await page.add_script_tag(path=node_file("axe-core/axe.min.js"))
    violations = await page.evaluate(
        """async () => (await axe.run(document)).violations.map(
             v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )
    assert violations == []
    OUTPUT.mkdir(exist_ok=True)
    await page.screenshot(path=str(OUTPUT / "widget-did-you-mean.png"))


async def test_choice_buttons_read_whole_at_360_px(browser: Browser, bot_url: str) -> None:
    page = await widget_with_an_answer_and_a_did_you_mean(browser, bot_url, PHONE_WIDTH, 640)
    panel = page.locator(".cpw-panel")
    buttons = page.locator(".cpw-log button")
    assert await buttons.count() >= 8  # follow-ups, votes, the did-you-mean choices
    assert await overflows(panel) == []
    for index in range(await buttons.count()):
        box = await buttons.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    await page.screenshot(path=str(OUTPUT / "widget-360.png"))
    # The probe sees labels that would be cut.
    await page.evaluate(
        """() => document.querySelectorAll('.cpw-log button').forEach(b => Object.assign(
             b.style, {whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis',
                       maxWidth: '120px'}))"""
    )
    assert any("cut on the right" in p for p in await overflows(panel))
