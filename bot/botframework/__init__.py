"""Everything that knows botbuilder, msrest and the activity protocol's quirks.

botbuilder-python is archived upstream; moving to another SDK is this package alone.
"""

from __future__ import annotations

from bot.botframework.body import Problem, read_body, read_json_object

__all__ = ["Problem", "read_body", "read_json_object"]
