//! The Matcher's API contract: keys, several patterns per key, removal and rebuilding, bad
//! events, limits (depth, size), and matching cost that does not follow the number of rules.

use std::time::{Duration, Instant};

use evpattern::embedded::EmbeddedJson;
use evpattern::matcher::{EventErrorKind, MatchScratch, DEFAULT_MAX_DEPTH, DEFAULT_MAX_EVENT_SIZE};
use evpattern::Matcher;

#[test]
fn each_matching_key_is_reported_once() {
    let mut m = Matcher::new();
    // Two patterns for one key, and a `$or` whose both alternatives match.
    m.add_rule("k", r#"{"a": ["x"]}"#).unwrap();
    m.add_rule("k", r#"{"b": [{"prefix": ""}]}"#).unwrap();
    m.add_rule("or", r#"{"$or": [{"a": ["x"]}, {"b": ["y"]}]}"#)
        .unwrap();
    assert_eq!(
        m.matches(br#"{"a": ["x", "x"], "b": "y"}"#).unwrap(),
        vec!["k", "or"]
    );
    assert_eq!(m.len(), 2);
}

#[test]
fn a_key_added_again_is_the_or_of_its_patterns_until_removed() {
    let mut m = Matcher::new();
    m.add_rule(7, r#"{"a": ["x"]}"#).unwrap();
    m.add_rule(7, r#"{"a": ["y"]}"#).unwrap();
    assert_eq!(m.matches(br#"{"a": "y"}"#).unwrap(), vec![7]);
    assert!(m.remove_rule(&7));
    assert!(m.is_empty());
    assert!(m.matches(br#"{"a": "x"}"#).unwrap().is_empty());
    m.add_rule(7, r#"{"a": ["z"]}"#).unwrap();
    assert!(m.matches(br#"{"a": "y"}"#).unwrap().is_empty());
    assert_eq!(m.matches(br#"{"a": "z"}"#).unwrap(), vec![7]);
}

#[test]
fn removing_most_rules_rebuilds_a_smaller_automaton_that_still_matches() {
    let mut m = Matcher::new();
    for i in 0..300 {
        m.add_rule(
            i,
            &format!(r#"{{"n": [{i}], "s": [{{"prefix": "p{i}"}}]}}"#),
        )
        .unwrap();
    }
    let before = m.stats();
    for i in 0..250 {
        assert!(m.remove_rule(&i));
    }
    let after = m.stats();
    assert!(
        after.alternatives < before.alternatives,
        "{before:?} {after:?}"
    );
    assert!(after.states < before.states);
    assert_eq!(m.len(), 50);
    assert_eq!(
        m.matches(br#"{"n": 260, "s": "p260x"}"#).unwrap(),
        vec![260]
    );
    assert!(m.matches(br#"{"n": 10, "s": "p10"}"#).unwrap().is_empty());
    assert_eq!(m.keys().count(), 50);
}

#[test]
fn matches_value_reads_a_serde_json_value() {
    let mut m = Matcher::new();
    m.add_rule("r", r#"{"detail": {"n": [{"numeric": [">=", 2]}]}}"#)
        .unwrap();
    let yes = serde_json::json!({"detail": {"n": [1, 2.5]}});
    let no = serde_json::json!({"detail": {"n": 1}});
    assert_eq!(m.matches_value(&yes).unwrap(), vec!["r"]);
    assert!(m.matches_value(&no).unwrap().is_empty());
}

#[test]
fn malformed_events_are_errors_wherever_the_fault_is() {
    let mut m = Matcher::new();
    m.add_rule("r", r#"{"a": ["x"]}"#).unwrap();
    let cases: &[(&[u8], usize, EventErrorKind)] = &[
        (
            br#"{"a": "x", "skip": {"deep": [1, 2,]}}"#,
            34,
            EventErrorKind::ExpectedValue,
        ),
        (
            br#"{"a": "x", "skip": "bad \u12"}"#,
            28,
            EventErrorKind::InvalidEscape,
        ),
        (
            br#"{"a": "x", "skip": 01}"#,
            20,
            EventErrorKind::ExpectedCommaOrObjectEnd,
        ),
        (br#"{"a": "x"} {}"#, 11, EventErrorKind::TrailingCharacters),
        (br#"{"a": "x""#, 9, EventErrorKind::UnexpectedEnd),
        (
            b"{\"a\": \"x\", \"s\": \"\xc3\x28\"}",
            17,
            EventErrorKind::InvalidUtf8,
        ),
        (
            b"{\"a\": \"x\", \"s\": \"\x01\"}",
            17,
            EventErrorKind::ControlCharacterInString,
        ),
        (
            br#"{"a": "x", "s": "\udc00"}"#,
            17,
            EventErrorKind::LoneSurrogate,
        ),
    ];
    for (event, offset, kind) in cases {
        let err = m.matches(event).unwrap_err();
        assert_eq!(
            (err.offset(), err.kind()),
            (*offset, kind),
            "{}",
            String::from_utf8_lossy(event)
        );
    }
}

#[test]
fn events_too_deep_are_errors_and_never_overflow_the_stack() {
    let mut m = Matcher::new();
    m.add_rule("r", r#"{"a": ["x"]}"#).unwrap();
    let deep = format!(
        r#"{{"a": "x", "b": {}1{}}}"#,
        "[{\"c\":".repeat(500_000),
        "}]".repeat(500_000)
    );
    let err = m.matches(deep.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooDeep(m.max_depth()));
    m.set_max_depth(2_000_000);
    assert_eq!(m.matches(deep.as_bytes()).unwrap(), vec!["r"]);
}

#[test]
fn each_limit_has_a_default_a_setter_and_its_own_error() {
    let mut m = Matcher::new();
    m.add_rule("r", r#"{"a": ["x"]}"#).unwrap();
    assert_eq!(m.max_depth(), DEFAULT_MAX_DEPTH);
    assert_eq!(DEFAULT_MAX_DEPTH, 256);
    assert_eq!(m.max_event_size(), DEFAULT_MAX_EVENT_SIZE);
    assert_eq!(DEFAULT_MAX_EVENT_SIZE, u32::MAX as usize);

    // Size: the whole event counts, whitespace and unused fields included; equal is fine.
    let event = br#"{"a": "x", "unused": [1, 2, 3]}  "#;
    assert_eq!(m.matches(event).unwrap(), vec!["r"]);
    m.set_max_event_size(event.len());
    assert_eq!(m.max_event_size(), event.len());
    assert_eq!(m.matches(event).unwrap(), vec!["r"]);
    m.set_max_event_size(event.len() - 1);
    let err = m.matches(event).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooLarge(event.len() - 1));
    assert_eq!(err.offset(), event.len() - 1);
    assert!(err.to_string().contains("longer than 32 bytes"), "{err}");
    // Refused before it is read: a malformed event too large is a size error.
    let err = m.matches(&[b'{'; 100]).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooLarge(event.len() - 1));
    // Above what the matcher can address means that limit.
    m.set_max_event_size(usize::MAX);
    assert_eq!(m.max_event_size(), DEFAULT_MAX_EVENT_SIZE);
    assert_eq!(m.matches(event).unwrap(), vec!["r"]);

    // Depth: its own kind, independent of the size limit.
    m.set_max_event_size(64);
    m.set_max_depth(1);
    let err = m.matches(br#"{"a": ["x"]}"#).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooDeep(1));
    assert_eq!(err.offset(), 6);
    m.set_max_depth(2);
    assert_eq!(m.matches(br#"{"a": ["x"]}"#).unwrap(), vec!["r"]);

    // Limits and options survive a rebuild of the automaton.
    m.set_embedded_json(EmbeddedJson::none().with_path("b"));
    for i in 0..100 {
        m.add_rule("tmp", &format!(r#"{{"z": [{i}]}}"#)).unwrap();
    }
    m.remove_rule(&"tmp");
    assert_eq!(m.stats().alternatives, 1, "rebuilt");
    assert_eq!((m.max_depth(), m.max_event_size()), (2, 64));
    assert_eq!(
        m.matches(br#"{"b": "{\"a\": \"x\"}"}"#).unwrap(),
        Vec::<&str>::new()
    );
    m.add_rule("b", r#"{"b": {"a": ["x"]}}"#).unwrap();
    assert_eq!(m.matches(br#"{"b": "{\"a\": \"x\"}"}"#).unwrap(), vec!["b"]);
}

#[test]
fn events_that_are_not_objects_have_no_fields() {
    let mut m = Matcher::new();
    m.add_rule("present", r#"{"a": [{"exists": true}]}"#)
        .unwrap();
    m.add_rule("absent", r#"{"a": [{"exists": false}]}"#)
        .unwrap();
    for event in [&br#"[{"a": 1}]"#[..], b"\"a\"", b"1", b"null"] {
        assert_eq!(m.matches(event).unwrap(), vec!["absent"]);
    }
}

fn time_matches(m: &Matcher<u32>, events: &[String]) -> Duration {
    let mut scratch = MatchScratch::new();
    let mut out = Vec::new();
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        for event in events {
            out.clear();
            m.matches_into(event.as_bytes(), &mut scratch, &mut out)
                .unwrap();
        }
        best = best.min(start.elapsed());
    }
    best
}

/// The 10,000th exact rule on a field already in use does not slow matching measurably.
#[test]
fn matching_cost_does_not_follow_the_number_of_rules() {
    let rule = |i: u32| {
        format!(
            r#"{{"detail": {{"id": ["id-{i}"], "kind": ["k{}"]}}}}"#,
            i % 7
        )
    };
    let mut few = Matcher::new();
    let mut many = Matcher::new();
    for i in 0..10_000 {
        if i < 10 {
            few.add_rule(i, &rule(i)).unwrap();
        }
        many.add_rule(i, &rule(i)).unwrap();
    }
    let events: Vec<String> = (0..2_000)
        .map(|i| {
            format!(
                r#"{{"source": "s", "detail": {{"id": "id-{}", "kind": "k{}", "other": [1, 2, {{"x": "y"}}]}}}}"#,
                i % 5,
                i % 7
            )
        })
        .collect();
    let mut out = Vec::new();
    many.matches_into(events[3].as_bytes(), &mut MatchScratch::new(), &mut out)
        .unwrap();
    assert_eq!(out, vec![3]);
    let (t_few, t_many) = (time_matches(&few, &events), time_matches(&many, &events));
    assert!(
        t_many < t_few * 3,
        "10 rules: {t_few:?}, 10,000 rules: {t_many:?}"
    );
}

/// Array consistency over a large array of objects costs about linear time: each element's
/// `x` only meets the `y` of its own element, not all of them.
#[test]
fn large_arrays_of_objects_do_not_cost_quadratic_time() {
    let mut m = Matcher::new();
    m.add_rule(
        "same",
        r#"{"a": {"x": [{"exists": true}], "y": [{"prefix": "v"}], "z": ["no"]}}"#,
    )
    .unwrap();
    m.add_rule(
        "pair",
        r#"{"a": {"x": [{"numeric": [">", 0]}], "y": ["v19999"]}}"#,
    )
    .unwrap();
    let items: Vec<String> = (0..20_000)
        .map(|i| format!(r#"{{"x": {i}, "y": "v{i}", "z": "q"}}"#))
        .collect();
    let event = format!(r#"{{"a": [{}]}}"#, items.join(","));
    let start = Instant::now();
    assert_eq!(m.matches(event.as_bytes()).unwrap(), vec!["pair"]);
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
}

#[test]
fn the_matcher_types_are_at_the_crate_root() {
    use evpattern::{EmbeddedJson, EventError, EventErrorKind, MatchScratch, SharedMatcher};
    let shared: SharedMatcher<&str> = SharedMatcher::new();
    shared.add_rule("r", r#"{"a": {"b": [1]}}"#).unwrap();
    let mut m = evpattern::Matcher::clone(&shared.snapshot());
    m.set_embedded_json(EmbeddedJson::none().with_path("a"));
    let (mut scratch, mut out) = (MatchScratch::new(), Vec::new());
    m.matches_into(br#"{"a": "{\"b\": 1}"}"#, &mut scratch, &mut out)
        .unwrap();
    assert_eq!(out, vec!["r"]);
    let err: EventError = m.matches(b"{").unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::UnexpectedEnd);
}
