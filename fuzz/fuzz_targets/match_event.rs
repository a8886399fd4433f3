//! The event scanner and the compiled matcher over arbitrary bytes, with a fixed rule set
//! that uses every operator, arrays and `$or`.
//!
//! Checks: never panics or hangs; an event is refused exactly when the reference reader
//! (`JsonNode::parse` of the UTF-8 text) refuses it; an accepted event matches exactly the
//! rules the reference matcher says it matches.
#![no_main]

use std::sync::OnceLock;

use evpattern::DEFAULT_MAX_DEPTH;
use evpattern::{Matcher, Pattern};
use libfuzzer_sys::fuzz_target;

#[path = "../common/agree.rs"]
mod agree;

/// Short field names so that mutations find them; seeds in fuzz/seeds/match_event use them.
const RULES: &[&str] = &[
    r#"{"a": ["x", 5, true, false, null, ""]}"#,
    r#"{"a": [{"prefix": "x"}]}"#,
    r#"{"a": [{"prefix": {"equals-ignore-case": "Xy"}}]}"#,
    r#"{"a": [{"suffix": "z"}]}"#,
    r#"{"a": [{"suffix": {"equals-ignore-case": "éZ"}}]}"#,
    r#"{"a": [{"equals-ignore-case": "ǅxİ"}]}"#,
    r#"{"a": [{"wildcard": "x*y*z"}]}"#,
    r#"{"a": [{"wildcard": "*\\**"}]}"#,
    r#"{"a": [{"anything-but": "x"}]}"#,
    r#"{"a": [{"anything-but": 5}]}"#,
    r#"{"a": [{"anything-but": ["x", "y"]}]}"#,
    r#"{"a": [{"anything-but": [1, 2.5]}]}"#,
    r#"{"a": [{"anything-but": {"prefix": "x"}}]}"#,
    r#"{"a": [{"anything-but": {"suffix": "x"}}]}"#,
    r#"{"a": [{"anything-but": {"equals-ignore-case": ["X", "y"]}}]}"#,
    r#"{"a": [{"anything-but": {"wildcard": "x*"}}]}"#,
    r#"{"b": [{"numeric": [">", 0, "<=", 5]}]}"#,
    r#"{"b": [{"numeric": ["=", 3e2]}]}"#,
    r#"{"b": [{"numeric": ["<", -1e300]}]}"#,
    r#"{"b": [300, -0, 0.1, 123456789012345678901234567890]}"#,
    r#"{"c": [{"exists": true}]}"#,
    r#"{"c": [{"exists": false}]}"#,
    r#"{"c": [{"exists": false}, "x"]}"#,
    r#"{"d": [{"cidr": "10.0.0.0/8"}]}"#,
    r#"{"d": [{"cidr": "2001:db8::/32"}]}"#,
    r#"{"e": {"f": ["Anna"], "l": ["Smith"]}}"#,
    r#"{"e.f": [{"prefix": "A"}], "e": {"l": [{"exists": true}]}, "a": [{"exists": false}]}"#,
    r#"{"$or": [{"a": ["x"]}, {"b": [1], "$or": [{"c": ["y"]}, {"d": [{"exists": false}]}]}]}"#,
    r#"{"e": {"$or": [{"f": ["A"]}, {"l": ["S"]}]}, "b": [{"numeric": [">=", 1]}]}"#,
    r#"{"a.b": [{"anything-but": {"prefix": "q"}}], "a": {"c": [{"exists": true}]}}"#,
];

struct Fixture {
    patterns: Vec<Pattern>,
    matcher: Matcher<usize>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let patterns: Vec<Pattern> = RULES
            .iter()
            .map(|text| Pattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}")))
            .collect();
        let mut matcher = Matcher::new();
        for (i, pattern) in patterns.iter().enumerate() {
            matcher.add_pattern(i, pattern.clone());
        }
        assert_eq!(matcher.max_depth(), DEFAULT_MAX_DEPTH);
        Fixture { patterns, matcher }
    })
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    agree::assert_agree(&fixture.matcher, &fixture.patterns, data);
});
