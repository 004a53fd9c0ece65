"""Activities to and from JSON without walking them through msrest.

botbuilder's models are msrest models: ``Activity().deserialize(data)`` and
``activity.serialize()`` cost about 40 % of a turn's CPU (msrest goes through
several layers of generic dispatch per field). The models' own ``_attribute_map``
says everything needed (JSON key and type of each attribute); these functions
read it once per class and convert directly. Same JSON both ways
(tests/test_wire.py compares with msrest on fixtures and fuzzed activities);
dates still use msrest's own ISO 8601 helpers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Final

import botbuilder.schema as schema
from botbuilder.schema import Activity
from msrest.serialization import Deserializer, Model, Serializer


class WireError(ValueError):
    """JSON that is not a valid activity: names the field."""


@dataclass(frozen=True, slots=True)
class Field:
    attribute: str
    key: str
    kind: str  # "str", "bool", "int", "float", "iso-8601", "object", "model", "list", "dict"
    model: type[Any] | None  # for model, and lists or dicts of models
    item: str  # for list and dict: the kind of an item


BASIC: Final = frozenset({"str", "bool", "int", "float", "iso-8601", "object"})


def _field(attribute: str, description: dict[str, str]) -> Field:
    declared = description["type"]
    kind, inner = "model", declared
    if declared.startswith("[") or declared.startswith("{"):
        kind, inner = ("list" if declared[0] == "[" else "dict"), declared[1:-1]
    elif declared in BASIC:
        kind, inner = declared, ""
    item = "" if kind in BASIC else inner if inner in BASIC else "model"
    model = getattr(schema, inner, None) if "model" in (kind, item) else None
    if "model" in (kind, item) and model is None:
        raise TypeError(f"no botbuilder model {inner!r}")  # a botbuilder upgrade changed them
    return Field(attribute, description["key"], kind, model, item)


# Per botbuilder model class (a few dozen): what its _attribute_map says, read once.
@cache
def fields(model: type[Any]) -> tuple[Field, ...]:
    return tuple(_field(attribute, desc) for attribute, desc in model._attribute_map.items())


@cache
def by_key(model: type[Any]) -> dict[str, Field]:
    return {f.key: f for f in fields(model)}  # type: ignore[arg-type]  # msrest's Model lacks __hash__ for mypy


@cache
def by_attribute(model: type[Any]) -> dict[str, Field]:
    return {f.attribute: f for f in fields(model)}  # type: ignore[arg-type]  # msrest's Model lacks __hash__ for mypy


# ---------------------------------------------------------------- JSON -> model


def _basic_in(kind: str, value: Any, key: str) -> Any:
    if kind == "object":
        return value
    if kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float):  # msrest makes numbers strings too
            return str(value)
    elif kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif kind == "iso-8601" and isinstance(value, str):
        try:
            return Deserializer.deserialize_iso(value)  # type: ignore[no-untyped-call]
        except Exception:  # msrest raises DeserializationError wrapping anything
            raise WireError(f"{key} is not an ISO 8601 date") from None
    raise WireError(f"{key} must be {kind}, not {type(value).__name__}")


def _item_in(field: Field, value: Any, key: str) -> Any:
    if value is None:
        return None
    if field.item == "model":
        assert field.model is not None
        return model_from_json(field.model, value, key)
    return _basic_in(field.item, value, key)


def model_from_json(model: type[Any], data: Any, where: str = "activity") -> Any:
    """An instance of a botbuilder model from its JSON, as msrest would build it."""
    if not isinstance(data, dict):
        raise WireError(f"{where} must be an object, not {type(data).__name__}")
    instance = model()
    declared = by_key(model)  # type: ignore[arg-type]  # msrest's Model lacks __hash__ for mypy
    extra: dict[str, Any] = {}
    # The keys present (a dozen), not every declared attribute (Activity has 40).
    for key, value in data.items():
        field = declared.get(key)
        if field is None:
            # msrest keeps the keys a model does not declare (Entity: mentioned, locale...).
            extra[key] = value
            continue
        if value is None:
            continue
        if field.kind == "model":
            assert field.model is not None
            value = model_from_json(field.model, value, key)
        elif field.kind == "list":
            if not isinstance(value, list):
                raise WireError(f"{key} must be a list, not {type(value).__name__}")
            value = [_item_in(field, item, key) for item in value]
        elif field.kind == "dict":
            if not isinstance(value, dict):
                raise WireError(f"{key} must be an object, not {type(value).__name__}")
            value = {str(k): _item_in(field, item, key) for k, item in value.items()}
        else:
            value = _basic_in(field.kind, value, key)
        setattr(instance, field.attribute, value)
    if extra:
        instance.additional_properties = extra
    return instance


def activity_from_json(data: dict[str, Any]) -> Activity:
    activity: Activity = model_from_json(Activity, data)
    return activity


# ---------------------------------------------------------------- model -> JSON


def _object_out(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return value.value if isinstance(value.value, str) else str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return {str(k): _object_out(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_object_out(v) for v in value]
    if isinstance(value, Model):
        return model_to_json(value)
    return Serializer().serialize_object(value)  # type: ignore[no-untyped-call]


def _basic_out(kind: str, value: Any) -> Any:
    if kind == "str":
        return value.value if isinstance(value, Enum) else str(value)
    if kind == "object":
        # Cards, button data, channel data: already JSON, built by the bot or read
        # from JSON, so they are put in as they are (msrest walked them node by node).
        return value if isinstance(value, dict | list | str) else _object_out(value)
    if kind == "iso-8601":
        return Serializer.serialize_iso(value)  # type: ignore[no-untyped-call]
    if kind == "bool":
        return bool(value)
    return value


def _item_out(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.item == "model":
        return model_to_json(value) if isinstance(value, Model) else _object_out(value)
    return _basic_out(field.item, value)


def model_to_json(instance: Model) -> dict[str, Any]:
    """``instance.serialize()``: the declared attributes that are set, by JSON key."""
    data: dict[str, Any] = {}
    declared = by_attribute(type(instance))  # type: ignore[arg-type]  # msrest's Model lacks __hash__ for mypy
    # The attributes that are set (a dozen), not every declared one.
    for attribute, value in vars(instance).items():
        if value is None:  # most of a model's attributes
            continue
        field = declared.get(attribute)
        if field is None:
            continue
        if field.kind == "model":
            data[field.key] = model_to_json(value) if isinstance(value, Model) else value
        elif field.kind == "list":
            data[field.key] = [_item_out(field, item) for item in value]
        elif field.kind == "dict":
            data[field.key] = {k: _item_out(field, item) for k, item in value.items()}
        else:
            data[field.key] = _basic_out(field.kind, value)
    return data


def activity_to_json(activity: Activity) -> dict[str, Any]:
    return model_to_json(activity)
