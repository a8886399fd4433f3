//! Hostile nesting: a million levels of arrays and objects in events and in patterns must be
//! refused with a clear error, without overflowing the stack, in bounded time and memory;
//! nesting just inside the limits must still work.
//!
//! The tree reader `JsonNode::parse` (pattern parser, reference matcher, `TestEventPattern`)
//! once cost its depth limit times the text length and recursed too deeply in debug builds;
//! those cases stay as regressions in `tests/fuzz_regressions.rs`.

mod support;

use evpattern::json::{JsonError, JsonNode};
use evpattern::matcher::{EventErrorKind, DEFAULT_MAX_DEPTH};
use evpattern::pattern::{ErrorKind, Limits};
use evpattern::reference;
use evpattern::{test_event_pattern, Matcher, Pattern};

const MILLION: usize = 1_000_000;

/// `{"a": [[[ ... [1] ... ]]]}` with `depth` levels in total (the root object counts).
fn nested_arrays_event(depth: usize) -> String {
    let inner = depth - 1;
    let mut text = String::with_capacity(2 * inner + 16);
    text.push_str(r#"{"a": "#);
    text.push_str(&"[".repeat(inner));
    text.push('1');
    text.push_str(&"]".repeat(inner));
    text.push('}');
    text
}

/// `{"a": {"a": ... {"a": 1} ... }}` with `depth` objects.
fn nested_objects_event(depth: usize) -> String {
    let mut text = String::with_capacity(6 * depth + 8);
    for _ in 0..depth - 1 {
        text.push_str(r#"{"a":"#);
    }
    text.push_str(r#"{"a":1"#);
    text.push_str(&"}".repeat(depth));
    text
}

fn matcher_with_a_rule() -> Matcher<&'static str> {
    let mut m = Matcher::new();
    m.add_rule("r", r#"{"a": [1]}"#).unwrap();
    m.add_rule("deep", r#"{"a": {"a": {"a": [1]}}}"#).unwrap();
    m
}

#[test]
fn a_million_nested_arrays_in_an_event_is_refused_by_the_matcher() {
    let event = nested_arrays_event(MILLION);
    let m = matcher_with_a_rule();
    let err = m.matches(event.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooDeep(DEFAULT_MAX_DEPTH));
    // The root object is level 1, so the array that would be level 257 is refused.
    assert_eq!(err.offset(), 6 + DEFAULT_MAX_DEPTH - 1);
}

#[test]
fn a_million_nested_objects_in_an_event_is_refused_by_the_matcher() {
    let event = nested_objects_event(MILLION);
    let m = matcher_with_a_rule();
    let err = m.matches(event.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooDeep(DEFAULT_MAX_DEPTH));
    assert_eq!(err.offset(), 5 * DEFAULT_MAX_DEPTH);
}

/// The tree reader refuses a deep event too; kept small (see the module comment).
#[test]
fn the_tree_reader_and_test_event_pattern_refuse_too_deep_events() {
    let event = nested_objects_event(2_000);
    assert_eq!(
        JsonNode::parse(&event, DEFAULT_MAX_DEPTH),
        Err(JsonError::TooDeep(DEFAULT_MAX_DEPTH))
    );
    let err = test_event_pattern(&event, r#"{"a": [1]}"#).unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    assert_eq!(err.message(), "Parameter Event is not valid.");
}

#[test]
fn unclosed_million_level_event_is_refused() {
    let event = "[".repeat(MILLION);
    let m = matcher_with_a_rule();
    assert!(m.matches(event.as_bytes()).is_err());
    assert!(JsonNode::parse(&event, DEFAULT_MAX_DEPTH).is_err());
}

#[test]
fn events_at_the_depth_limit_match_and_one_deeper_are_refused() {
    let m = matcher_with_a_rule();
    let at_limit = nested_arrays_event(DEFAULT_MAX_DEPTH);
    assert_eq!(m.matches(at_limit.as_bytes()).unwrap(), vec!["r"]);
    let pattern = Pattern::parse(r#"{"a": [1]}"#).unwrap();
    assert_eq!(reference::matches_text(&pattern, &at_limit), Ok(true));

    let too_deep = nested_arrays_event(DEFAULT_MAX_DEPTH + 1);
    assert_eq!(
        m.matches(too_deep.as_bytes()).unwrap_err().kind(),
        &EventErrorKind::TooDeep(DEFAULT_MAX_DEPTH)
    );
    assert!(reference::matches_text(&pattern, &too_deep).is_err());
}

#[test]
fn a_deep_event_within_a_raised_limit_matches() {
    let mut m = matcher_with_a_rule();
    m.set_max_depth(100_000);
    let event = nested_arrays_event(50_000);
    assert_eq!(m.matches(event.as_bytes()).unwrap(), vec!["r"]);
    let event = nested_objects_event(50_000);
    assert_eq!(m.matches(event.as_bytes()).unwrap(), Vec::<&str>::new());
    let event = nested_objects_event(3);
    assert_eq!(m.matches(event.as_bytes()).unwrap(), vec!["deep"]);
}

#[test]
fn an_unclosed_million_level_pattern_is_refused() {
    // Too deep and not JSON: either reason is a clear refusal; which comes first is the
    // parser's choice.
    for text in [
        r#"{"a":"#.repeat(MILLION),
        format!(r#"{{"a": {}"#, "[".repeat(MILLION)),
    ] {
        let kind = Pattern::parse(&text).unwrap_err().kind();
        assert!(
            matches!(kind, ErrorKind::TooDeep | ErrorKind::Syntax),
            "{kind:?}"
        );
    }
    // Unclosed but shallow: a syntax error.
    let shallow = format!(r#"{{"a": [{}"#, r#""x", "#.repeat(MILLION));
    assert_eq!(
        Pattern::parse(&shallow).unwrap_err().kind(),
        ErrorKind::Syntax
    );
}

#[test]
fn a_million_level_pattern_is_refused_by_the_aws_length_cap_before_reading_it() {
    let err = Pattern::parse_with(&support::nested_pattern(MILLION), &Limits::aws()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooLong);
}

#[test]
fn patterns_at_a_configured_depth_limit_parse_and_one_deeper_are_refused() {
    let limits = Limits::default().with_max_depth(100);
    let at_limit = Pattern::parse_with(&support::nested_pattern(100), &limits).unwrap();
    assert_eq!(
        at_limit.root().conditions()[0].path(),
        vec!["a"; 99].join(".")
    );
    let err = Pattern::parse_with(&support::nested_pattern(101), &limits).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooDeep);
    assert_eq!(err.reason(), "Event pattern nests deeper than 100 levels");
    // Deeper text than the limit, by far, is refused the same way.
    let err = Pattern::parse_with(&support::nested_pattern(5_000), &limits).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooDeep);
}
