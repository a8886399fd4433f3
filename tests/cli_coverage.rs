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
