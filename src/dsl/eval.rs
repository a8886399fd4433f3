//! Evaluates a rule directly on an event tree, without going through a pattern. It is a
//! second, independent statement of the semantics: the tests compare it with the reference
//! matcher running the compiled pattern.
//!
//! A test holds through a *witness*: the leaf it used, remembered as the array positions the
//! leaf sits at. `and` keeps only pairs of witnesses that agree on every array both sit in
//! (AWS's array consistency: two fields in different elements of one array of objects never
//! match together); `or` keeps the witnesses of either side.

use std::net::IpAddr;

use super::syntax::{Expr, ExprKind};
use crate::json::JsonNode;
use crate::pattern::{fold_case, AnythingBut, Condition, Literal, Number, Predicate, Wildcard};

/// Where a leaf sits: for each array on its way, the array's identity and the element index.
type Positions = Vec<(usize, usize)>;

/// Past this many witnesses per sub-expression, extra ones are dropped: they can only repeat
/// array positions already seen on realistic events, and the bound keeps evaluation linear.
const MAX_WITNESSES: usize = 4096;

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
        !witnesses(self, event).is_empty()
    }
}

fn witnesses(expr: &Expr, event: &JsonNode) -> Vec<Positions> {
    match &expr.kind {
        ExprKind::Test(condition) => condition_witnesses(condition, event),
        ExprKind::Selector(selector) => {
            if selector.meaning().holds(event) {
                vec![Vec::new()]
            } else {
                Vec::new()
            }
        }
        ExprKind::Or(parts) => {
            let mut out: Vec<Positions> = Vec::new();
            for part in parts {
                for w in witnesses(part, event) {
                    if out.len() < MAX_WITNESSES && !out.contains(&w) {
                        out.push(w);
                    }
                }
            }
            out
        }
        ExprKind::And(parts) => {
            let mut acc = vec![Vec::new()];
            for part in parts {
                if acc.is_empty() {
                    break;
                }
                acc = join(&acc, &witnesses(part, event));
            }
            acc
        }
    }
}

/// The pairs of witnesses that agree on every shared array, merged.
fn join(left: &[Positions], right: &[Positions]) -> Vec<Positions> {
    let mut out: Vec<Positions> = Vec::new();
    for a in left {
        for b in right {
            let consistent = a
                .iter()
                .all(|(array, index)| b.iter().all(|(other, i)| other != array || i == index));
            if consistent {
                let mut merged = a.clone();
                merged.extend(b.iter().filter(|p| !a.contains(p)).copied());
                merged.sort_unstable();
                if out.len() < MAX_WITNESSES && !out.contains(&merged) {
                    out.push(merged);
                }
            }
        }
    }
    out
}

fn condition_witnesses(condition: &Condition, event: &JsonNode) -> Vec<Positions> {
    let mut leaves = Vec::new();
    collect_leaves(event, condition.path(), &mut Vec::new(), &mut leaves);
    let mut out: Vec<Positions> = Vec::new();
    for (leaf, positions) in &leaves {
        if condition
            .predicates()
            .iter()
            .any(|p| leaf_satisfies(p, leaf))
            && !out.contains(positions)
        {
            out.push(positions.clone());
        }
    }
    let absent_allowed = condition
        .predicates()
        .iter()
        .any(|p| matches!(p, Predicate::Exists(false)));
    if absent_allowed && leaves.is_empty() {
        out.push(Vec::new());
    }
    out
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
            (Literal::String(s), JsonNode::String(v)) => s == v,
            (Literal::Number(n), _) => number.as_ref() == Some(n),
            (Literal::Bool(b), JsonNode::Bool(v)) => b == v,
            (Literal::Null, JsonNode::Null) => true,
            _ => false,
        },
        Predicate::Prefix(p) => text.is_some_and(|t| t.starts_with(p.as_str())),
        Predicate::Suffix(s) => text.is_some_and(|t| t.ends_with(s.as_str())),
        Predicate::PrefixIgnoreCase(p) => {
            text.is_some_and(|t| fold_case(t).starts_with(&fold_case(p)))
        }
        Predicate::SuffixIgnoreCase(s) => {
            text.is_some_and(|t| fold_case(t).ends_with(&fold_case(s)))
        }
        Predicate::EqualsIgnoreCase(s) => text.is_some_and(|t| fold_case(t) == fold_case(s)),
        Predicate::Wildcard(w) => text.is_some_and(|t| wildcard_matches(w, t)),
        Predicate::Numeric(range) => number
            .and_then(|n| n.approx_value())
            .is_some_and(|v| range.contains(v)),
        Predicate::Exists(present) => *present,
        Predicate::Cidr(cidr) => text
            .and_then(|t| t.parse::<IpAddr>().ok())
            .is_some_and(|address| in_network(address, cidr.network(), cidr.prefix_len())),
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
                text.is_none_or(|t| !items.iter().any(|s| fold_case(s) == fold_case(t)))
            }
            AnythingBut::Wildcard(items) => {
                text.is_none_or(|t| !items.iter().any(|w| wildcard_matches(w, t)))
            }
        },
    }
}

/// `*` matches any run of characters: the first piece anchors the start, the last the end,
/// and the middle ones are found left to right (taking each as early as possible is never
/// worse for the pieces after it).
pub(crate) fn wildcard_matches(wildcard: &Wildcard, text: &str) -> bool {
    let pieces = wildcard.pieces();
    match pieces {
        [] => text.is_empty(),
        [only] => text == only,
        [first, middle @ .., last] => {
            if text.len() < first.len() + last.len()
                || !text.starts_with(first.as_str())
                || !text.ends_with(last.as_str())
            {
                return false;
            }
            let mut rest = &text[first.len()..text.len() - last.len()];
            for piece in middle {
                match rest.find(piece.as_str()) {
                    Some(at) => rest = &rest[at + piece.len()..],
                    None => return false,
                }
            }
            true
        }
    }
}

fn in_network(address: IpAddr, network: IpAddr, prefix_len: u8) -> bool {
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(prefix_len))
                .unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(prefix_len))
                .unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::operand;

    #[test]
    fn wildcards_anchor_both_ends() {
        let w = |s: &str| operand::wildcard(s).unwrap();
        assert!(wildcard_matches(&w("a*b"), "ab"));
        assert!(wildcard_matches(&w("a*b"), "a/x/b"));
        assert!(!wildcard_matches(&w("a*b"), "abc"));
        assert!(!wildcard_matches(&w("ab*ba"), "aba"));
        assert!(wildcard_matches(&w("*x*y*"), "xy"));
        assert!(!wildcard_matches(&w("*x*y*"), "yx"));
        assert!(wildcard_matches(&w("a\\*"), "a*"));
        assert!(!wildcard_matches(&w("a\\*"), "ab"));
    }
}
