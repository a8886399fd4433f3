//! Hostile arrays: 100,000-element arrays under array-consistency rules must get the right
//! answer (how long they take is measured by the benchmarks, not here).

use evpattern::json::JsonNode;
use evpattern::reference;
use evpattern::{Matcher, Pattern};

const N: usize = 100_000;

/// `{"e": [{"f": "p0", "l": "q0"}, {"f": "p1", "l": "q1"}, ...]}`
fn people(n: usize) -> String {
    let mut text = String::with_capacity(n * 32 + 16);
    text.push_str(r#"{"e": ["#);
    for i in 0..n {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&format!(r#"{{"f": "p{i}", "l": "q{i}"}}"#));
    }
    text.push_str("]}");
    text
}

fn rules() -> Vec<(&'static str, String)> {
    let last = N - 1;
    vec![
        // Both in the last element: consistent.
        (
            "same last",
            format!(r#"{{"e": {{"f": ["p{last}"], "l": ["q{last}"]}}}}"#),
        ),
        // First name of the last element, last name of the first: never in one element.
        (
            "split",
            format!(r#"{{"e": {{"f": ["p{last}"], "l": ["q0"]}}}}"#),
        ),
        // Many candidates for one condition, one consistent choice for the other.
        (
            "prefix and one",
            r#"{"e": {"f": [{"prefix": "p"}], "l": ["q54321"]}}"#.to_owned(),
        ),
        // Many candidates for both and many consistent pairs. (Many candidates for both
        // and no consistent pair is quadratic today: see tests/fuzz_regressions.rs.)
        (
            "many some",
            r#"{"e": {"f": [{"suffix": "7"}], "l": [{"suffix": "7"}]}}"#.to_owned(),
        ),
        (
            "absent",
            r#"{"e": {"m": [{"exists": false}], "f": ["p5"]}}"#.to_owned(),
        ),
    ]
}

#[test]
fn array_consistency_over_100_000_objects_gets_the_right_answer() {
    let event = people(N);
    let rules = rules();
    let mut m = Matcher::new();
    for (key, pattern) in &rules {
        m.add_rule(*key, pattern).unwrap();
    }
    let expected = vec!["same last", "prefix and one", "many some", "absent"];
    assert_eq!(m.matches(event.as_bytes()).unwrap(), expected);

    // The reference agrees on the rules whose search it can do quickly (one candidate for
    // some condition).
    let node = JsonNode::parse(&event, 8).unwrap();
    for (key, pattern) in &rules {
        if *key == "many some" {
            continue;
        }
        let pattern = Pattern::parse(pattern).unwrap();
        assert_eq!(
            reference::matches(&pattern, &node),
            expected.contains(key),
            "{key}"
        );
    }
}

#[test]
fn large_flat_and_nested_arrays_of_leaves() {
    let mut m = Matcher::new();
    m.add_rule("big", r#"{"n": [{"numeric": [">=", 99999]}]}"#)
        .unwrap();
    m.add_rule("neg", r#"{"n": [{"numeric": ["<", 0]}]}"#)
        .unwrap();
    m.add_rule("s", r#"{"s": ["needle"]}"#).unwrap();
    m.add_rule("pair", r#"{"g": {"a": [1], "b": [2]}}"#)
        .unwrap();

    let numbers: Vec<String> = (0..N).map(|i| i.to_string()).collect();
    let event = format!(r#"{{"n": [{}]}}"#, numbers.join(","));
    assert_eq!(m.matches(event.as_bytes()).unwrap(), vec!["big"]);

    // 100,000 arrays of one element each, nested two deep, the needle in the last.
    let mut event = String::from(r#"{"s": ["#);
    for _ in 0..N - 1 {
        event.push_str(r#"[["hay"]],"#);
    }
    event.push_str(r#"[["needle"]]]}"#);
    assert_eq!(m.matches(event.as_bytes()).unwrap(), vec!["s"]);

    // 100,000 elements with `a: 1` and one with `b: 2` too, at the end. (Many with `b: 2`
    // alone as well is quadratic today: see tests/fuzz_regressions.rs.)
    let mut event = String::from(r#"{"g": ["#);
    for _ in 0..N {
        event.push_str(r#"{"a": 1},"#);
    }
    event.push_str(r#"{"b": 2}]}"#);
    assert!(m.matches(event.as_bytes()).unwrap().is_empty());
    event.truncate(event.len() - r#"{"b": 2}]}"#.len());
    event.push_str(r#"{"a": 1, "b": 2}]}"#);
    assert_eq!(m.matches(event.as_bytes()).unwrap(), vec!["pair"]);
}

#[test]
fn empty_and_deeply_empty_arrays_are_not_values() {
    let mut m = Matcher::new();
    m.add_rule("exists", r#"{"a": [{"exists": true}]}"#)
        .unwrap();
    m.add_rule("absent", r#"{"a": [{"exists": false}]}"#)
        .unwrap();
    let empties = format!(r#"{{"a": [{}]}}"#, vec!["[[]]"; N].join(","));
    assert_eq!(m.matches(empties.as_bytes()).unwrap(), vec!["absent"]);
}
