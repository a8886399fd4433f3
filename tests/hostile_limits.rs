//! Every limit is enforced, has a documented default (AWS's where AWS has one), can be set,
//! and is reported with its own error.
//!
//! Pattern limits live in `evpattern::pattern::Limits` (length, nesting depth, `$or`
//! combinations, wildcard complexity); the event limit in the matcher (nesting depth).

use std::collections::HashSet;

use evpattern::matcher::{EventErrorKind, DEFAULT_MAX_DEPTH};
use evpattern::pattern::{ErrorKind, Limits, AWS_MAX_PATTERN_LENGTH};
use evpattern::{test_event_pattern, Matcher, Pattern};

/// `{"a":["xxx…"]}` exactly `len` UTF-16 code units long, padded with `fill` (one or two
/// code units each).
fn pattern_of_length(len: usize, fill: char) -> String {
    let overhead = r#"{"a":[""]}"#.len();
    let units = fill.len_utf16();
    assert_eq!((len - overhead) % units, 0);
    format!(
        r#"{{"a":["{}"]}}"#,
        fill.to_string().repeat((len - overhead) / units)
    )
}

#[test]
fn defaults_are_documented_values() {
    let defaults = Limits::default();
    assert_eq!(defaults.max_length(), None);
    assert_eq!(defaults.max_depth(), 256);
    assert_eq!(defaults.max_or_combinations(), 1000);
    assert_eq!(defaults.max_wildcard_complexity(), 10);
    assert_eq!(AWS_MAX_PATTERN_LENGTH, 4096);
    assert_eq!(
        Limits::aws(),
        Limits::default().with_max_length(Some(AWS_MAX_PATTERN_LENGTH))
    );
    let m: Matcher<u8> = Matcher::new();
    assert_eq!(m.max_depth(), DEFAULT_MAX_DEPTH);
    assert_eq!(DEFAULT_MAX_DEPTH, 256);
}

#[test]
fn pattern_length_is_counted_in_utf16_units_and_capped_only_when_asked() {
    let aws = Limits::aws();
    for fill in ['x', 'é', '😀'] {
        let at_limit = pattern_of_length(4096, fill);
        assert!(Pattern::parse_with(&at_limit, &aws).is_ok(), "{fill}");
        let over = pattern_of_length(4096 + fill.len_utf16(), fill);
        let err = Pattern::parse_with(&over, &aws).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLong, "{fill}");
        assert_eq!(err.reason(), "Event pattern is longer than 4096 characters");
        // The default has no cap.
        assert!(Pattern::parse(&over).is_ok());
    }
    let twelve = Limits::default().with_max_length(Some(12));
    assert!(Pattern::parse_with(r#"{"a":["xy"]}"#, &twelve).is_ok());
    assert_eq!(
        Pattern::parse_with(r#"{"a":["xyz"]}"#, &twelve)
            .unwrap_err()
            .kind(),
        ErrorKind::TooLong
    );
    // A multi-megabyte text is refused without reading it as JSON.
    let huge = "{".repeat(10 << 20);
    assert_eq!(
        Pattern::parse_with(&huge, &aws).unwrap_err().kind(),
        ErrorKind::TooLong
    );
}

#[test]
fn test_event_pattern_refuses_long_patterns_as_aws_does() {
    let event = r#"{"id": "1", "account": "1", "source": "s", "time": "t", "region": "r",
        "detail-type": "d", "a": "x"}"#;
    let at_limit = pattern_of_length(4096, 'x');
    assert_eq!(test_event_pattern(event, &at_limit), Ok(false));
    let too_long = pattern_of_length(4097, 'x');
    let err = test_event_pattern(event, &too_long).unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    assert_eq!(
        err.message(),
        format!(
            "1 validation error detected: Value '{too_long}' at 'eventPattern' failed to \
             satisfy constraint: Member must have length less than or equal to 4096"
        )
    );
}

#[test]
fn pattern_depth_is_enforced_and_configurable() {
    let text = r#"{"a": {"b": {"c": ["x"]}}}"#; // four levels
    assert!(Pattern::parse_with(text, &Limits::default().with_max_depth(4)).is_ok());
    let err = Pattern::parse_with(text, &Limits::default().with_max_depth(3)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooDeep);
    assert_eq!(err.reason(), "Event pattern nests deeper than 3 levels");
    // Operator objects and their arrays count too.
    let operators = r#"{"a": [{"numeric": [">", 1]}]}"#; // object, array, object, array
    assert!(Pattern::parse_with(operators, &Limits::default().with_max_depth(4)).is_ok());
    assert_eq!(
        Pattern::parse_with(operators, &Limits::default().with_max_depth(3))
            .unwrap_err()
            .kind(),
        ErrorKind::TooDeep
    );
}

#[test]
fn or_combinations_are_enforced_and_configurable() {
    // 3 x 3 = 9 alternatives.
    let text = r#"{"a": {"$or": [{"x": [1]}, {"y": [1]}, {"z": [1]}]},
                   "b": {"$or": [{"x": [1]}, {"y": [1]}, {"z": [1]}]}}"#;
    assert!(Pattern::parse(text).is_ok());
    assert!(Pattern::parse_with(text, &Limits::default().with_max_or_combinations(9)).is_ok());
    let err =
        Pattern::parse_with(text, &Limits::default().with_max_or_combinations(8)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyCombinations);
    assert_eq!(
        err.reason(),
        "Rule is too complex - the $or expressions expand to more than 8 combinations"
    );
}

