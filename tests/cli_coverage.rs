//! `evpattern coverage` run as a process on a small corpus.

mod support;

use support::{run, stdout};

const EVENTS: &str = r#"{"id":"e1","source":"aws.ec2","detail":{"state":"running"}}
{"id":"e2","source":"aws.ec2","detail":{"state":"stopped"}}
{"source":"aws.s3","detail":{"state":"running"}}
{"detail":
{"id":"e5","source":"aws.ec2","detail":{"state":"pending"}}
"#;

fn coverage(extra: &[&str]) -> std::process::Output {
    let args = [
        &[
            "coverage",
            "--rule",
            "running=detail.state == \"running\"",
            "--rule",
            "ec2=source == \"aws.ec2\"",
        ][..],
        &[
            "--rule",
            "terminated=source == \"aws.ec2\" and detail.state == \"terminated\"",
        ],
        extra,
    ]
    .concat();
    run(&args, EVENTS.as_bytes())
}

#[test]
fn counts_first_matches_rules_that_never_fired_and_why() {
    let out = coverage(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "RULE          MATCHED  FIRST MATCHED
ec2                 3  id e1
running             2  id e1
terminated          0  -

never fired (1):
  terminated: most often failed detail.state: [\"terminated\"] (4 of 4 sampled events)

5 events, 0 matched by no rule, 1 malformed
"
    );
}

#[test]
fn json_for_machines_and_events_no_rule_matched() {
    let out = run(
        &["coverage", "--json", "--rule", "s3=source == \"aws.s3\""],
        EVENTS.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["events"], 5);
    assert_eq!(report["malformed"], 1);
    assert_eq!(report["unmatched"]["count"], 3);
    assert_eq!(
        report["unmatched"]["first"],
        serde_json::json!(["id e1", "id e2", "id e5"])
    );
    assert_eq!(report["rules"][0]["name"], "s3");
    assert_eq!(report["rules"][0]["matched"], 1);
    assert_eq!(report["rules"][0]["first_matched"], "line 3");
    assert_eq!(report["rules"][0]["most_failed"], serde_json::Value::Null);
}

#[test]
fn unreadable_events_are_an_error() {
    let out = run(
        &[
            "coverage",
            "--rule",
            "x=a == 1",
            "--events",
            "/nonexistent/events.ndjson",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
}

/// A corpus of at least 16 MiB, the size from which a terminal gets a progress line.
fn large_corpus() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "evpattern-coverage-large-{}.ndjson",
        std::process::id()
    ));
    let line = format!(
        "{{\"source\":\"aws.ec2\",\"pad\":\"{}\"}}\n",
        "x".repeat(1000)
    );
    std::fs::write(&path, line.repeat(17 * 1024)).unwrap();
    path
}

#[test]
fn progress_goes_to_a_terminal_only() {
    let path = large_corpus();
    let events = path.to_str().unwrap();
    // Standard error is a pipe here: no progress line.
    let out = run(
        &[
            "coverage",
            "--rule",
            "ec2=source == \"aws.ec2\"",
            "--events",
            events,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(support::stderr(&out), "");
    assert!(
        stdout(&out).contains("ec2       17408  line 1"),
        "{}",
        stdout(&out)
    );
    // On a terminal (util-linux's `script` gives the command one), it counts up to 100%.
    let command = format!(
        "{} coverage --rule 'ec2=source == \"aws.ec2\"' --events {events} > /dev/null",
        env!("CARGO_BIN_EXE_evpattern")
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("util-linux's script runs");
    let terminal = String::from_utf8_lossy(&out.stdout);
    assert!(
        terminal.contains("\revpattern coverage: 1% of "),
        "{terminal:?}"
    );
    assert!(
        terminal.contains("evpattern coverage: 100% of "),
        "{terminal:?}"
    );
    let _ = std::fs::remove_file(&path);
}
