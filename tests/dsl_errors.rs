//! Rules that cannot be compiled: syntax errors with their place, and what EventBridge
//! cannot express, each with a reason and a hint.

use evpattern::dsl::{DslError, Target};
use evpattern::saasus::compile;

fn error(rule: &str) -> DslError {
    match compile(rule, Target::Local) {
        Ok(c) => panic!("{rule} compiled to {:?}", c.pattern),
        Err(e) => e,
    }
}

/// Asserts position and a fragment of the message (and of the hint when given).
fn check(rule: &str, line: usize, column: usize, message: &str, help: Option<&str>) {
    let e = error(rule);
    assert_eq!((e.line(), e.column()), (line, column), "{rule}:\n{e}");
    assert!(
        e.message().contains(message),
        "{rule}: message {:?}",
        e.message()
    );
    if let Some(help) = help {
        let actual = e.help().unwrap_or_default();
        assert!(actual.contains(help), "{rule}: help {actual:?}");
    }
}

#[test]
fn display_shows_line_caret_and_help() {
    let e = error("source == \"a\"\nand detail.x >= \"5\"");
    assert_eq!(
        e.to_string(),
        "2:17: expected a number, found a string\n  and detail.x >= \"5\"\n                  ^^^\n  help: `<`, `<=`, `>` and `>=` compare numbers; use `starts with` or `like` for strings"
    );
}

#[test]
fn syntax_errors_point_at_the_spot() {
    check("", 1, 1, "the rule is empty", None);
    check("  # only a comment", 1, 19, "the rule is empty", None);
    check("source ==", 1, 10, "expected a value after `==`", None);
    check(
        "source",
        1,
        7,
        "expected a comparison after `source`",
        Some("starts with"),
    );
    check(
        "source is \"a\"",
        1,
        8,
        "expected a comparison, found `is`",
        None,
    );
    check(
        "a == 1 b == 2",
        1,
        8,
        "expected `and`, `or` or the end",
        None,
    );
    check(
        "(a == 1",
        1,
        8,
        "expected `)`",
        Some("the `(` at 1:1 is never closed"),
    );
    check("a == 1)", 1, 7, "no matching `(`", None);
    check("a == 1 and", 1, 11, "expected a condition", None);
    check(
        "and a == 1",
        1,
        1,
        "found the keyword `and`",
        Some("\"and\" == ..."),
    );
    check("a.", 1, 3, "expected a field name", None);
    check("a in \"x\"", 1, 6, "expected a list", None);
    check("a in []", 1, 6, "empty list", None);
    check("a in [1 2]", 1, 9, "expected `,` or `]`", None);
    check("a == \"x", 1, 6, "never closed", None);
    check("a == 1.", 1, 6, "invalid number", None);
    check("a ! b", 1, 3, "`!` on its own", None);
    check("a == 1 &&", 1, 8, "unexpected character `&`", None);
    check("a starts \"x\"", 1, 10, "expected `with`", None);
    check("a == \"x\" ignoring", 1, 18, "expected `case`", None);
    check("x starts with 5", 1, 15, "expected a string", None);
    check("x in cidr 5", 1, 11, "expected a CIDR block", None);
    check(
        "5 == x",
        1,
        3,
        "expected `<`, `<=`, `>` or `>=` after a number",
        None,
    );
    check("1 < x > 0", 1, 7, "same way", None);
    check("5 < x < 5", 1, 1, "range is empty", None);
    check("x < 1e999", 1, 5, "outside the range", None);
    check("a exists and not (b exists", 1, 27, "expected `)`", None);
}

#[test]
fn errors_on_later_lines_count_lines() {
    check(
        "a == 1\nand b == 2\nand c ==\n",
        4,
        1,
        "expected a value",
        None,
    );
    check(
        "a == 1\n  and (b == 2 or c == )",
        2,
        23,
        "expected a value",
        None,
    );
}

