//! A pattern as JSON, rendered by the tests themselves (used by the DSL and SaaSus tests
//! through `support::pattern_json::render`).

use evpattern::pattern::{AnythingBut, Clause, Literal, Pattern, Predicate};
use serde_json::{json, Map, Value};

/// The pattern as JSON, written by the test itself so that the tests do not depend on the
/// printer under test. `$or`s after the first get a `#n` suffix so that none is lost.
pub fn render(pattern: &Pattern) -> Value {
    clause(pattern.root())
}

fn clause(clause: &Clause) -> Value {
    let mut map = Map::new();
    for c in clause.conditions() {
        map.insert(
            c.path().to_owned(),
            Value::Array(c.predicates().iter().map(predicate).collect()),
        );
    }
    for (i, group) in clause.any_of().iter().enumerate() {
        let key = if i == 0 {
            "$or".to_owned()
        } else {
            format!("$or#{i}")
        };
        map.insert(key, Value::Array(group.iter().map(self::clause).collect()));
    }
    Value::Object(map)
}

fn literal(l: &Literal) -> Value {
    match l {
        Literal::String(s) => json!(s),
        Literal::Number(n) => serde_json::from_str(n.text()).unwrap_or_else(|_| json!(n.text())),
        Literal::Bool(b) => json!(b),
        Literal::Null => Value::Null,
        // The AST's enums are non-exhaustive: a new kind must be taught here, loudly.
        other => panic!("pattern_json: no JSON form for {other:?}"),
    }
}

fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn predicate(p: &Predicate) -> Value {
    match p {
        Predicate::Exact(l) => literal(l),
        Predicate::Prefix(s) => json!({ "prefix": s }),
        Predicate::PrefixIgnoreCase(s) => json!({ "prefix": { "equals-ignore-case": s } }),
        Predicate::Suffix(s) => json!({ "suffix": s }),
        Predicate::SuffixIgnoreCase(s) => json!({ "suffix": { "equals-ignore-case": s } }),
        Predicate::EqualsIgnoreCase(s) => json!({ "equals-ignore-case": s }),
        Predicate::Wildcard(w) => json!({ "wildcard": w.source() }),
        Predicate::Exists(b) => json!({ "exists": b }),
        Predicate::Cidr(c) => json!({ "cidr": c.source() }),
        Predicate::Numeric(r) => {
            let mut ops = Vec::new();
            if let Some((lo, inc)) = r.lower {
                ops.push(json!(if inc { ">=" } else { ">" }));
                ops.push(number(lo));
            }
            if let Some((hi, inc)) = r.upper {
                ops.push(json!(if inc { "<=" } else { "<" }));
                ops.push(number(hi));
            }
            json!({ "numeric": ops })
        }
        Predicate::AnythingBut(but) => {
            let inner = match but {
                AnythingBut::Strings(v) => json!(v),
                AnythingBut::Numbers(v) => Value::Array(
                    v.iter()
                        .map(|n| literal(&Literal::Number(n.clone())))
                        .collect(),
                ),
                AnythingBut::Prefix(v) => json!({ "prefix": v }),
                AnythingBut::Suffix(v) => json!({ "suffix": v }),
                AnythingBut::EqualsIgnoreCase(v) => json!({ "equals-ignore-case": v }),
                AnythingBut::Wildcard(v) => {
                    json!({ "wildcard": v.iter().map(|w| w.source()).collect::<Vec<_>>() })
                }
                other => panic!("pattern_json: no JSON form for {other:?}"),
            };
            json!({ "anything-but": inner })
        }
        other => panic!("pattern_json: no JSON form for {other:?}"),
    }
}
