from collections.abc import Iterable
from typing import Any, Literal, Union

Event = Union[str, bytes, bytearray, dict[Any, Any]]

# Errors are raised as the classes of evpattern._errors.

def test_event_pattern(pattern: str, event: str) -> bool:
    """Whether ``event`` matches ``pattern``, exactly as AWS ``TestEventPattern`` answers.

    Raises InvalidEventPatternException or ValidationException with AWS's message."""

def explain_event_pattern(pattern: str, event: str) -> str:
    """``test_event_pattern``'s checks, then which conditions hold and which fail, as text."""

def compile_rule(expr: str, target: Literal["eventbridge", "local"] = "eventbridge") -> str:
    """A rule in evpattern's filter language, compiled to EventBridge pattern JSON.

    ``"eventbridge"`` (the default) writes SaaSus selectors for events whose
    ``detail.event`` is a JSON string, as EventBridge and this package's Matcher see them;
    ``"local"`` for a matcher that decodes it. Warnings are issued as UserWarning.
    Raises RuleSyntaxError."""

class Matcher:
    """Many named rules compiled into one automaton. Thread-safe: matching never blocks on
    changes, and ``matches_many`` releases the GIL."""

    def __init__(self, *, saasus: bool = False) -> None:
        """``saasus=True`` decodes SaaSus's JSON-in-a-string fields (``detail.event`` and its
        request and response bodies) before matching, as ``evpattern match --saasus`` does,
        so rules compiled with ``target="local"`` can address ``detail.event.uri``. AWS never
        does this."""
    @property
    def saasus(self) -> bool:
        """Whether SaaSus's JSON-in-a-string fields are decoded before matching."""
    def add(self, name: str, pattern: str) -> None:
        """Adds pattern JSON to rule ``name``; a rule added twice matches when either
        pattern does. Raises InvalidEventPatternException."""
    def remove(self, name: str) -> bool:
        """Removes rule ``name``; whether it existed."""
    def matches(self, event: Event) -> list[str]:
        """Names of the rules ``event`` matches, in the order the rules were first added.
        Raises InvalidEventError (or TypeError for a type JSON has no form for)."""
    def matches_many(self, events: Iterable[Event]) -> list[list[str]]:
        """``matches`` for each event, with the GIL released while matching. One snapshot of
        the rules serves the whole batch. A single str, bytes or dict is a TypeError."""
    def explain(self, name: str, event: Event) -> str:
        """Why ``event`` does or does not match rule ``name``. Raises KeyError."""
    def names(self) -> list[str]:
        """The rules' names, in the order they were first added."""
    def __len__(self) -> int: ...
    def __contains__(self, name: str) -> bool: ...
