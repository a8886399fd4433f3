//! Issue 16's table, row by row, through every front end: `test_event_pattern`, the
//! reference matcher, the compiled `Matcher`, `evpattern test`, `evpattern match` and, where
//! the filter language can say the pattern, its own evaluator. Each answer is event-ruler
//! 2.0.1's (recorded in `tests/data/event-ruler/cases.jsonl`; no AWS recording covers them).
//! Then the *either* corners of SPEC, each with the answer kept and why.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use evpattern::json::JsonNode;
use evpattern::{reference, Matcher, Pattern};
use support::stdout;

/// What event-ruler answers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Answer {
    Match,
    NoMatch,
    Refused,
}
use Answer::*;

/// (pattern, event, event-ruler's answer, the same rule in the filter language if it has one)
const ROWS: &[(&str, &str, Answer, Option<&str>)] = &[
    (
        r#"{"name":["a"],"$or":[{"name":["a"]},{"name":["b"]}]}"#,
        r#"{"name":"b"}"#,
        Match,
        None,
    ),
    (
        r#"{"$or":[{"a":["2"]},{"b":["3"]}],"a":["1"]}"#,
        r#"{"a":"1"}"#,
        Match,
        None,
    ),
    (
        r#"{"e":{"f":["A"],"l":[{"exists":false}]}}"#,
        r#"{"e":[{"f":"A"},{"f":"B","l":"x"}]}"#,
        Match,
        Some(r#"e.f == "A" and e.l not exists"#),
    ),
    (
        r#"{"a":[{"equals-ignore-case":"ß"}]}"#,
        r#"{"a":"SS"}"#,
        Match,
        Some(r#"a == "ß" ignoring case"#),
    ),
    (
        r#"{"a":[{"equals-ignore-case":"ß"}]}"#,
        r#"{"a":"ẞ"}"#,
        NoMatch,
        Some(r#"a == "ß" ignoring case"#),
    ),
    (
        r#"{"a":[{"numeric":["=",9007199254740993]}]}"#,
        r#"{"a":1}"#,
        Refused,
        None,
    ),
    (
        r#"{"a":[{"anything-but":1.0000000000000001}]}"#,
        r#"{"a":1}"#,
        Refused,
        None,
    ),
    (
        r#"{"a":[{"numeric":[">",1]}]}"#,
        r#"{"a":123456789012345678901234567890}"#,
        NoMatch,
        Some("a > 1"),
    ),
    (
        r#"{"a":[{"cidr":"10.0.0.0/24"}]}"#,
        r#"{"a":"010.0.0.1"}"#,
        Match,
        Some(r#"a in cidr "10.0.0.0/24""#),
    ),
    (
        r#"{"a":[{"cidr":"010.0.0.0/8"}]}"#,
        r#"{"a":"1.2.3.4"}"#,
        NoMatch,
        Some(r#"a in cidr "010.0.0.0/8""#),
    ),
    (
        r#"{"a":[{"cidr":"10.0.0.0/24"}]}"#,
        r#"{"a":"::ffff:10.0.0.1"}"#,
        NoMatch,
        Some(r#"a in cidr "10.0.0.0/24""#),
    ),
    (
        r#"{"a":[{"cidr":"2001:db8::/32"}]}"#,
        r#"{"a":"2001:db8::0.0.0.1"}"#,
        NoMatch,
        Some(r#"a in cidr "2001:db8::/32""#),
    ),
    (
        r#"{"a":[{"anything-but":{"prefix":[]}}]}"#,
        r#"{"a":"x"}"#,
        Refused,
        None,
    ),
    // The DSL evaluator used to read IPv4-mapped text as IPv4 (issue 16, point 1).
    (
        r#"{"ip":[{"cidr":"10.0.0.0/8"}]}"#,
        r#"{"ip":"::ffff:10.0.0.7"}"#,
        NoMatch,
        Some(r#"ip in cidr "10.0.0.0/8""#),
    ),
];

/// The event with the envelope `TestEventPattern` requires, spliced into the text.
fn enveloped(event: &str) -> String {
    let envelope = r#""id":"1","account":"123456789012","source":"s","time":"2024-01-01T00:00:00Z","region":"us-east-1","detail-type":"t","#;
    format!("{{{envelope}{}", &event[1..])
}

fn scratch_file(text: &str) -> std::path::PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "evpattern-table-{}-{}.json",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_row_gives_event_rulers_answer_everywhere() {
    for &(pattern, event, answer, rule) in ROWS {
        let row = format!("{pattern} / {event}");
        // test_event_pattern and `evpattern test`.
        let tested = evpattern::test_event_pattern(&enveloped(event), pattern);
        let cli = support::run(
            &[
                "test",
                "--event-pattern",
                pattern,
                "--event",
                &enveloped(event),
            ],
            b"",
        );
        match answer {
            Refused => {
                let err = tested.unwrap_err();
                assert_eq!(err.code(), "InvalidEventPatternException", "{row}");
                assert!(
                    err.message()
                        .starts_with("Event pattern is not valid. Reason: "),
                    "{row}"
                );
                assert_eq!(cli.status.code(), Some(2), "{row}");
                assert!(Pattern::parse(pattern).is_err(), "{row}");
                continue;
            }
            _ => {
                assert_eq!(tested, Ok(answer == Match), "{row}");
                assert_eq!(
                    cli.status.code(),
                    Some(if answer == Match { 0 } else { 1 }),
                    "{row}"
                );
            }
        }
        let expected = answer == Match;
        // The library: reference matcher and compiled matcher.
        let parsed = Pattern::parse(pattern).unwrap();
        assert_eq!(
            reference::matches_text(&parsed, event),
            Ok(expected),
            "{row}"
        );
        let mut matcher = Matcher::new();
        matcher.add_rule("r", pattern).unwrap();
        assert_eq!(
            !matcher.matches(event.as_bytes()).unwrap().is_empty(),
            expected,
            "{row}"
        );
        // `evpattern match`.
        let rules = scratch_file(&format!(r#"{{"r": {pattern}}}"#));
        let out = support::run(
            &["match", "--rules", rules.to_str().unwrap()],
            format!("{event}\n").as_bytes(),
        );
        let _ = std::fs::remove_file(&rules);
        assert_eq!(
            stdout(&out),
            if expected { "[\"r\"]\n" } else { "[]\n" },
            "{row}"
        );
        // The filter language's evaluator.
        if let Some(rule) = rule {
            let expr = evpattern::dsl::parse(rule).unwrap();
            let node = JsonNode::parse(event, 64).unwrap();
            assert_eq!(expr.evaluate(&node), expected, "{rule} on {event}");
        }
    }
}

#[test]
fn refusals_are_worded() {
    let reason = |p: &str| Pattern::parse(p).unwrap_err().reason().to_owned();
    assert_eq!(
        reason(r#"{"a":[{"numeric":["=",9007199254740993]}]}"#),
        "Cannot compare number : 9007199254740993"
    );
    assert_eq!(
        reason(r#"{"a":[{"anything-but":1.0000000000000001}]}"#),
        "Cannot compare number : 1.0000000000000001"
    );
    // AWS's recorded wording for an address that is none.
    assert_eq!(
        reason(r#"{"a":[{"cidr":"::ffff:10.0.0.0/104"}]}"#),
        "Nonstandard IP address: ::ffff:10.0.0.0"
    );
    // event-ruler fails with a Java exception here; the reason is its own for empty arrays.
    assert_eq!(
        reason(r#"{"a":[{"anything-but":{"prefix":[]}}]}"#),
        "Empty arrays are not allowed"
    );
}

/// SPEC's *either* corners: event-ruler's answer is an artefact of how it reads JSON or
/// encodes values; evpattern keeps the sensible answer.
#[test]
fn either_corners_keep_the_sensible_answer() {
    // Text after the JSON: event-ruler's streaming reader stops at the end of the first
    // value and ignores the rest (it matches `{"a":["x"]} x`). One JSON text is one value:
    // both the pattern and the event are refused.
    assert!(Pattern::parse(r#"{"a":["x"]} x"#).is_err());
    let p = Pattern::parse(r#"{"a":["x"]}"#).unwrap();
    assert!(reference::matches_text(&p, r#"{"a":"x"} x"#).is_err());
    // A key ending in a dot: event-ruler matches `{"a.":"dot"}` but not `{"a":{"":"dot"}}`.
    // Dotted keys and nesting are one path everywhere else, so here too.
    let p = Pattern::parse(r#"{"a.":["dot"]}"#).unwrap();
    assert_eq!(reference::matches_text(&p, r#"{"a.":"dot"}"#), Ok(true));
    assert_eq!(reference::matches_text(&p, r#"{"a":{"":"dot"}}"#), Ok(true));
    // A lone surrogate escape: Jackson lets `"\ud800"` through; it is no Unicode text, and
    // Rust strings hold only Unicode, so pattern and event are refused as JSON.
    assert!(Pattern::parse(r#"{"a":["\ud800"]}"#).is_err());
    let p = Pattern::parse(r#"{"a":[{"exists":true}]}"#).unwrap();
    assert!(reference::matches_text(&p, r#"{"a":"\ud800"}"#).is_err());
    // `/0` ranges across families: event-ruler's one hex-digit space lets `0.0.0.0/0` catch
    // IPv6 addresses and numbers; a range is of one family here.
    let p = Pattern::parse(r#"{"a":[{"cidr":"0.0.0.0/0"}]}"#).unwrap();
    assert_eq!(reference::matches_text(&p, r#"{"a":"10.0.0.1"}"#), Ok(true));
    assert_eq!(
        reference::matches_text(&p, r#"{"a":"2001:db8::1"}"#),
        Ok(false)
    );
    assert_eq!(reference::matches_text(&p, r#"{"a":10}"#), Ok(false));
    let p = Pattern::parse(r#"{"a":[{"cidr":"::/0"}]}"#).unwrap();
    assert_eq!(
        reference::matches_text(&p, r#"{"a":"10.0.0.1"}"#),
        Ok(false)
    );
    // equals-ignore-case on a titlecase letter: event-ruler's forms of ǅ are ǆ and Ǆ only.
    let p = Pattern::parse(r#"{"a":[{"equals-ignore-case":"ǅ"}]}"#).unwrap();
    assert_eq!(reference::matches_text(&p, r#"{"a":"ǅ"}"#), Ok(true));
    assert_eq!(reference::matches_text(&p, r#"{"a":"Ǆ"}"#), Ok(true));
}
