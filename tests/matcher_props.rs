//! Property tests: the compiled Matcher answers exactly as the reference matcher, for
//! generated patterns (every operator, nesting, dotted keys, `$or`, several values per field,
//! several patterns per key) and generated events (nested objects, arrays of objects and of
//! primitives, numbers in several spellings, unicode, null, duplicate keys), and through
//! sequences of adds and removes.
//!
//! Patterns and events draw on one small vocabulary so that matches are frequent. Over the
//! tests below at least 10,000 (pattern, event) pairs are compared per run.

use std::collections::BTreeSet;

use evpattern::json::JsonNode;
use evpattern::reference;
use evpattern::{Matcher, Pattern};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Vocabulary.

const KEYS: &[&str] = &["a", "b", "a.b", "c"];
const STRINGS: &[&str] = &[
    "",
    "x",
    "xy",
    "yx",
    "X",
    "XY",
    "ab",
    "Ab",
    "AB",
    "a*b",
    "a/b",
    "é",
    "É",
    "ÉCOLE",
    "école",
    "10.0.0.1",
    "10.0.1.1",
    "::ffff:10.0.0.7",
    "2001:db8::1",
    "1",
    "300",
    "null",
    "x\"y",
    "ß",
    "abcdefghijAklmnop/xy",
];
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "1",
    "1.0",
    "1e0",
    "10",
    "2.5",
    "25e-1",
    "-3",
    "300",
    "3e2",
    "300.000",
    "1E2",
    "1e999",
    "12345678901234567890",
    "9007199254740993",
    "0.1",
    "-0.5e-7",
    "1e-400",
];

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn pick(items: &'static [&'static str]) -> prop::sample::Select<&'static str> {
    prop::sample::select(items)
}

// ---------------------------------------------------------------------------------------------
// Patterns as JSON text.

fn string_operand() -> impl Strategy<Value = String> {
    pick(&["", "x", "X", "y", "ab", "a", "é", "É", "x\"", "10."]).prop_map(quoted)
}

fn string_list() -> impl Strategy<Value = String> {
    prop_oneof![
        string_operand(),
        prop::collection::vec(string_operand(), 1..3).prop_map(|v| format!("[{}]", v.join(","))),
    ]
}

fn wildcard_operand() -> impl Strategy<Value = String> {
    pick(&[
        "x*", "*y", "a*b", "*", "x*y*z", "*x*", "X*", "*b", "a\\\\*b", "", "xy", "*é*", "a*/b",
    ])
    .prop_map(|w| format!("\"{w}\""))
}

fn numeric_operand() -> impl Strategy<Value = String> {
    let bound = pick(&["0", "1", "2.5", "-3", "300", "10", "1e2", "-0.5e-7"]);
    prop_oneof![
        (pick(&["<", "<=", ">", ">=", "="]), bound.clone())
            .prop_map(|(op, n)| format!("[\"{op}\", {n}]")),
        (pick(&[">", ">="]), pick(&["<", "<="]), 0usize..4, 4usize..8).prop_map(
            |(lo_op, hi_op, lo, hi)| {
                let bounds = ["-3", "0", "1", "2.5", "10", "300", "1000", "1e6"];
                format!("[\"{lo_op}\", {}, \"{hi_op}\", {}]", bounds[lo], bounds[hi])
            }
        ),
    ]
}

fn anything_but_operand() -> impl Strategy<Value = String> {
    prop_oneof![
        string_list(),
        pick(&["1", "300", "0", "3e2", "1e999", "[1, 300]", "[0, 2.5, -3]"]).prop_map(String::from),
        string_list().prop_map(|s| format!("{{\"prefix\": {s}}}")),
        string_list().prop_map(|s| format!("{{\"suffix\": {s}}}")),
        string_list().prop_map(|s| format!("{{\"equals-ignore-case\": {s}}}")),
        wildcard_operand().prop_map(|w| format!("{{\"wildcard\": {w}}}")),
        prop::collection::vec(wildcard_operand(), 1..3)
            .prop_map(|v| format!("{{\"wildcard\": [{}]}}", v.join(","))),
    ]
}

