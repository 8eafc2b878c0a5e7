"""brink's exceptions. The compiled module raises these (it imports this module)."""

from __future__ import annotations

from typing import Any, Dict, List


class BrinkError(Exception):
    """brink failed on input it should handle: an internal error (the command line's exit 1)."""


class InputError(BrinkError, ValueError):
    """Bad input the user can fix (the command line's exit 2): an unknown model, a malformed
    date or change, a file that cannot be read, shards of another run."""


class ScenarioError(InputError):
    """A scenario (or outcomes) file that does not load.

    ``problems`` lists every problem at once, each a dict with ``file``, ``line``, ``column``
    (1-based), ``field`` (e.g. ``stances[3].salience``; empty for a syntax error), ``message``
    and ``omitted`` (for a "N more like this" line: how many it stands for).
    """

    def __init__(self, message: str, problems: List[Dict[str, Any]]):
        super().__init__(message)
        self.problems = problems

    def __reduce__(self):
        return (type(self), (str(self), self.problems))
