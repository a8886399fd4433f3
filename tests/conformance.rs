//! Every case recorded against real AWS `TestEventPattern`, run through
//! [`evpattern::test_event_pattern`].
//!
//! The corpus is `tests/data/aws-recorded/cases.jsonl` (see `support`); a missing corpus fails.

mod support;

/// JSON-syntax cases: AWS's reason quotes its Java JSON library, so only the outcome counts.
const SYNTAX_CASES: [&str; 3] = [
    "invalid_json_pattern_0",
    "invalid_json_pattern_1",
    "invalid_json_pattern_2",
];

const REASON_PREFIX: &str = "Event pattern is not valid. Reason: ";

/// What one case produced, in the corpus's vocabulary.
fn outcome(result: &Result<bool, evpattern::TestError>) -> (String, Option<String>) {
    match result {
        Ok(true) => ("match".into(), None),
        Ok(false) => ("no_match".into(), None),
        Err(e) if e.code() == "InvalidEventPatternException" => {
            ("invalid_pattern".into(), Some(e.message().to_owned()))
        }
        Err(e) => ("invalid_event".into(), Some(e.message().to_owned())),
    }
}

#[test]
fn aws_recorded_cases() {
    let cases = support::conformance_cases();
    let total = cases.len();
    let mut failures = Vec::new();
    for case in &cases {
        let (name, event, pattern, expect) = (
            case.name.as_str(),
            case.event.as_str(),
            case.pattern.as_str(),
            case.expect.as_str(),
        );
        let expected_error = case.error.as_deref();
        let (got, got_error) = outcome(&evpattern::test_event_pattern(event, pattern));
        let outcome_ok = got == expect;
        let error_ok = match expect {
            "invalid_pattern" if SYNTAX_CASES.contains(&name) => true,
            "invalid_pattern" | "invalid_event" => got_error.as_deref() == expected_error,
            _ => true,
        };
        if !(outcome_ok && error_ok) {
            let describe = |outcome: &str, error: Option<&str>| match error {
                Some(e) => format!("{outcome} ({})", e.trim_start_matches(REASON_PREFIX)),
                None => outcome.to_owned(),
            };
            failures.push(format!(
                "  {name}: expected {}, got {}",
                describe(expect, expected_error),
                describe(&got, got_error.as_deref())
            ));
        }
    }
    println!("conformance: {}/{total}", total - failures.len());
    for failure in &failures {
        println!("{failure}");
    }
    assert_eq!(total, 168, "the recorded corpus has 168 cases");
    assert!(
        failures.is_empty(),
        "conformance: {}/{total}, failures:\n{}",
        total - failures.len(),
        failures.join("\n")
    );
}
