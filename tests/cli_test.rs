//! `evpattern test`: runs the built binary as a user would.

mod support;

use std::process::Output;

use support::{run, stderr, stdout};

const EVENT: &str = r#"{"id":"1","account":"123456789012","source":"aws.ec2","time":"2026-01-01T00:00:00Z","region":"us-east-1","detail-type":"EC2 Instance State-change Notification","detail":{"state":"running"}}"#;

/// `evpattern test` of `pattern` (JSON text or `file://PATH`) against `event`.
fn test_pattern(pattern: &str, event: &str) -> Output {
    run(&["test", "--event-pattern", pattern, "--event", event], b"")
}

#[test]
fn match_prints_true_and_exits_0() {
    let out = test_pattern(r#"{"detail":{"state":["running"]}}"#, EVENT);
    assert_eq!(stdout(&out), "{\"Result\": true}\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

#[test]
fn no_match_prints_false_and_exits_1() {
    let out = test_pattern(r#"{"detail":{"state":["stopped"]}}"#, EVENT);
    assert_eq!(stdout(&out), "{\"Result\": false}\n");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn invalid_pattern_is_reported_as_aws_does_and_exits_2() {
    let out = test_pattern(r#"{"detail":{"state":[]}}"#, EVENT);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out),
        "InvalidEventPatternException: Event pattern is not valid. Reason: Empty arrays are not allowed\n"
    );
}

#[test]
fn event_without_envelope_is_a_validation_error() {
    let out = test_pattern(r#"{"a":["b"]}"#, r#"{"a":"b"}"#);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
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
    let out = run(
        &["test", "--event-pattern", &file_arg, "--event", "-"],
        EVENT.as_bytes(),
    );
    assert_eq!(stdout(&out), "{\"Result\": true}\n");
    assert_eq!(out.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_file_and_double_stdin_are_usage_errors() {
    let out = test_pattern("file:///nonexistent/p.json", EVENT);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/p.json"));

    let out = run(&["test", "--event-pattern", "-", "--event", "-"], b"{}");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("only one"));
}

#[test]
fn missing_arguments_and_help() {
    let out = run(&["test"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--event-pattern"));
    // Either will do, and the error says so.
    let out = run(&["test", "--event", EVENT], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("<--event-pattern <PATTERN>|--rule <RULE>>"),
        "{}",
        stderr(&out)
    );

    let out = run(&["test", "--help"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("file://PATH"));
}

#[test]
fn explain_names_the_failing_condition_on_stderr() {
    let out = run(
        &[
            "test",
            "--explain",
            "--event-pattern",
            r#"{"source":["aws.ec2"],"detail":{"state":["stopped"]}}"#,
            "--event",
            EVENT,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "{\"Result\": false}\n");
    assert_eq!(
        stderr(&out),
        "no match:\n  detail.state: \"running\" does not satisfy [\"stopped\"]\n"
    );
}

/// A SaaSus API-call event in today's wire form: `detail.event` is a JSON-encoded string.
const SAASUS_EVENT: &str = r#"{"version":"0","id":"1","detail-type":"api_call","source":"aws.partner/saasus.io/x-1/event","account":"1","time":"t","region":"r","resources":[],"detail":{"event_type":"create_tenant","event":"{\"http_status\":\"201\",\"uri\":\"/v1/auth/tenants\",\"ip_address\":\"127.0.0.1:1\",\"request_method\":\"POST\"}","trace_id":"t"}}"#;

#[test]
fn rules_in_the_filter_language_for_both_targets() {
    let rule = "api CreateTenant and status 2xx";
    // Locally the rule addresses detail.event.*, which needs --saasus on the string form.
    let out = run(
        &["test", "--rule", rule, "--saasus", "--event", SAASUS_EVENT],
        b"",
    );
    assert_eq!(stdout(&out), "{\"Result\": true}\n", "{}", stderr(&out));
    let out = run(&["test", "--rule", rule, "--event", SAASUS_EVENT], b"");
    assert_eq!(stdout(&out), "{\"Result\": false}\n");
    // The eventbridge target needs no decoding: it is what AWS would see.
    let out = run(
        &[
            "test",
            "--rule",
            "api CreateTenant and status 4xx",
            "--target",
            "eventbridge",
            "--event",
            SAASUS_EVENT,
        ],
        b"",
    );
    assert_eq!(stdout(&out), "{\"Result\": false}\n");
    assert!(stderr(&out).contains("warning:"));
    let out = run(
        &[
            "test",
            "--rule",
            "status 201",
            "--target",
            "eventbridge",
            "--event",
            SAASUS_EVENT,
        ],
        b"",
    );
    assert_eq!(stdout(&out), "{\"Result\": true}\n");
}

#[test]
fn a_bad_rule_is_a_usage_error_with_its_position() {
    let out = run(&["test", "--rule", "detail.x ==", "--event", EVENT], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("1:"), "{}", stderr(&out));
    let out = run(
        &[
            "test",
            "--rule",
            "a == 1",
            "--event-pattern",
            "{}",
            "--event",
            EVENT,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_event_has_the_same_size_and_depth_limits_as_in_match() {
    let padded =
        |pad: usize| EVENT.replacen('{', &format!("{{\"pad\":\"{}\",", "p".repeat(pad)), 1);
    let pattern = r#"{"detail":{"state":["running"]}}"#;
    // Inline, from a file and from stdin: refused beyond --max-event-size, matched within.
    let exact = padded(100);
    let limit = exact.len().to_string();
    let out = run(
        &[
            "test",
            "--event-pattern",
            pattern,
            "--event",
            &exact,
            "--max-event-size",
            &limit,
        ],
        b"",
    );
    assert_eq!(
        (stdout(&out).as_str(), out.status.code()),
        ("{\"Result\": true}\n", Some(0))
    );
    let longer = padded(101);
    let out = run(
        &[
            "test",
            "--event-pattern",
            pattern,
            "--event",
            "-",
            "--max-event-size",
            &limit,
        ],
        longer.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("evpattern test: the event is longer than --max-event-size ({limit} bytes)\n")
    );
    // The default is 1 MiB.
    let dir = std::env::temp_dir().join(format!("evpattern-cli-test-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("event.json");
    std::fs::write(&path, padded(1 << 20)).unwrap();
    let file_arg = format!("file://{}", path.display());
    let out = run(
        &["test", "--event-pattern", pattern, "--event", &file_arg],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("longer than --max-event-size (1048576 bytes)"));
    let out = run(
        &[
            "test",
            "--event-pattern",
            pattern,
            "--event",
            &file_arg,
            "--max-event-size",
            "2000000",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);

    let deep = EVENT.replacen('{', r#"{"deep":[[[[1]]]],"#, 1);
    let out = run(
        &[
            "test",
            "--event-pattern",
            pattern,
            "--event",
            &deep,
            "--max-depth",
            "4",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "evpattern test: the event is refused by --max-depth: nesting deeper than 4 levels at byte 11\n"
    );
    let out = run(
        &[
            "test",
            "--event-pattern",
            pattern,
            "--event",
            &deep,
            "--max-depth",
            "5",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_size_limit_above_the_maximum_is_refused() {
    let commands: [&[&str]; 2] = [
        &["test", "--rule", "a == 1", "--event", "{}"],
        &["match", "--rule", "x=a == 1"],
    ];
    for command in commands {
        let out = run(
            &[command, &["--max-event-size", "4294967296"]].concat(),
            b"",
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("4294967296 is not in 0..=4294967295"),
            "{command:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn explain_says_why_an_event_is_not_valid() {
    let pattern = r#"{"source":["s"]}"#;
    let cases = [
        (r#"{"id":"1", "x": [1,]}"#, "reason: the event is not valid JSON: expected a value at byte 19\n"),
        ("[1]", "reason: the event is not a JSON object\n"),
        (
            r#"{"id":"1","source":"s"}"#,
            "reason: the event lacks account, time, region, detail-type (TestEventPattern requires id, account, source, time, region, detail-type)\n",
        ),
    ];
    for (event, reason) in cases {
        let out = run(&["test", "--event-pattern", pattern, "--event", event], b"");
        assert_eq!(out.status.code(), Some(2));
        // Without --explain, AWS's words alone.
        assert_eq!(
            stderr(&out),
            "ValidationException: Parameter Event is not valid.\n"
        );
        let out = run(
            &[
                "test",
                "--explain",
                "--event-pattern",
                pattern,
                "--event",
                event,
            ],
            b"",
        );
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out),
            format!("ValidationException: Parameter Event is not valid.\n{reason}")
        );
    }
}

#[test]
fn a_huge_pattern_or_rule_is_not_echoed_whole() {
    let key = "k".repeat(100_000);
    let pattern = format!(r#"{{"{key}":[{{"foo":1}}]}}"#);
    let rule = format!(
        "detail.state == \"running\" and api {}",
        "K".repeat(100_000)
    );
    for args in [
        vec!["test", "--event-pattern", &pattern, "--event", EVENT],
        vec!["test", "--rule", &rule, "--event", EVENT],
        vec!["dsl", &rule],
    ] {
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.len() < 2_000, "{} bytes on stderr", err.len());
        assert!(err.contains("more characters)"), "{err}");
        assert!(err.lines().all(|line| line.chars().count() < 540), "{err}");
    }
}

#[test]
fn saasus_says_when_embedded_json_could_not_be_decoded() {
    let event = EVENT.replacen(
        r#""detail":{"state":"running"}"#,
        r#""detail":{"event":"{\"uri\": \"/v1/x\",}"}"#,
        1,
    );
    let pattern = r#"{"detail":{"event":{"uri":["/v1/x"]}}}"#;
    let note = "detail.event holds JSON text that cannot be decoded (trailing comma at line 1 column 17), so it stays a string";
    let out = run(
        &[
            "test",
            "--saasus",
            "--event-pattern",
            pattern,
            "--event",
            &event,
        ],
        b"",
    );
    assert_eq!(
        (stdout(&out).as_str(), out.status.code()),
        ("{\"Result\": false}\n", Some(1))
    );
    assert_eq!(stderr(&out), format!("warning: {note}\n"));
    let out = run(
        &[
            "test",
            "--saasus",
            "--explain",
            "--event-pattern",
            pattern,
            "--event",
            &event,
        ],
        b"",
    );
    assert_eq!(
        stderr(&out),
        format!("no match:\n  detail.event.uri: no value in the event, expected [\"/v1/x\"]\n  note: {note}\n")
    );
    // Decodable text says nothing more.
    let fine = event.replace(r#"\"/v1/x\",}"#, r#"\"/v1/x\"}"#);
    let out = run(
        &[
            "test",
            "--saasus",
            "--event-pattern",
            pattern,
            "--event",
            &fine,
        ],
        b"",
    );
    assert_eq!((out.status.code(), stderr(&out).as_str()), (Some(0), ""));
}

#[test]
fn a_target_without_a_rule_is_refused() {
    let out = run(
        &[
            "test",
            "--target",
            "eventbridge",
            "--event-pattern",
            r#"{"source":["aws.ec2"]}"#,
            "--event",
            EVENT,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out),
        "evpattern test: --target says where a --rule will run; a --event-pattern is tested as it is\n"
    );
    let out = run(
        &[
            "test",
            "--target",
            "eventbridge",
            "--rule",
            r#"source == "aws.ec2""#,
            "--event",
            EVENT,
        ],
        b"",
    );
    assert_eq!(
        (stdout(&out).as_str(), out.status.code()),
        ("{\"Result\": true}\n", Some(0))
    );
}
