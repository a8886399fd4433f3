//! Every accepted form of every operator, and the AST it parses to.

use std::net::IpAddr;

use evpattern::pattern::{AnythingBut, Literal, Number, NumericRange, Predicate};
use evpattern::Pattern;

/// The predicates of the only condition of `{"f": <array>}`.
fn predicates(array: &str) -> Vec<Predicate> {
    let text = format!(r#"{{"f": {array}}}"#);
    let pattern = Pattern::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let root = pattern.root();
    assert!(root.any_of().is_empty());
    assert_eq!(root.conditions().len(), 1);
    assert_eq!(root.conditions()[0].path(), "f");
    root.conditions()[0].predicates().to_vec()
}

fn one(array: &str) -> Predicate {
    let mut all = predicates(array);
    assert_eq!(all.len(), 1, "{array}");
    all.remove(0)
}

fn num(text: &str) -> Number {
    Number::parse(text).unwrap()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn exact_literals() {
    assert_eq!(
        predicates(r#"["a", "", 300, 3.5e2, true, false, null, "\u0041"]"#),
        vec![
            Predicate::Exact(Literal::String("a".into())),
            Predicate::Exact(Literal::String("".into())),
            Predicate::Exact(Literal::Number(num("300"))),
            Predicate::Exact(Literal::Number(num("350"))),
            Predicate::Exact(Literal::Bool(true)),
            Predicate::Exact(Literal::Bool(false)),
            Predicate::Exact(Literal::Null),
            Predicate::Exact(Literal::String("A".into())),
        ]
    );
    // `exactly` is event-ruler's explicit form of an exact string.
    assert_eq!(
        one(r#"[{"exactly": "a"}]"#),
        Predicate::Exact(Literal::String("a".into()))
    );
}

#[test]
fn numbers_keep_their_text() {
    let Predicate::Exact(Literal::Number(n)) = one("[1e999]") else {
        panic!()
    };
    assert_eq!(n.text(), "1e999");
    assert_eq!(n.value(), None);
    let Predicate::Exact(Literal::Number(n)) = one("[12345678901234567890123]") else {
        panic!()
    };
    assert_eq!(n.text(), "12345678901234567890123");
    let Predicate::Exact(Literal::Number(n)) = one("[-0.0]") else {
        panic!()
    };
    assert_eq!(n.value(), Some(0.0));
}

#[test]
fn prefix_and_suffix() {
    assert_eq!(one(r#"[{"prefix": "ab"}]"#), Predicate::Prefix("ab".into()));
    assert_eq!(one(r#"[{"prefix": ""}]"#), Predicate::Prefix("".into()));
    assert_eq!(
        one(r#"[{"suffix": ".png"}]"#),
        Predicate::Suffix(".png".into())
    );
    assert_eq!(one(r#"[{"suffix": ""}]"#), Predicate::Suffix("".into()));
    assert_eq!(
        one(r#"[{"prefix": {"equals-ignore-case": "EventB"}}]"#),
        Predicate::PrefixIgnoreCase("EventB".into())
    );
    assert_eq!(
        one(r#"[{"suffix": {"equals-ignore-case": ".PNG"}}]"#),
        Predicate::SuffixIgnoreCase(".PNG".into())
    );
}

#[test]
fn equals_ignore_case() {
    assert_eq!(
        one(r#"[{"equals-ignore-case": "Ec2"}]"#),
        Predicate::EqualsIgnoreCase("Ec2".into())
    );
    assert_eq!(
        one(r#"[{"equals-ignore-case": ""}]"#),
        Predicate::EqualsIgnoreCase("".into())
    );
}

#[test]
fn wildcard() {
    let Predicate::Wildcard(w) = one(r#"[{"wildcard": "a*b\\*c\\\\*"}]"#) else {
        panic!()
    };
    assert_eq!(w.source(), r"a*b\*c\\*");
    assert_eq!(w.pieces(), ["a", r"b*c\", ""]);
    let Predicate::Wildcard(w) = one(r#"[{"wildcard": ""}]"#) else {
        panic!()
    };
    assert_eq!(w.pieces(), [""]);
    let Predicate::Wildcard(w) = one(r#"[{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]"#)
    else {
        panic!()
    };
    assert_eq!(w.pieces(), ["arn:aws:events:us-east-1:", ":event-bus/", ""]);
}

#[test]
fn anything_but_values() {
    assert_eq!(
        one(r#"[{"anything-but": "x"}]"#),
        Predicate::AnythingBut(AnythingBut::Strings(strings(&["x"])))
    );
    assert_eq!(
        one(r#"[{"anything-but": ["x", "y"]}]"#),
        Predicate::AnythingBut(AnythingBut::Strings(strings(&["x", "y"])))
    );
    assert_eq!(
        one(r#"[{"anything-but": 0}]"#),
        Predicate::AnythingBut(AnythingBut::Numbers(vec![num("0")]))
    );
    assert_eq!(
        one(r#"[{"anything-but": [100, 2e2, 300.5]}]"#),
        Predicate::AnythingBut(AnythingBut::Numbers(vec![
            num("100"),
            num("200"),
            num("300.5")
        ]))
    );
}

#[test]
fn anything_but_operator_forms() {
    let cases: [(&str, AnythingBut); 7] = [
        (
            r#"{"prefix": "init"}"#,
            AnythingBut::Prefix(strings(&["init"])),
        ),
        (
            r#"{"prefix": ["init", "test"]}"#,
            AnythingBut::Prefix(strings(&["init", "test"])),
        ),
        (
            r#"{"suffix": ".txt"}"#,
            AnythingBut::Suffix(strings(&[".txt"])),
        ),
        (
            r#"{"suffix": [".txt", ".jpg"]}"#,
            AnythingBut::Suffix(strings(&[".txt", ".jpg"])),
        ),
        (
            r#"{"equals-ignore-case": "Init"}"#,
            AnythingBut::EqualsIgnoreCase(strings(&["Init"])),
        ),
        (
            r#"{"equals-ignore-case": ["a", "B"]}"#,
            AnythingBut::EqualsIgnoreCase(strings(&["a", "B"])),
        ),
        (
            r#"{"equals-ignore-case": ""}"#,
            AnythingBut::EqualsIgnoreCase(strings(&[""])),
        ),
    ];
    for (operand, expected) in cases {
        assert_eq!(
            one(&format!(r#"[{{"anything-but": {operand}}}]"#)),
            Predicate::AnythingBut(expected),
            "{operand}"
        );
    }
    let Predicate::AnythingBut(AnythingBut::Wildcard(ws)) =
        one(r#"[{"anything-but": {"wildcard": ["*/init/*", "*/dir/*"]}}]"#)
    else {
        panic!()
    };
    let sources: Vec<&str> = ws.iter().map(|w| w.source()).collect();
    assert_eq!(sources, ["*/init/*", "*/dir/*"]);
    let Predicate::AnythingBut(AnythingBut::Wildcard(ws)) =
        one(r#"[{"anything-but": {"wildcard": ""}}]"#)
    else {
        panic!()
    };
    assert_eq!(ws[0].pieces(), [""]);
}

fn range(lower: Option<(f64, bool)>, upper: Option<(f64, bool)>) -> Predicate {
    Predicate::Numeric(NumericRange { lower, upper })
}

#[test]
fn numeric_forms() {
    let n = |ops: &str| one(&format!(r#"[{{"numeric": {ops}}}]"#));
    assert_eq!(
        n(r#"["=", 301.8]"#),
        range(Some((301.8, true)), Some((301.8, true)))
    );
    assert_eq!(n(r#"["<", 10]"#), range(None, Some((10.0, false))));
    assert_eq!(n(r#"["<=", 10]"#), range(None, Some((10.0, true))));
    assert_eq!(n(r#"[">", 0]"#), range(Some((0.0, false)), None));
    assert_eq!(n(r#"[">=", -5e-3]"#), range(Some((-0.005, true)), None));
    assert_eq!(
        n(r#"[">", 0, "<=", 5]"#),
        range(Some((0.0, false)), Some((5.0, true)))
    );
    assert_eq!(
        n(r#"[">=", 200, "<", 500]"#),
        range(Some((200.0, true)), Some((500.0, false)))
    );
    // The full double range; a bound a double cannot hold exactly is refused (event-ruler).
    assert_eq!(
        n(r#"[">", -1.7976931348623157e308, "<", 1.7976931348623157e308]"#),
        range(Some((-f64::MAX, false)), Some((f64::MAX, false)))
    );
    assert!(Pattern::parse(r#"{"f": [{"numeric": ["<", 12345678901234567890123]}]}"#).is_err());
}

#[test]
fn exists() {
    assert_eq!(one(r#"[{"exists": true}]"#), Predicate::Exists(true));
    assert_eq!(one(r#"[{"exists": false}]"#), Predicate::Exists(false));
}

#[test]
fn cidr_v4_and_v6() {
    let cidr = |operand: &str| match one(&format!(r#"[{{"cidr": "{operand}"}}]"#)) {
        Predicate::Cidr(c) => (c.network(), c.prefix_len(), c.source().to_owned()),
        other => panic!("{other:?}"),
    };
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    assert_eq!(
        cidr("10.0.0.0/24"),
        (ip("10.0.0.0"), 24, "10.0.0.0/24".into())
    );
    // Floored to the mask.
    assert_eq!(cidr("10.0.0.77/24").0, ip("10.0.0.0"));
    assert_eq!(cidr("192.168.255.255/0").0, ip("0.0.0.0"));
    assert_eq!(
        cidr("172.16.5.4/31"),
        (ip("172.16.5.4"), 31, "172.16.5.4/31".into())
    );
    assert_eq!(
        cidr("2001:db8:1234:1a00::/64"),
        (
            ip("2001:db8:1234:1a00::"),
            64,
            "2001:db8:1234:1a00::/64".into()
        )
    );
    assert_eq!(
        cidr("2001:DB8:1234:1AFF:1::9/56").0,
        ip("2001:db8:1234:1a00::")
    );
    assert_eq!(cidr("::1/127").0, ip("::0"));
}

#[test]
fn several_alternatives_in_one_array() {
    assert_eq!(
        predicates(r#"[{"exists": true}, {"prefix": "IGNORED"}, "x", 5]"#),
        vec![
            Predicate::Exists(true),
            Predicate::Prefix("IGNORED".into()),
            Predicate::Exact(Literal::String("x".into())),
            Predicate::Exact(Literal::Number(num("5"))),
        ]
    );
}
