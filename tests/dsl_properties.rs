//! Properties of random rules: printing is stable, and the rule's own meaning (the direct
//! evaluator) agrees with the reference matcher running the compiled pattern.

use evpattern::dsl::{compile, parse, to_dsl, Target};
use evpattern::json::JsonNode;
use evpattern::reference;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Paths that overlap (`a` and `a.b`) and nest, so that arrays and dotted keys matter.
const PATHS: &[&str] = &["a", "b", "a.b", "a.c", "d.e"];

fn path() -> impl Strategy<Value = String> {
    prop::sample::select(PATHS).prop_map(str::to_owned)
}

fn string() -> impl Strategy<Value = String> {
    prop::sample::select(
        &[
            "",
            "a",
            "ab",
            "AB",
            "ba",
            "b",
            "10.0.0.1",
            "10.1.2.3",
            "a*",
            "É",
            // Corners AWS's engine decides its own way (issue 16).
            "010.0.0.1",
            "::ffff:a00:1",
            "::ffff:10.0.0.1",
            "2001:db8::0.0.0.1",
            "ß",
            "SS",
            "ss",
            "ẞ",
            "ı",
            "I",
            "ς",
            "Σ",
        ][..],
    )
    .prop_map(|s| serde_json::to_string(s).unwrap())
}

fn number() -> impl Strategy<Value = String> {
    prop::sample::select(
        &[
            "0",
            "1",
            "-1",
            "2.5",
            "300",
            "3e2",
            "-0.5",
            "4.9e-324",
            // Beyond a double's exact range: only an exact text match.
            "9007199254740993",
            "1.0000000000000001",
            "123456789012345678901234567890",
        ][..],
    )
    .prop_map(str::to_owned)
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => string(),
        3 => number(),
        1 => Just("true".to_owned()),
        1 => Just("null".to_owned()),
    ]
}

fn list<S: Strategy<Value = String>>(item: S) -> impl Strategy<Value = String> {
    prop::collection::vec(item, 1..3).prop_map(|items| format!("[{}]", items.join(", ")))
}

fn wildcard() -> impl Strategy<Value = String> {
    prop::sample::select(
        &[
            "\"a*\"",
            "\"*b\"",
            "\"*\"",
            "\"a*b\"",
            "\"10.*\"",
            "\"a\\\\*\"",
        ][..],
    )
    .prop_map(str::to_owned)
}

/// One field test, as rule text.
fn test() -> impl Strategy<Value = String> {
    let p = path;
    prop_oneof![
        (p(), value()).prop_map(|(p, v)| format!("{p} == {v}")),
        (p(), string()).prop_map(|(p, v)| format!("{p} != {v}")),
        (p(), number()).prop_map(|(p, v)| format!("{p} != {v}")),
        (p(), list(value())).prop_map(|(p, v)| format!("{p} in {v}")),
        (p(), list(string())).prop_map(|(p, v)| format!("{p} not in {v}")),
        (p(), list(number())).prop_map(|(p, v)| format!("{p} not in {v}")),
        (p(), string()).prop_map(|(p, v)| format!("{p} == {v} ignoring case")),
        (p(), list(string())).prop_map(|(p, v)| format!("{p} not in {v} ignoring case")),
        (p(), string()).prop_map(|(p, v)| format!("{p} starts with {v}")),
        (p(), string()).prop_map(|(p, v)| format!("{p} starts with {v} ignoring case")),
        (p(), list(string())).prop_map(|(p, v)| format!("{p} ends with {v}")),
        (p(), string()).prop_map(|(p, v)| format!("{p} ends with {v} ignoring case")),
        (p(), list(string())).prop_map(|(p, v)| format!("{p} not starts with {v}")),
        (p(), string()).prop_map(|(p, v)| format!("{p} not ends with {v}")),
        (p(), wildcard()).prop_map(|(p, w)| format!("{p} like {w}")),
        (p(), list(wildcard())).prop_map(|(p, w)| format!("{p} not like {w}")),
        (
            p(),
            number(),
            prop::sample::select(&["<", "<=", ">", ">="][..])
        )
            .prop_map(|(p, n, op)| format!("{p} {op} {n}")),
        (
            p(),
            prop::sample::select(&["-1 < ", "0 <= ", "1 < "][..]),
            prop::sample::select(&[" < 2.5", " <= 300"][..])
        )
            .prop_map(|(p, lo, hi)| format!("{lo}{p}{hi}")),
        p().prop_map(|p| format!("{p} exists")),
        p().prop_map(|p| format!("{p} not exists")),
        p().prop_map(|p| format!("not {p} exists")),
        p().prop_map(|p| format!("{p} in cidr [\"10.0.0.0/8\", \"10.1.0.0/16\"]")),
    ]
}

