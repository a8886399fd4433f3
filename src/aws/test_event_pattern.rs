//! The `TestEventPattern` API: its checks, errors and verdict (described on [`crate::aws`]).

use std::fmt;

use crate::embedded::EmbeddedJson;
use crate::explain::{explain_with, Explanation};
use crate::json::JsonNode;
use crate::pattern::{ErrorKind, Limits, Pattern, PatternError, AWS_MAX_PATTERN_LENGTH};
use crate::reference;
use crate::DEFAULT_MAX_DEPTH;

/// The error code of an invalid pattern.
pub const INVALID_EVENT_PATTERN: &str = "InvalidEventPatternException";
/// The error code of a request AWS's API refuses before looking at the pattern's meaning.
pub const VALIDATION: &str = "ValidationException";

/// The fields AWS requires in a `TestEventPattern` event.
pub const MANDATORY_EVENT_FIELDS: [&str; 6] =
    ["id", "account", "source", "time", "region", "detail-type"];

/// Why `TestEventPattern` refused a request: an AWS error code and message.
///
/// ```
/// use evpattern::test_event_pattern;
///
/// let err = test_event_pattern("[]", r#"{"a": ["b"]}"#).unwrap_err();
/// assert_eq!(err.code(), "ValidationException");
/// assert_eq!(err.message(), "Parameter Event is not valid.");
/// assert_eq!(err.to_string(), "ValidationException: Parameter Event is not valid.");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestError {
    code: &'static str,
    message: String,
    pattern_error: Option<PatternError>,
}

impl TestError {
    fn invalid_event() -> TestError {
        TestError {
            code: VALIDATION,
            message: "Parameter Event is not valid.".to_owned(),
            pattern_error: None,
        }
    }

    fn pattern_too_long(pattern: &str) -> TestError {
        TestError {
            code: VALIDATION,
            message: format!(
                "1 validation error detected: Value '{pattern}' at 'eventPattern' failed to \
                 satisfy constraint: Member must have length less than or equal to \
                 {AWS_MAX_PATTERN_LENGTH}"
            ),
            pattern_error: None,
        }
    }

    fn invalid_pattern(error: PatternError) -> TestError {
        TestError {
            code: INVALID_EVENT_PATTERN,
            message: error.to_string(),
            pattern_error: Some(error),
        }
    }

    /// The AWS error code: [`INVALID_EVENT_PATTERN`] or [`VALIDATION`].
    pub fn code(&self) -> &str {
        self.code
    }

    /// The AWS error message, e.g. `Event pattern is not valid. Reason: Empty arrays are not
    /// allowed`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The pattern's error, when the pattern was the problem.
    pub fn pattern_error(&self) -> Option<&PatternError> {
        self.pattern_error.as_ref()
    }
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for TestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.pattern_error
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Whether `event` matches `pattern`, with AWS `TestEventPattern`'s checks and errors.
///
/// ```
/// use evpattern::test_event_pattern;
///
/// let event = r#"{"id": "1", "account": "123456789012", "source": "order",
///     "time": "2022-07-13T13:48:01Z", "region": "us-east-2", "detail-type": "Test",
///     "detail": {"state": "running"}}"#;
/// assert_eq!(test_event_pattern(event, r#"{"detail": {"state": ["running"]}}"#), Ok(true));
/// assert_eq!(test_event_pattern(event, r#"{"source": ["shipment"]}"#), Ok(false));
///
/// let err = test_event_pattern(event, r#"{"source": []}"#).unwrap_err();
/// assert_eq!(err.code(), "InvalidEventPatternException");
/// assert_eq!(err.message(), "Event pattern is not valid. Reason: Empty arrays are not allowed");
/// ```
pub fn test_event_pattern(event: &str, pattern: &str) -> Result<bool, TestError> {
    test_event_pattern_with(event, pattern, &EmbeddedJson::none())
}

/// [`test_event_pattern`] that first decodes the string fields `decode` lists as JSON: this
/// project's extension for events such as SaaSus's, whose payload is a JSON-encoded string
/// (see [`crate::embedded`]). With [`EmbeddedJson::none`] it is exactly AWS's behaviour.
///
/// ```
/// use evpattern::aws::test_event_pattern_with;
/// use evpattern::embedded::EmbeddedJson;
///
/// let event = r#"{"id": "1", "account": "1", "source": "s", "time": "t", "region": "r",
///     "detail-type": "api_call", "detail": {"event": "{\"uri\": \"/v1/auth/tenants\"}"}}"#;
/// let pattern = r#"{"detail": {"event": {"uri": ["/v1/auth/tenants"]}}}"#;
/// assert_eq!(test_event_pattern_with(event, pattern, &EmbeddedJson::none()), Ok(false));
/// assert_eq!(test_event_pattern_with(event, pattern, &evpattern::saasus::embedded_json()), Ok(true));
/// ```
pub fn test_event_pattern_with(
    event: &str,
    pattern: &str,
    decode: &EmbeddedJson,
) -> Result<bool, TestError> {
    let (pattern, event) = checked_inputs(event, pattern)?;
    Ok(reference::matches_with(&pattern, &event, decode))
}

/// [`test_event_pattern`] with the reasons: the same checks and errors, then an
/// [`Explanation`] of which conditions the event satisfies and which it does not.
///
/// ```
/// use evpattern::aws::explain_event_pattern;
///
/// let event = r#"{"id": "1", "account": "123456789012", "source": "order",
///     "time": "2022-07-13T13:48:01Z", "region": "us-east-2", "detail-type": "Test"}"#;
/// let why = explain_event_pattern(event, r#"{"source": ["shipment"]}"#).unwrap();
/// assert!(!why.matched());
/// assert_eq!(why.to_string(), "no match:\n  source: \"order\" does not satisfy [\"shipment\"]\n");
/// ```
pub fn explain_event_pattern(event: &str, pattern: &str) -> Result<Explanation, TestError> {
    explain_event_pattern_with(event, pattern, &EmbeddedJson::none())
}

/// [`explain_event_pattern`] after decoding the string fields `decode` lists, as
/// [`test_event_pattern_with`] does.
pub fn explain_event_pattern_with(
    event: &str,
    pattern: &str,
    decode: &EmbeddedJson,
) -> Result<Explanation, TestError> {
    let (pattern, event) = checked_inputs(event, pattern)?;
    Ok(explain_with(&pattern, &event, decode))
}

/// The pattern and event after every check `TestEventPattern` makes, in AWS's order.
fn checked_inputs(event: &str, pattern: &str) -> Result<(Pattern, JsonNode), TestError> {
    if pattern
        .encode_utf16()
        .take(AWS_MAX_PATTERN_LENGTH + 1)
        .count()
        > AWS_MAX_PATTERN_LENGTH
    {
        return Err(TestError::pattern_too_long(pattern));
    }
    let event =
        JsonNode::parse(event, DEFAULT_MAX_DEPTH).map_err(|_| TestError::invalid_event())?;
    let JsonNode::Object(members) = &event else {
        return Err(TestError::invalid_event());
    };
    let has = |field: &str| members.iter().any(|(key, _)| key == field);
    if !MANDATORY_EVENT_FIELDS.iter().all(|field| has(field)) {
        return Err(TestError::invalid_event());
    }
    let pattern = Pattern::parse_with(pattern, &Limits::aws()).map_err(|e| {
        debug_assert_ne!(e.kind(), ErrorKind::TooLong, "length is checked above");
        TestError::invalid_pattern(e)
    })?;
    Ok((pattern, event))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = r#"{"id": "1", "account": "1", "source": "s", "time": "t",
        "region": "r", "detail-type": "d", "detail": {"n": 5}}"#;

