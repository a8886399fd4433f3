//! Wildcards matched on strings as written: on a field whose rules are only wildcards, the
//! compiled matcher tests strings whose only escapes are `\"` and `\\` without decoding them,
//! against the wildcards' pieces escaped the same way. These properties hold it to the
//! reference matcher, which always decodes, on strings full of quotes and backslashes,
//! written with every kind of escape (so that some take the escaped path and some do not),
//! and wildcards whose pieces start and end with quotes and backslashes.

use evpattern::json::JsonNode;
use evpattern::reference;
use evpattern::{Matcher, Pattern};
use proptest::prelude::*;

/// Characters the strings and pieces are made of: the two that JSON must escape, a slash
/// (which may be escaped), a letter, a non-ASCII letter and a star.
const ALPHABET: &[char] = &['"', '\\', '/', 'a', 'é', '*'];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..max)
        .prop_map(|chars| chars.into_iter().collect())
}

/// The string `value` as a JSON string literal, each character written as `style` picks:
/// 0 as it must be (`\"`, `\\`, the rest as is), 1 as a `\u` escape, 2 `/` as `\/`.
fn json_string(value: &str, styles: &[u8]) -> String {
    let mut out = String::from("\"");
    for (i, c) in value.chars().enumerate() {
        match (styles.get(i).copied().unwrap_or(0) % 3, c) {
            (1, c) if c.len_utf16() == 1 => out.push_str(&format!("\\u{:04x}", c as u32)),
            (2, '/') => out.push_str("\\/"),
            (_, '"') => out.push_str("\\\""),
            (_, '\\') => out.push_str("\\\\"),
            (_, c) => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A wildcard operand whose pieces are `pieces`: stars and backslashes in them escaped as the
/// wildcard syntax wants, pieces joined by `*`.
fn wildcard_operand(pieces: &[String]) -> String {
    pieces
        .iter()
        .map(|p| p.replace('\\', "\\\\").replace('*', "\\*"))
        .collect::<Vec<_>>()
        .join("*")
}

fn agree(patterns: &[String], event: &str) -> Result<(), TestCaseError> {
    let mut matcher = Matcher::new();
    let mut parsed = Vec::new();
    for (key, pattern) in patterns.iter().enumerate() {
        // Some generated operands are not valid wildcards (`**`): those rules are left out.
        if let Ok(p) = Pattern::parse(pattern) {
            matcher.add_pattern(key, p.clone());
            parsed.push((key, p));
        }
    }
    let node = JsonNode::parse(event, evpattern::DEFAULT_MAX_DEPTH).expect("generated event");
    let expected: Vec<usize> = parsed
        .iter()
        .filter(|(_, p)| reference::matches(p, &node))
        .map(|(key, _)| *key)
        .collect();
    let mut got = matcher.matches(event.as_bytes()).expect("valid event");
    got.sort_unstable();
    prop_assert_eq!(got, expected, "event {} patterns {:?}", event, patterns);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3000,
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    })]

    /// Wildcards alone on the field: the escaped path whenever the string allows it.
    #[test]
    fn wildcards_on_text_as_written_agree_with_the_reference(
        value in text(14),
        styles in prop::collection::vec(0u8..6, 14),
        wildcards in prop::collection::vec(prop::collection::vec(text(4), 1..4), 1..4),
    ) {
        let event = format!(r#"{{"f": {}, "g": "x"}}"#, json_string(&value, &styles));
        let patterns: Vec<String> = wildcards
            .iter()
            .map(|pieces| {
                let operand = serde_json::to_string(&wildcard_operand(pieces)).unwrap();
                format!(r#"{{"f": [{{"wildcard": {operand}}}]}}"#)
            })
            .collect();
        agree(&patterns, &event)?;
    }

    /// The same with another kind of predicate on the field in some rule, which makes every
    /// string of the field decoded: both paths give the same answers.
    #[test]
    fn fields_that_need_decoded_text_agree_too(
        value in text(10),
        styles in prop::collection::vec(0u8..6, 10),
        pieces in prop::collection::vec(text(4), 2..4),
        prefix in text(3),
    ) {
        let event = format!(r#"{{"f": [{}, 1]}}"#, json_string(&value, &styles));
        let operand = serde_json::to_string(&wildcard_operand(&pieces)).unwrap();
        let prefix = serde_json::to_string(&prefix).unwrap();
        let patterns = vec![
            format!(r#"{{"f": [{{"wildcard": {operand}}}]}}"#),
            format!(r#"{{"f": [{{"prefix": {prefix}}}]}}"#),
        ];
        agree(&patterns, &event)?;
    }
}

#[test]
fn embedded_json_is_matched_without_decoding_and_with_it() {
    // The SaaSus shape: JSON text in a string, a wildcard over its keys and values.
    let event = r#"{"detail": {"event": "{\"uri\":\"/v1/auth/tenants/t1/users\",\"request_body\":\"{\\\"name\\\":\\\"a\\\"}\"}"}}"#;
    let mut m = Matcher::new();
    m.add_rule(
        "uri",
        r#"{"detail": {"event": [{"wildcard": "*\"uri\":\"/v1/auth/tenants/*/users\"*"}]}}"#,
    )
    .unwrap();
    m.add_rule(
        "body",
        r#"{"detail": {"event": [{"wildcard": "*\"request_body\":\"{\\\\\"name*"}]}}"#,
    )
    .unwrap();
    m.add_rule(
        "no",
        r#"{"detail": {"event": [{"wildcard": "*\"uri\":\"/v2/*"}]}}"#,
    )
    .unwrap();
    assert_eq!(m.matches(event.as_bytes()).unwrap(), vec!["uri", "body"]);
    // The same text with its slashes escaped is decoded first, with the same answers.
    let slashed = event.replace("/v1/", "\\/v1\\/");
    assert_eq!(m.matches(slashed.as_bytes()).unwrap(), vec!["uri", "body"]);
}
