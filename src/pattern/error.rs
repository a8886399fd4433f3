//! Why a pattern was refused: a kind to branch on and the reason worded as AWS words it.

use std::fmt;

/// The class of a [`PatternError`], for callers that react differently to, say, a limit
/// than to a mistake in the pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not JSON. The reason is our JSON reader's message, not AWS's (AWS quotes
    /// its Java JSON library, whose wording we do not reproduce).
    Syntax,
    /// The JSON is not a valid pattern (wrong shape, unknown operator, bad operand).
    Invalid,
    /// The text is longer than [`Limits::max_length`](super::Limits::max_length).
    TooLong,
    /// Arrays and objects nest deeper than [`Limits::max_depth`](super::Limits::max_depth).
    TooDeep,
    /// The `$or`s expand to more alternatives than
    /// [`Limits::max_or_combinations`](super::Limits::max_or_combinations).
    TooManyCombinations,
    /// The wildcards of one field can keep more automaton states alive at once than
    /// [`Limits::max_wildcard_complexity`](super::Limits::max_wildcard_complexity).
    TooComplex,
}

/// An invalid pattern: its [`ErrorKind`] and the reason AWS gives.
///
/// `Display` prints the message of AWS's `InvalidEventPatternException`:
///
/// ```
/// use evpattern::Pattern;
/// use evpattern::pattern::ErrorKind;
///
/// let err = Pattern::parse(r#"{"resources": []}"#).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Invalid);
/// assert_eq!(err.reason(), "Empty arrays are not allowed");
/// assert_eq!(
///     err.to_string(),
///     "Event pattern is not valid. Reason: Empty arrays are not allowed"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    kind: ErrorKind,
    reason: String,
}

impl PatternError {
    /// An error of `kind` with the given reason.
    pub fn new(kind: ErrorKind, reason: impl Into<String>) -> PatternError {
        PatternError {
            kind,
            reason: reason.into(),
        }
    }

    /// An [`ErrorKind::Invalid`] error; most errors are of this kind.
    pub(crate) fn invalid(reason: impl Into<String>) -> PatternError {
        PatternError::new(ErrorKind::Invalid, reason)
    }

    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The reason alone, as AWS words it after `Event pattern is not valid. Reason: `.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Event pattern is not valid. Reason: {}", self.reason)
    }
}

impl std::error::Error for PatternError {}