#[test]
fn operand_errors_use_aws_wording() {
    check(
        r#"x like "ab**""#,
        1,
        8,
        "Consecutive wildcard characters at pos 3",
        None,
    );
    check(r#"x like "a\\b""#, 1, 8, "Invalid escape character", None);
    check(
        r#"x in cidr "10.0.0.0""#,
        1,
        11,
        "Malformed CIDR, one '/' required",
        None,
    );
    check(
        r#"x in cidr "xx.11.xx/8""#,
        1,
        11,
        "Nonstandard IP address: xx.11.xx",
        None,
    );
}

#[test]
fn anything_but_limits() {
    check(
        "x != true",
        1,
        6,
        "only strings or only numbers",
        Some("x in [true]"),
    );
    check("x not in [null]", 1, 11, "not true, false or null", None);
    check(r#"x not in ["a", 1]"#, 1, 16, "not both", None);
    check(
        r#"x not in cidr "10.0.0.0/8""#,
        1,
        10,
        "no \"not in a CIDR block\"",
        Some("not starts with"),
    );
    check(
        r#"x not starts with "a" ignoring case"#,
        1,
        23,
        "cannot negate a case-insensitive prefix",
        None,
    );
    check(
        r#"x not ends with "a" ignoring case"#,
        1,
        21,
        "case-insensitive suffix",
        None,
    );
    check(
        r#"x like "a*" ignoring case"#,
        1,
        13,
        "no case-insensitive form of `like`",
        None,
    );
    check(
        r#"x not like "a*" ignoring case"#,
        1,
        17,
        "`not like`",
        None,
    );
    check("x == 5 ignoring case", 1, 6, "expected a string", None);
}

#[test]
fn not_only_negates_exists() {
    check(
        r#"not x == "a""#,
        1,
        5,
        "`not` can only negate `exists` tests",
        Some("`x != \"a\"` comes closest, but it needs x to be present; add `or x not exists`"),
    );
    check(
        r#"not (a == "x" or b == "y")"#,
        1,
        6,
        "`not` can only negate `exists` tests",
        Some("`a != \"x\"`"),
    );
    check(
        r#"not x in ["a", "b"]"#,
        1,
        5,
        "only negate",
        Some("x not in [\"a\", \"b\"]"),
    );
    check(
        r#"not x starts with "a""#,
        1,
        5,
        "only negate",
        Some("x not starts with \"a\""),
    );
    check("not x < 5", 1, 5, "only negate", Some("list the values"));
    check(
        r#"not x like "a*""#,
        1,
        5,
        "only negate",
        Some("x not like \"a*\""),
    );
    check(
        r#"not x == "a" ignoring case"#,
        1,
        5,
        "only negate",
        Some("x != \"a\" ignoring case"),
    );
    check("not x not", 1, 10, "expected `exists`", None);
    check(
        "x not equals 1",
        1,
        7,
        "after `not`, found `equals`",
        Some("!="),
    );
}

#[test]
fn one_field_twice_in_an_and() {
    check(
        "detail.x > 1 and detail.x < 5",
        1,
        18,
        "detail.x is already tested at 1:1 in this `and`",
        Some("write one range: 1 < detail.x < 5"),
    );
    // The hint is the user's own bounds, the tighter where both give one.
    check(
        "detail.x >= 10 and y == 1 and detail.x < 20.5",
        1,
        31,
        "detail.x is already tested at 1:1 in this `and`",
        Some("write one range: 10 <= detail.x < 20.5"),
    );
    check(
        "detail.x > 1 and detail.x >= 4",
        1,
        18,
        "already tested",
        Some("write one range: detail.x >= 4"),
    );
    check(
        "detail.x >= 10 and detail.x <= 3",
        1,
        20,
        "already tested",
        Some("no number satisfies both; if either will do, join the tests with `or`"),
    );
    check(
        r#"x != "a" and x != "b""#,
        1,
        14,
        "already tested",
        Some(r#"x not in ["a", "b"]"#),
    );
    check(
        r#"x exists and x == "a""#,
        1,
        14,
        "already tested",
        Some("drop `x exists`"),
    );
    check(
        r#"x starts with "a" and x starts with "b""#,
        1,
        23,
        "two conditions on one field cannot both be required",
        Some("join the tests with `or`"),
    );
    check(
        "x == 1 and\n  y == 2 and\n  x == 2",
        3,
        3,
        "x is already tested at 1:1",
        None,
    );
    // Also when the repeats come from different parts of the `and`.
    check(
        "x == 1 and (y == 1 and x == 2)",
        1,
        24,
        "already tested",
        None,
    );
}

#[test]
fn multiplying_out_or_groups_may_repeat_a_field() {
    check(
        "(a == 1 or b == 2) and (a == 3 or c == 4)",
        1,
        1,
        "both test a",
        None,
    );
}

#[test]
fn or_combinations_are_limited() {
    // Four `$or`s of six alternatives: 1296 combinations.
    let group = |level: &str| {
        (0..6)
            .map(|i| format!("{level}.f{i} == {i}"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let rule = ["a", "b", "c", "d"]
        .iter()
        .map(|l| format!("({})", group(l)))
        .collect::<Vec<_>>()
        .join(" and ");
    check(&rule, 1, 1, "expands to 1296 alternatives", None);
    let ok = ["a", "b", "c"]
        .iter()
        .map(|l| format!("({})", group(l)))
        .collect::<Vec<_>>()
        .join(" and ");
    assert!(compile(&ok, Target::Local).is_ok());
}

#[test]
fn dollar_or_is_not_a_field_name() {
    check(r#"detail."$or" == 1"#, 1, 1, "field named `$or`", None);
}

#[test]
fn hostile_nesting_is_refused_not_overflowed() {
    let deep = "(".repeat(100_000) + "a == 1" + &")".repeat(100_000);
    let e = error(&deep);
    assert!(
        e.message().contains("nested more than 100 deep"),
        "{}",
        e.message()
    );
    let nots = "not ".repeat(100_000) + "a exists";
    assert!(error(&nots).message().contains("nested more than"));
    let fine = "(".repeat(50) + "a == 1" + &")".repeat(50);
    assert!(compile(&fine, Target::Local).is_ok());
}

#[test]
fn any_input_gives_a_value_never_a_panic() {
    let samples = [
        "\u{0}",
        "\"\\u",
        "\"\\ud800\"",
        "x == \"\\ud800\"",
        "1e",
        "-",
        "--1",
        "x == -",
        "api",
        "status",
        "api in [",
        "status in [",
        "x in [1,",
        "é == 1",
        "x.\"\" == 1",
        "x like \"\\\"",
        "1 <",
        "1 < x <",
        "x == 1 or",
        "((",
        "))",
        "x not in cidr",
    ];
    for s in samples {
        let _ = compile(s, Target::Local);
        let _ = compile(s, Target::EventBridge);
    }
}

#[test]
fn or_explosion_is_refused_before_it_is_built() {
    // 10^10 combinations would exhaust memory if multiplied out first.
    let rule = (0..10)
        .map(|g| {
            let alternatives: Vec<String> = (0..10).map(|i| format!("g{g}.f{i} == {i}")).collect();
            format!("({})", alternatives.join(" or "))
        })
        .collect::<Vec<_>>()
        .join(" and ");
    let e = error(&rule);
    assert!(
        e.message().contains("expands to 10000000000 alternatives"),
        "{e}"
    );
}

#[test]
fn patterns_aws_would_refuse_are_errors() {
    // Too many wildcards on one field for AWS's matcher (recorded on AWS).
    let e = error(r#"resources like "*:*:*:*:*:event-bus/*""#);
    assert!(e.message().contains("Rule is too complex"), "{e}");
    assert_eq!(e.column(), 16);
    assert!(e.help().unwrap().contains("split the rule"));
    // Wildcards that are fine alone can be too many together on one field.
    let e = error(r#"x like ["*a*b*c*", "*a*c*b*", "*b*a*c*"]"#);
    assert!(
        e.message()
            .contains("EventBridge would refuse the pattern of this rule: Rule is too complex"),
        "{e}"
    );
    assert!(e.help().unwrap().contains("split the rule"));
}

#[test]
fn prefix_exists_needs_a_path() {
    check(
        "exists and",
        1,
        8,
        "expected a field path after `exists`, found the keyword `and`",
        Some("exists \"and\""),
    );
    check(
        "source == \"a\" and exists",
        1,
        25,
        "expected a field path after `exists`, found the end of the rule",
        Some("exists detail.state"),
    );
    check(
        "not exists 5",
        1,
        12,
        "expected a field path after `exists`",
        None,
    );
}
