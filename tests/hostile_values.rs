//! Hostile values: huge strings, invalid UTF-8 and lone surrogate escapes anywhere, numbers
//! beyond doubles, duplicate keys. Each must give the right answer or a precise error.

use evpattern::json::JsonNode;
use evpattern::matcher::{EventErrorKind, Matcher};
use evpattern::pattern::ErrorKind;
use evpattern::reference;
use evpattern::Pattern;
use evpattern::DEFAULT_MAX_DEPTH;

/// A matcher of the given (key, pattern) rules.
fn matcher(rules: &[(&'static str, &str)]) -> Matcher<&'static str> {
    let mut m = Matcher::new();
    for (key, pattern) in rules {
        m.add_rule(*key, pattern)
            .unwrap_or_else(|e| panic!("{pattern}: {e}"));
    }
    m
}

/// The keys the reference matcher says `event` matches, in rule order.
fn reference_keys(rules: &[(&'static str, &str)], event: &str) -> Vec<&'static str> {
    let node = JsonNode::parse(event, DEFAULT_MAX_DEPTH).expect("valid event");
    rules
        .iter()
        .filter(|(_, pattern)| reference::matches(&Pattern::parse(pattern).unwrap(), &node))
        .map(|(key, _)| *key)
        .collect()
}

const FIFTY_MB: usize = 50 << 20;

#[test]
fn a_50_mb_string_in_a_used_field_gets_the_right_answer() {
    let rules: &[(&str, &str)] = &[
        ("prefix", r#"{"a": [{"prefix": "xxxx"}]}"#),
        ("suffix", r#"{"a": [{"suffix": "xy"}]}"#),
        ("exact", r#"{"a": ["x"]}"#),
        ("wildcard", r#"{"a": [{"wildcard": "x*x*y"}]}"#),
        ("wildcard-miss", r#"{"a": [{"wildcard": "*z*"}]}"#),
        (
            "ignore-case",
            r#"{"a": [{"prefix": {"equals-ignore-case": "XXX"}}]}"#,
        ),
        ("anything-but", r#"{"a": [{"anything-but": "x"}]}"#),
        ("sibling", r#"{"b": [1]}"#),
    ];
    let mut event = String::with_capacity(FIFTY_MB + 32);
    event.push_str(r#"{"a": ""#);
    event.push_str(&"x".repeat(FIFTY_MB));
    event.push_str(r#"y", "b": 1}"#);
    let got = matcher(rules).matches(event.as_bytes()).unwrap();
    let expected = vec![
        "prefix",
        "suffix",
        "wildcard",
        "ignore-case",
        "anything-but",
        "sibling",
    ];
    assert_eq!(got, expected);
    assert_eq!(reference_keys(rules, &event), expected);
}

#[test]
fn a_50_mb_string_full_of_escapes_in_a_skipped_field_is_validated_and_skipped() {
    let rules: &[(&str, &str)] = &[("b", r#"{"b": [1]}"#)];
    let m = matcher(rules);
    // `\"`, `\\` and `\u00e9` repeated: every byte of it must still be checked.
    let unit = r#"\"\\\u00e9é"#;
    let body = unit.repeat(FIFTY_MB / unit.len());
    let mut event = String::with_capacity(body.len() + 64);
    event.push_str(r#"{"skip": [""#);
    event.push_str(&body);
    event.push_str(r#""], "b": 1}"#);
    assert_eq!(m.matches(event.as_bytes()).unwrap(), vec!["b"]);

    // The same text with one bad escape at its very end is refused, at the right byte.
    let bad_at = event.len() - r#""], "b": 1}"#.len();
    event.insert_str(bad_at, r"\x");
    let err = m.matches(event.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::InvalidEscape);
    assert_eq!(err.offset(), bad_at);
}

/// An event with `bad` spliced in at each named place; `used` says whether a rule reads the
/// place (the scanner must refuse skipped text just the same).
fn places(bad: &str) -> Vec<(&'static str, String)> {
    vec![
        ("used key", format!(r#"{{"a{bad}": "x", "a": "x"}}"#)),
        ("used value", format!(r#"{{"a": "x{bad}"}}"#)),
        ("value in used array", format!(r#"{{"a": ["x", "{bad}"]}}"#)),
        ("skipped key", format!(r#"{{"z{bad}": 1, "a": "x"}}"#)),
        ("skipped value", format!(r#"{{"a": "x", "z": "{bad}"}}"#)),
        (
            "deep skipped value",
            format!(r#"{{"z": [{{"q": ["{bad}"]}}], "a": "x"}}"#),
        ),
        (
            "key of skipped object",
            format!(r#"{{"z": {{"{bad}": null}}, "a": "x"}}"#),
        ),
    ]
}

#[test]
fn invalid_utf8_anywhere_is_an_error_at_its_offset() {
    let m = matcher(&[("a", r#"{"a": ["x"]}"#)]);
    for bad in [
        &[0xff][..],
        &[0xc0, 0x80],             // overlong NUL
        &[0xed, 0xa0, 0x80],       // a surrogate encoded in UTF-8
        &[0xe2, 0x82],             // truncated sequence
        &[0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
        &[0x80],                   // lone continuation byte
    ] {
        for (place, template) in places("\u{1}") {
            let at = template.find('\u{1}').unwrap();
            let mut event = template.into_bytes();
            event.splice(at..=at, bad.iter().copied());
            let err = m.matches(&event).unwrap_err();
            assert_eq!(err.kind(), &EventErrorKind::InvalidUtf8, "{place} {bad:x?}");
            assert_eq!(err.offset(), at, "{place} {bad:x?}");
            assert!(std::str::from_utf8(&event).is_err());
        }
    }
}

#[test]
fn lone_surrogate_escapes_anywhere_are_errors_for_every_reader() {
    let m = matcher(&[("a", r#"{"a": ["x"]}"#)]);
    let pattern = Pattern::parse(r#"{"a": ["x"]}"#).unwrap();
    for bad in [
        r"\ud800",
        r"\udfff",
        r"\udc00\ud800",
        r"\ud800\u0041",
        r"\ud800\n",
        r"\uD83D",
        r"\ud83d\ud83d",
        r"\ud83d\",
    ] {
        for (place, event) in places(bad) {
            let err = m.matches(event.as_bytes()).unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    EventErrorKind::LoneSurrogate | EventErrorKind::InvalidEscape
                ),
                "{place} {bad}: {err}"
            );
            assert!(
                reference::matches_text(&pattern, &event).is_err(),
                "{place} {bad}"
            );
        }
    }
    // A valid pair is one character wherever it is.
    for (place, event) in places(r"\ud83d\ude00") {
        let expected: Vec<&str> = if place == "used value" {
            vec![]
        } else {
            vec!["a"]
        };
        assert_eq!(m.matches(event.as_bytes()).unwrap(), expected, "{place}");
        assert_eq!(
            reference::matches_text(&pattern, &event),
            Ok(!expected.is_empty())
        );
    }
    let emoji = matcher(&[("e", r#"{"a": ["x😀"]}"#)]);
    assert_eq!(
        emoji.matches(br#"{"a": "x\ud83d\ude00"}"#).unwrap(),
        vec!["e"]
    );
}

#[test]
fn lone_surrogate_escapes_in_patterns_are_syntax_errors() {
    for pattern in [
        r#"{"a": ["\ud800"]}"#,
        r#"{"\udc00": ["x"]}"#,
        r#"{"a": [{"prefix": "\ud83d"}]}"#,
        r#"{"a": [{"wildcard": "*\udfff*"}]}"#,
        r#"{"a": {"\ud800b": [1]}}"#,
    ] {
        let err = Pattern::parse(pattern).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Syntax, "{pattern}: {err}");
    }
}

#[test]
fn numbers_beyond_doubles_compare_by_text_and_never_numerically() {
    let digits400 = "9".repeat(400);
    let digits300 = "7".repeat(300);
    let exact_huge = format!(r#"{{"n": [{digits400}]}}"#);
    let rules: Vec<(&'static str, &str)> = vec![
        ("exact 1e999999", r#"{"n": [1e999999]}"#),
        ("exact zero", r#"{"n": [0]}"#),
        ("exact -0", r#"{"n": [-0]}"#),
        ("numeric positive", r#"{"n": [{"numeric": [">", 0]}]}"#),
        ("numeric = 0", r#"{"n": [{"numeric": ["=", 0]}]}"#),
        ("numeric huge", r#"{"n": [{"numeric": [">", 7e299]}]}"#),
        ("anything-but 5", r#"{"n": [{"anything-but": 5}]}"#),
        ("exact 400 digits", &exact_huge),
    ];
    let m = matcher(&rules);
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            r#"{"n": 1e999999}"#.into(),
            vec!["exact 1e999999", "anything-but 5"],
        ),
        (r#"{"n": 1e999998}"#.into(), vec!["anything-but 5"]),
        (r#"{"n": -1e999999}"#.into(), vec!["anything-but 5"]),
        // Underflows to zero as a double: equal to 0 numerically, but not the text of 0.
        (
            r#"{"n": 1e-999999}"#.into(),
            vec!["numeric = 0", "anything-but 5"],
        ),
        (
            r#"{"n": -0}"#.into(),
            vec!["exact zero", "exact -0", "numeric = 0", "anything-but 5"],
        ),
        (
            r#"{"n": -0.0e10}"#.into(),
            vec!["exact zero", "exact -0", "numeric = 0", "anything-but 5"],
        ),
        (
            format!(r#"{{"n": {digits400}}}"#),
            vec!["anything-but 5", "exact 400 digits"],
        ),
        (format!(r#"{{"n": {digits400}.0}}"#), vec!["anything-but 5"]),
        (
            format!(r#"{{"n": {digits300}}}"#),
            vec!["numeric positive", "numeric huge", "anything-but 5"],
        ),
        (r#"{"n": "1e999999"}"#.into(), vec!["anything-but 5"]),
    ];
    for (event, expected) in &cases {
        assert_eq!(&m.matches(event.as_bytes()).unwrap(), expected, "{event}");
        assert_eq!(
            &reference_keys(&rules, event),
            expected,
            "reference: {event}"
        );
    }
}

#[test]
fn out_of_range_numeric_bounds_are_refused_with_the_aws_reason() {
    for (pattern, bad) in [
        (r#"{"n": [{"numeric": [">", 1e999999]}]}"#, "1e999999"),
        (r#"{"n": [{"numeric": ["<", -1e400]}]}"#, "-1e400"),
    ] {
        let err = Pattern::parse(pattern).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert_eq!(
            err.reason(),
            format!("Value must be between -1.7976931348623157e308 and 1.7976931348623157e308, inclusive: {bad}")
        );
    }
}

#[test]
fn malformed_numbers_are_refused_even_where_skipped() {
    let m = matcher(&[("a", r#"{"a": [1]}"#)]);
    for bad in [
        "01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "--1",
    ] {
        for event in [
            format!(r#"{{"a": {bad}}}"#),
            format!(r#"{{"a": 1, "z": [{bad}]}}"#),
        ] {
            assert!(m.matches(event.as_bytes()).is_err(), "{event}");
            assert!(JsonNode::parse(&event, 8).is_err(), "{event}");
        }
    }
}

#[test]
fn duplicate_event_keys_each_count() {
    let rules: &[(&str, &str)] = &[
        ("x", r#"{"a": ["x"]}"#),
        ("y", r#"{"a": ["y"]}"#),
        ("a.b", r#"{"a": {"b": [1]}}"#),
        ("x and b", r#"{"a": ["x"], "c": {"d": [true]}}"#),
        ("absent", r#"{"q": [{"exists": false}]}"#),
    ];
    let m = matcher(rules);
    let event = r#"{"a": "x", "a": "y", "a": {"b": 1}, "c": {"d": false}, "c": {"d": true}}"#;
    let expected = vec!["x", "y", "a.b", "x and b", "absent"];
    assert_eq!(m.matches(event.as_bytes()).unwrap(), expected);
    assert_eq!(reference_keys(rules, event), expected);

    // A hundred thousand duplicates of one key: every value is seen, the last included.
    let mut big = String::from("{");
    for i in 0..100_000 {
        big.push_str(&format!(r#""a": "v{i}", "#));
    }
    big.push_str(r#""a": "y"}"#);
    assert_eq!(m.matches(big.as_bytes()).unwrap(), vec!["y", "absent"]);
}

#[test]
fn duplicate_pattern_keys_last_wins_across_dotted_and_nested_spellings() {
    let m = matcher(&[
        ("plain", r#"{"a": ["x"], "a": ["y"]}"#),
        ("dotted", r#"{"b.c": ["x"], "b": {"c": ["y"]}}"#),
        ("nested", r#"{"d": {"e": ["y"]}, "d.e": ["x"]}"#),
    ]);
    assert_eq!(
        m.matches(br#"{"a": "y", "b": {"c": "y"}, "d": {"e": "x"}}"#)
            .unwrap(),
        vec!["plain", "dotted", "nested"]
    );
    assert!(m
        .matches(br#"{"a": "x", "b": {"c": "x"}, "d": {"e": "y"}}"#)
        .unwrap()
        .is_empty());
}
