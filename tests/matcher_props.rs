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
use support::generators::{event, event_with_long_arrays, pattern_object};

mod support;

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

/// One matcher of `patterns` answers every event as the reference matcher does.
fn agree_on(patterns: Vec<(u8, Pattern)>, events: &[String]) -> Result<(), TestCaseError> {
    let mut matcher = Matcher::new();
    for (k, p) in &patterns {
        matcher.add_pattern(*k, p.clone());
    }
    for event in events {
        prop_assert_eq!(
            engine_matches(&matcher, event),
            reference_matches(&patterns, event),
            "event {}\npatterns {:#?}",
            event,
            patterns
                .iter()
                .map(|(k, p)| (k, p.to_json()))
                .collect::<Vec<_>>()
        );
    }
    Ok(())
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
        agree_on(parsed(patterns), &events)?;
    }
}

proptest! {
    #![proptest_config(config(600))]

    /// Long arrays, whose tails the scanner hands over as text rather than element by
    /// element: the answers must not change.
    #[test]
    fn long_arrays_agree_with_reference(
        patterns in prop::collection::vec((0u8..4, pattern_object()), 1..7),
        events in prop::collection::vec(event_with_long_arrays(), 1..4),
    ) {
        agree_on(parsed(patterns), &events)?;
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
