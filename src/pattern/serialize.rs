//! The AST back to canonical pattern JSON.
//!
//! Canonical means: paths nest into objects wherever they can, keys are sorted (by bytes), and
//! operators are in AWS syntax. A `$or` is written in the deepest object that every path of
//! its alternatives passes through, with the paths written from there (where it most likely
//! stood, and where names reserved inside a `$or`, such as `prefix`, stay outside it). Some
//! places cannot nest:
//!
//! - a path that is also the beginning of another path (`a` and `a.b`): the longer ones are
//!   written as dotted keys (`"a": [..], "a.b": [..]`), which AWS reads as the same paths;
//! - paths deeper than [`MAX_PATH_NESTING`] objects continue as one dotted key;
//! - two `$or`s that belong in the same object: an object holds one `"$or"` key, so the
//!   others are written inside each alternative of the first (`A and (B1 or B2) and (C1 or
//!   C2)` as `A and ((B1 and (C1 or C2)) or (B2 and (C1 or C2)))`). That is the same pattern,
//!   with no repeated key for a JSON tool to drop, but it parses back nested one level deeper.
//!
//! [`Pattern::parse`] of the output gives back an equal pattern for every pattern the parser
//! can produce, except in that last case, where it gives an equivalent one. (A hand-built
//! pattern with an empty clause or a range without bounds has no JSON form; it is written as
//! `{}` or `[">=", -1.7976931348623157e308]`.)

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::ast::{AnythingBut, Clause, Condition, Literal, NumericRange, Pattern, Predicate};
use super::operator_names::{
    ANYTHING_BUT, CIDR, EQUALS_IGNORE_CASE, EXISTS, NUMERIC, PREFIX, SUFFIX, WILDCARD,
};

/// Writes `pattern` as canonical pattern JSON.
pub(crate) fn to_json(pattern: &Pattern) -> String {
    let mut out = String::new();
    write_clause_and(&mut out, pattern.root(), &[], 0, 0);
    out
}

/// How deep paths nest into objects before the rest of a path is written as a dotted key.
/// It keeps the output within the depth the parser accepts however long a dotted key was,
/// and the writing's recursion shallow.
const MAX_PATH_NESTING: usize = 32;

/// A field to write inside an object: its path relative to the object, split at dots.
struct Entry<'a> {
    segments: Vec<&'a str>,
    condition: &'a Condition,
}

/// Writes `clause` ANDed with the further `$or`s `and_any_of`, as an object `depth` deep in
/// the output whose paths start after `skip` segments.
fn write_clause_and<'a>(
    out: &mut String,
    clause: &'a Clause,
    and_any_of: &[&'a [Clause]],
    depth: usize,
    skip: usize,
) {
    let any_of: Vec<&[Clause]> = clause
        .any_of()
        .iter()
        .map(Vec::as_slice)
        .chain(and_any_of.iter().copied())
        .collect();
    let entries: Vec<Entry<'_>> = clause
        .conditions()
        .iter()
        .map(|condition| Entry {
            segments: condition.path().split('.').skip(skip).collect(),
            condition,
        })
        .collect();
    write_object(out, entries, any_of, depth, skip);
}

/// The segment after the first `skip` that every path of `alternatives` (nested `$or`s
/// included) continues with, when each of those paths goes on past it.
fn common_segment(alternatives: &[Clause], skip: usize) -> Option<&str> {
    fn each_path<'c>(clause: &'c Clause, paths: &mut Vec<&'c str>) {
        paths.extend(clause.conditions().iter().map(Condition::path));
        for alternatives in clause.any_of() {
            for alternative in alternatives {
                each_path(alternative, paths);
            }
        }
    }
    let mut paths = Vec::new();
    for alternative in alternatives {
        each_path(alternative, &mut paths);
    }
    let mut common = None;
    for path in paths {
        let mut segments = path.split('.').skip(skip);
        let (Some(segment), Some(_)) = (segments.next(), segments.next()) else {
            return None;
        };
        match common {
            None => common = Some(segment),
            Some(seen) if seen == segment => {}
            Some(_) => return None,
        }
    }
    common
}

