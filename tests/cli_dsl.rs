//! `evpattern dsl`, run as a program.

mod support;

use std::process::Output;

use support::{run, stderr, stdout};

use serde_json::{json, Value};

fn json_out(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// A file in the system's temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, content: &str) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("evpattern-cli-dsl-{}-{name}", std::process::id()));
        std::fs::write(&path, content).unwrap();
        TempFile(path)
    }

    fn url(&self) -> String {
        format!("file://{}", self.0.display())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn inline_rule_prints_pattern_json() {
    let o = run(
        &[
            "dsl",
            r#"source == "aws.ec2" and detail.state in ["running", "stopped"]"#,
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json_out(&o),
        json!({"detail": {"state": ["running", "stopped"]}, "source": ["aws.ec2"]})
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn rule_from_file_and_stdin() {
    let rule = "# saasus calls\napi CreateTenant\nand status 201\n";
    let file = TempFile::new("rule.evp", rule);
    let from_file = run(&["dsl", &file.url()], b"");
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    let from_stdin = run(&["dsl", "-"], rule.as_bytes());
    assert_eq!(from_stdin.status.code(), Some(0), "{}", stderr(&from_stdin));
    assert_eq!(stdout(&from_file), stdout(&from_stdin));
    assert_eq!(
        json_out(&from_file),
        json!({"detail": {
            "event": {"http_status": ["201"], "request_method": ["POST"], "uri": ["/v1/auth/tenants"]},
            "event_type": ["create_tenant"]
        }})
    );
    let missing = run(&["dsl", "file:///nonexistent/rule.evp"], b"");
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read the rule from /nonexistent/rule.evp"));
}

#[test]
fn eventbridge_target_warns_on_stderr() {
    let o = run(
        &[
            "dsl",
            "--target",
            "eventbridge",
            "api CreateTenantUser and status 2xx",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json_out(&o),
        json!({"detail": {"event": [{"wildcard":
            "*http_status\":\"2*uri\":\"/v1/auth/tenants/*/users\",\"ip_address*request_method\":\"POST\"*"}]}})
    );
    let err = stderr(&o);
    assert!(
        err.starts_with("warning: the eventbridge target matches"),
        "{err}"
    );
    // The default target is local.
    let local = run(&["dsl", "api CreateTenantUser"], b"");
    let explicit = run(&["dsl", "--target", "local", "api CreateTenantUser"], b"");
    assert_eq!(stdout(&local), stdout(&explicit));
    assert!(stdout(&local).contains("request_method"));
    let bad = run(&["dsl", "--target", "aws", "a == 1"], b"");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn errors_exit_2_with_position_and_caret() {
    let o = run(&["dsl", "a == 1 and\nb >= \"x\""], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(
        err.starts_with("error: 2:6: expected a number, found a string\n  b >= \"x\"\n       ^^^"),
        "{err}"
    );
    let o = run(&["dsl", "api CreateTenantUsr"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `CreateTenantUser`?"));
}

#[test]
fn from_pattern_prints_the_rule() {
    let pattern = r#"{"source": ["aws.ec2"], "detail": {"state": [{"anything-but": "terminated"}], "n": [{"numeric": [">=", 200, "<", 300]}]}}"#;
    let file = TempFile::new("pattern.json", pattern);
    let o = run(&["dsl", "--from-pattern", &file.url()], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(
        text,
        "200 <= detail.n < 300\nand detail.state != \"terminated\"\nand source == \"aws.ec2\"\n"
    );
    // The printed rule compiles back to the same pattern.
    let back = run(&["dsl", text.trim_end()], b"");
    let original = run(&["dsl", "--from-pattern", pattern], b"");
    assert_eq!(original.status.code(), Some(0));
    assert_eq!(
        json_out(&back),
        serde_json::from_str::<Value>(pattern).unwrap()
    );
    let stdin = run(&["dsl", "--from-pattern", "-"], pattern.as_bytes());
    assert_eq!(stdout(&stdin), text);

    let invalid = run(&["dsl", "--from-pattern", r#"{"a": "b"}"#], b"");
    assert_eq!(invalid.status.code(), Some(2));
    assert!(stderr(&invalid)
        .contains(r#"Event pattern is not valid. Reason: "a" must be an object or an array"#));
}

#[test]
fn argument_mistakes_exit_2() {
    assert_eq!(run(&["dsl"], b"").status.code(), Some(2));
    assert_eq!(
        run(&["dsl", "a == 1", "--from-pattern", "{}"], b"")
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn the_hint_for_two_comparisons_is_the_users_own_range() {
    let out = run(&["dsl", "detail.total >= 100 and detail.total < 250"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("help: write one range: 100 <= detail.total < 250"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn prefix_exists_forms_compile() {
    let out = run(&["dsl", "exists detail.x and not exists detail.y"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "{\"detail\":{\"x\":[{\"exists\":true}],\"y\":[{\"exists\":false}]}}\n"
    );
}
