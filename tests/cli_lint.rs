//! `evpattern lint` run as a process: each check with a rule that triggers it and one that
//! must not, and the exit status a CI pipeline reads.

mod support;

use support::{run, stderr, stdout};

/// `evpattern lint` of a rules file holding `rules` (a JSON object of named patterns).
fn lint_rules(rules: &str) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!(
        "evpattern-cli-lint-{}-{}",
        std::process::id(),
        rules.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "rules-{:x}.json",
        rules.bytes().map(u64::from).sum::<u64>()
    ));
    std::fs::write(&path, rules).unwrap();
    let out = run(&["lint", "--rules", path.to_str().unwrap()], b"");
    let _ = std::fs::remove_file(&path);
    out
}

#[test]
fn a_field_both_absent_and_present_can_never_match() {
    // In pattern JSON a path beside a `$or` and inside it is no `and`: in each combination
    // the occurrence written last wins (event-ruler's rule overriding, issue 16), so this
    // rule holds for `a` = `x` or `a` starting with `y`, and nothing is dead; the override
    // itself is the one finding.
    let out = lint_rules(
        r#"{"live": {"a": [{"exists": false}], "$or": [{"a": ["x"]}, {"a": [{"prefix": "y"}]}]}}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !stdout(&out).contains("[unsatisfiable]"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).ends_with("[overridden]\n"), "{}", stdout(&out));
    // A filter-language rule keeps its `and` (compiled for the local matcher).
    let out = run(
        &[
            "lint",
            "--rule",
            r#"dead=a not exists and (a == "x" or a starts with "y")"#,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.starts_with("error: "), "{text}");
    assert!(text.contains("rule \"dead\": a: can never match"), "{text}");
    assert!(text.ends_with("[unsatisfiable]\n"), "{text}");
    // One dead $or branch of two is a warning naming it.
    let out = run(
        &[
            "lint",
            "--rule",
            r#"half=a not exists and (a == "x" or b == "y")"#,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("warning: ") && stdout(&out).contains("$or combination 1 of 2"));
    // Absent or a value (one condition's alternatives) is fine, and so is absence alone.
    let out = lint_rules(
        r#"{"either": {"a": [{"exists": false}, "x"]}, "absent": {"a": [{"exists": false}], "b": ["y"]}}"#,
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
}

#[test]
fn two_rules_of_one_meaning_are_duplicates() {
    let out = lint_rules(
        r#"{"one": {"source": ["a"], "detail": {"x": [1]}}, "two": {"detail.x": [1], "source": ["a"]}}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("rule \"two\": means the same as rule \"one\""),
        "{}",
        stdout(&out)
    );
    let out = lint_rules(r#"{"one": {"source": ["a"]}, "two": {"source": ["b"]}}"#);
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
}

#[test]
fn a_pattern_inside_saasus_detail_event_never_fires_on_eventbridge() {
    let out = lint_rules(r#"{"tenants": {"detail": {"event": {"uri": ["/v1/auth/tenants"]}}}}"#);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("rule \"tenants\": detail.event.uri: SaaSus sends detail.event as a JSON-encoded string"), "{text}");
    assert!(
        text.contains("--saasus") && text.contains("--target eventbridge"),
        "{text}"
    );
    // Other fields of detail.event, the string itself, and filter-language rules (compiled
    // for the local target on purpose) are not flagged.
    let out = lint_rules(
        r#"{"other": {"detail": {"event": {"colour": ["red"]}}}, "string": {"detail": {"event": [{"wildcard": "*uri*"}]}}}"#,
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
    let out = run(
        &["lint", "--rule", "x=api CreateTenant and status 2xx"],
        b"",
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
}

#[test]
fn selecting_a_read_is_the_filter_languages_warning() {
    let out = run(&["lint", "--rule", "x=api GetTenants"], b"");
    assert!(
        stderr(&out).contains("SaaSus sends no events for GET calls"),
        "{}",
        stderr(&out)
    );
    let out = run(&["lint", "--rule", "x=api CreateTenant"], b"");
    assert_eq!((stderr(&out).as_str(), out.status.code()), ("", Some(0)));
}

#[test]
fn a_pattern_near_eventbridges_limits_is_flagged() {
    let values: Vec<String> = (0..330).map(|i| format!("\"value-{i:03}\"")).collect();
    let big = format!(r#"{{"big": {{"source": [{}]}}}}"#, values.join(","));
    let out = lint_rules(&big);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("characters long; EventBridge refuses more than 4096"),
        "{}",
        stdout(&out)
    );
    let branches = |n: usize| -> String {
        (0..n)
            .map(|i| format!(r#"{{"f{i}": ["x"]}}"#))
            .collect::<Vec<_>>()
            .join(",")
    };
    // 28 x 28 = 784 combinations.
    let many = format!(
        r#"{{"many": {{"a": {{"$or": [{}]}}, "b": {{"$or": [{}]}}}}}}"#,
        branches(28),
        branches(28)
    );
    let out = lint_rules(&many);
    assert!(
        stdout(&out).contains("784 $or combinations"),
        "{}",
        stdout(&out)
    );
    let few = format!(
        r#"{{"few": {{"a": {{"$or": [{}]}}, "b": {{"$or": [{}]}}}}}}"#,
        branches(20),
        branches(20)
    );
    let out = lint_rules(&few);
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
}

#[test]
fn an_invalid_rule_set_is_status_2() {
    let out = lint_rules(r#"{"bad": {"a": []}}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("evpattern lint: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_field_no_saasus_event_carries_is_flagged_on_saasus_rules() {
    let out = lint_rules(
        r#"{"typo": {"source": [{"prefix": "aws.partner/saasus.io"}], "detail": {"event_typ": ["create_tenant"]}}}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("rule \"typo\": detail.event_typ: no SaaSus event carries this field"),
        "{}",
        stdout(&out)
    );
    let out = run(
        &[
            "lint",
            "--rule",
            "x=api CreateTenant and detail.event.ip_adress starts with \"10.\"",
        ],
        b"",
    );
    assert!(
        stdout(&out).contains("detail.event.ip_adress: no SaaSus event carries"),
        "{}",
        stdout(&out)
    );
    // Fields SaaSus sends, anything inside the bodies, and rules about other events pass.
    let out = lint_rules(
        r#"{"fine": {"source": [{"prefix": "aws.partner/saasus.io"}], "detail-type": ["api_call"], "detail": {"event_type": ["create_tenant"], "event": [{"wildcard": "*201*"}]}},
            "other": {"source": ["aws.ec2"], "detail": {"state": ["running"]}}}"#,
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
    let out = run(
        &[
            "lint",
            "--rule",
            "x=api CreateTenant and detail.event.request_body.name == \"a\"",
        ],
        b"",
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
}

#[test]
fn rules_of_one_meaning_in_another_order_are_duplicates() {
    // Values and `$or` alternatives listed in another order mean the same.
    let out = lint_rules(
        r#"{"one": {"a": ["x", "y"], "$or": [{"b": [1]}, {"c": [2]}]},
            "two": {"$or": [{"c": [2]}, {"b": [1]}], "a": ["y", "x"]}}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("rule \"two\": means the same as rule \"one\"")
            && text.ends_with("[duplicate]\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
    // One value more is another meaning (a subset, reported as such, not as a duplicate).
    let out = lint_rules(r#"{"one": {"a": ["x", "y"]}, "two": {"a": ["y", "x", "z"]}}"#);
    assert!(!stdout(&out).contains("[duplicate]"), "{}", stdout(&out));
}

#[test]
fn an_or_branch_implied_by_another_adds_nothing() {
    let out = lint_rules(r#"{"r": {"$or": [{"a": ["x", "y"]}, {"a": ["x"], "b": [1]}]}}"#);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("rule \"r\": $or combination 2 of 2 adds nothing: every event it matches, combination 1 matches too [covered]"),
        "{text}"
    );
    // Branches on different values, or where the narrower one's range is not decided, stay.
    let out = lint_rules(
        r#"{"r": {"$or": [{"a": ["x"]}, {"a": ["y"], "b": [1]}]},
            "n": {"$or": [{"n": [{"numeric": [">", 1]}]}, {"n": [{"numeric": [">", 5]}], "b": [1]}]}}"#,
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
    // SaaSus selectors compile to two identical alternatives on purpose: not reported.
    let out = run(&["lint", "--rule", "t=api CreateTenantUser"], b"");
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
}

#[test]
fn a_rule_narrower_than_another_is_a_subset() {
    let out = lint_rules(
        r#"{"broad": {"source": ["a", "b"]}, "narrow": {"source": ["a"], "detail": {"x": [1]}}}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("rule \"narrow\": every event it matches, rule \"broad\" matches too")
            && text.ends_with("[subset]\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
    // Overlapping is not a subset; and absence is not decided.
    let out = lint_rules(
        r#"{"one": {"source": ["a", "b"]}, "two": {"source": ["b", "c"]},
            "three": {"x": [{"exists": false}]}, "four": {"x": [{"exists": false}], "y": [1]}}"#,
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
}

#[test]
fn a_field_beside_a_dollar_or_and_inside_it_is_overridden_not_joined() {
    let out = lint_rules(r#"{"r": {"a": ["x"], "$or": [{"a": ["y"]}, {"b": [1]}]}}"#);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("rule \"r\": a: is tested beside a $or and inside it")
            && text.ends_with("[overridden]\n"),
        "{text}"
    );
    // The same test in both places changes nothing, and other fields do not collide; a
    // filter-language rule keeps its `and` (compiled for the local matcher).
    let out = lint_rules(
        r#"{"same": {"a": ["x"], "$or": [{"a": ["x"], "c": [3]}, {"b": [1]}]}, "apart": {"d": ["x"], "$or": [{"e": [1]}, {"f": [2]}]}}"#,
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
    let out = run(
        &["lint", "--rule", r#"f=a == "x" and (a == "y" or b == 1)"#],
        b"",
    );
    assert!(!stdout(&out).contains("[overridden]"), "{}", stdout(&out));
}

#[test]
fn wildcards_past_what_eventbridge_surely_accepts_are_flagged() {
    // Three "contains" wildcards on one field pass evpattern's limit (10) but keep more than
    // 7 states alive, past what AWS's recorded answers show it accepting.
    let out = lint_rules(
        r#"{"three": {"a": [{"wildcard": "*a*"}, {"wildcard": "*b*"}, {"wildcard": "*c*"}]}}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("rule \"three\": a: its wildcards keep more than 7 states alive")
            && text.ends_with("[near-limit]\n"),
        "{text}"
    );
    // Two, or three on different fields, are fine.
    let out = lint_rules(
        r#"{"two": {"a": [{"wildcard": "*a*"}, {"wildcard": "*b*"}]},
            "apart": {"a": [{"wildcard": "*x*"}], "b": [{"wildcard": "*b*"}], "c": [{"wildcard": "*c*"}]}}"#,
    );
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("", Some(0)));
}
