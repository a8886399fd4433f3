"""The exceptions evpattern raises. Defined in Python so they behave as any Python exception
(picklable, constructible by callers and adapters); the native module raises these classes."""

from __future__ import annotations


class EventPatternError(ValueError):
    """Base of every error evpattern raises: ``code`` names the error as AWS does, ``message``
    is its text (also ``str(error)``)."""

    code: str = "EventPatternError"

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidEventPatternException(EventPatternError):
    """The pattern is not valid; ``message`` is AWS's
    ("Event pattern is not valid. Reason: ...")."""

    code = "InvalidEventPatternException"


class ValidationException(EventPatternError):
    """AWS refused the request before matching: the event is not an EventBridge event
    ("Parameter Event is not valid.") or the pattern is longer than 4096 characters."""

    code = "ValidationException"


class InvalidEventError(EventPatternError):
    """A Matcher cannot read the event: malformed JSON, invalid UTF-8, nesting deeper than 256
    levels, a lone surrogate, or NaN or an infinity in a dict."""

    code = "InvalidEvent"


class RuleSyntaxError(EventPatternError):
    """A filter-language rule does not compile; the message shows line, column and a caret."""

    code = "RuleSyntaxError"
