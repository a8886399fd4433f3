//! Trusted-input mode ([`Matcher::set_trusted_input`]) against its contract: on valid JSON
//! without duplicate keys it answers exactly as the default mode and the reference matcher;
//! on anything else it still returns.

use std::collections::BTreeSet;

use evpattern::json::JsonNode;
use evpattern::reference;
use evpattern::{Matcher, Pattern};
use proptest::prelude::*;
use support::generators::{event, event_without_duplicate_keys, pattern_object};

mod support;

fn matchers(patterns: &[String]) -> (Vec<(u8, Pattern)>, Matcher<u8>, Matcher<u8>) {
    let parsed: Vec<(u8, Pattern)> = patterns
        .iter()
        .enumerate()
        .filter_map(|(k, text)| Pattern::parse(text).ok().map(|p| (k as u8 % 4, p)))
        .collect();
    let mut default = Matcher::new();
    for (k, p) in &parsed {
        default.add_pattern(*k, p.clone());
    }
    let mut trusted = default.clone();
    trusted.set_trusted_input(true);
    (parsed, default, trusted)
}

fn trusted_matcher(patterns: &[&str]) -> Matcher<usize> {
    let mut m = Matcher::new();
    for (k, p) in patterns.iter().enumerate() {
        m.add_rule(k, p).unwrap();
    }
    m.set_trusted_input(true);
    m
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1500))]

    /// The contract's first half, on generated events whose objects never repeat a key
    /// (dotted keys such as "a" beside "a.b" included) mixed with unused members holding
    /// quotes, backslashes and brackets in strings.
    #[test]
    fn trusted_mode_agrees_with_default_mode_and_reference(
        patterns in prop::collection::vec(pattern_object(), 1..7),
        events in prop::collection::vec(event_without_duplicate_keys(), 1..5),
    ) {
        let (parsed, default, trusted) = matchers(&patterns);
        for event in &events {
            let node = JsonNode::parse(event, evpattern::DEFAULT_MAX_DEPTH).expect("generated event");
            let expected: BTreeSet<u8> = parsed
                .iter()
                .filter(|(_, p)| reference::matches(p, &node))
                .map(|(k, _)| *k)
                .collect();
            let by_default = default.matches(event.as_bytes()).expect("generated event");
            let by_trusted = trusted.matches(event.as_bytes()).expect("generated event");
            prop_assert_eq!(&by_trusted, &by_default, "event {}", event);
            prop_assert_eq!(by_trusted.into_iter().collect::<BTreeSet<u8>>(), expected, "event {}", event);
        }
    }

    /// Events with duplicate keys are outside the contract: any answer, but an answer.
    #[test]
    fn trusted_mode_returns_on_duplicate_keys(
        patterns in prop::collection::vec(pattern_object(), 1..4),
        event in event(),
    ) {
        let (_, _, trusted) = matchers(&patterns);
        let _ = trusted.matches(event.as_bytes());
    }

    /// Every prefix, and every one-byte corruption, of a valid event returns.
    #[test]
    fn trusted_mode_returns_on_cut_and_corrupted_events(
        patterns in prop::collection::vec(pattern_object(), 1..4),
        event in event_without_duplicate_keys(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(&b"{}[]\",:\\ x0"[..]),
    ) {
        let (_, _, trusted) = matchers(&patterns);
        let bytes = event.as_bytes();
        for end in 0..bytes.len() {
            let _ = trusted.matches(&bytes[..end]);
        }
        if !bytes.is_empty() {
            let mut corrupted = bytes.to_vec();
            corrupted[at.index(bytes.len())] = byte;
            let _ = trusted.matches(&corrupted);
        }
    }

    /// Arbitrary bytes return.
    #[test]
    fn trusted_mode_returns_on_garbage(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let m = trusted_matcher(&[r#"{"a": ["x"], "b": {"c": [{"exists": false}]}}"#, r#"{"z": [1]}"#]);
        let _ = m.matches(&bytes);
        let mut framed = b"{\"a\": ".to_vec();
        framed.extend_from_slice(&bytes);
        let _ = m.matches(&framed);
    }
}

#[test]
fn hostile_bytes_return() {
    let m = trusted_matcher(&[r#"{"a": ["x"]}"#, r#"{"b": {"c": [{"prefix": "y"}]}}"#]);
    let deep_open = "[".repeat(1_000_000);
    let deep_pairs = format!("{}{}", "[".repeat(500_000), "]".repeat(500_000));
    let cases: Vec<String> = vec![
        String::new(),
        "{".into(),
        "}".into(),
        "{\"a\"".into(),
        "{\"a\":".into(),
        "{\"z\": \"".into(),
        "{\"z\": \"\\".into(),
        "{\"z\": [[[[".into(),
        "{\"z\": ]]]]}".into(),
        "{\"z\": [}, \"a\": \"x\"}".into(),
        "{\"z\": {\"q\": [1, 2}}, \"a\": \"x\"}".into(),
        "{\"a\": \"x\", \"b\": {\"c\": \"y\"".into(),
        "{\"b\": {\"c\": \"y\", \"d\": [[[{\"".into(),
        format!("{{\"z\": {deep_open}"),
        format!("{{\"z\": {deep_pairs}, \"a\": \"x\"}}"),
        format!("{{\"a\": {deep_open}"),
        format!("{{\"b\": {deep_open}"),
        format!("{{\"z\": \"{}", "\\".repeat(100_001)),
        "{\"z\": tru, \"a\": \"x\"}".into(),
        "{\"z\": 1.2.3e, \"a\": \"x\"}".into(),
        "\u{0}\u{1}{\"a\"::\"x\"}".into(),
    ];
    for case in &cases {
        let _ = m.matches(case.as_bytes());
    }
    // Invalid UTF-8 and oversized events are still refused.
    assert!(m.matches(b"{\"z\": \"\xff\", \"a\": \"x\"}").is_err());
    let mut small = m.clone();
    small.set_max_event_size(4);
    assert!(small.matches(b"{\"a\": \"x\"}").is_err());
    // Nesting too deep where a rule looks is still an error.
    assert!(m
        .matches(format!("{{\"a\": {deep_pairs}}}").as_bytes())
        .is_err());
}

#[test]
fn reading_stops_once_no_member_can_change_the_answer() {
    let m = trusted_matcher(&[r#"{"source": ["aws.ec2"]}"#]);
    // Everything after the one key that leads to a used path goes unread.
    assert_eq!(
        m.matches(br#"{"source": "aws.ec2", "detail": {"#).unwrap(),
        vec![0]
    );
    assert_eq!(
        m.matches(br#"{"source": "aws.s3", "x": ]]] garbage"#)
            .unwrap(),
        Vec::<usize>::new()
    );
    // Before it, unused values are passed over unchecked.
    assert_eq!(
        m.matches(br#"{"x": [1, tru, {]}, "source": "aws.ec2"}"#)
            .unwrap(),
        vec![0]
    );
    let mut default = m.clone();
    default.set_trusted_input(false);
    assert!(default
        .matches(br#"{"source": "aws.ec2", "detail": {"#)
        .is_err());
}

#[test]
fn a_dotted_key_later_still_counts() {
    // "a" and "a.b" are distinct keys reaching the same path a.b: after "a" is read, "a.b"
    // may still come, so the reading must go on.
    let m = trusted_matcher(&[
        r#"{"a": {"b": ["x"]}}"#,
        r#"{"a": {"b": [{"anything-but": "x"}]}}"#,
    ]);
    assert_eq!(
        m.matches(br#"{"a": {"c": 1}, "a.b": "x"}"#).unwrap(),
        vec![0]
    );
    assert_eq!(
        m.matches(br#"{"a": {"b": "y"}, "z": 1, "a.b": "x"}"#)
            .unwrap(),
        vec![0, 1]
    );
    // Inside "a", once "b" is read nothing else of "a" matters; the event goes on after it.
    assert_eq!(
        m.matches(br#"{"a": {"b": "y", "q": [tru, 1.2.3, "}]"]}, "z": [1]}"#)
            .unwrap(),
        vec![1]
    );
}

#[test]
fn absence_is_judged_on_the_whole_event() {
    let m = trusted_matcher(&[r#"{"b": [{"exists": false}], "a": ["x"]}"#]);
    assert_eq!(m.matches(br#"{"a": "x", "c": [1, 2]}"#).unwrap(), vec![0]);
    assert_eq!(
        m.matches(br#"{"a": "x", "c": [1, 2], "b": null}"#).unwrap(),
        Vec::<usize>::new()
    );
    // Each element of an array is its own object: the same keys again count again.
    let m = trusted_matcher(&[r#"{"r": {"k": ["v"]}}"#]);
    assert_eq!(
        m.matches(br#"{"r": [{"k": "w"}, {"k": "v"}]}"#).unwrap(),
        vec![0]
    );
}

/// Whether no object in `node` repeats a key: inside the contract.
fn no_duplicate_keys(node: &JsonNode) -> bool {
    match node {
        JsonNode::Object(members) => {
            let mut keys = BTreeSet::new();
            members
                .iter()
                .all(|(key, value)| keys.insert(key.as_str()) && no_duplicate_keys(value))
        }
        JsonNode::Array(items) => items.iter().all(no_duplicate_keys),
        _ => true,
    }
}

#[test]
fn recorded_aws_cases_inside_the_contract_answer_as_by_default() {
    let mut compared = 0;
    for case in support::conformance_cases() {
        let Ok(node) = JsonNode::parse(&case.event, evpattern::DEFAULT_MAX_DEPTH) else {
            continue;
        };
        let mut default = Matcher::new();
        if default.add_rule(0u8, &case.pattern).is_err() || !no_duplicate_keys(&node) {
            continue;
        }
        let mut trusted = default.clone();
        trusted.set_trusted_input(true);
        assert_eq!(
            trusted.matches(case.event.as_bytes()),
            default.matches(case.event.as_bytes()),
            "case {}",
            case.name
        );
        compared += 1;
    }
    assert!(compared > 100, "only {compared} cases compared");
}

#[test]
fn saasus_samples_with_embedded_json_answer_as_by_default() {
    let rules = [
        r#"{"detail": {"event": {"uri": [{"prefix": "/v1/auth"}]}}}"#,
        r#"{"detail": {"event": {"http_status": [{"prefix": "2"}], "request_body": {"name": [{"exists": true}]}}}}"#,
        r#"{"source": [{"prefix": "aws.partner/saasus"}], "detail-type": [{"exists": true}]}"#,
        r#"{"detail": {"event": {"request_method": [{"anything-but": "GET"}]}, "event_type": [{"prefix": "create"}]}}"#,
    ];
    let mut default = Matcher::new();
    for (k, rule) in rules.iter().enumerate() {
        default.add_rule(k, rule).unwrap();
    }
    default.set_embedded_json(evpattern::saasus::embedded_json());
    let mut trusted = default.clone();
    trusted.set_trusted_input(true);
    let samples = support::saasus_samples();
    assert!(!samples.is_empty());
    let mut matched = 0;
    for sample in &samples {
        let answer = default.matches(sample.as_bytes());
        assert!(answer.is_ok(), "{sample}");
        matched += answer.as_ref().map_or(0, Vec::len);
        assert_eq!(trusted.matches(sample.as_bytes()), answer, "{sample}");
    }
    assert!(
        matched >= samples.len(),
        "the rules should match the samples often"
    );
}
