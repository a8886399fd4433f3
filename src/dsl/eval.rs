//! Evaluates a rule directly on an event tree, without going through a pattern. It is a
//! second, independent statement of the semantics: the tests compare it with the reference
//! matcher running the compiled pattern.
//!
//! The rule is first written as an `or` of `and`s of tests (its `$or`s multiplied out, as
//! EventBridge expands a pattern). An `and` holds through a *witness*: the leaves it used,
//! remembered as the array positions they sit at. Its tests are taken in the order of their
//! paths (as Java sorts strings, the order event-ruler walks a rule's fields in), each
//! keeping only the witnesses that agree with it on every array both sit in (AWS's array
//! consistency: two fields in different elements of one array of objects never match
//! together). A test that accepts absence (`not exists`) also holds for a witness when no
//! leaf at its path agrees with that witness, which is how event-ruler judges
//! `exists: false`.

use super::syntax::{Expr, ExprKind};
use crate::json::JsonNode;
use crate::pattern::{
    ends_with_ignore_case, equals_ignore_case, exact_string_matches, starts_with_ignore_case,
    AnythingBut, Condition, Literal, Number, Predicate,
};

/// Where a leaf sits: for each array on its way, the array's identity and the element index.
type Positions = Vec<(usize, usize)>;

/// Past this many witnesses per sub-expression, extra ones are dropped: they can only repeat
/// array positions already seen on realistic events, and the bound keeps evaluation linear.
const MAX_WITNESSES: usize = 4096;

/// Past this many `and`s in the multiplied-out rule, evaluation gives up (false): a rule that
/// compiles has at most AWS's 1000.
const MAX_CONJUNCTIONS: usize = 4096;

impl Expr {
    /// Whether `event` satisfies the rule, evaluated directly on the event tree.
    ///
    /// SaaSus selectors are evaluated on the decoded call (`detail.event` as an object), as
    /// the [`super::Target::Local`] pattern is; `{param}` segments match one path segment.
    ///
    /// ```
    /// use evpattern::{dsl, json::JsonNode};
    ///
    /// let rule = dsl::parse(r#"detail.n >= 3 and detail.tag starts with "a""#).unwrap();
    /// let event = JsonNode::parse(r#"{"detail": {"n": 5, "tag": "abc"}}"#, 64).unwrap();
    /// assert!(rule.evaluate(&event));
    /// ```
    pub fn evaluate(&self, event: &JsonNode) -> bool {
        conjunctions(self)
            .iter()
            .any(|atoms| conjunction_holds(atoms, event))
    }
}

/// The rule as an `or` of `and`s of its tests and selectors (empty past
/// [`MAX_CONJUNCTIONS`]).
fn conjunctions(expr: &Expr) -> Vec<Vec<&Expr>> {
    match &expr.kind {
        ExprKind::Test(_) | ExprKind::Selector(_) => vec![vec![expr]],
        ExprKind::Or(parts) => {
            let mut out = Vec::new();
            for part in parts {
                out.extend(conjunctions(part));
                if out.len() > MAX_CONJUNCTIONS {
                    return Vec::new();
                }
            }
            out
        }
        ExprKind::And(parts) => {
            let mut acc: Vec<Vec<&Expr>> = vec![Vec::new()];
            for part in parts {
                let choices = conjunctions(part);
                if acc.len().saturating_mul(choices.len()) > MAX_CONJUNCTIONS {
                    return Vec::new();
                }
                acc = acc
                    .iter()
                    .flat_map(|so_far| {
                        choices.iter().map(move |choice| {
                            let mut combined = so_far.clone();
                            combined.extend(choice.iter().copied());
                            combined
                        })
                    })
                    .collect();
            }
            acc
        }
    }
}

/// Whether one `and` of tests and selectors holds: selectors first, then the tests by path.
fn conjunction_holds(atoms: &[&Expr], event: &JsonNode) -> bool {
    let mut tests: Vec<&Condition> = Vec::new();
    for atom in atoms {
        match &atom.kind {
            ExprKind::Selector(selector) => {
                if !selector.meaning().holds(event) {
                    return false;
                }
            }
            ExprKind::Test(condition) => tests.push(condition),
            ExprKind::Or(_) | ExprKind::And(_) => {}
        }
    }
    tests.sort_by(|a, b| a.path().encode_utf16().cmp(b.path().encode_utf16()));
    let mut witnesses: Vec<Positions> = vec![Vec::new()];
    for condition in tests {
        witnesses = extend_witnesses(&witnesses, condition, event);
        if witnesses.is_empty() {
            return false;
        }
    }
    true
}

/// The witnesses after one more test: each agreeing leaf that satisfies it joins each
/// witness, and a witness no leaf at the path agrees with stays when the test accepts
/// absence.
fn extend_witnesses(
    witnesses: &[Positions],
    condition: &Condition,
    event: &JsonNode,
) -> Vec<Positions> {
    let mut leaves = Vec::new();
    collect_leaves(event, condition.path(), &mut Vec::new(), &mut leaves);
    let accepts_absence = condition.predicates().contains(&Predicate::Exists(false));
    let mut out: Vec<Positions> = Vec::new();
    let add = |w: Positions, out: &mut Vec<Positions>| {
        if out.len() < MAX_WITNESSES && !out.contains(&w) {
            out.push(w);
        }
    };
    for witness in witnesses {
        for (leaf, positions) in &leaves {
            if consistent(witness, positions)
                && condition
                    .predicates()
                    .iter()
                    .any(|p| leaf_satisfies(p, leaf))
            {
                let mut merged = witness.clone();
                merged.extend(positions.iter().filter(|p| !witness.contains(p)).copied());
                merged.sort_unstable();
                add(merged, &mut out);
            }
        }
        if accepts_absence
            && leaves
                .iter()
                .all(|(_, positions)| !consistent(witness, positions))
        {
            add(witness.clone(), &mut out);
        }
    }
    out
}

