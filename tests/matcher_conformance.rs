//! The compiled Matcher against the cases recorded on real AWS, and against the reference
//! matcher on every (pattern, event) pair of the corpus.
//!
//! The corpus is `tests/data/aws-recorded/cases.jsonl`, or `$EVPATTERN_CONFORMANCE` (see `support`).

mod support;

use evpattern::reference::matches_text;
use evpattern::{Matcher, Pattern};

struct Case {
    name: String,
    event: String,
    pattern: Pattern,
    expected: bool,
}

/// The `match` / `no_match` cases.
fn decided_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for case in support::conformance_cases() {
        let Some(expected) = case.decision() else {
            continue;
        };
        let pattern = Pattern::parse(&case.pattern)
            .unwrap_or_else(|e| panic!("{}: pattern rejected: {e}", case.name));
        cases.push(Case {
            name: case.name,
            event: case.event,
            pattern,
            expected,
        });
    }
    assert!(cases.len() > 100, "only {} decided cases", cases.len());
    cases
}

#[test]
fn every_recorded_match_decision_is_reproduced() {
    let cases = decided_cases();
    let mut failures = Vec::new();
    for case in &cases {
        let mut matcher = Matcher::new();
        matcher.add_pattern(case.name.clone(), case.pattern.clone());
        match matcher.matches(case.event.as_bytes()) {
            Ok(keys) if keys.is_empty() != case.expected => {}
            Ok(keys) => failures.push(format!(
                "{}: expected {}, got {keys:?}",
                case.name, case.expected
            )),
            Err(e) => failures.push(format!("{}: event rejected: {e}", case.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} recorded cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// All corpus patterns in one matcher; every corpus event must match exactly the patterns
/// the reference matcher says it matches.
#[test]
fn all_patterns_at_once_agree_with_the_reference_on_every_event() {
    let cases = decided_cases();
    let mut matcher = Matcher::new();
    for (i, case) in cases.iter().enumerate() {
        matcher.add_pattern(i, case.pattern.clone());
    }
    let mut failures = Vec::new();
    for case in &cases {
        let mut expected: Vec<usize> = cases
            .iter()
            .enumerate()
            .filter(|(_, c)| matches_text(&c.pattern, &case.event).unwrap())
            .map(|(i, _)| i)
            .collect();
        expected.sort();
        let mut got = matcher.matches(case.event.as_bytes()).unwrap();
        got.sort();
        if got != expected {
            let names = |ids: &[usize]| -> Vec<&str> {
                ids.iter().map(|&i| cases[i].name.as_str()).collect()
            };
            failures.push(format!(
                "event of {}: expected {:?}, got {:?}",
                case.name,
                names(&expected),
                names(&got)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
