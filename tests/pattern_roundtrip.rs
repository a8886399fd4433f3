//! `Pattern::to_json` writes canonical JSON that parses back to an equal pattern (an
//! equivalent one where a clause holds several `$or`s, which JSON has one key for).

mod support;

use evpattern::pattern::Clause;
use evpattern::Pattern;
use proptest::prelude::*;

/// The pattern's meaning as a set of alternatives, each a set of (path, predicates) pairs:
/// two patterns with the same expansion match the same events.
fn expansion(pattern: &Pattern) -> Vec<Vec<(String, String)>> {
    fn expand(clause: &Clause) -> Vec<Vec<(String, String)>> {
        let own: Vec<(String, String)> = clause
            .conditions()
            .iter()
            .map(|c| (c.path().to_owned(), c.predicates_json()))
            .collect();
        let mut result = vec![own];
        for one_of in clause.any_of() {
            let choices: Vec<_> = one_of.iter().flat_map(expand).collect();
            result = result
                .iter()
                .flat_map(|so_far| {
                    choices.iter().map(move |choice| {
                        let mut combined = so_far.clone();
                        combined.extend(choice.iter().cloned());
                        combined
                    })
                })
                .collect();
        }
        result
    }
    let mut alternatives = expand(pattern.root());
    for alternative in &mut alternatives {
        alternative.sort();
        alternative.dedup();
    }
    alternatives.sort();
    alternatives.dedup();
    alternatives
}

fn several_ors_in_a_clause(clause: &Clause) -> bool {
    clause.any_of().len() > 1
        || clause
            .any_of()
            .iter()
            .flatten()
            .any(several_ors_in_a_clause)
}

/// `again` is `pattern` read back from its JSON: equal, or equivalent where `pattern` has a
/// clause with several `$or`s.
fn same_pattern(again: &Pattern, pattern: &Pattern) -> bool {
    if several_ors_in_a_clause(pattern.root()) {
        expansion(again) == expansion(pattern)
    } else {
        again == pattern
    }
}

fn round_trip(text: &str) -> String {
    let pattern = Pattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let json = pattern.to_json();
    let again = Pattern::parse(&json).unwrap_or_else(|e| panic!("{json} (from {text}): {e}"));
    assert!(same_pattern(&again, &pattern), "{text} → {json}");
    assert!(!has_repeated_or_key(&json), "{json}");
    assert_eq!(again.to_json(), json, "canonical form is stable");
    assert_eq!(pattern.to_string(), json, "Display is to_json");
    json
}

const PATTERNS: &[&str] = &[
    r#"{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}"#,
    r#"{"a": ["s", "", 1, -0.5, 3e2, 1e999, 12345678901234567890123, true, false, null]}"#,
    r#"{"a": [{"prefix": "p"}, {"prefix": ""}, {"suffix": "s"}, {"equals-ignore-case": "E"}]}"#,
    r#"{"a": [{"prefix": {"equals-ignore-case": "P"}}, {"suffix": {"equals-ignore-case": "S"}}]}"#,
    r#"{"a": [{"wildcard": "a*b\\*c\\\\*"}, {"wildcard": ""}]}"#,
    r#"{"a": [{"anything-but": "x"}, {"anything-but": ["x", "y"]}, {"anything-but": 5}]}"#,
    r#"{"a": [{"anything-but": [1, 2.5, 1e300]}, {"anything-but": {"prefix": "p"}}]}"#,
    r#"{"a": [{"anything-but": {"prefix": ["p", "q"]}}, {"anything-but": {"suffix": "s"}}]}"#,
    r#"{"a": [{"anything-but": {"suffix": ["x"]}}, {"anything-but": {"equals-ignore-case": ["A"]}}]}"#,
    r#"{"a": [{"anything-but": {"wildcard": ["*/x/*", "a*"]}}, {"anything-but": {"wildcard": "b*"}}]}"#,
    r#"{"a": [{"numeric": ["=", 301.8]}, {"numeric": ["<", 10]}, {"numeric": ["<=", -1e-9]}]}"#,
    r#"{"a": [{"numeric": [">", 0, "<=", 5]}, {"numeric": [">=", 1e308, "<", 1.7976931348623157e308]}]}"#,
    r#"{"a": [{"numeric": [">", 123456789012]}, {"numeric": [">=", 0.1]}]}"#,
    r#"{"a": [{"exists": true}], "b": [{"exists": false}]}"#,
    r#"{"a": [{"cidr": "10.0.0.7/24"}, {"cidr": "2001:db8::/32"}]}"#,
    r#"{"a": [{"exactly": "x"}]}"#,
    r#"{"detail": {"state": {"status": ["running"]}, "x.y": ["1"]}}"#,
    r#"{"a": ["1"], "a.b": ["2"], "a.b.c": ["3"], "a.d": {"e": ["4"]}}"#,
    r#"{"": ["empty"], "a.": ["dot"], "x": {"": ["inner"]}, ".b": ["lead"]}"#,
    r#"{"quote\"key": ["back\\slash"], "uni\u00e9": ["\ud83d\ude80"], "ctl": ["\n\t\u0001"]}"#,
    r#"{"source": ["s"], "$or": [{"a": ["1"]}, {"b": ["2"], "c": ["3"]}]}"#,
    r#"{"detail": {"$or": [{"c": [{"numeric": [">", 0]}]}, {"d": {"e": ["1"]}}]}}"#,
    r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}], "detail": {"$or": [{"c": ["3"]}, {"d": ["4"]}]}}"#,
    r#"{"$or": [{"a": ["1"]}, {"b": ["2"], "$or": [{"c": ["3"]}, {"d": ["4"]}]}]}"#,
    r#"{"a": ["1"], "$or": [{"a": ["2"]}, {"a": ["3"], "b": ["4"]}]}"#,
    r#"{"$or": {"metricType": ["MetricType"]}, "source": ["x"]}"#,
    r#"{"$or": [{"numeric": [">", 1]}, {"prefix": "abc"}]}"#,
    r#"{"$or": ["a", "b"]}"#,
];