/// Writes an object holding `entries` and the `$or`s `any_of`, `depth` deep in the output,
/// its paths starting after `skip` segments. Each `$or` goes down into the object of the
/// segment all its paths share, as long as paths may nest further; those left here are
/// written as this object's `"$or"`, the first one with the others inside each of its
/// alternatives.
fn write_object<'a>(
    out: &mut String,
    entries: Vec<Entry<'a>>,
    any_of: Vec<&'a [Clause]>,
    depth: usize,
    skip: usize,
) {
    // Group by first segment; BTreeMap sorts the keys.
    let mut groups: BTreeMap<&str, (Vec<Entry<'_>>, Vec<&'a [Clause]>)> = BTreeMap::new();
    for entry in entries {
        let first = entry.segments.first().copied().unwrap_or("");
        groups.entry(first).or_default().0.push(entry);
    }
    let nests = |groups: &BTreeMap<&str, (Vec<Entry<'_>>, Vec<&[Clause]>)>, segment: &str| {
        depth < MAX_PATH_NESTING
            && groups
                .get(segment)
                .is_none_or(|(group, _)| group.iter().all(|entry| entry.segments.len() > 1))
    };
    let mut here: Vec<&'a [Clause]> = Vec::new();
    for alternatives in any_of {
        match common_segment(alternatives, skip) {
            Some(segment) if nests(&groups, segment) => {
                groups.entry(segment).or_default().1.push(alternatives);
            }
            _ => here.push(alternatives),
        }
    }

    // Every key of this object with how to write its value, sorted.
    enum Value<'a, 'b> {
        Array(&'a Condition),
        Object(Vec<Entry<'a>>, Vec<&'a [Clause]>),
        Or(&'a [Clause], &'b [&'a [Clause]]),
    }
    let mut members: Vec<(String, Value<'a, '_>)> = Vec::new();
    for (first, (group, ors)) in groups {
        let has_leaf_here = group.iter().any(|entry| entry.segments.len() <= 1);
        if has_leaf_here || depth >= MAX_PATH_NESTING {
            // `first` is itself a field, or paths already nest deep here: everything under it
            // is written as dotted keys (and no `$or` was sent down here).
            for entry in group {
                members.push((entry.segments.join("."), Value::Array(entry.condition)));
            }
        } else {
            let rest = group
                .into_iter()
                .map(|entry| Entry {
                    segments: entry.segments.get(1..).unwrap_or_default().to_vec(),
                    condition: entry.condition,
                })
                .collect();
            members.push((first.to_owned(), Value::Object(rest, ors)));
        }
    }
    if let Some((first, rest)) = here.split_first() {
        members.push(("$or".to_owned(), Value::Or(first, rest)));
    }
    members.sort_by(|a, b| a.0.cmp(&b.0));

    out.push('{');
    for (i, (key, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, &key);
        out.push(':');
        match value {
            Value::Array(condition) => write_predicates(out, condition.predicates()),
            Value::Object(entries, ors) => write_object(out, entries, ors, depth + 1, skip + 1),
            Value::Or(alternatives, rest) => {
                out.push('[');
                for (j, alternative) in alternatives.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    write_clause_and(out, alternative, rest, depth + 2, skip);
                }
                out.push(']');
            }
        }
    }
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    // Serialising a str cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

fn write_strings(out: &mut String, items: &[String]) {
    if let [single] = items {
        write_string(out, single);
        return;
    }
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, item);
    }
    out.push(']');
}

/// A double as JSON number text that reads back as the same double.
fn write_double(out: &mut String, v: f64) {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        let _ = write!(out, "{}", v);
    } else {
        // Debug prints the shortest round-trip form, with an exponent when that is shorter.
        let _ = write!(out, "{:?}", v);
    }
}

/// One condition's array of alternatives as pattern JSON, e.g. `["a",{"prefix":"b"}]`.
pub(crate) fn predicates_to_json(predicates: &[Predicate]) -> String {
    let mut out = String::new();
    write_predicates(&mut out, predicates);
    out
}

