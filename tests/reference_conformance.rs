//! The reference matcher against the cases recorded on real AWS: every `match` and `no_match`
//! case must come out as AWS decided.
//!
//! The corpus is `tests/data/aws-recorded/cases.jsonl` (see `support`); a missing corpus fails.

mod support;

use evpattern::reference::matches_text;
use evpattern::Pattern;

#[test]
fn every_recorded_match_decision_is_reproduced() {
    let cases = support::conformance_cases();
    let mut decided = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let Some(expected) = case.decision() else {
            continue;
        };
        decided += 1;
        let outcome = Pattern::parse(&case.pattern)
            .map_err(|e| format!("pattern rejected: {e:?}"))
            .and_then(|pattern| {
                matches_text(&pattern, &case.event).map_err(|e| format!("event rejected: {e}"))
            });
        match outcome {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!("{}: expected {expected}, got {got}", case.name)),
            Err(why) => failures.push(format!("{}: {why}", case.name)),
        }
    }
    assert!(decided > 0, "no match/no_match cases in the corpus");
    assert!(
        failures.is_empty(),
        "{} of {decided} recorded cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
