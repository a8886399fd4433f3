//! Hostile input: the parser answers (pattern or error), never panics, overflows the stack
//! or hangs. Each test runs in a thread with a 2 MiB stack, the default for spawned threads,
//! so a recursion that grows with the input would show up here.

use std::time::{Duration, Instant};

use evpattern::pattern::{ErrorKind, Limits, PatternError};
use evpattern::{test_event_pattern, Pattern};

/// Parses `text` on a 2 MiB-stack thread, within `seconds`.
fn parse_bounded(text: String, limits: Limits, seconds: u64) -> Result<Pattern, PatternError> {
    let started = Instant::now();
    let result = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || Pattern::parse_with(&text, &limits))
        .expect("thread starts")
        .join()
        .expect("parser does not panic");
    assert!(
        started.elapsed() < Duration::from_secs(seconds),
        "took {:?}",
        started.elapsed()
    );
    result
}

fn kind(text: String) -> ErrorKind {
    parse_bounded(text, Limits::default(), 20)
        .expect_err("refused")
        .kind()
}

#[test]
fn not_json() {
    for text in [
        "",
        " ",
        "nul",
        "{",
        "}",
        "[",
        "\"",
        "{\"a\":",
        "{\"a\":[}",
        "\u{0}",
        "{\"a\":[\"\\x\"]}",
    ] {
        assert_eq!(kind(text.to_owned()), ErrorKind::Syntax, "{text:?}");
    }
}

#[test]
fn hundred_thousand_levels_of_nesting() {
    let arrays = "[".repeat(100_000) + &"]".repeat(100_000);
    assert_eq!(kind(arrays), ErrorKind::TooDeep);
    let objects = r#"{"a":"#.repeat(100_000) + "[1]" + &"}".repeat(100_000);
    assert_eq!(kind(objects), ErrorKind::TooDeep);
    let ors = r#"{"$or":[{"a":["1"]},"#.repeat(50_000) + r#"{"a":["1"]}"# + &"]}".repeat(50_000);
    assert_eq!(kind(ors), ErrorKind::TooDeep);
    // Unbalanced: the syntax error wins or the depth does, but there is an answer.
    let open = "[".repeat(100_000);
    let k = kind(open);
    assert!(matches!(k, ErrorKind::Syntax | ErrorKind::TooDeep), "{k:?}");
}

#[test]
fn ten_megabyte_string() {
    let big = "x".repeat(10 << 20);
    let text = format!(r#"{{"a": ["{big}"], "b": [{{"prefix": "{big}"}}]}}"#);
    let pattern = parse_bounded(text, Limits::default(), 30).expect("a long string is fine");
    assert_eq!(pattern.root().conditions().len(), 2);
    // A huge wildcard with stars is refused as too complex rather than analysed at length.
    let text = format!(r#"{{"a": [{{"wildcard": "*{big}*"}}]}}"#);
    assert_eq!(
        parse_bounded(text, Limits::default(), 30)
            .unwrap_err()
            .kind(),
        ErrorKind::TooComplex
    );
    // A long key.
    let text = format!(r#"{{"{big}": ["v"]}}"#);
    assert!(parse_bounded(text, Limits::default(), 30).is_ok());
    // AWS's limit refuses all of them without reading further.
    let text = format!(r#"{{"a": ["{big}"]}}"#);
    assert_eq!(
        parse_bounded(text, Limits::aws(), 5).unwrap_err().kind(),
        ErrorKind::TooLong
    );
}

#[test]
fn huge_numbers() {
    let exponent = "9".repeat(10_000);
    // An exact literal out of double range is kept as text.
    let text = format!(
        r#"{{"a": [1e{exponent}, -1e-{exponent}, 1{}]}}"#,
        "0".repeat(100_000)
    );
    assert!(parse_bounded(text, Limits::default(), 10).is_ok());
    for operator in [
        format!(r#"{{"numeric": [">", 1e{exponent}]}}"#),
        format!(r#"{{"numeric": ["<", -1e{exponent}]}}"#),
        r#"{"numeric": ["=", 1e400]}"#.to_owned(),
        format!(r#"{{"anything-but": [1e{exponent}]}}"#),
    ] {
        let text = format!(r#"{{"a": [{operator}]}}"#);
        assert_eq!(
            parse_bounded(text, Limits::default(), 10)
                .unwrap_err()
                .kind(),
            ErrorKind::Invalid
        );
    }
    // Tiny numbers underflow to zero: event-ruler cannot compare them, so no bound.
    let text = format!(r#"{{"a": [{{"numeric": [">", 1e-{exponent}]}}]}}"#);
    assert!(parse_bounded(text, Limits::default(), 10).is_err());
}

#[test]
fn many_fields_and_alternatives() {
    let members: Vec<String> = (0..100_000)
        .map(|i| format!(r#""f{i}": ["{i}"]"#))
        .collect();
    let text = format!("{{{}}}", members.join(","));
    let pattern = parse_bounded(text, Limits::default(), 30).unwrap();
    assert_eq!(pattern.root().conditions().len(), 100_000);
    // Many duplicates of one key.
    let text = format!(
        "{{{}}}",
        r#""a": ["x"],"#.repeat(100_000) + r#""a": ["last"]"#
    );
    assert_eq!(
        parse_bounded(text, Limits::default(), 30)
            .unwrap()
            .root()
            .conditions()
            .len(),
        1
    );
    // Many wildcards on one field: refused, quickly.
    let wildcards: Vec<String> = (0..20_000)
        .map(|i| format!(r#"{{"wildcard": "{i}*{i}*"}}"#))
        .collect();
    let text = format!(r#"{{"a": [{}]}}"#, wildcards.join(","));
    assert_eq!(
        parse_bounded(text, Limits::default(), 30)
            .unwrap_err()
            .kind(),
        ErrorKind::TooComplex
    );
}

#[test]
fn repeated_characters_after_a_star() {
    let text = format!(r#"{{"a": [{{"wildcard": "*{}"}}]}}"#, "ab".repeat(2000));
    assert_eq!(
        parse_bounded(text, Limits::default(), 10)
            .unwrap_err()
            .kind(),
        ErrorKind::TooComplex
    );
}

#[test]
fn test_event_pattern_survives_hostile_events() {
    let pattern = r#"{"a": ["x"]}"#;
    let deep_event = "[".repeat(100_000) + &"]".repeat(100_000);
    let big_event = format!(
        r#"{{"id":"1","account":"1","source":"s","time":"t","region":"r","detail-type":"d","a":"{}"}}"#,
        "y".repeat(10 << 20)
    );
    let result = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            (
                test_event_pattern(&deep_event, pattern).map_err(|e| e.code().to_owned()),
                test_event_pattern(&big_event, pattern),
            )
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(result.0, Err("ValidationException".to_owned()));
    assert_eq!(result.1, Ok(false));
}