#[test]
fn listed_patterns_round_trip() {
    for text in PATTERNS {
        round_trip(text);
    }
}

#[test]
fn canonical_form() {
    assert_eq!(
        round_trip(r#"{"b": {"y": [1], "x": [true]}, "a.c": ["z"], "a": {"b": ["y"]}}"#),
        r#"{"a":{"b":["y"],"c":["z"]},"b":{"x":[true],"y":[1]}}"#
    );
    assert_eq!(
        round_trip(r#"{"a": ["1"], "a": {"b": {"c": ["2"]}}}"#),
        r#"{"a":["1"],"a.b.c":["2"]}"#
    );
    assert_eq!(
        round_trip(r#"{"detail": {"x": ["1"], "$or": [{"c": ["3"]}, {"d": ["4"]}]}}"#),
        r#"{"detail":{"$or":[{"c":["3"]},{"d":["4"]}],"x":["1"]}}"#
    );
    assert_eq!(
        round_trip(r#"{"a": [{"numeric": [">=", 5, "<", 1e20]}, {"numeric": ["=", 0.5]}]}"#),
        r#"{"a":[{"numeric":[">=",5,"<",1e20]},{"numeric":["=",0.5]}]}"#
    );
    assert_eq!(
        round_trip(r#"{"a": [{"anything-but": ["x"]}, {"anything-but": {"prefix": ["p"]}}]}"#),
        r#"{"a":[{"anything-but":"x"},{"anything-but":{"prefix":"p"}}]}"#
    );
}

#[test]
fn recorded_corpus_patterns_round_trip() {
    let cases = support::conformance_cases();
    let mut checked = 0;
    for case in &cases {
        if Pattern::parse(&case.pattern).is_ok() {
            round_trip(&case.pattern);
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

/// Random pattern JSON: nested objects with keys that collide, nest, contain dots or are
/// `$or`, arrays of literals and operators. Many are invalid; the valid ones must round-trip.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_owned()),
        Just("b".to_owned()),
        Just("a.b".to_owned()),
        Just("".to_owned()),
        Just("$or".to_owned()),
        "[a-c.]{1,3}",
    ]
}

fn element() -> impl Strategy<Value = String> {
    let s = "[a-c*\\\\.]{0,4}";
    prop_oneof![
        s.prop_map(|s| serde_json::to_string(&s).unwrap()),
        any::<i32>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |v| v.is_finite())
            .prop_map(|v| format!("{v:e}")),
        Just("true".to_owned()),
        Just("null".to_owned()),
        "[a-c]{0,3}".prop_map(|s| format!(r#"{{"prefix": "{s}"}}"#)),
        "[a-c]{0,3}".prop_map(|s| format!(r#"{{"suffix": {{"equals-ignore-case": "{s}"}}}}"#)),
        "[a-c*]{0,4}".prop_map(|s| format!(r#"{{"wildcard": "{s}"}}"#)),
        "[a-c]{1,3}".prop_map(|s| format!(r#"{{"anything-but": {{"prefix": ["{s}", "x"]}}}}"#)),
        (any::<i16>(), any::<i16>())
            .prop_map(|(a, b)| format!(r#"{{"numeric": [">", {a}, "<=", {b}]}}"#)),
        any::<i16>().prop_map(|a| format!(r#"{{"anything-but": [{a}, 7]}}"#)),
        any::<bool>().prop_map(|b| format!(r#"{{"exists": {b}}}"#)),
        (0u8..=255, 0u8..32).prop_map(|(a, m)| format!(r#"{{"cidr": "10.{a}.0.1/{m}"}}"#)),
    ]
}

fn value() -> impl Strategy<Value = String> {
    let leaf =
        prop::collection::vec(element(), 1..3).prop_map(|items| format!("[{}]", items.join(",")));
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 1..4).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
            // A `$or` array of objects.
            prop::collection::vec(prop::collection::vec((key(), inner), 1..3), 2..4).prop_map(
                |alternatives| {
                    let alternatives: Vec<String> = alternatives
                        .into_iter()
                        .map(|members| {
                            let members: Vec<String> = members
                                .into_iter()
                                .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                                .collect();
                            format!("{{{}}}", members.join(","))
                        })
                        .collect();
                    format!(r#"{{"$or":[{}]}}"#, alternatives.join(","))
                }
            ),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_patterns_round_trip(members in prop::collection::vec((key(), value()), 1..4)) {
        let members: Vec<String> = members
            .into_iter()
            .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
            .collect();
        let text = format!("{{{}}}", members.join(","));
        if let Ok(pattern) = Pattern::parse(&text) {
            let json = pattern.to_json();
            let again = Pattern::parse(&json);
            prop_assert!(again.as_ref().is_ok_and(|a| same_pattern(a, &pattern)), "{} → {}", text, json);
            prop_assert_eq!(again.unwrap().to_json(), json.clone());
            prop_assert!(!has_repeated_or_key(&json), "{}", json);
        }
    }
}

/// Whether some object of `json` holds the key `$or` twice.
fn has_repeated_or_key(json: &str) -> bool {
    fn walk(node: &evpattern::json::JsonNode) -> bool {
        use evpattern::json::JsonNode;
        match node {
            JsonNode::Object(members) => {
                members.iter().filter(|(k, _)| k == "$or").count() > 1
                    || members.iter().any(|(_, v)| walk(v))
            }
            JsonNode::Array(items) => items.iter().any(walk),
            _ => false,
        }
    }
    walk(&evpattern::json::JsonNode::parse(json, 1000).expect("to_json writes JSON"))
}

#[test]
fn each_or_is_written_where_its_paths_meet() {
    // The second `$or` belongs under "c", so no repeated key and an equal pattern.
    let json = round_trip(
        r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}], "c": {"$or": [{"d": ["3"]}, {"e": ["4"]}]}}"#,
    );
    assert_eq!(
        json,
        r#"{"$or":[{"a":["1"]},{"b":["2"]}],"c":{"$or":[{"d":["3"]},{"e":["4"]}]}}"#
    );
    // Names reserved inside a `$or` stay outside it.
    for text in [
        r#"{"prefix": {"$or": [{"a": [1]}, {"b": [2]}]}}"#,
        r#"{"x": {">": {"$or": [{"a": [1]}, {"b": [2]}]}}}"#,
    ] {
        let json = round_trip(text);
        assert!(!json.starts_with(r#"{"$or""#), "{json}");
    }
}

#[test]
fn two_ors_of_one_object_are_written_without_a_repeated_key() {
    // Both `$or`s belong at the top: the second is written inside each alternative of the
    // first, which reads back as an equivalent pattern, one level deeper.
    let text = r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}], "$or": [{"c": ["3"]}, {"d": ["4"]}]}"#;
    let json = round_trip(text);
    assert!(!has_repeated_or_key(&json));
    assert_eq!(
        json,
        r#"{"$or":[{"$or":[{"c":["3"]},{"d":["4"]}],"a":["1"]},{"$or":[{"c":["3"]},{"d":["4"]}],"b":["2"]}]}"#
    );
}