    #[test]
    fn verdicts() {
        assert_eq!(
            test_event_pattern(EVENT, r#"{"detail": {"n": [5]}}"#),
            Ok(true)
        );
        assert_eq!(
            test_event_pattern(EVENT, r#"{"detail": {"n": [6]}}"#),
            Ok(false)
        );
    }

    #[test]
    fn event_must_be_an_object_with_the_mandatory_fields() {
        let refused = |event: &str| {
            let err = test_event_pattern(event, r#"{"a": ["b"]}"#).unwrap_err();
            assert_eq!(
                (err.code(), err.message(), err.pattern_error()),
                (VALIDATION, "Parameter Event is not valid.", None),
                "{event}"
            );
        };
        refused("plain string");
        refused(r#"["plain string"]"#);
        refused(r#"{"testEvent": "value"}"#);
        refused("");
        refused("null");
        for missing in MANDATORY_EVENT_FIELDS {
            let fields: Vec<String> = MANDATORY_EVENT_FIELDS
                .iter()
                .filter(|f| **f != missing)
                .map(|f| format!(r#""{f}": "x""#))
                .collect();
            refused(&format!("{{{}}}", fields.join(",")));
        }
        // Any JSON type will do, and `resources` is not required.
        let fields: Vec<String> = MANDATORY_EVENT_FIELDS
            .iter()
            .map(|f| format!(r#""{f}": [null]"#))
            .collect();
        let event = format!("{{{}}}", fields.join(","));
        assert_eq!(test_event_pattern(&event, r#"{"id": [null]}"#), Ok(true));
    }

    #[test]
    fn pattern_errors() {
        let err = test_event_pattern(EVENT, r#"{"a": "b"}"#).unwrap_err();
        assert_eq!(err.code(), INVALID_EVENT_PATTERN);
        assert_eq!(
            err.message(),
            r#"Event pattern is not valid. Reason: "a" must be an object or an array"#
        );
        assert_eq!(
            err.to_string(),
            r#"InvalidEventPatternException: Event pattern is not valid. Reason: "a" must be an object or an array"#
        );
        assert_eq!(
            err.pattern_error().map(PatternError::reason),
            Some(r#""a" must be an object or an array"#)
        );
        assert!(std::error::Error::source(&err).is_some());
        let err = test_event_pattern(EVENT, "{'a': 1}").unwrap_err();
        assert_eq!(err.code(), INVALID_EVENT_PATTERN);
        assert_eq!(
            err.pattern_error().map(PatternError::kind),
            Some(ErrorKind::Syntax)
        );
    }

    #[test]
    fn pattern_length_is_an_api_constraint() {
        let at_limit = format!(
            r#"{{"a": ["{}"]}}"#,
            "x".repeat(AWS_MAX_PATTERN_LENGTH - 11)
        );
        assert_eq!(test_event_pattern(EVENT, &at_limit), Ok(false));
        let over = format!(
            r#"{{"a": ["{}"]}}"#,
            "x".repeat(AWS_MAX_PATTERN_LENGTH - 10)
        );
        let err = test_event_pattern(EVENT, &over).unwrap_err();
        assert_eq!(err.code(), VALIDATION);
        assert!(err
            .message()
            .starts_with("1 validation error detected: Value '{"));
        assert!(err
            .message()
            .ends_with("' at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to 4096"));
        // Checked before the event.
        assert_eq!(
            test_event_pattern("[]", &over).unwrap_err().message(),
            err.message()
        );
    }

    #[test]
    fn event_is_checked_before_the_pattern() {
        let err = test_event_pattern("[]", r#"{"a": []}"#).unwrap_err();
        assert_eq!(err.code(), VALIDATION);
    }
}