fn write_predicates(out: &mut String, predicates: &[Predicate]) {
    out.push('[');
    for (i, predicate) in predicates.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_predicate(out, predicate);
    }
    out.push(']');
}

fn write_predicate(out: &mut String, predicate: &Predicate) {
    match predicate {
        Predicate::Exact(Literal::String(s)) => write_string(out, s),
        Predicate::Exact(Literal::Number(n)) => out.push_str(n.text()),
        Predicate::Exact(Literal::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        Predicate::Exact(Literal::Null) => out.push_str("null"),
        Predicate::Prefix(s) => write_operator(out, PREFIX, |out| write_string(out, s)),
        Predicate::PrefixIgnoreCase(s) => write_operator(out, PREFIX, |out| {
            write_operator(out, EQUALS_IGNORE_CASE, |out| write_string(out, s))
        }),
        Predicate::Suffix(s) => write_operator(out, SUFFIX, |out| write_string(out, s)),
        Predicate::SuffixIgnoreCase(s) => write_operator(out, SUFFIX, |out| {
            write_operator(out, EQUALS_IGNORE_CASE, |out| write_string(out, s))
        }),
        Predicate::EqualsIgnoreCase(s) => {
            write_operator(out, EQUALS_IGNORE_CASE, |out| write_string(out, s))
        }
        Predicate::Wildcard(w) => {
            write_operator(out, WILDCARD, |out| write_string(out, w.source()))
        }
        Predicate::AnythingBut(a) => {
            write_operator(out, ANYTHING_BUT, |out| write_anything_but(out, a))
        }
        Predicate::Numeric(range) => write_operator(out, NUMERIC, |out| write_range(out, range)),
        Predicate::Exists(b) => write_operator(out, EXISTS, |out| {
            out.push_str(if *b { "true" } else { "false" })
        }),
        Predicate::Cidr(c) => write_operator(out, CIDR, |out| write_string(out, c.source())),
    }
}

fn write_operator(out: &mut String, name: &str, operand: impl FnOnce(&mut String)) {
    out.push('{');
    write_string(out, name);
    out.push(':');
    operand(out);
    out.push('}');
}

fn write_anything_but(out: &mut String, anything_but: &AnythingBut) {
    match anything_but {
        AnythingBut::Strings(items) => write_strings(out, items),
        AnythingBut::Numbers(items) => {
            if let [single] = items.as_slice() {
                out.push_str(single.text());
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(item.text());
            }
            out.push(']');
        }
        AnythingBut::Prefix(items) => write_operator(out, PREFIX, |out| write_strings(out, items)),
        AnythingBut::Suffix(items) => write_operator(out, SUFFIX, |out| write_strings(out, items)),
        AnythingBut::EqualsIgnoreCase(items) => {
            write_operator(out, EQUALS_IGNORE_CASE, |out| write_strings(out, items))
        }
        AnythingBut::Wildcard(items) => write_operator(out, WILDCARD, |out| {
            let sources: Vec<String> = items.iter().map(|w| w.source().to_owned()).collect();
            write_strings(out, &sources)
        }),
    }
}

fn write_range(out: &mut String, range: &NumericRange) {
    out.push('[');
    match (range.lower, range.upper) {
        (Some((lo, true)), Some((hi, true))) if lo == hi => {
            out.push_str("\"=\",");
            write_double(out, lo);
        }
        (lower, upper) => {
            let mut wrote_lower = false;
            if let Some((lo, inclusive)) = lower {
                out.push_str(if inclusive { "\">=\"," } else { "\">\"," });
                write_double(out, lo);
                wrote_lower = true;
            }
            if let Some((hi, inclusive)) = upper {
                if wrote_lower {
                    out.push(',');
                }
                out.push_str(if inclusive { "\"<=\"," } else { "\"<\"," });
                write_double(out, hi);
            } else if !wrote_lower {
                out.push_str("\">=\",");
                write_double(out, -f64::MAX);
            }
        }
    }
    out.push(']');
}
