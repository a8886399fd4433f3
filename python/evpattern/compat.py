"""Drop-in replacements for the event-pattern matchers of the Python AWS emulators.

- :func:`localstack_matches_event` has the signature and behaviour of LocalStack's
  ``localstack.utils.event_matcher.matches_event(event_pattern, event)``.
- :class:`MotoEventPattern` has the interface of moto's ``moto.events.models.EventPattern``
  (``load``, ``matches_event``, ``get_pattern``, ``dump``).

Switching an emulator's engine is one line, e.g.::

    import localstack.services.events.provider as events, evpattern.compat
    events.matches_event = evpattern.compat.localstack_matches_event

    import moto.events.models, evpattern.compat
    moto.events.models.EventPattern = evpattern.compat.MotoEventPattern

Compiled patterns are cached by their JSON text, so matching many events against the same
rule compiles it once.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

from ._errors import InvalidEventError, InvalidEventPatternException
from ._evpattern import Matcher

__all__ = ["localstack_matches_event", "localstack_validate_event_pattern", "MotoEventPattern"]

_CACHE_SIZE = 1024
_RULE = "rule"

# Pattern text -> a Matcher holding only that pattern, least recently used first.
_compiled: OrderedDict[str, Matcher] = OrderedDict()


def _matcher_for(pattern_text: str) -> Matcher:
    matcher = _compiled.get(pattern_text)
    if matcher is not None:
        _compiled.move_to_end(pattern_text)
        return matcher
    matcher = Matcher()
    matcher.add(_RULE, pattern_text)
    _compiled[pattern_text] = matcher
    if len(_compiled) > _CACHE_SIZE:
        _compiled.popitem(last=False)
    return matcher


def _localstack_error(message: str) -> Exception:
    """LocalStack's own exception class when LocalStack is installed, so its provider turns
    it into the API error as it does for its own engine; evpattern's otherwise."""
    try:
        from localstack.aws.api.events import (
            InvalidEventPatternException as LocalStackInvalidEventPattern,
        )
    except ImportError:
        return InvalidEventPatternException(message)
    return LocalStackInvalidEventPattern(message)


def localstack_matches_event(
    event_pattern: dict[str, Any] | str | None, event: dict[str, Any] | str
) -> bool:
    """LocalStack's ``matches_event``, answered by evpattern.

    Same contract as LocalStack's: the pattern is a JSON string (EventBridge) or a dict
    (ESM, Pipes); an empty or ``None`` pattern matches everything; the event is a JSON
    string or a dict, and a string that is not a JSON object matches nothing. An invalid
    pattern raises ``InvalidEventPatternException`` with AWS's message (LocalStack's class
    when LocalStack is importable).
    """
    if not event_pattern:
        return True
    if isinstance(event_pattern, str):
        pattern_text = event_pattern
    else:
        pattern_text = json.dumps(event_pattern)
    try:
        matcher = _matcher_for(pattern_text)
    except InvalidEventPatternException as error:
        raise _localstack_error(error.message) from None
    if isinstance(event, str):
        stripped = event.lstrip()
        if not stripped.startswith("{"):
            return False
    try:
        return bool(matcher.matches(event))
    except InvalidEventError:
        return False


def localstack_validate_event_pattern(event_pattern: dict[str, Any] | str | None) -> bool:
    """LocalStack's ``validate_event_pattern``: whether the pattern is valid (an empty or
    ``None`` pattern is)."""
    if not event_pattern:
        return True
    pattern_text = event_pattern if isinstance(event_pattern, str) else json.dumps(event_pattern)
    try:
        _matcher_for(pattern_text)
    except InvalidEventPatternException:
        return False
    return True


def _moto_error(message: str) -> Exception:
    """moto's own exception when moto is installed (it renders the API error)."""
    reason = message.removeprefix("Event pattern is not valid. Reason: ")
    try:
        from moto.events.exceptions import (
            InvalidEventPatternException as MotoInvalidEventPattern,
        )
    except ImportError:
        return InvalidEventPatternException(message)
    return MotoInvalidEventPattern(reason=reason)


class MotoEventPattern:
    """moto's ``EventPattern`` (``moto.events.models``), answered by evpattern.

    ``load(raw_pattern)`` validates the pattern as AWS does and raises moto's
    ``InvalidEventPatternException`` (evpattern's when moto is not installed);
    ``matches_event(event)`` takes the event dict moto builds.
    """

    def __init__(self, raw_pattern: str | None, pattern: dict[str, Any]):
        self._raw_pattern = raw_pattern
        self._pattern = pattern
        self._matcher: Matcher | None = None
        if pattern:
            try:
                self._matcher = _matcher_for(raw_pattern or json.dumps(pattern))
            except InvalidEventPatternException as error:
                raise _moto_error(error.message) from None

    @classmethod
    def load(cls, raw_pattern: str | None) -> MotoEventPattern:
        if not raw_pattern:
            return cls(raw_pattern, {})
        try:
            pattern = json.loads(raw_pattern)
        except json.JSONDecodeError:
            raise _moto_error("Event pattern is not valid. Reason: Invalid JSON") from None
        if not isinstance(pattern, dict):
            raise _moto_error("Event pattern is not valid. Reason: Filter is not an object")
        return cls(raw_pattern, pattern)

    def get_pattern(self) -> dict[str, Any]:
        return self._pattern

    def matches_event(self, event: dict[str, Any]) -> bool:
        if self._matcher is None:
            return True
        try:
            return bool(self._matcher.matches(event))
        except InvalidEventError:
            return False

    def dump(self) -> str | None:
        return self._raw_pattern