/// Whether two sets of array positions agree on every array both sit in.
fn consistent(a: &Positions, b: &Positions) -> bool {
    a.iter()
        .all(|(array, index)| b.iter().all(|(other, i)| other != array || i == index))
}

/// Every leaf at `path` (dotted keys and nesting alike), with its array positions.
fn collect_leaves<'e>(
    node: &'e JsonNode,
    path: &str,
    positions: &mut Positions,
    out: &mut Vec<(&'e JsonNode, Positions)>,
) {
    if let JsonNode::Array(items) = node {
        let id = node as *const JsonNode as usize;
        for (index, item) in items.iter().enumerate() {
            positions.push((id, index));
            collect_leaves(item, path, positions, out);
            positions.pop();
        }
        return;
    }
    if let JsonNode::Object(members) = node {
        for (key, value) in members {
            if path == key {
                collect_values(value, positions, out);
            } else if let Some(rest) = path
                .strip_prefix(key.as_str())
                .and_then(|r| r.strip_prefix('.'))
            {
                collect_leaves(value, rest, positions, out);
            }
        }
    }
}

/// The leaves of the value found at the end of a path: itself, or the elements of its arrays.
fn collect_values<'e>(
    node: &'e JsonNode,
    positions: &mut Positions,
    out: &mut Vec<(&'e JsonNode, Positions)>,
) {
    match node {
        JsonNode::Array(items) => {
            let id = node as *const JsonNode as usize;
            for (index, item) in items.iter().enumerate() {
                positions.push((id, index));
                collect_values(item, positions, out);
                positions.pop();
            }
        }
        JsonNode::Object(_) => {}
        leaf => out.push((leaf, positions.clone())),
    }
}

fn leaf_satisfies(predicate: &Predicate, leaf: &JsonNode) -> bool {
    let text = match leaf {
        JsonNode::String(s) => Some(s.as_str()),
        _ => None,
    };
    let number = match leaf {
        JsonNode::Number(n) => Number::parse(n),
        _ => None,
    };
    match predicate {
        Predicate::Exact(literal) => match (literal, leaf) {
            (Literal::String(s), JsonNode::String(v)) => exact_string_matches(s, v),
            (Literal::Number(n), _) => number.as_ref() == Some(n),
            (Literal::Bool(b), JsonNode::Bool(v)) => b == v,
            (Literal::Null, JsonNode::Null) => true,
            _ => false,
        },
        Predicate::Prefix(p) => text.is_some_and(|t| t.starts_with(p.as_str())),
        Predicate::Suffix(s) => text.is_some_and(|t| t.ends_with(s.as_str())),
        Predicate::PrefixIgnoreCase(p) => text.is_some_and(|t| starts_with_ignore_case(p, t)),
        Predicate::SuffixIgnoreCase(s) => text.is_some_and(|t| ends_with_ignore_case(s, t)),
        Predicate::EqualsIgnoreCase(s) => text.is_some_and(|t| equals_ignore_case(s, t)),
        Predicate::Wildcard(w) => text.is_some_and(|t| w.matches(t)),
        Predicate::Numeric(range) => number
            .and_then(|n| n.value())
            .is_some_and(|v| range.contains(v)),
        Predicate::Exists(present) => *present,
        Predicate::Cidr(cidr) => text.is_some_and(|t| cidr.contains(t)),
        Predicate::AnythingBut(but) => match but {
            AnythingBut::Strings(items) => text.is_none_or(|t| !items.iter().any(|s| s == t)),
            AnythingBut::Numbers(items) => match leaf {
                JsonNode::Number(_) => number.is_none_or(|n| !items.contains(&n)),
                _ => true,
            },
            AnythingBut::Prefix(items) => {
                text.is_none_or(|t| !items.iter().any(|p| t.starts_with(p.as_str())))
            }
            AnythingBut::Suffix(items) => {
                text.is_none_or(|t| !items.iter().any(|s| t.ends_with(s.as_str())))
            }
            AnythingBut::EqualsIgnoreCase(items) => {
                text.is_none_or(|t| !items.iter().any(|s| equals_ignore_case(s, t)))
            }
            AnythingBut::Wildcard(items) => {
                text.is_none_or(|t| !items.iter().any(|w| w.matches(t)))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::dsl::operand;

    #[test]
    fn wildcards_anchor_both_ends() {
        let w = |s: &str| operand::wildcard(s).unwrap();
        assert!(w("a*b").matches("ab"));
        assert!(w("a*b").matches("a/x/b"));
        assert!(!w("a*b").matches("abc"));
        assert!(!w("ab*ba").matches("aba"));
        assert!(w("*x*y*").matches("xy"));
        assert!(!w("*x*y*").matches("yx"));
        assert!(w("a\\*").matches("a*"));
        assert!(!w("a\\*").matches("ab"));
    }
}
