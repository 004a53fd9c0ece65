"""Activities to and from JSON without msrest: the same JSON as msrest, both ways."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.botframework.wire import WireError, activity_from_json, activity_to_json
from bot.render import render
from bot.strings import Catalog
from knowledge import KnowledgeBase
from tests.test_render import all_replies

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def msrest_in(data: dict[str, Any]) -> Activity:
    activity: Activity = Activity().deserialize(data)
    return activity


def same_object(ours: Any, theirs: Any) -> None:
    """Same model tree, attribute by attribute, additional properties included."""
    assert type(ours) is type(theirs)
    if hasattr(theirs, "_attribute_map"):
        for attribute in theirs._attribute_map:
            same_object(getattr(ours, attribute, None), getattr(theirs, attribute, None))
        assert getattr(ours, "additional_properties", None) == getattr(
            theirs, "additional_properties", None
        )
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            same_object(a, b)
    elif isinstance(theirs, dict):
        assert ours.keys() == theirs.keys()
        for key in theirs:
            same_object(ours[key], theirs[key])
    else:
        assert ours == theirs


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_fixtures_read_as_msrest_reads_them(name: str) -> None:
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    data["serviceUrl"] = "http://127.0.0.1:9/"
    ours = activity_from_json(data)
    same_object(ours, msrest_in(data))
    assert activity_to_json(ours) == msrest_in(data).serialize()


strings = st.text(max_size=8)
scalars = st.none() | st.booleans() | st.integers(-5, 5) | strings
plain = st.recursive(
    scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(strings, c, max_size=3),
    max_leaves=8,
)
account = st.fixed_dictionaries(
    {"id": strings}, optional={"name": strings, "role": st.sampled_from(["user", "bot"])}
)
activities = st.fixed_dictionaries(
    {"type": st.sampled_from(["message", "invoke", "conversationUpdate", "event"])},
    optional={
        "id": strings,
        "text": strings,
        "locale": strings,
        "channelId": strings,
        "serviceUrl": strings,
        "timestamp": st.datetimes(timezones=st.just(UTC)).map(
            lambda d: d.isoformat().replace("+00:00", "Z")
        ),
        "from": account,
        "recipient": account,
        "conversation": st.fixed_dictionaries(
            {"id": strings}, optional={"isGroup": st.booleans(), "conversationType": strings}
        ),
        "membersAdded": st.lists(account, max_size=3),
        "entities": st.lists(
            st.fixed_dictionaries({"type": strings}, optional={"mentioned": account, "x": plain}),
            max_size=3,
        ),
        "attachments": st.lists(
            st.fixed_dictionaries({"contentType": strings}, optional={"content": plain}),
            max_size=2,
        ),
        "value": plain,
        "channelData": plain,
        "deliveryMode": st.sampled_from(["normal", "expectReplies"]),
        "unknownField": plain,
    },
)


# No deadline: a timing is no verdict on a shared machine.
@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(activities)
def test_fuzzed_activities_read_and_write_as_msrest(data: dict[str, Any]) -> None:
    ours = activity_from_json(data)
    same_object(ours, msrest_in(data))
    assert activity_to_json(ours) == msrest_in(data).serialize()


@pytest.mark.parametrize(
    "data",
    [
        {"type": "message", "entities": "oops"},
        {"type": "message", "from": ["x"]},
        {"type": "message", "conversation": {"isGroup": {"a": 1}}},
        {"type": "message", "timestamp": "yesterday"},
        {"type": "message", "attachments": [1]},
    ],
)
def test_what_is_no_activity_is_refused_with_the_field(data: dict[str, Any]) -> None:
    with pytest.raises(WireError):
        activity_from_json(data)


@pytest.mark.parametrize("channel", ["msteams", "emulator", "slack"])
def test_replies_serialize_as_msrest_would(kb: KnowledgeBase, channel: str) -> None:
    incoming = activity_from_json(
        json.loads((FIXTURES / "teams-personal-message.json").read_text(encoding="utf-8"))
    )
    reference = TurnContext.get_conversation_reference(incoming)
    catalog = Catalog.load()
    for reply in all_replies(kb, catalog):
        activity = render(reply, channel, catalog.for_locale(reply.locale))
        activity = TurnContext.apply_conversation_reference(copy.deepcopy(activity), reference)
        activity.timestamp = datetime(2026, 11, 26, 12, 0, 0, 123456, tzinfo=UTC)
        activity.input_hint = "acceptingInput"
        assert activity_to_json(activity) == activity.serialize()
