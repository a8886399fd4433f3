//! When one way of matching implies another: the decision behind the `covered`, `subset`
//! and order-insensitive `duplicate` checks.
//!
//! A way of matching is one combination of a pattern's `$or` alternatives: conditions that
//! must all hold (see [`crate::reference::alternatives`]). Way `x` implies way `y` when every
//! condition of `y` has a condition of `x` on the same path whose predicates are among its
//! own: whatever leaves satisfy `x`'s condition satisfy `y`'s, and leaves that may be used
//! together for `x` (array consistency) may be used together for any part of them.
//!
//! Decided: identical predicates, and predicate lists that are subsets of one another, in any
//! order. Not decided (answered "no", so nothing is reported): implication between different
//! predicates (`numeric` ranges inside ranges, a prefix of a prefix, values a wildcard
//! covers), and conditions of `y` that accept an absent field (`exists: false`), since
//! absence inside arrays of objects is judged against the array elements chosen for the
//! other fields, which `x` and `y` choose differently.

use crate::pattern::{Condition, Predicate};

/// Whether way `x` implies way `y`, as far as decided (see the module's documentation).
pub(super) fn implies(x: &[&Condition], y: &[&Condition]) -> bool {
    y.iter().all(|needed| {
        let accepts_absence = needed
            .predicates()
            .iter()
            .any(|p| matches!(p, Predicate::Exists(false)));
        !accepts_absence
            && x.iter().any(|given| {
                given.path() == needed.path()
                    && given
                        .predicates()
                        .iter()
                        .all(|p| needed.predicates().contains(p))
            })
    })
}

/// Whether every way of `x` implies some way of `y`: every event `x` matches, `y` matches.
pub(super) fn covered_by(x: &[Vec<&Condition>], y: &[Vec<&Condition>]) -> bool {
    !x.is_empty()
        && x.iter()
            .all(|way| y.iter().any(|other| implies(way, other)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Pattern;
    use crate::reference::alternatives;

    fn ways(pattern: &Pattern) -> Vec<Vec<&Condition>> {
        alternatives(pattern.root())
    }

    fn covered(x: &str, y: &str) -> bool {
        let (x, y) = (Pattern::parse(x).unwrap(), Pattern::parse(y).unwrap());
        covered_by(&ways(&x), &ways(&y))
    }

    #[test]
    fn more_conditions_or_fewer_values_imply() {
        assert!(covered(r#"{"a": ["x"], "b": [1]}"#, r#"{"a": ["x", "y"]}"#));
        assert!(covered(r#"{"a": ["y", "x"]}"#, r#"{"a": ["x", "y"]}"#));
        assert!(!covered(r#"{"a": ["x", "y"]}"#, r#"{"a": ["x"]}"#));
        assert!(!covered(r#"{"a": ["x"]}"#, r#"{"a": ["x"], "b": [1]}"#));
        assert!(!covered(r#"{"a": ["x"]}"#, r#"{"b": ["x"]}"#));
    }

    #[test]
    fn every_way_must_be_covered() {
        assert!(covered(
            r#"{"$or": [{"a": ["x"]}, {"b": ["y"]}]}"#,
            r#"{"$or": [{"b": ["y", "z"]}, {"a": ["x"], "c": [{"exists": true}]}, {"a": ["x"]}]}"#
        ));
        assert!(!covered(
            r#"{"$or": [{"a": ["x"]}, {"b": ["y"]}]}"#,
            r#"{"a": ["x"]}"#
        ));
    }

    #[test]
    fn undecided_cases_are_not_implications() {
        // Ranges inside ranges, and absence, are not decided.
        assert!(!covered(
            r#"{"n": [{"numeric": [">", 5]}]}"#,
            r#"{"n": [{"numeric": [">", 1]}]}"#
        ));
        assert!(!covered(
            r#"{"a": [{"exists": false}]}"#,
            r#"{"a": [{"exists": false}]}"#
        ));
        // Absence on the implying side only is fine.
        assert!(covered(
            r#"{"a": ["x"], "b": [{"exists": false}]}"#,
            r#"{"a": ["x"]}"#
        ));
    }
}