/// A rule: tests joined by `and` / `or`, with parentheses and `not` over exists tests.
fn rule() -> impl Strategy<Value = String> {
    test().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|parts| format!("({})", parts.join(" and "))),
            prop::collection::vec(inner, 2..4)
                .prop_map(|parts| format!("({})", parts.join(" or "))),
            prop::collection::vec(path(), 1..3).prop_map(|paths| {
                let tests: Vec<String> = paths.iter().map(|p| format!("{p} exists")).collect();
                format!("not ({})", tests.join(" or "))
            }),
        ]
    })
}

fn leaf_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(
            &[
                "",
                "a",
                "ab",
                "Ab",
                "AB",
                "ba",
                "b",
                "a*",
                "é",
                "10.0.0.1",
                "10.1.2.3",
                "11.0.0.1",
                "010.0.0.1",
                "10.000.0.01",
                "::ffff:a00:1",
                "::ffff:10.0.0.1",
                "2001:db8::0.0.0.1",
                "ß",
                "SS",
                "ss",
                "ẞ",
                "ı",
                "I",
                "i",
                "ς",
                "Σ",
                "σ",
            ][..]
        )
        .prop_map(|s| json!(s)),
        prop::sample::select(
            &[
                "0",
                "1",
                "-1",
                "2.5",
                "300",
                "300.0",
                "-0.5",
                "1e999",
                "9007199254740993"
            ][..]
        )
        .prop_map(|n| serde_json::from_str::<Value>(n).unwrap_or(json!(1))),
        Just(json!(true)),
        Just(Value::Null),
    ]
}

/// Events over the same keys, with arrays, nested objects and dotted keys.
fn event() -> impl Strategy<Value = String> {
    let node = leaf_value().prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(&["a", "b", "c", "e", "a.b"][..]),
                    inner
                ),
                1..3
            )
            .prop_map(|members| {
                let mut map = Map::new();
                for (k, v) in members {
                    map.insert(k.to_owned(), v);
                }
                Value::Object(map)
            }),
        ]
    });
    prop::collection::vec(
        (
            prop::sample::select(&["a", "b", "d", "a.b", "a.c", "d.e"][..]),
            node,
        ),
        0..4,
    )
    .prop_map(|members| {
        let mut map = Map::new();
        for (k, v) in members {
            map.insert(k.to_owned(), v);
        }
        Value::Object(map).to_string()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn printing_is_stable(rule in rule()) {
        // Rules that test a field twice in one `and` are refused; that is tested elsewhere.
        if let Ok(first) = compile(&rule, Target::Local) {
            let text = to_dsl(&first.pattern);
            let second = compile(&text, Target::Local)
                .unwrap_or_else(|e| panic!("{rule}\nprinted as\n{text}\ndoes not compile:\n{e}"));
            prop_assert_eq!(&first.pattern, &second.pattern, "{} printed as {}", rule, text);
            prop_assert_eq!(to_dsl(&second.pattern), text);
        }
    }

    #[test]
    fn evaluator_agrees_with_reference_matcher(rule in rule(), events in prop::collection::vec(event(), 1..8)) {
        if let Ok(compiled) = compile(&rule, Target::Local) {
            let expr = parse(&rule).unwrap();
            for text in &events {
                let event = JsonNode::parse(text, 64).unwrap();
                let direct = expr.evaluate(&event);
                let via_pattern = reference::matches(&compiled.pattern, &event);
                prop_assert_eq!(
                    direct, via_pattern,
                    "rule {}\npattern {}\nevent {}", rule, compiled.pattern.to_json(), text
                );
            }
        }
    }
}

/// Most random rules must compile, or the properties above would test little.
#[test]
fn most_random_rules_compile() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = rule();
    let total = 500;
    let compiled = (0..total)
        .filter(|_| {
            let rule = strategy.new_tree(&mut runner).unwrap().current();
            compile(&rule, Target::Local).is_ok()
        })
        .count();
    assert!(
        compiled * 2 > total,
        "only {compiled} of {total} random rules compile"
    );
}
