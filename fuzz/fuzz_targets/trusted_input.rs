//! Trusted-input mode ([`evpattern::Matcher::set_trusted_input`]) over arbitrary bytes, with
//! the rule set of `match_event`.
//!
//! Checks the mode's contract: it never panics or hangs, whatever the bytes; and on an event
//! that is valid JSON (as the reference reader, `JsonNode::parse`, reads it) without duplicate
//! keys in any object, it answers exactly as the default mode.
#![no_main]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use evpattern::json::JsonNode;
use evpattern::{Matcher, DEFAULT_MAX_DEPTH};
use libfuzzer_sys::fuzz_target;

/// Short field names so that mutations find them; the seeds of fuzz/seeds/match_event suit this target too.
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
    default: Matcher<usize>,
    trusted: Matcher<usize>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut default = Matcher::new();
        for (i, text) in RULES.iter().enumerate() {
            default
                .add_rule(i, text)
                .unwrap_or_else(|e| panic!("{text}: {e}"));
        }
        let mut trusted = default.clone();
        trusted.set_trusted_input(true);
        Fixture { default, trusted }
    })
}

/// Whether no object in `node` repeats a key.
fn no_duplicate_keys(node: &JsonNode) -> bool {
    match node {
        JsonNode::Object(members) => {
            let mut keys = BTreeSet::new();
            members
                .iter()
                .all(|(key, value)| keys.insert(key.as_str()) && no_duplicate_keys(value))
        }
        JsonNode::Array(items) => items.iter().all(no_duplicate_keys),
        _ => true,
    }
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let trusted = fixture.trusted.matches(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(node) = JsonNode::parse(text, DEFAULT_MAX_DEPTH) else {
        return;
    };
    if no_duplicate_keys(&node) {
        assert_eq!(
            trusted,
            fixture.default.matches(data),
            "trusted-input mode differs on valid JSON without duplicate keys"
        );
    }
});
