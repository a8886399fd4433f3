//! What the integration tests share: the data kept outside the crate (the AWS-recorded
//! conformance corpus and SaaSus's sample events) and running the built `evpattern` binary.
//!
//! A test file uses it with `mod support;`. It lives in a directory so that Cargo does not
//! build it as a test of its own.
//!
//! # The recorded data
//!
//! The AWS-recorded conformance corpus and SaaSus's sample events are data (AWS's and SaaSus's
//! answers), kept in the crate under `tests/data/` with their provenance
//! (`tests/data/README.md`), so that `cargo test` on a fresh clone checks every case. A test
//! that needs one of them fails when it is missing; it never skips. An environment variable
//! may point a run at another copy (e.g. a newer corpus in `../shared`).
#![allow(dead_code)] // each test binary uses only part of this module

pub mod generators;
pub mod pattern_json;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The variable naming the AWS-recorded corpus.
pub const CONFORMANCE_ENV: &str = "EVPATTERN_CONFORMANCE";
/// Where the AWS-recorded corpus is when the variable is unset, from the crate's directory.
pub const CONFORMANCE_PATH: &str = "tests/data/aws-recorded/cases.jsonl";
/// The variable naming SaaSus's sample events.
pub const SAASUS_SAMPLES_ENV: &str = "EVPATTERN_SAASUS_SAMPLES";
/// Where SaaSus's sample events are when the variable is unset, from the crate's directory.
pub const SAASUS_SAMPLES_PATH: &str = "tests/data/saasus/sample-events.ndjson";

/// Where a shared file is read from: the path in `env_var`, or else `relative_path` from the
/// crate's directory.
pub fn shared_path(env_var: &str, relative_path: &str) -> PathBuf {
    match std::env::var_os(env_var) {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative_path),
    }
}

/// The text of a recorded data file.
///
/// # Panics
///
/// When the file cannot be read: a missing corpus is a failure, never a skip.
pub fn shared_file(env_var: &str, relative_path: &str) -> String {
    let path = shared_path(env_var, relative_path);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "reading {} (from {env_var} or its default): {e}",
            path.display()
        ),
    }
}

/// One case recorded against real AWS `TestEventPattern`.
#[derive(Clone, Debug)]
pub struct Case {
    /// The case's unique name.
    pub name: String,
    /// The event, as JSON text.
    pub event: String,
    /// The event pattern, as JSON text.
    pub pattern: String,
    /// `match`, `no_match`, `invalid_pattern` or `invalid_event`.
    pub expect: String,
    /// AWS's message for the two invalid outcomes.
    pub error: Option<String>,
}

impl Case {
    /// What AWS decided for a valid pattern and event: `Some(true)` for `match`,
    /// `Some(false)` for `no_match`, `None` for the invalid outcomes.
    pub fn decision(&self) -> Option<bool> {
        match self.expect.as_str() {
            "match" => Some(true),
            "no_match" => Some(false),
            _ => None,
        }
    }
}

/// Every case of the AWS-recorded corpus, in file order.
///
/// # Panics
///
/// When a line is not a case: not JSON, or without a string `name` or `expect`.
pub fn conformance_cases() -> Vec<Case> {
    let text = shared_file(CONFORMANCE_ENV, CONFORMANCE_PATH);
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_number = index + 1;
        let case: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("corpus line {line_number}: not JSON: {e}"));
        let string = |field: &str| {
            case[field]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("corpus line {line_number}: no string `{field}`"))
        };
        cases.push(Case {
            name: string("name"),
            event: text_of(&case, "event"),
            pattern: text_of(&case, "pattern"),
            expect: string("expect"),
            error: case["error"].as_str().map(str::to_owned),
        });
    }
    cases
}

/// A case's event or pattern: recorded as JSON text, or (in hand-written cases) inline JSON.
fn text_of(case: &Value, field: &str) -> String {
    match &case[field] {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// SaaSus's sample events, one JSON text per non-blank line.
pub fn saasus_samples() -> Vec<String> {
    non_blank_lines(&shared_file(SAASUS_SAMPLES_ENV, SAASUS_SAMPLES_PATH))
}

fn non_blank_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// Runs the built `evpattern` with `args`, feeding it `stdin`, and waits for it to finish.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_evpattern"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // Written from another thread while the output is read: a command that answers as it
    // reads would otherwise fill its output pipe and wait, while this waits to write.
    std::thread::scope(|scope| {
        scope.spawn(move || {
            // A command may exit before reading its input (e.g. on a bad argument); the
            // broken pipe is not what the test checks.
            let _ = pipe.write_all(stdin);
        });
        child.wait_with_output().expect("the binary finishes")
    })
}

/// The process's standard output, which must be UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("standard output is UTF-8")
}

/// The process's standard error, which must be UTF-8.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("standard error is UTF-8")
}

/// The pattern `{"a": {"a": ... {"a": [1]} ... }}`, `depth` levels in all (the array counts).
pub fn nested_pattern(depth: usize) -> String {
    let objects = depth.saturating_sub(1);
    let mut text = String::with_capacity(6 * objects + 8);
    for _ in 0..objects {
        text.push_str(r#"{"a":"#);
    }
    text.push_str("[1]");
    text.push_str(&"}".repeat(objects));
    text
}
