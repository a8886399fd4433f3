//! The compiled Matcher against the cases recorded on real AWS, and against the reference
//! matcher on every (pattern, event) pair of the corpus.
//!
//! The corpus is read at run time from `$EVPATTERN_CONFORMANCE`, or else from
//! `$CARGO_MANIFEST_DIR/../shared/conformance/aws-recorded/cases.jsonl`. When it is absent
//! the tests are skipped with a message, unless `CI` is set (then they fail).

use std::path::PathBuf;

use evpattern::reference::matches_text;
use evpattern::{Matcher, Pattern};
use serde_json::Value;

struct Case {
    name: String,
    event: String,
    pattern: Pattern,
    expected: bool,
}

fn corpus_path() -> PathBuf {
    match std::env::var_os("EVPATTERN_CONFORMANCE") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/conformance/aws-recorded/cases.jsonl"),
    }
}

fn text_of(case: &Value, field: &str) -> String {
    match &case[field] {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The `match` / `no_match` cases, or `None` when the corpus is absent outside CI.
fn decided_cases() -> Option<Vec<Case>> {
    let path = corpus_path();
    let corpus = match std::fs::read_to_string(&path) {
        Ok(corpus) => corpus,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!(
                "skipping: the AWS-recorded corpus is not readable at {} ({e}); set EVPATTERN_CONFORMANCE",
                path.display()
            );
            return None;
        }
        Err(e) => panic!("reading {}: {e}", path.display()),
    };
    let mut cases = Vec::new();
    for (line_number, line) in corpus.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", line_number + 1));
        let expected = match case["expect"].as_str() {
            Some("match") => true,
            Some("no_match") => false,
            _ => continue,
        };
        let name = case["name"].as_str().unwrap_or("?").to_owned();
        let pattern = Pattern::parse(&text_of(&case, "pattern"))
            .unwrap_or_else(|e| panic!("{name}: pattern rejected: {e}"));
        cases.push(Case {
            name,
            event: text_of(&case, "event"),
            pattern,
            expected,
        });
    }
    assert!(cases.len() > 100, "only {} decided cases", cases.len());
    Some(cases)
}

#[test]
fn every_recorded_match_decision_is_reproduced() {
    let Some(cases) = decided_cases() else { return };
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
    let Some(cases) = decided_cases() else { return };
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
