//! The reference matcher on the shape of events and patterns: array consistency, dotted keys,
//! duplicate keys, `$or`, absence, non-object roots, and the `serde_json::Value` entry point.

use evpattern::json::JsonNode;
use evpattern::reference::{matches, matches_text, matches_value};
use evpattern::Pattern;

/// Asserts, for one pattern, whether each event matches it.
fn check(pattern: &str, cases: &[(&str, bool)]) {
    let parsed = Pattern::parse(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e:?}"));
    for (event, expected) in cases {
        let got = matches_text(&parsed, event).unwrap_or_else(|e| panic!("event {event}: {e}"));
        assert_eq!(got, *expected, "pattern {pattern}\n  event {event}");
    }
}

mod array_consistency {
    use super::check;

    const PEOPLE: &str = r#"{"e": [{"f": "Anna", "l": "Smith"}, {"f": "Peter", "l": "Jones"}]}"#;

    #[test]
    fn fields_from_different_elements_of_one_array_do_not_combine() {
        let names = |f: &str, l: &str| format!(r#"{{"e": {{"f": ["{f}"], "l": ["{l}"]}}}}"#);
        check(&names("Anna", "Smith"), &[(PEOPLE, true)]);
        check(&names("Peter", "Jones"), &[(PEOPLE, true)]);
        check(&names("Anna", "Jones"), &[(PEOPLE, false)]);
        check(&names("Peter", "Smith"), &[(PEOPLE, false)]);
    }

    #[test]
    fn every_operator_is_bound_by_it() {
        check(
            r#"{"e": {"f": ["Anna"], "l": [{"anything-but": "Smith"}]}}"#,
            &[(PEOPLE, false)],
        );
        check(
            r#"{"e": {"f": ["Anna"], "l": [{"prefix": "J"}]}}"#,
            &[(PEOPLE, false)],
        );
        check(
            r#"{"e": {"f": [{"equals-ignore-case": "ANNA"}], "l": [{"wildcard": "S*"}]}}"#,
            &[(PEOPLE, true)],
        );
        check(
            r#"{"e": {"f": ["Anna"], "l": [{"exists": true}]}}"#,
            &[
                (PEOPLE, true),
                (r#"{"e": [{"f": "Anna"}, {"l": "Jones"}]}"#, false),
            ],
        );
    }

    #[test]
    fn the_search_backtracks_over_candidates() {
        check(
            r#"{"e": {"f": ["A"], "l": ["Y"]}}"#,
            &[
                (
                    r#"{"e": [{"f": "A", "l": "X"}, {"f": "A", "l": "Y"}]}"#,
                    true,
                ),
                (
                    r#"{"e": [{"f": "A", "l": "X"}, {"f": "B", "l": "Y"}]}"#,
                    false,
                ),
            ],
        );
    }

    #[test]
    fn nested_arrays_of_arrays() {
        let pattern = r#"{"e": {"f": ["Anna"], "l": ["Smith"]}}"#;
        check(
            pattern,
            &[
                (
                    r#"{"e": [[{"f": "Anna", "l": "Smith"}], [{"f": "Peter", "l": "Jones"}]]}"#,
                    true,
                ),
                (
                    r#"{"e": [[{"f": "Anna", "l": "Jones"}], [{"f": "Peter", "l": "Smith"}]]}"#,
                    false,
                ),
                // Same outer element, different inner elements.
                (r#"{"e": [[{"f": "Anna"}, {"l": "Smith"}]]}"#, false),
                (r#"{"e": [[[{"f": "Anna", "l": "Smith"}]]]}"#, true),
            ],
        );
    }

    #[test]
    fn arrays_inside_array_elements() {
        check(
            r#"{"e": {"f": ["Ann"], "l": ["Smith"]}}"#,
            &[
                (
                    r#"{"e": [{"f": ["Anna", "Ann"], "l": "Smith"}, {"f": "Peter", "l": "Jones"}]}"#,
                    true,
                ),
                (
                    r#"{"e": [{"f": ["Anna", "Ann"], "l": "Jones"}, {"f": "Peter", "l": "Smith"}]}"#,
                    false,
                ),
            ],
        );
    }

    #[test]
    fn different_arrays_and_arrays_of_primitives_combine_freely() {
        check(
            r#"{"a": ["x"], "b": ["z"]}"#,
            &[(r#"{"a": ["w", "x"], "b": ["z", "v"]}"#, true)],
        );
        check(
            r#"{"a": {"x": [1]}, "b": {"y": [3]}}"#,
            &[(r#"{"a": [{"x": 1}], "b": [{"y": 2}, {"y": 3}]}"#, true)],
        );
        check(
            r#"{"s": ["top"], "e": {"f": ["Anna"]}}"#,
            &[(
                r#"{"s": "top", "e": [{"f": "Peter"}, {"f": "Anna"}]}"#,
                true,
            )],
        );
    }

    #[test]
    fn or_alternatives_are_bound_by_it_too() {
        let pattern = r#"{"e": {"f": ["Anna"], "$or": [{"l": ["Jones"]}, {"l": ["Smith"]}]}}"#;
        check(pattern, &[(PEOPLE, true)]);
        let pattern = r#"{"e": {"f": ["Anna"], "$or": [{"l": ["Jones"]}, {"x": ["y"]}]}}"#;
        check(pattern, &[(PEOPLE, false)]);
    }

    #[test]
    fn absence_is_global_not_per_element() {
        // Lead's rule: exists:false holds only when no leaf is at the path anywhere.
        check(
            r#"{"e": {"f": ["Anna"], "l": [{"exists": false}]}}"#,
            &[
                (
                    r#"{"e": [{"f": "Anna"}, {"f": "Peter", "l": "Jones"}]}"#,
                    false,
                ),
                (r#"{"e": [{"f": "Anna"}, {"f": "Peter"}]}"#, true),
            ],
        );
    }
}

mod paths {
    use super::check;

    #[test]
    fn dotted_event_keys_equal_nesting() {
        check(
            r#"{"a": {"b": {"c": ["x"]}}}"#,
            &[
                (r#"{"a.b.c": "x"}"#, true),
                (r#"{"a": {"b.c": "x"}}"#, true),
                (r#"{"a.b": {"c": "x"}}"#, true),
                (r#"{"a.b": {"c": {"d": "x"}}}"#, false),
                (r#"{"a": {"b": {"c": "x"}}}"#, true),
            ],
        );
    }

    #[test]
    fn dotted_pattern_keys_equal_nesting() {
        check(
            r#"{"a.b": {"c": ["x"]}}"#,
            &[
                (r#"{"a": {"b": {"c": "x"}}}"#, true),
                (r#"{"a": {"b.c": "x"}}"#, true),
                (r#"{"a": {"b": {"c": "y"}}}"#, false),
            ],
        );
    }

    #[test]
    fn both_spellings_in_one_event_give_two_leaves_at_one_path() {
        check(r#"{"a.b": [2]}"#, &[(r#"{"a.b": 1, "a": {"b": 2}}"#, true)]);
        check(
            r#"{"a": {"b": [1]}}"#,
            &[(r#"{"a.b": 1, "a": {"b": 2}}"#, true)],
        );
    }

    #[test]
    fn keys_are_case_sensitive_and_unnamed_fields_are_ignored() {
        check(
            r#"{"MY_KEY": ["v"]}"#,
            &[
                (r#"{"my_key": "v"}"#, false),
                (r#"{"MY_KEY": "v", "other": {"deep": [1, 2]}}"#, true),
            ],
        );
    }

    #[test]
    fn strings_are_never_parsed_as_json() {
        check(
            r#"{"detail": {"k": ["v"]}}"#,
            &[(r#"{"detail": "{\"k\": \"v\"}"}"#, false)],
        );
    }
}

mod duplicate_event_keys {
    use super::check;

    #[test]
    fn each_value_counts() {
        let event = r#"{"a": "x", "a": "y"}"#;
        check(r#"{"a": ["x"]}"#, &[(event, true)]);
        check(r#"{"a": ["y"]}"#, &[(event, true)]);
        check(r#"{"a": [{"anything-but": "x"}]}"#, &[(event, true)]);
        check(
            r#"{"a": [{"anything-but": ["x", "y"]}]}"#,
            &[(event, false)],
        );
        check(r#"{"a": [{"exists": false}]}"#, &[(event, false)]);
    }

    #[test]
    fn duplicated_objects_each_contribute_fields() {
        let event = r#"{"a": {"b": 1}, "a": {"c": 2}}"#;
        check(r#"{"a": {"b": [1], "c": [2]}}"#, &[(event, true)]);
        check(r#"{"a": {"b": [{"exists": false}]}}"#, &[(event, false)]);
    }
}

mod or {
    use super::check;

    #[test]
    fn alternatives_are_anded_with_their_siblings() {
        check(
            r#"{"c": [3], "$or": [{"a": [1]}, {"b": [2]}]}"#,
            &[
                (r#"{"a": 1, "c": 3}"#, true),
                (r#"{"b": 2, "c": 3}"#, true),
                (r#"{"a": 1, "b": 2}"#, false),
                (r#"{"c": 3}"#, false),
            ],
        );
    }

    #[test]
    fn sibling_ors_multiply() {
        let pattern = r#"{
            "x": {"$or": [{"a": [1]}, {"b": [1]}]},
            "y": {"$or": [{"c": [1]}, {"d": [1]}]}
        }"#;
        check(
            pattern,
            &[
                (r#"{"x": {"b": 1}, "y": {"c": 1}}"#, true),
                (r#"{"x": {"a": 1}, "y": {"d": 1}}"#, true),
                (r#"{"x": {"a": 1, "b": 1}}"#, false),
                (r#"{"y": {"c": 1, "d": 1}}"#, false),
            ],
        );
    }

    #[test]
    fn ors_nest() {
        let pattern = r#"{"$or": [
            {"a": [1]},
            {"b": [1], "$or": [{"c": [1]}, {"d": {"$or": [{"e": [1]}, {"f": [1]}]}}]}
        ]}"#;
        check(
            pattern,
            &[
                (r#"{"a": 1}"#, true),
                (r#"{"b": 1, "c": 1}"#, true),
                (r#"{"b": 1, "d": {"f": 1}}"#, true),
                (r#"{"b": 1, "d": {"g": 1}}"#, false),
                (r#"{"b": 1}"#, false),
                (r#"{"c": 1, "d": {"e": 1}}"#, false),
            ],
        );
    }

    #[test]
    fn numeric_alternatives() {
        let pattern = r#"{"detail": {"$or": [
            {"c-count": [{"numeric": [">", 0, "<=", 5]}]},
            {"d-count": [{"numeric": ["<", 10]}]},
            {"x-limit": [{"numeric": ["=", 301.8]}]}
        ]}}"#;
        check(
            pattern,
            &[
                (
                    r#"{"detail": {"c-count": 0, "d-count": 0, "x-limit": 901.8}}"#,
                    true,
                ),
                (
                    r#"{"detail": {"c-count": 0, "d-count": 10, "x-limit": 901.8}}"#,
                    false,
                ),
                (r#"{"detail": {"x-limit": 301.8}}"#, true),
            ],
        );
    }

    #[test]
    fn a_path_in_a_clause_and_in_its_alternative_must_both_hold() {
        // Lead's rule (event-ruler instead lets the later of the two replace the other).
        check(
            r#"{"a": [{"prefix": "x"}], "$or": [{"a": [{"suffix": "z"}]}, {"b": [1]}]}"#,
            &[
                (r#"{"a": "xyz"}"#, true),
                (r#"{"a": "xy"}"#, false),
                (r#"{"a": "yz"}"#, false),
                (r#"{"a": "xy", "b": 1}"#, true),
            ],
        );
    }
}

mod roots_and_entry_points {
    use super::*;

    #[test]
    fn a_non_object_root_has_no_fields() {
        let absent = Pattern::parse(r#"{"a": [{"exists": false}]}"#).unwrap();
        let present = Pattern::parse(r#"{"a": [{"exists": true}]}"#).unwrap();
        let anything_but = Pattern::parse(r#"{"a": [{"anything-but": "x"}]}"#).unwrap();
        for root in ["[]", r#"[{"a": 1}]"#, "1", "\"a\"", "null", "true"] {
            assert_eq!(matches_text(&absent, root), Ok(true), "{root}");
            assert_eq!(matches_text(&present, root), Ok(false), "{root}");
            assert_eq!(matches_text(&anything_but, root), Ok(false), "{root}");
        }
    }

    #[test]
    fn bad_or_too_deep_event_text_is_an_error() {
        let p = Pattern::parse(r#"{"a": [{"exists": false}]}"#).unwrap();
        assert!(matches_text(&p, r#"{"a": }"#).is_err());
        let depth = evpattern::DEFAULT_MAX_DEPTH + 1;
        let deep = "[".repeat(depth) + &"]".repeat(depth);
        assert!(matches_text(&p, &deep).is_err());
    }

    #[test]
    fn a_serde_json_value_has_lost_duplicate_keys() {
        let p = Pattern::parse(r#"{"a": ["x"]}"#).unwrap();
        let text = r#"{"a": "x", "a": "y"}"#;
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(!matches_value(&p, &value));
        assert_eq!(matches_text(&p, text), Ok(true));
    }

    #[test]
    fn a_serde_json_value_matches_like_its_text_otherwise() {
        let p = Pattern::parse(
            r#"{"n": [300], "s": [{"prefix": "ab"}], "z": [null], "e": {"f": ["Anna"], "l": ["Smith"]}}"#,
        )
        .unwrap();
        let text = r#"{"n": 300.0, "s": "abc", "z": null, "e": [{"f": "Anna", "l": "Smith"}]}"#;
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(matches_value(&p, &value));
        assert_eq!(matches_text(&p, text), Ok(true));
        let node = JsonNode::parse(text, 16).unwrap();
        assert!(matches(&p, &node));
    }
}
