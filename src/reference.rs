//! The reference matcher: the oracle every other matcher is tested against.
//!
//! It is written to be read, not to be fast. Matching happens in three plain steps:
//!
//! 1. **Flatten the event** into leaves: every string, number, boolean and null with its
//!    absolute dot-joined path and its *array trail*, the (array, index) of every array the
//!    leaf sits inside. Objects and empty arrays are not leaves; arrays contribute each element.
//! 2. **Expand the pattern's `$or`s** into alternatives: flat lists of conditions that must
//!    all hold. The parser caps the number of alternatives at 1000.
//! 3. **Search** each alternative for one leaf per condition, satisfying one of the
//!    condition's predicates, such that every two chosen leaves are *array-consistent*: for
//!    every array both sit inside, they sit in the same element of it. A condition holding
//!    `{"exists": false}` may instead be satisfied, without choosing a leaf, when no leaf at
//!    its path is array-consistent with the leaves chosen for the conditions *before* it, the
//!    conditions being taken in the order of their paths (as Java sorts strings). That is
//!    event-ruler's rule: its automaton visits a rule's fields in that order and asks, at an
//!    `exists: false` field, whether the event has the field in the array elements chosen so
//!    far. So `{"e":{"f":["A"],"l":[{"exists":false}]}}` matches
//!    `{"e":[{"f":"A"},{"f":"B","l":"x"}]}` (the element with `f` = `A` lacks `l`), while the
//!    same test on a field named `a` (sorted before `f`) sees the `a` of any element. The
//!    pattern matches when an alternative does.
//!
//! It shares nothing with the compiled matcher except the AST, so that when the two disagree
//! the disagreement is worth investigating. Keep it obviously correct: no caches, indexes or
//! cleverness beyond giving up early on a search that cannot succeed.
//!
//! Recursion: flattening recurses over the event tree. A tree from [`JsonNode::parse`] is
//! bounded by its depth limit (and [`matches_text`] uses [`DEFAULT_MAX_DEPTH`]); a tree built
//! another way is as deep as its builder made it, and dropping it recurses just as deep, so
//! this adds no new limit. The search recurses once per condition of an alternative and the
//! expansion once per `$or` nesting level, both bounded by the parsed pattern's size.

use crate::embedded::EmbeddedJson;
use crate::json::{JsonError, JsonNode};
use crate::pattern::{
    ends_with_ignore_case, equals_ignore_case, exact_string_matches, starts_with_ignore_case,
    AnythingBut, Clause, Condition, Literal, Number, Pattern, Predicate,
};
use crate::DEFAULT_MAX_DEPTH;

/// The nesting depth [`matches_text`] accepts in an event: [`crate::DEFAULT_MAX_DEPTH`], the
/// one default every reader shares; this name is kept for code written against it.
#[deprecated(note = "use evpattern::DEFAULT_MAX_DEPTH")]
pub const MAX_EVENT_DEPTH: usize = crate::DEFAULT_MAX_DEPTH;

/// Whether `event` matches `pattern`.
///
/// `event` should be a JSON object. Any other root has no fields, so it has no leaves: it
/// matches only a pattern that some alternative satisfies with no leaf at all, i.e. one whose
/// every condition accepts `{"exists": false}`. (EventBridge rejects a non-object event before
/// matching; that check belongs to the `TestEventPattern` emulation in [`crate::aws`].)
///
/// ```
/// use evpattern::json::JsonNode;
/// use evpattern::pattern::{Clause, Condition, Literal, Pattern, Predicate};
/// use evpattern::reference::matches;
///
/// let pattern = Pattern::from_clause(Clause::new(
///     vec![Condition::new("detail.state", vec![Predicate::Exact(Literal::String("running".into()))])],
///     vec![],
/// ));
/// let event = JsonNode::parse(r#"{"detail": {"state": ["stopped", "running"]}}"#, 8).unwrap();
/// assert!(matches(&pattern, &event));
/// ```
pub fn matches(pattern: &Pattern, event: &JsonNode) -> bool {
    let leaves = flatten(event);
    alternatives(pattern.root())
        .iter()
        .any(|conditions| alternative_holds(conditions, &leaves))
}

