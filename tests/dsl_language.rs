//! The rule language: every operator compiles to the pattern it stands for, and prints back.

mod support;

use evpattern::dsl::{to_dsl, Target};
use evpattern::saasus::compile;
use serde_json::{json, Value};
use support::pattern_json::render;

fn pattern(rule: &str) -> Value {
    match compile(rule, Target::Local) {
        Ok(compiled) => {
            assert!(
                compiled.warnings.is_empty(),
                "{rule}: {:?}",
                compiled.warnings
            );
            render(&compiled.pattern)
        }
        Err(e) => panic!("{rule}:\n{e}"),
    }
}

/// Compiles, prints, compiles again: the same pattern.
fn round_trips(rule: &str) -> String {
    let first = compile(rule, Target::Local).unwrap().pattern;
    let text = to_dsl(&first);
    let second = compile(&text, Target::Local)
        .unwrap_or_else(|e| panic!("printed {text:?} does not compile:\n{e}"))
        .pattern;
    assert_eq!(first, second, "{rule} printed as {text}");
    text
}

#[test]
fn equality_and_value_lists() {
    assert_eq!(
        pattern(r#"source == "aws.ec2""#),
        json!({"source": ["aws.ec2"]})
    );
    assert_eq!(
        pattern(r#"source = "aws.ec2""#),
        json!({"source": ["aws.ec2"]})
    );
    assert_eq!(
        pattern(r#"detail.event_type in ["create_tenant", "delete_tenant"]"#),
        json!({"detail.event_type": ["create_tenant", "delete_tenant"]})
    );
    assert_eq!(
        pattern(r#"detail.v in ["a", 1, 2.5e3, true, false, null]"#),
        json!({"detail.v": ["a", 1, 2500.0, true, false, null]})
    );
    assert_eq!(pattern("detail.n == -0.5"), json!({"detail.n": [-0.5]}));
    assert_eq!(pattern("detail.n == null"), json!({"detail.n": [null]}));
    assert_eq!(pattern(r#"detail.s == """#), json!({"detail.s": [""]}));
    assert_eq!(
        pattern(r#"detail.s == "quote \" and \u00e9""#),
        json!({"detail.s": ["quote \" and é"]})
    );
}

#[test]
fn or_on_one_field_is_a_value_list() {
    assert_eq!(
        pattern(r#"detail.state == "running" or detail.state == "stopped""#),
        json!({"detail.state": ["running", "stopped"]})
    );
    assert_eq!(
        pattern(r#"x starts with "a" or x == 5 or x not exists"#),
        json!({"x": [{"prefix": "a"}, 5, {"exists": false}]})
    );
}

#[test]
fn or_across_fields_is_dollar_or() {
    assert_eq!(
        pattern(r#"source == "a" and (detail.x == 1 or detail.y == 2)"#),
        json!({"source": ["a"], "$or": [{"detail.x": [1]}, {"detail.y": [2]}]})
    );
    // Tests of one field among other alternatives share one alternative.
    assert_eq!(
        pattern("a == 1 or b == 2 or a == 3"),
        json!({"$or": [{"a": [1, 3]}, {"b": [2]}]})
    );
    // `and` binds tighter than `or`.
    assert_eq!(
        pattern("a == 1 and b == 2 or c == 3"),
        json!({"$or": [{"a": [1], "b": [2]}, {"c": [3]}]})
    );
    // Nested.
    assert_eq!(
        pattern("a == 1 or (b == 2 and (c == 3 or d == 4))"),
        json!({"$or": [{"a": [1]}, {"b": [2], "$or": [{"c": [3]}, {"d": [4]}]}]})
    );
}

#[test]
fn a_field_beside_and_inside_an_or_is_refused() {
    // `{"x":[1],"$or":[{"x":[2]},{"x":[3]}]}` means x in [2, 3] to EventBridge (the last
    // occurrence wins, event-ruler's rule overriding), not this `and`.
    let err = compile("x == 1 and (x == 2 or x == 3)", Target::EventBridge).unwrap_err();
    assert!(
        err.to_string()
            .contains("beside an `or` group and inside it"),
        "{err}"
    );
    assert!(compile("x exists and (x == 2 or y == 3)", Target::EventBridge).is_err());
    // The local matcher takes the AST as built, where it is an `and`.
    let local = compile("x == 1 and (x == 2 or x == 3)", Target::Local).unwrap();
    assert_eq!(local.pattern.root().conditions()[0].path(), "x");
}

#[test]
fn two_or_groups_in_one_and_are_multiplied_out() {
    // Two `$or` keys cannot share the root object.
    assert_eq!(
        pattern("(a == 1 or b == 2) and (c == 3 or d == 4)"),
        json!({"$or": [
            {"a": [1], "c": [3]}, {"a": [1], "d": [4]},
            {"b": [2], "c": [3]}, {"b": [2], "d": [4]}
        ]})
    );
    // Also at different levels: a clause's `$or`s would share one JSON object.
    assert_eq!(
        pattern("(detail.a == 1 or detail.b == 2) and (c == 3 or d == 4)"),
        json!({"$or": [
            {"detail.a": [1], "c": [3]}, {"detail.a": [1], "d": [4]},
            {"detail.b": [2], "c": [3]}, {"detail.b": [2], "d": [4]}
        ]})
    );
}

#[test]
fn anything_but_forms() {
    assert_eq!(
        pattern(r#"x != "a""#),
        json!({"x": [{"anything-but": ["a"]}]})
    );
    assert_eq!(pattern("x != 5"), json!({"x": [{"anything-but": [5]}]}));
    assert_eq!(
        pattern(r#"x not in ["a", "b"]"#),
        json!({"x": [{"anything-but": ["a", "b"]}]})
    );
    assert_eq!(
        pattern("x not in [1, 2]"),
        json!({"x": [{"anything-but": [1, 2]}]})
    );
    assert_eq!(
        pattern(r#"x != "a" ignoring case"#),
        json!({"x": [{"anything-but": {"equals-ignore-case": ["a"]}}]})
    );
    assert_eq!(
        pattern(r#"x not in ["a", "B"] ignoring case"#),
        json!({"x": [{"anything-but": {"equals-ignore-case": ["a", "B"]}}]})
    );
    assert_eq!(
        pattern(r#"x not starts with "10.""#),
        json!({"x": [{"anything-but": {"prefix": ["10."]}}]})
    );
    assert_eq!(
        pattern(r#"x not ends with [".png", ".jpg"]"#),
        json!({"x": [{"anything-but": {"suffix": [".png", ".jpg"]}}]})
    );
    assert_eq!(
        pattern(r#"x not like "a*b""#),
        json!({"x": [{"anything-but": {"wildcard": ["a*b"]}}]})
    );
}

#[test]
fn prefix_suffix_and_ignore_case() {
    assert_eq!(
        pattern(r#"x starts with "a""#),
        json!({"x": [{"prefix": "a"}]})
    );
    assert_eq!(
        pattern(r#"x starts with ["a", "b"]"#),
        json!({"x": [{"prefix": "a"}, {"prefix": "b"}]})
    );
    assert_eq!(
        pattern(r#"x starts with "A" ignoring case"#),
        json!({"x": [{"prefix": {"equals-ignore-case": "A"}}]})
    );
    assert_eq!(
        pattern(r#"x ends with ".png""#),
        json!({"x": [{"suffix": ".png"}]})
    );
    assert_eq!(
        pattern(r#"x ends with ".PNG" ignoring case"#),
        json!({"x": [{"suffix": {"equals-ignore-case": ".PNG"}}]})
    );
    assert_eq!(
        pattern(r#"x == "Alice" ignoring case"#),
        json!({"x": [{"equals-ignore-case": "Alice"}]})
    );
    assert_eq!(
        pattern(r#"x in ["a", "b"] ignoring case"#),
        json!({"x": [{"equals-ignore-case": "a"}, {"equals-ignore-case": "b"}]})
    );
}

#[test]
fn wildcard() {
    assert_eq!(
        pattern(r#"detail.event.uri like "/v1/auth/tenants/*/users""#),
        json!({"detail.event.uri": [{"wildcard": "/v1/auth/tenants/*/users"}]})
    );
    assert_eq!(
        pattern(r#"x like ["a*", "*\\*"]"#),
        json!({"x": [{"wildcard": "a*"}, {"wildcard": "*\\*"}]})
    );
}

#[test]
fn numeric_comparisons_and_ranges() {
    assert_eq!(pattern("x < 5"), json!({"x": [{"numeric": ["<", 5]}]}));
    assert_eq!(pattern("x <= 5"), json!({"x": [{"numeric": ["<=", 5]}]}));
    assert_eq!(
        pattern("x > -1.5"),
        json!({"x": [{"numeric": [">", -1.5]}]})
    );
    assert_eq!(
        pattern("x >= 1e3"),
        json!({"x": [{"numeric": [">=", 1000]}]})
    );
    assert_eq!(
        pattern("200 <= detail.status < 300"),
        json!({"detail.status": [{"numeric": [">=", 200, "<", 300]}]})
    );
    assert_eq!(
        pattern("300 > detail.status >= 200"),
        json!({"detail.status": [{"numeric": [">=", 200, "<", 300]}]})
    );
    assert_eq!(pattern("0 < x"), json!({"x": [{"numeric": [">", 0]}]}));
    assert_eq!(
        pattern("5 <= x <= 5"),
        json!({"x": [{"numeric": [">=", 5, "<=", 5]}]})
    );
    assert_eq!(
        pattern("x < 0 or 10 < x"),
        json!({"x": [{"numeric": ["<", 0]}, {"numeric": [">", 10]}]})
    );
}

#[test]
fn exists_and_not_exists() {
    assert_eq!(pattern("x exists"), json!({"x": [{"exists": true}]}));
    assert_eq!(pattern("x not exists"), json!({"x": [{"exists": false}]}));
    assert_eq!(pattern("not x exists"), json!({"x": [{"exists": false}]}));
    assert_eq!(
        pattern("not x not exists"),
        json!({"x": [{"exists": true}]})
    );
    // De Morgan over exists tests.
    assert_eq!(
        pattern("not (a exists or b exists)"),
        json!({"a": [{"exists": false}], "b": [{"exists": false}]})
    );
    assert_eq!(
        pattern("not (a exists and b not exists)"),
        json!({"$or": [{"a": [{"exists": false}]}, {"b": [{"exists": true}]}]})
    );
}

#[test]
fn cidr() {
    assert_eq!(
        pattern(r#"detail.ip in cidr "10.0.0.0/24""#),
        json!({"detail.ip": [{"cidr": "10.0.0.0/24"}]})
    );
    assert_eq!(
        pattern(r#"detail.ip in cidr ["10.0.0.0/8", "2001:db8::/32"]"#),
        json!({"detail.ip": [{"cidr": "10.0.0.0/8"}, {"cidr": "2001:db8::/32"}]})
    );
}

#[test]
fn paths_with_dots_quotes_and_keywords() {
    assert_eq!(
        pattern(r#"detail."detail-type" == 1"#),
        json!({"detail.detail-type": [1]})
    );
    assert_eq!(pattern("detail-type == 1"), json!({"detail-type": [1]}));
    assert_eq!(pattern(r#"a."b c".d == 1"#), json!({"a.b c.d": [1]}));
    assert_eq!(pattern(r#""status" == 1"#), json!({"status": [1]}));
    assert_eq!(pattern("detail.status == 1"), json!({"detail.status": [1]}));
    assert_eq!(pattern("detail.in.not == 1"), json!({"detail.in.not": [1]}));
    assert_eq!(pattern("$x._y-z == 1"), json!({"$x._y-z": [1]}));
}

#[test]
fn comments_and_layout() {
    let rule = "# SaaS tenants\nsource == \"a\" # the source\n\tand   detail.x   ==   1 # end";
    assert_eq!(pattern(rule), json!({"source": ["a"], "detail.x": [1]}));
}

#[test]
fn printer_round_trips_every_operator() {
    let rules = [
        r#"source == "aws.ec2""#,
        r#"detail.v in ["a", 1, true, null]"#,
        r#"x != "a""#,
        "x != 5",
        r#"x not in ["a", "b"]"#,
        "x not in [1, 2]",
        r#"x != "a" ignoring case"#,
        r#"x not in ["a", "b"] ignoring case"#,
        r#"x not starts with ["a", "b"]"#,
        r#"x not ends with "b""#,
        r#"x not like ["a*", "b*"]"#,
        r#"x starts with ["a", "b"] ignoring case"#,
        r#"x ends with "b" ignoring case"#,
        r#"x == "A" ignoring case"#,
        r#"x in ["a", "b"] ignoring case"#,
        r#"x like "a\\*b*""#,
        "x < 5 or x >= 1e300 or 1 < x <= 2.5 or 5 <= x <= 5",
        "x exists and y not exists",
        r#"x in cidr ["10.0.0.0/8", "2001:db8::/32"]"#,
        r#"x == 1 or x starts with "a" or x == 2"#,
        r#"detail."a.b"."" == 1 and "status".not == 2"#,
        "a == 1 and (b == 2 or (c == 3 and d == 4))",
        "(a == 1 or b == 2) and (c == 3 or d == 4)",
        "x == 1 and (x == 2 or x == 3)",
        "(detail.a == 1 or detail.b == 2) and (c == 3 or d == 4)",
    ];
    for rule in rules {
        round_trips(rule);
    }
}

#[test]
fn printer_layout() {
    assert_eq!(
        round_trips(r#"source == "a" and (x == 1 or y starts with "b") and z in [1, 2]"#),
        "source == \"a\"\nand z in [1, 2]\nand (x == 1 or y starts with \"b\")"
    );
    assert_eq!(
        round_trips("a == 1 and b == 2 or c == 3"),
        "(a == 1 and b == 2)\nor c == 3"
    );
    assert_eq!(
        round_trips(r#"x == 1 or x starts with "a""#),
        "x == 1 or x starts with \"a\""
    );
    assert_eq!(
        round_trips(r#"y == 0 and (x == 1 or x starts with "a")"#),
        "(x == 1 or x starts with \"a\")\nand y == 0"
    );
    assert_eq!(round_trips("200 <= s < 300"), "200 <= s < 300");
}

#[test]
fn exists_may_come_first_as_in_other_filter_languages() {
    for (prefix, postfix) in [
        ("exists detail.x", "detail.x exists"),
        ("not exists detail.x", "detail.x not exists"),
        ("not exists detail.x", "not detail.x exists"),
        (
            "exists a and not exists b.\"c d\"",
            "a exists and b.\"c d\" not exists",
        ),
        (
            "not (exists a or exists b)",
            "a not exists and b not exists",
        ),
    ] {
        assert_eq!(pattern(prefix), pattern(postfix), "{prefix}");
    }
}
