"""Reading the knowledge base's YAML data files.

YAML 1.1 (PyYAML) reads yes/no/on/off as booleans, which turns the French stop
word "on" or the Spanish "no" into True. Data files here get a loader for
which only ``true`` and ``false`` are booleans.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from knowledge.errors import KnowledgeError

# libyaml's parser when PyYAML has it (several times faster), same resolvers.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DataLoader(_Base):  # type: ignore[valid-type,misc]
    pass


_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


def load_yaml(path: Path) -> Any:
    """The file's data; a KnowledgeError naming the file when it cannot be read."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_DataLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(path, f"cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise KnowledgeError(
            path, "invalid YAML" + (f" at line {mark.line + 1}" if mark else "")
        ) from None