#[test]
fn wildcard_complexity_is_enforced_and_configurable() {
    // AWS refuses this one; its complexity is 11.
    let text = r#"{"a": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}"#;
    assert_eq!(
        Pattern::parse(text).unwrap_err().kind(),
        ErrorKind::TooComplex
    );
    let loose = Limits::default().with_max_wildcard_complexity(11);
    assert!(Pattern::parse_with(text, &loose).is_ok());
    // AWS accepts this one (recorded); a tighter limit refuses it.
    let accepted = r#"{"a": [{"wildcard": "/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}"#;
    assert!(Pattern::parse(accepted).is_ok());
    let tight = Limits::default().with_max_wildcard_complexity(1);
    assert_eq!(
        Pattern::parse_with(accepted, &tight).unwrap_err().kind(),
        ErrorKind::TooComplex
    );
}

#[test]
fn event_depth_is_enforced_and_configurable() {
    let mut m = Matcher::new();
    m.add_rule("r", r#"{"a": [1]}"#).unwrap();
    let event = br#"{"a": [[[1]]]}"#; // four levels
    m.set_max_depth(4);
    assert_eq!(m.max_depth(), 4);
    assert_eq!(m.matches(event).unwrap(), vec!["r"]);
    m.set_max_depth(3);
    let err = m.matches(event).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooDeep(3));
    assert_eq!(err.offset(), 8);
    assert_eq!(err.to_string(), "nesting deeper than 3 levels at byte 8");
    // Skipped parts count as much as used ones.
    assert!(m.matches(br#"{"a": 1, "z": [[[0]]]}"#).is_err());
    // Zero: not even the root object.
    m.set_max_depth(0);
    assert_eq!(
        m.matches(br#"{}"#).unwrap_err().kind(),
        &EventErrorKind::TooDeep(0)
    );
}

#[test]
fn each_limit_has_its_own_error_kind() {
    let tight = Limits::default()
        .with_max_length(Some(200))
        .with_max_depth(4)
        .with_max_or_combinations(2);
    let cases = [
        (
            format!(r#"{{"a": ["{}"]}}"#, "x".repeat(200)),
            ErrorKind::TooLong,
        ),
        (
            r#"{"a": {"b": {"c": {"d": ["x"]}}}}"#.to_owned(),
            ErrorKind::TooDeep,
        ),
        (
            r#"{"$or": [{"a": ["x"]}, {"b": ["x"]}, {"c": ["x"]}]}"#.to_owned(),
            ErrorKind::TooManyCombinations,
        ),
        (
            r#"{"a": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}"#.to_owned(),
            ErrorKind::TooComplex,
        ),
    ];
    let mut kinds = HashSet::new();
    for (text, kind) in &cases {
        let err = Pattern::parse_with(text, &tight).unwrap_err();
        assert_eq!(err.kind(), *kind, "{text}");
        assert!(err
            .to_string()
            .starts_with("Event pattern is not valid. Reason: "));
        kinds.insert(err.kind());
    }
    assert_eq!(kinds.len(), cases.len());
}
