//! Hostile rule sets: ten thousand wildcard rules, wildcard sets built to explode an
//! automaton, and `$or`s that expand past the limit. Each must be refused by a limit or stay
//! bounded, and answer right.

use evpattern::json::JsonNode;
use evpattern::pattern::{ErrorKind, Limits};
use evpattern::reference;
use evpattern::{Matcher, Pattern};

const RULES: usize = 10_000;

#[test]
fn ten_thousand_wildcard_rules_answer_right_and_stay_small() {
    let mut m = Matcher::new();
    let mut total_pattern_bytes = 0;
    for i in 0..RULES {
        // Anchored at the front, in the middle, at the back, and floating.
        let wildcard = match i % 4 {
            0 => format!("user{i}/*/file*.txt"),
            1 => format!("*/{i}.log"),
            2 => format!("*-{i}-*"),
            _ => format!("t{i}*x*y*z"),
        };
        let pattern = format!(r#"{{"p": [{{"wildcard": "{wildcard}"}}]}}"#);
        total_pattern_bytes += pattern.len();
        m.add_rule(i, &pattern).unwrap();
    }
    assert_eq!(m.len(), RULES);
    let stats = m.stats();
    // Bounded: linear in the rules' text, no product of wildcards.
    assert!(
        stats.states < 4 * total_pattern_bytes,
        "{} states for {total_pattern_bytes} bytes of patterns",
        stats.states
    );

    let cases: Vec<(&str, Vec<usize>)> = vec![
        ("user40/a/b/file7.txt", vec![40]),
        ("user4/x/file.txt", vec![4]),
        ("user4/file.txt", vec![]),
        ("a/b/41.log", vec![41]),
        ("/1.log", vec![1]),
        ("x-42-y-46-z", vec![42, 46]),
        ("--42--", vec![42]),
        ("t43xyz", vec![43]),
        ("t43zyx", vec![]),
        ("user40/-42-/file-46-.txt", vec![40, 42, 46]),
        ("", vec![]),
    ];
    for (value, expected) in cases {
        let event = format!(r#"{{"p": "{value}"}}"#);
        assert_eq!(m.matches(event.as_bytes()).unwrap(), expected, "{value}");
    }
}

#[test]
fn wildcard_sets_that_explode_an_automaton_are_refused_by_the_complexity_check() {
    for pattern in [
        // AWS rejects this one (recorded).
        r#"{"a": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}"#,
        r#"{"a": [{"wildcard": "*a*a*a*a*a*a*a*a*a*a*a*"}]}"#,
        r#"{"a": [{"wildcard": "*ab*ab*ab*ab*ab*ab*ab*ab*"}]}"#,
    ] {
        let err = Pattern::parse(pattern).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooComplex, "{pattern}");
        assert_eq!(
            err.reason(),
            "Rule is too complex - try using fewer wildcard characters or fewer repeating \
             character sequences after a wildcard character"
        );
    }
    // Each wildcard alone is simple; together, at one path, they are not.
    let together: Vec<String> = (0..40)
        .map(|i| format!(r#"{{"wildcard": "*{}*"}}"#, "a".repeat(i + 1)))
        .collect();
    let pattern = format!(r#"{{"a": [{}]}}"#, together.join(", "));
    assert_eq!(
        Pattern::parse(&pattern).unwrap_err().kind(),
        ErrorKind::TooComplex
    );
    // Also when spread over `$or` alternatives and anything-but.
    let pattern = r#"{"$or": [{"a": [{"wildcard": "*:*:*"}]},
        {"a": [{"anything-but": {"wildcard": ["*:*:*:event-bus/*", "*:*"]}}]}]}"#;
    assert_eq!(
        Pattern::parse(pattern).unwrap_err().kind(),
        ErrorKind::TooComplex
    );
}

/// Rules each accepted on its own, but whose wildcards at one path would multiply into a
/// huge automaton if combined into one DFA: the matcher stays linear in their size and
/// answers what the reference answers on adversarial values.
#[test]
fn many_individually_accepted_wildcards_at_one_path_stay_bounded() {
    let mut patterns = Vec::new();
    for i in 0..300 {
        let c = char::from(b'a' + (i % 26) as u8);
        let d = char::from(b'a' + (i / 26 % 26) as u8);
        patterns.push(format!(r#"{{"a": [{{"wildcard": "*{c}*{d}*{c}{d}*"}}]}}"#));
    }
    let mut m = Matcher::new();
    let mut total = 0;
    for (i, text) in patterns.iter().enumerate() {
        total += text.len();
        m.add_rule(i, text).unwrap();
    }
    assert!(m.stats().states < 4 * total, "{:?}", m.stats());
    let parsed: Vec<Pattern> = patterns
        .iter()
        .map(|t| Pattern::parse(t).unwrap())
        .collect();
    for value in [
        "abcdefghijklmnopqrstuvwxyz".repeat(40),
        "ab".repeat(2000),
        "zyxwvutsrqponmlkjihgfedcba".repeat(3),
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab".to_owned(),
    ] {
        let event = format!(r#"{{"a": "{value}"}}"#);
        let node = JsonNode::parse(&event, 4).unwrap();
        let expected: Vec<usize> = (0..parsed.len())
            .filter(|&i| reference::matches(&parsed[i], &node))
            .collect();
        assert_eq!(m.matches(event.as_bytes()).unwrap(), expected, "{value}");
    }
}

/// `{"f0": {"$or": [..2..]}, "f1": {"$or": [..2..]}, ...}`: 2^fields alternatives.
fn sibling_ors(fields: usize) -> String {
    let members: Vec<String> = (0..fields)
        .map(|i| format!(r#""f{i}": {{"$or": [{{"x": ["a"]}}, {{"y": ["b"]}}]}}"#))
        .collect();
    format!("{{{}}}", members.join(", "))
}

#[test]
fn or_expanding_past_the_limit_is_refused() {
    // 2^9 = 512 alternatives: accepted; 2^10 = 1024: refused.
    let pattern = Pattern::parse(&sibling_ors(9)).unwrap();
    let mut m = Matcher::new();
    m.add_pattern("r", pattern);
    assert_eq!(m.stats().alternatives, 512);
    let err = Pattern::parse(&sibling_ors(10)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyCombinations);
    assert_eq!(
        err.reason(),
        "Rule is too complex - the $or expressions expand to more than 1000 combinations"
    );
    // 2^200 saturates the count instead of overflowing, and is refused at once.
    assert_eq!(
        Pattern::parse(&sibling_ors(200)).unwrap_err().kind(),
        ErrorKind::TooManyCombinations
    );
    // Nested `$or`s add up: 1 + 2 alternatives.
    let nested = r#"{"$or": [{"a": ["1"]}, {"$or": [{"b": ["2"]}, {"c": ["3"]}]}]}"#;
    let pattern = Pattern::parse(nested).unwrap();
    let mut m = Matcher::new();
    m.add_pattern("n", pattern);
    assert_eq!(m.stats().alternatives, 3);
    assert_eq!(m.matches(br#"{"c": "3"}"#).unwrap(), vec!["n"]);
}

#[test]
fn the_or_limit_is_configurable() {
    let text = sibling_ors(10);
    let limits = Limits::default().with_max_or_combinations(1024);
    let pattern = Pattern::parse_with(&text, &limits).unwrap();
    let mut m = Matcher::new();
    m.add_pattern("r", pattern);
    assert_eq!(m.stats().alternatives, 1024);
    let event = br#"{"f0": {"x": "a"}, "f1": {"y": "b"}, "f2": {"x": "a"}, "f3": {"x": "a"},
        "f4": {"x": "a"}, "f5": {"x": "a"}, "f6": {"x": "a"}, "f7": {"x": "a"},
        "f8": {"x": "a"}, "f9": {"y": "b"}}"#;
    assert_eq!(m.matches(event).unwrap(), vec!["r"]);
    let tight = Limits::default().with_max_or_combinations(1023);
    assert_eq!(
        Pattern::parse_with(&text, &tight).unwrap_err().kind(),
        ErrorKind::TooManyCombinations
    );
}
