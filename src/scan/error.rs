//! Why an event could not be matched, with the byte offset where the scanner found it.

use std::fmt;

/// Why an event could not be matched: it is not valid JSON, or exceeds a limit (nesting depth,
/// size).
///
/// ```
/// use evpattern::Matcher;
///
/// let mut m: Matcher<&str> = Matcher::new();
/// m.add_pattern("r", evpattern::Pattern::from_clause(Default::default()));
/// let err = m.matches(br#"{"a": [1, 2,]}"#).unwrap_err();
/// assert_eq!(err.offset(), 12);
/// assert_eq!(err.to_string(), "expected a value at byte 12");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventError {
    offset: usize,
    pub(super) kind: EventErrorKind,
}

/// What is wrong with an event; see [`EventError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventErrorKind {
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// The input ends inside a value.
    UnexpectedEnd,
    /// A value was expected (string, number, object, array, `true`, `false`, `null`).
    ExpectedValue,
    /// An object key (a string) was expected.
    ExpectedKey,
    /// A `:` was expected after an object key.
    ExpectedColon,
    /// A `,` or `}` was expected inside an object.
    ExpectedCommaOrObjectEnd,
    /// A `,` or `]` was expected inside an array.
    ExpectedCommaOrArrayEnd,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacterInString,
    /// A backslash escape JSON does not define, or a malformed `\u` escape.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate that is not part of a valid pair.
    LoneSurrogate,
    /// Number text that is not JSON number grammar.
    InvalidNumber,
    /// Something other than whitespace after the event.
    TrailingCharacters,
    /// Arrays and objects nested deeper than the limit (the value), see
    /// [`crate::Matcher::set_max_depth`]. The offset is the bracket that goes too deep.
    TooDeep(usize),
    /// The event is longer than the limit (the value, in bytes), see
    /// [`crate::Matcher::set_max_event_size`]. The offset is the limit: the first byte
    /// beyond it. Nothing of the event is read.
    TooLarge(usize),
}

impl EventError {
    pub(crate) fn new(offset: usize, kind: EventErrorKind) -> EventError {
        EventError { offset, kind }
    }

    /// The byte offset in the event where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong.
    pub fn kind(&self) -> &EventErrorKind {
        &self.kind
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.kind {
            EventErrorKind::InvalidUtf8 => "invalid UTF-8",
            EventErrorKind::UnexpectedEnd => "unexpected end of input",
            EventErrorKind::ExpectedValue => "expected a value",
            EventErrorKind::ExpectedKey => "expected an object key (a string)",
            EventErrorKind::ExpectedColon => "expected ':' after an object key",
            EventErrorKind::ExpectedCommaOrObjectEnd => "expected ',' or '}'",
            EventErrorKind::ExpectedCommaOrArrayEnd => "expected ',' or ']'",
            EventErrorKind::ControlCharacterInString => "control character in a string",
            EventErrorKind::InvalidEscape => "invalid escape in a string",
            EventErrorKind::LoneSurrogate => "unpaired UTF-16 surrogate escape in a string",
            EventErrorKind::InvalidNumber => "invalid number",
            EventErrorKind::TrailingCharacters => "trailing characters after the event",
            EventErrorKind::TooLarge(limit) => {
                return write!(
                    f,
                    "event longer than {limit} bytes (it has more at byte {})",
                    self.offset
                )
            }
            EventErrorKind::TooDeep(limit) => {
                return write!(
                    f,
                    "nesting deeper than {limit} levels at byte {}",
                    self.offset
                )
            }
        };
        write!(f, "{what} at byte {}", self.offset)
    }
}

impl std::error::Error for EventError {}