fn predicate() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(STRINGS).prop_map(quoted),
        3 => pick(NUMBERS).prop_map(String::from),
        1 => pick(&["true", "false", "null"]).prop_map(String::from),
        1 => string_operand().prop_map(|s| format!("{{\"prefix\": {s}}}")),
        1 => string_operand().prop_map(|s| format!("{{\"suffix\": {s}}}")),
        1 => string_operand().prop_map(|s| format!("{{\"prefix\": {{\"equals-ignore-case\": {s}}}}}")),
        1 => string_operand().prop_map(|s| format!("{{\"suffix\": {{\"equals-ignore-case\": {s}}}}}")),
        1 => string_operand().prop_map(|s| format!("{{\"equals-ignore-case\": {s}}}")),
        2 => wildcard_operand().prop_map(|w| format!("{{\"wildcard\": {w}}}")),
        4 => anything_but_operand().prop_map(|x| format!("{{\"anything-but\": {x}}}")),
        2 => numeric_operand().prop_map(|n| format!("{{\"numeric\": {n}}}")),
        5 => any::<bool>().prop_map(|b| format!("{{\"exists\": {b}}}")),
        1 => pick(&["10.0.0.0/24", "10.0.0.0/8", "2001:db8::/32", "::ffff:0:0/96", "10.0.0.1/32"])
            .prop_map(|c| format!("{{\"cidr\": \"{c}\"}}")),
    ]
}

fn predicate_list() -> impl Strategy<Value = String> {
    prop::collection::vec(predicate(), 1..5).prop_map(|v| format!("[{}]", v.join(", ")))
}

/// A pattern object: fields holding predicate lists or nested objects, maybe a `$or`.
fn pattern_object() -> impl Strategy<Value = String> {
    let leaf_fields = prop::collection::vec((pick(KEYS), predicate_list()), 1..3);
    leaf_fields
        .prop_map(|fields| object_text(&fields))
        .prop_recursive(2, 6, 2, |inner| {
            (
                prop::collection::vec(
                    (
                        pick(KEYS),
                        prop_oneof![3 => predicate_list(), 1 => inner.clone()],
                    ),
                    1..3,
                ),
                prop::option::weighted(0.25, prop::collection::vec(inner, 2..3)),
            )
                .prop_map(|(mut fields, or)| {
                    if let Some(alternatives) = or {
                        fields.push(("$or", format!("[{}]", alternatives.join(", "))));
                    }
                    object_text(&fields)
                })
        })
}

fn object_text(fields: &[(&str, String)]) -> String {
    let members: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {v}", quoted(k)))
        .collect();
    format!("{{{}}}", members.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Events as JSON text (duplicate keys allowed).

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(STRINGS).prop_map(quoted),
        1 => pick(&["\"\\u0078\"", "\"\\u00c9COLE\"", "\"a\\/b\"", "\"\\ud83d\\ude00\"", "\"abcdefghij\\u0041klmnop\\/xy\""]).prop_map(String::from),
        3 => pick(NUMBERS).prop_map(String::from),
        1 => pick(&["true", "false", "null"]).prop_map(String::from),
    ]
}

fn event_value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            2 => prop::collection::vec((pick(KEYS), inner.clone()), 0..5)
                .prop_map(|fields| object_text(&fields)),
            1 => prop::collection::vec(inner, 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        ]
    })
}

fn event() -> impl Strategy<Value = String> {
    prop::collection::vec((pick(KEYS), event_value()), 0..7).prop_map(|fields| object_text(&fields))
}

// ---------------------------------------------------------------------------------------------
// The comparison.

fn reference_matches(patterns: &[(u8, Pattern)], event: &str) -> BTreeSet<u8> {
    let node = JsonNode::parse(event, evpattern::DEFAULT_MAX_DEPTH).expect("generated event");
    patterns
        .iter()
        .filter(|(_, p)| reference::matches(p, &node))
        .map(|(k, _)| *k)
        .collect()
}

fn parsed(patterns: Vec<(u8, String)>) -> Vec<(u8, Pattern)> {
    patterns
        .into_iter()
        .filter_map(|(k, text)| Pattern::parse(&text).ok().map(|p| (k, p)))
        .collect()
}

