//! `evpattern test`: runs the built binary as a user would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const EVENT: &str = r#"{"id":"1","account":"123456789012","source":"aws.ec2","time":"2026-01-01T00:00:00Z","region":"us-east-1","detail-type":"EC2 Instance State-change Notification","detail":{"state":"running"}}"#;

fn evpattern(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_evpattern"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // A command that fails before reading closes its stdin; that is not the test's concern.
    let _ = pipe.write_all(stdin.unwrap_or("").as_bytes());
    drop(pipe);
    child.wait_with_output().expect("the binary finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn match_prints_true_and_exits_0() {
    let out = evpattern(
        &[
            "test",
            "--event-pattern",
            r#"{"detail":{"state":["running"]}}"#,
            "--event",
            EVENT,
        ],
        None,
    );
    assert_eq!(text(&out.stdout), "{\"Result\": true}\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

#[test]
fn no_match_prints_false_and_exits_1() {
    let out = evpattern(
        &[
            "test",
            "--event-pattern",
            r#"{"detail":{"state":["stopped"]}}"#,
            "--event",
            EVENT,
        ],
        None,
    );
    assert_eq!(text(&out.stdout), "{\"Result\": false}\n");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn invalid_pattern_is_reported_as_aws_does_and_exits_2() {
    let out = evpattern(
        &[
            "test",
            "--event-pattern",
            r#"{"detail":{"state":[]}}"#,
            "--event",
            EVENT,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "InvalidEventPatternException: Event pattern is not valid. Reason: Empty arrays are not allowed\n"
    );
}

#[test]
fn event_without_envelope_is_a_validation_error() {
    let out = evpattern(
        &[
            "test",
            "--event-pattern",
            r#"{"a":["b"]}"#,
            "--event",
            r#"{"a":"b"}"#,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "ValidationException: Parameter Event is not valid.\n"
    );
}

#[test]
fn pattern_from_a_file_and_event_from_stdin() {
    let dir = std::env::temp_dir().join(format!("evpattern-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pattern.json");
    std::fs::write(&path, r#"{"source":[{"prefix":"aws."}]}"#).unwrap();
    let file_arg = format!("file://{}", path.display());
    let out = evpattern(
        &["test", "--event-pattern", &file_arg, "--event", "-"],
        Some(EVENT),
    );
    assert_eq!(text(&out.stdout), "{\"Result\": true}\n");
    assert_eq!(out.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_file_and_double_stdin_are_usage_errors() {
    let out = evpattern(
        &[
            "test",
            "--event-pattern",
            "file:///nonexistent/p.json",
            "--event",
            EVENT,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/p.json"));

    let out = evpattern(
        &["test", "--event-pattern", "-", "--event", "-"],
        Some("{}"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("only one"));
}

#[test]
fn missing_arguments_and_help() {
    let out = evpattern(&["test"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--event-pattern"));

    let out = evpattern(&["test", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("file://PATH"));
}

#[test]
fn explain_names_the_failing_condition_on_stderr() {
    let out = evpattern(
        &[
            "test",
            "--explain",
            "--event-pattern",
            r#"{"source":["aws.ec2"],"detail":{"state":["stopped"]}}"#,
            "--event",
            EVENT,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "{\"Result\": false}\n");
    assert_eq!(
        text(&out.stderr),
        "no match:\n  detail.state: \"running\" does not satisfy [\"stopped\"]\n"
    );
}

/// A SaaSus API-call event in today's wire form: `detail.event` is a JSON-encoded string.
const SAASUS_EVENT: &str = r#"{"version":"0","id":"1","detail-type":"api_call","source":"aws.partner/saasus.io/x-1/event","account":"1","time":"t","region":"r","resources":[],"detail":{"event_type":"create_tenant","event":"{\"http_status\":\"201\",\"uri\":\"/v1/auth/tenants\",\"ip_address\":\"127.0.0.1:1\",\"request_method\":\"POST\"}","trace_id":"t"}}"#;

#[test]
fn rules_in_the_filter_language_for_both_targets() {
    let rule = "api CreateTenant and status 2xx";
    // Locally the rule addresses detail.event.*, which needs --saasus on the string form.
    let out = evpattern(
        &["test", "--rule", rule, "--saasus", "--event", SAASUS_EVENT],
        None,
    );
    assert_eq!(
        text(&out.stdout),
        "{\"Result\": true}\n",
        "{}",
        text(&out.stderr)
    );
    let out = evpattern(&["test", "--rule", rule, "--event", SAASUS_EVENT], None);
    assert_eq!(text(&out.stdout), "{\"Result\": false}\n");
    // The eventbridge target needs no decoding: it is what AWS would see.
    let out = evpattern(
        &[
            "test",
            "--rule",
            "api CreateTenant and status 4xx",
            "--target",
            "eventbridge",
            "--event",
            SAASUS_EVENT,
        ],
        None,
    );
    assert_eq!(text(&out.stdout), "{\"Result\": false}\n");
    assert!(text(&out.stderr).contains("warning:"));
    let out = evpattern(
        &[
            "test",
            "--rule",
            "status 201",
            "--target",
            "eventbridge",
            "--event",
            SAASUS_EVENT,
        ],
        None,
    );
    assert_eq!(text(&out.stdout), "{\"Result\": true}\n");
}

#[test]
fn a_bad_rule_is_a_usage_error_with_its_position() {
    let out = evpattern(&["test", "--rule", "detail.x ==", "--event", EVENT], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("1:"), "{}", text(&out.stderr));
    let out = evpattern(
        &[
            "test",
            "--rule",
            "a == 1",
            "--event-pattern",
            "{}",
            "--event",
            EVENT,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}