/// [`matches()`] for an event already read into a `serde_json::Value`.
///
/// Prefer [`matches()`] or [`matches_text`] when you have the text: a `serde_json::Value` has
/// already dropped all but the last value of a duplicated key (AWS counts each of them) and
/// kept numbers only as `f64`/`i64`/`u64` (so `1e999` or a 400-digit integer no longer has the
/// text AWS compares when the value does not round-trip). The [`JsonNode`] built here holds the
/// numbers as serde_json prints them.
pub fn matches_value(pattern: &Pattern, event: &serde_json::Value) -> bool {
    matches(pattern, &node_of_value(event))
}

/// [`matches()`] for event text, read with [`JsonNode::parse`] nested at most
/// [`DEFAULT_MAX_DEPTH`] levels deep.
///
/// ```
/// use evpattern::pattern::{Clause, Condition, Pattern, Predicate};
/// use evpattern::reference::matches_text;
///
/// let pattern = Pattern::from_clause(Clause::new(
///     vec![Condition::new("a", vec![Predicate::Exists(true)])],
///     vec![],
/// ));
/// assert_eq!(matches_text(&pattern, r#"{"a": null}"#), Ok(true));
/// assert_eq!(matches_text(&pattern, r#"{"a": []}"#), Ok(false));
/// assert!(matches_text(&pattern, "{").is_err());
/// ```
pub fn matches_text(pattern: &Pattern, event: &str) -> Result<bool, JsonError> {
    let node = JsonNode::parse(event, DEFAULT_MAX_DEPTH)?;
    Ok(matches(pattern, &node))
}

/// [`matches()`] after decoding the string fields that `decode` lists as JSON (see
/// [`crate::embedded`]). With [`EmbeddedJson::none`] this is exactly [`matches()`].
///
/// ```
/// use evpattern::embedded::EmbeddedJson;
/// use evpattern::json::JsonNode;
/// use evpattern::reference::matches_with;
/// use evpattern::Pattern;
///
/// let pattern = Pattern::parse(r#"{"detail": {"event": {"uri": ["/v1/auth/tenants"]}}}"#).unwrap();
/// let event = JsonNode::parse(r#"{"detail": {"event": "{\"uri\": \"/v1/auth/tenants\"}"}}"#, 16).unwrap();
/// assert!(!matches_with(&pattern, &event, &EmbeddedJson::none()));
/// assert!(matches_with(&pattern, &event, &evpattern::saasus::embedded_json()));
/// ```
pub fn matches_with(pattern: &Pattern, event: &JsonNode, decode: &EmbeddedJson) -> bool {
    if decode.is_empty() {
        return matches(pattern, event);
    }
    matches(pattern, &decode_embedded(event, decode))
}

/// A copy of `event` with the string fields `decode` lists replaced by the object or array
/// they hold (see [`crate::embedded`]).
pub(crate) fn decode_embedded(event: &JsonNode, decode: &EmbeddedJson) -> JsonNode {
    decoded(event, decode, &mut Vec::new(), DEFAULT_MAX_DEPTH)
}

/// A copy of `node` with the listed string fields replaced by the object or array they hold.
/// `depth_left` bounds how deep decoded text may nest, so decoding cannot recurse without end.
fn decoded(
    node: &JsonNode,
    decode: &EmbeddedJson,
    path: &mut Vec<String>,
    depth_left: usize,
) -> JsonNode {
    match node {
        JsonNode::Object(members) => JsonNode::Object(
            members
                .iter()
                .map(|(key, child)| {
                    path.push(key.clone());
                    let child = decoded(child, decode, path, depth_left.saturating_sub(1));
                    path.pop();
                    (key.clone(), child)
                })
                .collect(),
        ),
        JsonNode::Array(elements) => JsonNode::Array(
            elements
                .iter()
                .map(|element| decoded(element, decode, path, depth_left.saturating_sub(1)))
                .collect(),
        ),
        JsonNode::String(text) if !path.is_empty() && decode.decodes(&path.join(".")) => {
            match JsonNode::parse(text, depth_left) {
                Ok(inner @ (JsonNode::Object(_) | JsonNode::Array(_))) => {
                    decoded(&inner, decode, path, depth_left)
                }
                _ => node.clone(),
            }
        }
        _ => node.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Step 1: the event as leaves.

/// One matchable value of the event.
#[derive(Debug)]
pub(crate) struct Leaf<'e> {
    pub(crate) path: String,
    pub(crate) value: &'e JsonNode,
    /// Every array the leaf sits inside, outermost first.
    trail: Vec<ArrayPosition>,
}

/// A position in one array of the event. Arrays are told apart by the order in which
/// flattening meets them, so two arrays never share an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ArrayPosition {
    array: usize,
    index: usize,
}

