//! How the compiled matchers answer the cases recorded against real EventBridge: evpattern's
//! [`Matcher`] and the `quamina` crate, on the same patterns and events. For BENCHMARKS.md,
//! beside the speed figures: a peer is only faster at what it answers.
//!
//! ```text
//! cargo run --release --example peer_conformance            # corpus from EVPATTERN_CONFORMANCE
//! cargo run --release --example peer_conformance -- --list  # and every case a matcher misses
//! ```
//!
//! The corpus is `../shared/conformance/aws-recorded/cases.jsonl` unless `EVPATTERN_CONFORMANCE`
//! names another file. Cases whose expected answer is `invalid_event` are AWS's
//! `TestEventPattern` checking the event's envelope (`id`, `source`, ...), which no embedded
//! matcher does; they are counted apart. Three behaviours SPEC.md states beyond the corpus
//! (duplicated keys, malformed JSON after the used fields) follow the table.

use std::process::ExitCode;

use evpattern::Matcher;

/// (what, pattern, event, expected answer) for behaviours of SPEC.md outside the corpus.
const SPEC_CASES: [(&str, &str, &str, &str); 3] = [
    (
        "a duplicated key: each value counts (§1)",
        r#"{"a":["y"]}"#,
        r#"{"a":"x","a":"y"}"#,
        "Match",
    ),
    (
        "a duplicated object later in the event",
        r#"{"p":{"k":["v"]}}"#,
        r#"{"p":{"k":"w"},"g":[1,2],"p":{"k":"v"}}"#,
        "Match",
    ),
    (
        "malformed JSON after the used field (issue 3: an error)",
        r#"{"a":["x"]}"#,
        r#"{"a":"x","b":tru}"#,
        "EventRefused",
    ),
];

/// What a matcher made of one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Match,
    NoMatch,
    /// The pattern was refused.
    Refused,
    /// The pattern was accepted but the event was refused.
    EventRefused,
}

fn evpattern_answer(pattern: &str, event: &str) -> Answer {
    let mut matcher = Matcher::new();
    if matcher.add_rule(0u32, pattern).is_err() {
        return Answer::Refused;
    }
    match matcher.matches(event.as_bytes()) {
        Ok(keys) if keys.is_empty() => Answer::NoMatch,
        Ok(_) => Answer::Match,
        Err(_) => Answer::EventRefused,
    }
}

fn quamina_answer(pattern: &str, event: &str) -> Answer {
    let mut matcher = quamina::Quamina::<u32>::new();
    // The crate panics on some inputs; that counts as refusing them.
    let added = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        matcher.add_pattern(0, pattern).is_ok()
    }));
    if !matches!(added, Ok(true)) {
        return Answer::Refused;
    }
    let matched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        matcher.matches_for_event(event.as_bytes())
    }));
    match matched {
        Ok(Ok(keys)) if keys.is_empty() => Answer::NoMatch,
        Ok(Ok(_)) => Answer::Match,
        _ => Answer::EventRefused,
    }
}

/// Per matcher: cases answered as recorded, and the misses by kind.
#[derive(Default)]
struct Tally {
    right: usize,
    wrong_answer: usize,
    valid_pattern_refused: usize,
    invalid_pattern_accepted: usize,
    event_refused: usize,
    misses: Vec<String>,
}

impl Tally {
    fn add(&mut self, name: &str, expect: &str, got: Answer) {
        let right = matches!(
            (expect, got),
            ("match", Answer::Match)
                | ("no_match", Answer::NoMatch)
                | ("invalid_pattern", Answer::Refused)
        );
        if right {
            self.right += 1;
            return;
        }
        match (expect, got) {
            ("invalid_pattern", _) => self.invalid_pattern_accepted += 1,
            (_, Answer::Refused) => self.valid_pattern_refused += 1,
            (_, Answer::EventRefused) => self.event_refused += 1,
            _ => self.wrong_answer += 1,
        }
        self.misses
            .push(format!("{name}: expected {expect}, got {got:?}"));
    }
}

fn main() -> ExitCode {
    let list = std::env::args().any(|a| a == "--list");
    let path = std::env::var("EVPATTERN_CONFORMANCE").unwrap_or_else(|_| {
        format!(
            "{}/../shared/conformance/aws-recorded/cases.jsonl",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("peer_conformance: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    // quamina's panics are caught and counted; their messages would only clutter the table.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut ours, mut theirs) = (Tally::default(), Tally::default());
    let (mut cases, mut envelope) = (0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = match serde_json::from_str(line) {
            Ok(case) => case,
            Err(e) => {
                eprintln!("peer_conformance: bad case line: {e}");
                return ExitCode::from(2);
            }
        };
        let field = |key: &str| case.get(key).and_then(|v| v.as_str()).unwrap_or("");
        let (name, expect) = (field("name"), field("expect"));
        if expect == "invalid_event" {
            envelope += 1;
            continue;
        }
        cases += 1;
        let (pattern, event) = (field("pattern"), field("event"));
        ours.add(name, expect, evpattern_answer(pattern, event));
        theirs.add(name, expect, quamina_answer(pattern, event));
    }
    println!(
        "| matcher | answered as recorded (of {cases}) | wrong match answer | valid pattern refused | invalid pattern accepted | event refused |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, t) in [("evpattern `Matcher`", &ours), ("quamina 0.7.0", &theirs)] {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            t.right,
            t.wrong_answer,
            t.valid_pattern_refused,
            t.invalid_pattern_accepted,
            t.event_refused
        );
    }
    println!(
        "\n{envelope} further cases check the event's envelope (TestEventPattern only); not counted."
    );
    // Three behaviours SPEC.md states that the corpus does not record, where reading only a
    // prefix of the event (as quamina does once it has seen each field its patterns name)
    // gives another answer.
    println!("\n| SPEC case | pattern | event | expected | evpattern | quamina 0.7.0 |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (what, pattern, event, expected) in SPEC_CASES {
        println!(
            "| {what} | `{pattern}` | `{event}` | {expected} | {:?} | {:?} |",
            evpattern_answer(pattern, event),
            quamina_answer(pattern, event)
        );
    }
    if list {
        for (name, t) in [("evpattern", &ours), ("quamina", &theirs)] {
            for miss in &t.misses {
                println!("{name}: {miss}");
            }
        }
    }
    ExitCode::SUCCESS
}
