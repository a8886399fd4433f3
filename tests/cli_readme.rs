//! The README's command-line examples, run on the input files in `examples/` from the
//! crate's root, as a newcomer would run them: each gives the output the README shows.

use std::process::{Command, Output};

/// `evpattern` with `args`, from the crate's root, standard input from `stdin_file` if given.
fn evpattern(args: &[&str], stdin_file: Option<&str>) -> Output {
    let root = env!("CARGO_MANIFEST_DIR");
    let stdin = match stdin_file {
        Some(path) => std::fs::File::open(format!("{root}/{path}"))
            .unwrap()
            .into(),
        None => std::process::Stdio::null(),
    };
    Command::new(env!("CARGO_BIN_EXE_evpattern"))
        .current_dir(root)
        .args(args)
        .stdin(stdin)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn test_examples() {
    let out = evpattern(
        &[
            "test",
            "--event-pattern",
            r#"{"detail":{"state":["running"]}}"#,
            "--event",
            "file://examples/event.json",
        ],
        None,
    );
    assert_eq!(
        (stdout(&out).as_str(), out.status.code()),
        ("{\"Result\": true}\n", Some(0))
    );
    let out = evpattern(
        &[
            "test",
            "--event-pattern",
            r#"{"detail":{"state":[]}}"#,
            "--event",
            "file://examples/event.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "InvalidEventPatternException: Event pattern is not valid. Reason: Empty arrays are not allowed\n"
    );
}

#[test]
fn match_examples() {
    let out = evpattern(
        &[
            "match",
            "--rules",
            "examples/rules.json",
            "--events",
            "examples/events.ndjson",
        ],
        None,
    );
    assert_eq!(
        stdout(&out),
        "[\"ec2-running\"]\n[\"big-orders\"]\n{\"error\":\"unexpected end of input at byte 10\",\"line\":3}\n[]\n"
    );
    assert_eq!(out.status.code(), Some(2));
    let out = evpattern(
        &["match", "--rules", "examples/rules.json", "--count"],
        Some("examples/events.ndjson"),
    );
    assert_eq!(stdout(&out), "big-orders\t1\nec2-running\t1\n");
    let out = evpattern(
        &[
            "match",
            "--saasus",
            "--rule",
            "x=detail.event.uri == \"/v1/x\"",
        ],
        Some("examples/undecodable.ndjson"),
    );
    assert_eq!(stdout(&out), "[]\n[\"x\"]\n");
}

#[test]
fn coverage_example() {
    let out = evpattern(
        &[
            "coverage",
            "--rules",
            "examples/rules.json",
            "--events",
            "examples/events.ndjson",
        ],
        None,
    );
    assert_eq!(
        stdout(&out),
        "RULE           MATCHED  FIRST MATCHED\nbig-orders           1  line 2\nec2-running          1  line 1\n\n4 events, 1 matched by no rule (first: line 4), 1 malformed\n"
    );
}

#[test]
fn dsl_examples() {
    let out = evpattern(&["dsl", "file://examples/rule.evp"], None);
    assert_eq!(
        stdout(&out),
        "{\"detail\":{\"state\":[\"running\",\"stopped\"]},\"source\":[\"aws.ec2\"]}\n"
    );
    let out = evpattern(
        &["dsl", "--from-pattern", "file://examples/pattern.json"],
        None,
    );
    assert_eq!(
        stdout(&out),
        "200 <= detail.n < 300\nand detail.state != \"terminated\"\nand source == \"aws.ec2\"\n"
    );
}

#[test]
fn saasus_examples() {
    let out = evpattern(
        &[
            "test",
            "--target",
            "eventbridge",
            "--rule",
            "api CreateTenant and status 2xx",
            "--event",
            "file://examples/create_tenant.json",
        ],
        None,
    );
    assert_eq!(stdout(&out), "{\"Result\": true}\n");
    let out = evpattern(
        &["test", "--saasus", "--rule", "api CreateSaasUser and status 2xx and detail.event.ip_address not starts with \"203.0.113.\"", "--event", "file://examples/create_saas_user.json"],
        None,
    );
    assert_eq!(stdout(&out), "{\"Result\": true}\n");
    let out = evpattern(
        &[
            "test",
            "--saasus",
            "--explain",
            "--rule",
            "api in [CreateTenantUser, DeleteTenantUser] and status 2xx",
            "--event",
            "file://examples/create_tenant.json",
        ],
        None,
    );
    assert_eq!(
        (stdout(&out).as_str(), out.status.code()),
        ("{\"Result\": false}\n", Some(1))
    );
    assert!(String::from_utf8(out.stderr).unwrap().contains(
        "    detail.event.uri: \"/v1/auth/tenants\" does not satisfy [{\"wildcard\":\"/v1/auth/tenants/*/users\"}]\n"
    ));
}

#[test]
fn every_example_file_the_readme_names_exists() {
    let readme = include_str!("../README.md");
    let root = env!("CARGO_MANIFEST_DIR");
    let mut named = 0;
    for (at, _) in readme.match_indices("examples/") {
        let name: String = readme[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/._-".contains(*c))
            .collect();
        let name = name.trim_end_matches('.');
        if name.ends_with(".json") || name.ends_with(".ndjson") || name.ends_with(".evp") {
            assert!(
                std::path::Path::new(root).join(name).is_file(),
                "README names {name}"
            );
            named += 1;
        }
    }
    assert!(
        named >= 8,
        "the README names the example files ({named} found)"
    );
}