pub(crate) fn flatten(event: &JsonNode) -> Vec<Leaf<'_>> {
    let mut walk = Flattening {
        leaves: Vec::new(),
        path: Vec::new(),
        trail: Vec::new(),
        arrays_seen: 0,
    };
    // The root's own value is not at any path: only the fields of a root object are leaves.
    if let JsonNode::Object(_) = event {
        walk.visit(event);
    }
    walk.leaves
}

/// The state of one flattening walk: the keys and array positions from the root to the node
/// being visited.
struct Flattening<'e> {
    leaves: Vec<Leaf<'e>>,
    path: Vec<&'e str>,
    trail: Vec<ArrayPosition>,
    arrays_seen: usize,
}

impl<'e> Flattening<'e> {
    fn visit(&mut self, node: &'e JsonNode) {
        match node {
            JsonNode::Object(members) => {
                // Duplicate keys are visited in turn: each value counts.
                for (key, child) in members {
                    self.path.push(key);
                    self.visit(child);
                    self.path.pop();
                }
            }
            JsonNode::Array(elements) => {
                let array = self.arrays_seen;
                self.arrays_seen += 1;
                for (index, element) in elements.iter().enumerate() {
                    self.trail.push(ArrayPosition { array, index });
                    self.visit(element);
                    self.trail.pop();
                }
            }
            JsonNode::Null | JsonNode::Bool(_) | JsonNode::Number(_) | JsonNode::String(_) => {
                self.leaves.push(Leaf {
                    // Joining the keys makes `{"a.b": 1}` and `{"a": {"b": 1}}` one path.
                    path: self.path.join("."),
                    value: node,
                    trail: self.trail.clone(),
                });
            }
        }
    }
}

/// Whether two leaves may be used together in one match: inside every array both sit in, they
/// sit in the same element.
fn array_consistent(a: &Leaf<'_>, b: &Leaf<'_>) -> bool {
    a.trail.iter().all(|pa| {
        b.trail
            .iter()
            .all(|pb| pa.array != pb.array || pa.index == pb.index)
    })
}

/// A `serde_json::Value` as a [`JsonNode`], numbers as serde_json prints them.
fn node_of_value(value: &serde_json::Value) -> JsonNode {
    use serde_json::Value;
    match value {
        Value::Null => JsonNode::Null,
        Value::Bool(b) => JsonNode::Bool(*b),
        Value::Number(n) => JsonNode::Number(n.to_string()),
        Value::String(s) => JsonNode::String(s.clone()),
        Value::Array(elements) => JsonNode::Array(elements.iter().map(node_of_value).collect()),
        Value::Object(members) => JsonNode::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), node_of_value(v)))
                .collect(),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Step 2: the pattern as alternatives.

