"""Amazon EventBridge event patterns, AWS-exact and fast.

The engine is the Rust library ``evpattern``: every pattern parsed and validated as AWS does
(same errors, same messages), many rules compiled into one automaton that reads each event
once. ``evpattern.compat`` holds drop-in replacements for LocalStack's and moto's matchers.
"""

from ._errors import (
    EventPatternError,
    InvalidEventError,
    InvalidEventPatternException,
    RuleSyntaxError,
    ValidationException,
)
from ._evpattern import Matcher, compile_rule, explain_event_pattern, test_event_pattern

__all__ = [
    "EventPatternError",
    "InvalidEventError",
    "InvalidEventPatternException",
    "Matcher",
    "RuleSyntaxError",
    "ValidationException",
    "compile_rule",
    "explain_event_pattern",
    "test_event_pattern",
]