fn engine_matches(matcher: &Matcher<u8>, event: &str) -> BTreeSet<u8> {
    let got = matcher.matches(event.as_bytes()).expect("generated event");
    let set: BTreeSet<u8> = got.iter().copied().collect();
    assert_eq!(set.len(), got.len(), "a key reported twice: {got:?}");
    set
}

/// `cases` cases with XorShift: in a debug build the default ChaCha generator would take
/// most of the time.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1200))]

    /// Up to 6 patterns (on up to 4 keys, so keys repeat) against up to 4 events:
    /// about 1200 × 3.5 × 2.5 ≈ 10,000 pairs.
    #[test]
    fn matcher_agrees_with_reference(
        patterns in prop::collection::vec((0u8..4, pattern_object()), 1..7),
        events in prop::collection::vec(event(), 1..5),
    ) {
        let patterns = parsed(patterns);
        let mut matcher = Matcher::new();
        for (k, p) in &patterns {
            matcher.add_pattern(*k, p.clone());
        }
        for event in &events {
            prop_assert_eq!(
                engine_matches(&matcher, event),
                reference_matches(&patterns, event),
                "event {}\npatterns {:#?}", event,
                patterns.iter().map(|(k, p)| (k, p.to_json())).collect::<Vec<_>>()
            );
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Add(u8, String),
    Remove(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..5, pattern_object()).prop_map(|(k, p)| Op::Add(k, p)),
        1 => (0u8..5).prop_map(Op::Remove),
    ]
}

proptest! {
    #![proptest_config(config(300))]

    /// After each add or remove, the matcher answers as the reference over the rules then
    /// present: about 300 × 10 × 2 ≈ 6,000 more comparisons.
    #[test]
    fn adds_and_removes_keep_agreeing(
        ops in prop::collection::vec(op(), 1..20),
        events in prop::collection::vec(event(), 1..4),
    ) {
        let mut matcher = Matcher::new();
        let mut model: Vec<(u8, Pattern)> = Vec::new();
        for op in ops {
            match op {
                Op::Add(k, text) => {
                    let Ok(p) = Pattern::parse(&text) else { continue };
                    matcher.add_pattern(k, p.clone());
                    model.push((k, p));
                }
                Op::Remove(k) => {
                    let existed = model.iter().any(|(m, _)| *m == k);
                    prop_assert_eq!(matcher.remove_rule(&k), existed);
                    model.retain(|(m, _)| *m != k);
                }
            }
            let keys: BTreeSet<u8> = model.iter().map(|(k, _)| *k).collect();
            prop_assert_eq!(matcher.len(), keys.len());
            for event in &events {
                prop_assert_eq!(engine_matches(&matcher, event), reference_matches(&model, event),
                    "event {}", event);
            }
        }
    }
}

#[test]
fn generated_patterns_are_mostly_valid() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        config(1),
        TestRng::deterministic_rng(RngAlgorithm::XorShift),
    );
    let strategy = pattern_object();
    let total = 500;
    let valid = (0..total)
        .filter(|_| {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            Pattern::parse(&text).is_ok()
        })
        .count();
    assert!(valid * 10 >= total * 8, "only {valid} of {total} valid");
}

/// The vocabulary keeps matches frequent, so agreement is not mostly agreement on "no".
#[test]
fn generated_pairs_match_often() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        config(1),
        TestRng::deterministic_rng(RngAlgorithm::XorShift),
    );
    let (patterns, events) = (pattern_object(), event());
    let (mut pairs, mut matched) = (0, 0);
    for _ in 0..1000 {
        let p = patterns.new_tree(&mut runner).unwrap().current();
        let e = events.new_tree(&mut runner).unwrap().current();
        let Ok(p) = Pattern::parse(&p) else { continue };
        pairs += 1;
        if !reference_matches(&[(0, p)], &e).is_empty() {
            matched += 1;
        }
    }
    assert!(
        matched * 10 >= pairs,
        "only {matched} of {pairs} pairs match"
    );
}