/// Every way to satisfy `clause`: its own conditions plus one alternative of each `$or`,
/// recursively. Each result is a flat list of conditions that must all hold.
pub(crate) fn alternatives(clause: &Clause) -> Vec<Vec<&Condition>> {
    let mut result: Vec<Vec<&Condition>> = vec![clause.conditions().iter().collect()];
    for one_of in clause.any_of() {
        let choices: Vec<Vec<&Condition>> = one_of.iter().flat_map(alternatives).collect();
        result = result
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
    result
}

// ---------------------------------------------------------------------------------------------
// Step 3: the search.

/// The ways one condition can hold, before any other condition is considered.
struct Options<'l, 'e> {
    /// The leaves at the condition's path that satisfy one of its predicates.
    leaves: Vec<&'l Leaf<'e>>,
    /// Every leaf at the condition's path: absence is judged against them.
    at_path: Vec<&'l Leaf<'e>>,
    /// Whether the condition accepts `{"exists": false}`.
    accepts_absence: bool,
}

/// Java's `String.compareTo`: by UTF-16 code units (differs from `str`'s order only
/// between characters above U+FFFF and those in U+E000..U+FFFF).
pub(crate) fn java_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Whether one alternative (a flat list of conditions) holds in the event.
pub(crate) fn alternative_holds(conditions: &[&Condition], leaves: &[Leaf<'_>]) -> bool {
    let mut conditions = conditions.to_vec();
    conditions.sort_by(|a, b| java_order(a.path(), b.path()));
    let options: Vec<Options<'_, '_>> = conditions
        .iter()
        .map(|condition| {
            let at_path: Vec<&Leaf<'_>> = leaves
                .iter()
                .filter(|leaf| leaf.path == condition.path())
                .collect();
            Options {
                accepts_absence: condition.predicates().contains(&Predicate::Exists(false)),
                at_path: at_path.clone(),
                leaves: at_path
                    .into_iter()
                    .filter(|leaf| {
                        condition
                            .predicates()
                            .iter()
                            .any(|predicate| predicate_accepts(predicate, leaf.value))
                    })
                    .collect(),
            }
        })
        .collect();
    choose(&options, &mut Vec::new())
}

/// Whether each of `options` can be satisfied by a leaf array-consistent with the leaves
/// already `chosen` and with each other (or by absence). Backtracking: tries each leaf of the
/// first condition in turn. After each choice it checks that every remaining condition still
/// has some option left, so that a condition no choice can satisfy fails the search at once
/// instead of after every combination of the others. Exponential in contrived worst cases,
/// which is acceptable for an oracle.
fn choose<'l, 'e>(options: &[Options<'l, 'e>], chosen: &mut Vec<&'l Leaf<'e>>) -> bool {
    let Some((first, rest)) = options.split_first() else {
        return true;
    };
    for &leaf in &first.leaves {
        if !chosen.iter().all(|other| array_consistent(other, leaf)) {
            continue;
        }
        chosen.push(leaf);
        if each_still_possible(rest, chosen) && choose(rest, chosen) {
            return true;
        }
        chosen.pop();
    }
    let absent = first.accepts_absence
        && first
            .at_path
            .iter()
            .all(|leaf| !chosen.iter().all(|other| array_consistent(other, leaf)));
    absent && choose(rest, chosen)
}

/// Whether every one of `options`, on its own, can still hold next to the `chosen` leaves.
fn each_still_possible(options: &[Options<'_, '_>], chosen: &[&Leaf<'_>]) -> bool {
    options.iter().all(|option| {
        // Absence may still hold: the more leaves are chosen, the fewer are consistent.
        option.accepts_absence
            || option
                .leaves
                .iter()
                .any(|leaf| chosen.iter().all(|other| array_consistent(other, leaf)))
    })
}

/// Whether one leaf value satisfies one predicate. `exists: false` never accepts a leaf: it is
/// satisfied by absence, which [`alternative_holds`] decides.
pub(crate) fn predicate_accepts(predicate: &Predicate, value: &JsonNode) -> bool {
    let string = match value {
        JsonNode::String(s) => Some(s.as_str()),
        _ => None,
    };
    match predicate {
        Predicate::Exact(literal) => literal_equals(literal, value),
        Predicate::Prefix(p) => string.is_some_and(|s| s.starts_with(p.as_str())),
        Predicate::PrefixIgnoreCase(p) => string.is_some_and(|s| starts_with_ignore_case(p, s)),
        Predicate::Suffix(p) => string.is_some_and(|s| s.ends_with(p.as_str())),
        Predicate::SuffixIgnoreCase(p) => string.is_some_and(|s| ends_with_ignore_case(p, s)),
        Predicate::EqualsIgnoreCase(v) => string.is_some_and(|s| equals_ignore_case(v, s)),
        Predicate::Wildcard(w) => string.is_some_and(|s| w.matches(s)),
        Predicate::AnythingBut(excluded) => !anything_but_catches(excluded, value),
        Predicate::Numeric(range) => {
            // A number event-ruler cannot compare exactly is in no range.
            event_number(value).is_some_and(|n| n.value().is_some_and(|v| range.contains(v)))
        }
        Predicate::Exists(exists) => *exists,
        Predicate::Cidr(cidr) => string.is_some_and(|s| cidr.contains(s)),
    }
}

/// Exact match: strings byte for byte, numbers by [`Number`]'s equality, `true`, `false` and
/// `null` only themselves. Never across types.
fn literal_equals(literal: &Literal, value: &JsonNode) -> bool {
    match (literal, value) {
        (Literal::String(l), JsonNode::String(v)) => exact_string_matches(l, v),
        (Literal::Number(l), JsonNode::Number(_)) => event_number(value).is_some_and(|v| *l == v),
        (Literal::Bool(l), JsonNode::Bool(v)) => l == v,
        (Literal::Null, JsonNode::Null) => true,
        _ => false,
    }
}

/// The leaf as a [`Number`], when it is one. [`JsonNode::parse`] only produces valid JSON
/// number text, so `None` means "not a number".
fn event_number(value: &JsonNode) -> Option<Number> {
    match value {
        JsonNode::Number(text) => Number::parse(text),
        _ => None,
    }
}

/// Whether `excluded` catches `value`, i.e. `anything-but` must reject it. A value of another
/// type than the operand's is never caught: a number is not caught by `anything-but "x"`, and
/// `null` or a boolean by nothing.
fn anything_but_catches(excluded: &AnythingBut, value: &JsonNode) -> bool {
    if let AnythingBut::Numbers(numbers) = excluded {
        return event_number(value).is_some_and(|n| numbers.contains(&n));
    }
    let JsonNode::String(s) = value else {
        return false;
    };
    match excluded {
        AnythingBut::Strings(strings) => strings.iter().any(|x| x == s),
        AnythingBut::Prefix(prefixes) => prefixes.iter().any(|p| s.starts_with(p.as_str())),
        AnythingBut::Suffix(suffixes) => suffixes.iter().any(|p| s.ends_with(p.as_str())),
        AnythingBut::EqualsIgnoreCase(strings) => strings.iter().any(|x| equals_ignore_case(x, s)),
        AnythingBut::Wildcard(wildcards) => wildcards.iter().any(|w| w.matches(s)),
        AnythingBut::Numbers(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::{NumericRange, Wildcard};

    fn event(text: &str) -> JsonNode {
        JsonNode::parse(text, DEFAULT_MAX_DEPTH).unwrap()
    }

    fn one(path: &str, predicates: Vec<Predicate>) -> Pattern {
        Pattern::from_clause(Clause::new(vec![Condition::new(path, predicates)], vec![]))
    }

    fn string(s: &str) -> Predicate {
        Predicate::Exact(Literal::String(s.into()))
    }

    fn wildcard(pieces: &[&str]) -> Wildcard {
        Wildcard {
            source: pieces.join("*"),
            pieces: pieces.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn flattening_joins_paths_and_records_array_trails() {
        let e = event(r#"{"a": [{"b": 1}, [2, {"c.d": null}]], "": {"": true}, "o": {}}"#);
        let leaves = flatten(&e);
        let summary: Vec<(&str, Vec<(usize, usize)>)> = leaves
            .iter()
            .map(|l| {
                (
                    l.path.as_str(),
                    l.trail.iter().map(|p| (p.array, p.index)).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("a.b", vec![(0, 0)]),
                ("a", vec![(0, 1), (1, 0)]),
                ("a.c.d", vec![(0, 1), (1, 1)]),
                (".", vec![]),
            ]
        );
    }

    #[test]
    fn non_object_roots_have_no_leaves() {
        for root in ["[1]", "1", "\"a\"", "null", "true"] {
            assert!(flatten(&event(root)).is_empty(), "{root}");
        }
        let absent = one("a", vec![Predicate::Exists(false)]);
        assert!(matches(&absent, &event("[1]")));
        assert!(!matches(
            &one("a", vec![Predicate::Exists(true)]),
            &event("[1]")
        ));
    }

    #[test]
    fn alternatives_multiply_and_nest() {
        let c = |p: &str| Condition::new(p, vec![Predicate::Exists(true)]);
        let clause = |conds: Vec<Condition>, any_of: Vec<Vec<Clause>>| Clause::new(conds, any_of);
        // a AND (b OR (c AND (d OR e))) AND (f OR g)
        let root = clause(
            vec![c("a")],
            vec![
                vec![
                    clause(vec![c("b")], vec![]),
                    clause(
                        vec![c("c")],
                        vec![vec![
                            clause(vec![c("d")], vec![]),
                            clause(vec![c("e")], vec![]),
                        ]],
                    ),
                ],
                vec![clause(vec![c("f")], vec![]), clause(vec![c("g")], vec![])],
            ],
        );
        let paths: Vec<Vec<&str>> = alternatives(&root)
            .iter()
            .map(|alt| alt.iter().map(|c| c.path()).collect())
            .collect();
        assert_eq!(
            paths,
            vec![
                vec!["a", "b", "f"],
                vec!["a", "b", "g"],
                vec!["a", "c", "d", "f"],
                vec!["a", "c", "d", "g"],
                vec!["a", "c", "e", "f"],
                vec!["a", "c", "e", "g"],
            ]
        );
    }

    #[test]
    fn array_consistency_of_the_spec_example() {
        let e = event(r#"{"e":[{"f":"Anna","l":"Smith"},{"f":"Peter","l":"Jones"}]}"#);
        let names = |f: &str, l: &str| {
            Pattern::from_clause(Clause::new(
                vec![
                    Condition::new("e.f", vec![string(f)]),
                    Condition::new("e.l", vec![string(l)]),
                ],
                vec![],
            ))
        };
        assert!(matches(&names("Anna", "Smith"), &e));
        assert!(matches(&names("Peter", "Jones"), &e));
        assert!(!matches(&names("Anna", "Jones"), &e));
        assert!(!matches(&names("Peter", "Smith"), &e));
    }

    #[test]
    fn wildcard_pieces() {
        let cases: &[(&[&str], &str, bool)] = &[
            (&["", ""], "", true),
            (&["", ""], "anything/at/all", true),
            (&["a", ""], "a", true),
            (&["", "a"], "ba", true),
            (&["ab", "b"], "ab", false),
            (&["ab", "b"], "abb", true),
            (&["a", "b", "c"], "abc", true),
            (&["a", "b", "c"], "ac", false),
            (&["a", "b", "b", "c"], "abc", false),
            (&["a", "b", "b", "c"], "abbc", true),
            (&["a", "bc", "c"], "abcbc", true),
            (&["x"], "x", true),
            (&["x"], "xx", false),
            (&[""], "", true),
            (&[""], "a", false),
        ];
        for (pieces, s, expected) in cases {
            assert_eq!(wildcard(pieces).matches(s), *expected, "{pieces:?} {s}");
        }
    }

    #[test]
    fn numeric_needs_a_number_event_ruler_can_compare() {
        let positive = one(
            "n",
            vec![Predicate::Numeric(NumericRange {
                lower: Some((0.0, false)),
                upper: None,
            })],
        );
        // A double cannot hold it exactly, so event-ruler's ComparableNumber refuses it.
        assert!(!matches(
            &positive,
            &event(r#"{"n": 12345678901234567890123}"#)
        ));
        assert!(matches(&positive, &event(r#"{"n": 1.5e300}"#)));
        assert!(!matches(&positive, &event(r#"{"n": 1e999}"#)));
        assert!(!matches(&positive, &event(r#"{"n": "5"}"#)));
        assert!(!matches(&positive, &event(r#"{"n": -0}"#)));
    }

    #[test]
    fn the_deepest_accepted_event_fits_a_test_thread_stack() {
        let depth = DEFAULT_MAX_DEPTH;
        let text = "{\"a\":".repeat(depth - 1) + "[1]" + &"}".repeat(depth - 1);
        let path = vec!["a"; depth - 1].join(".");
        assert_eq!(
            matches_text(&one(&path, vec![Predicate::Exists(true)]), &text),
            Ok(true)
        );
        let too_deep = "[".repeat(depth + 1) + &"]".repeat(depth + 1);
        assert_eq!(
            matches_text(&one("a", vec![Predicate::Exists(false)]), &too_deep),
            Err(JsonError::TooDeep(depth))
        );
    }

    #[test]
    fn an_unsatisfiable_condition_fails_without_trying_every_combination() {
        // 2000 × 2000 choices for `a` and `b`; `c` has no leaf. Without checking ahead this
        // takes billions of steps.
        let many = (0..2000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let e = event(&format!(r#"{{"a": [{many}], "b": [{many}], "d": 1}}"#));
        let exists = |path: &str| Condition::new(path, vec![Predicate::Exists(true)]);
        let pattern = Pattern::from_clause(Clause::new(
            vec![exists("a"), exists("b"), exists("c")],
            vec![],
        ));
        assert!(!matches(&pattern, &e));
        let pattern = Pattern::from_clause(Clause::new(
            vec![exists("a"), exists("b"), exists("d")],
            vec![],
        ));
        assert!(matches(&pattern, &e));
    }
}
