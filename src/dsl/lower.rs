//! A rule's syntax tree to a pattern [`Clause`], refusing what EventBridge cannot express.
//!
//! The rules, in EventBridge terms:
//!
//! - `and` is the fields of one object; a field may appear once in it.
//! - `or` between tests of one field is that field's list of alternatives (`x in [1, 2]`),
//!   except when the surrounding `and` tests the field too: then the `or` stays a `$or`, whose
//!   alternatives may name a field of the object they sit in (both must hold).
//! - Any other `or` is a `$or`. A clause keeps at most one: the pattern JSON writes a clause's
//!   `$or`s in one object, where EventBridge would keep only the last `"$or"` key, so further
//!   ones are multiplied out into it (an equivalent pattern), which fails only when that
//!   would put one field twice in an `and`.

use super::error::DslError;
use super::lexer::Span;
use super::syntax::{position, Expr, ExprKind};
use crate::pattern::{Clause, Condition, NumericRange, Predicate};
use ahash::{AHashMap, AHashSet};

/// AWS refuses patterns whose `$or`s expand to more alternatives than this.
pub(crate) const MAX_OR_COMBINATIONS: u64 = 1000;

/// What a sub-expression became.
enum Lowered {
    /// Fields to AND, with where each was written, plus `$or`s.
    Clause {
        conditions: Vec<(Condition, Span)>,
        any_of: Vec<Vec<Clause>>,
    },
    /// An `or` whose alternatives each test the same single field: either one condition
    /// listing all their predicates, or (when the field is also tested beside it) a `$or`.
    SameFieldOr {
        alternatives: Vec<Clause>,
        merged: Condition,
        span: Span,
    },
}

/// Lowers a whole rule (already free of SaaSus selectors) to the root clause of a pattern.
pub(crate) fn lower(source: &str, expr: &Expr) -> Result<Clause, DslError> {
    let lowerer = Lowerer { source };
    let clause = lowerer.to_clause(lowerer.lower(expr)?);
    let clause = lowerer.place_or_groups(clause, expr.span)?;
    let combinations = combinations(&clause);
    if combinations > MAX_OR_COMBINATIONS {
        return Err(too_many(source, expr.span, combinations));
    }
    Ok(clause)
}

fn too_many(source: &str, span: Span, combinations: u64) -> DslError {
    DslError::at(
        source,
        span,
        format!(
            "this rule expands to {combinations} alternatives; EventBridge allows at most {MAX_OR_COMBINATIONS} combinations of `$or`"
        ),
    )
    .with_help("list values of one field with `in [...]` instead of `or`-ing separate tests")
}

struct Lowerer<'a> {
    source: &'a str,
}

impl Lowerer<'_> {
    fn lower(&self, expr: &Expr) -> Result<Lowered, DslError> {
        match &expr.kind {
            ExprKind::Test(condition) => Ok(Lowered::Clause {
                conditions: vec![(condition.clone(), expr.span)],
                any_of: Vec::new(),
            }),
            ExprKind::And(parts) => self.lower_and(parts),
            ExprKind::Or(parts) => self.lower_or(parts, expr.span),
            ExprKind::Selector(_) => Err(DslError::at(
                self.source,
                expr.span,
                "internal: a selector reached the pattern builder unresolved",
            )),
        }
    }

    fn lower_and(&self, parts: &[Expr]) -> Result<Lowered, DslError> {
        let lowered = parts
            .iter()
            .map(|p| self.lower(p))
            .collect::<Result<Vec<_>, _>>()?;
        // Paths tested by plain conditions anywhere in this `and`, and where each condition
        // already pushed sits: hash look-ups keep a long `and` linear.
        let plain_paths: AHashSet<String> = lowered
            .iter()
            .filter_map(|l| match l {
                Lowered::Clause { conditions, .. } => Some(conditions),
                Lowered::SameFieldOr { .. } => None,
            })
            .flatten()
            .map(|(c, _)| c.path().to_owned())
            .collect();
        let mut conditions: Vec<(Condition, Span)> = Vec::new();
        let mut position_of: AHashMap<String, usize> = AHashMap::new();
        let mut any_of = Vec::new();
        for part in lowered {
            match part {
                Lowered::Clause {
                    conditions: more,
                    any_of: groups,
                } => {
                    for (condition, span) in more {
                        self.push_condition(&mut conditions, &mut position_of, condition, span)?;
                    }
                    any_of.extend(groups);
                }
                Lowered::SameFieldOr {
                    alternatives,
                    merged,
                    span,
                } => {
                    let tested_beside = plain_paths.contains(merged.path())
                        || position_of.contains_key(merged.path());
                    if tested_beside {
                        any_of.push(alternatives);
                    } else {
                        position_of.insert(merged.path().to_owned(), conditions.len());
                        conditions.push((merged, span));
                    }
                }
            }
        }
        Ok(Lowered::Clause { conditions, any_of })
    }

    fn push_condition(
        &self,
        conditions: &mut Vec<(Condition, Span)>,
        position_of: &mut AHashMap<String, usize>,
        condition: Condition,
        span: Span,
    ) -> Result<(), DslError> {
        if let Some((first, first_span)) = position_of
            .get(condition.path())
            .and_then(|&i| conditions.get(i))
        {
            return Err(self.same_field_twice(first, *first_span, &condition, span));
        }
        position_of.insert(condition.path().to_owned(), conditions.len());
        conditions.push((condition, span));
        Ok(())
    }

    fn same_field_twice(
        &self,
        first: &Condition,
        first_span: Span,
        second: &Condition,
        span: Span,
    ) -> DslError {
        use crate::pattern::Predicate::*;
        let path = super::print::path_text(second.path());
        let message = format!(
            "{path} is already tested at {} in this `and`; an EventBridge pattern names a field once per object, so two conditions on one field cannot both be required",
            position(self.source, first_span.start)
        );
        let all_numeric = first
            .predicates()
            .iter()
            .chain(second.predicates())
            .all(|p| matches!(p, Numeric(_)));
        let all_anything_but = first
            .predicates()
            .iter()
            .chain(second.predicates())
            .all(|p| matches!(p, AnythingBut(_)));
        let has_exists_true = first
            .predicates()
            .iter()
            .chain(second.predicates())
            .any(|p| matches!(p, Exists(true)));
        let help = if all_numeric {
            match one_range(first, second) {
                Some(range) if range_is_empty(&range) => {
                    "no number satisfies both; if either will do, join the tests with `or`"
                        .to_owned()
                }
                Some(range) => format!(
                    "write one range: {}",
                    super::print::numeric_text(&path, &range)
                ),
                None => format!("write one range, e.g. 200 <= {path} < 300"),
            }
        } else if all_anything_but {
            format!("write one exclusion list: {path} not in [\"a\", \"b\"]")
        } else if has_exists_true {
            format!("drop `{path} exists`: every other test already needs {path} to be present")
        } else {
            "if either value will do, join the tests with `or`; a field holding both values at once (an array) cannot be asked for".to_owned()
        };
        DslError::at(self.source, span, message).with_help(help)
    }

    fn lower_or(&self, parts: &[Expr], span: Span) -> Result<Lowered, DslError> {
        let alternatives = parts
            .iter()
            .map(|p| self.lower(p).map(|l| self.to_clause(l)))
            .collect::<Result<Vec<_>, _>>()?;
        let first_path = alternatives
            .first()
            .and_then(only_condition)
            .map(|c| c.path().to_owned());
        if let Some(first_path) = first_path {
            let same_field = alternatives
                .iter()
                .all(|a| only_condition(a).is_some_and(|c| c.path() == first_path));
            if same_field {
                let predicates = alternatives
                    .iter()
                    .filter_map(only_condition)
                    .flat_map(|c| c.predicates().iter().cloned())
                    .collect();
                return Ok(Lowered::SameFieldOr {
                    merged: Condition::new(first_path, predicates),
                    alternatives,
                    span,
                });
            }
        }
        // Tests of one field among other alternatives still become that field's list.
        let mut merged: Vec<Clause> = Vec::new();
        // Where the single-condition alternative of each path sits in `merged`.
        let mut single_of: AHashMap<String, usize> = AHashMap::new();
        for alternative in alternatives {
            if let Some(condition) = only_condition(&alternative) {
                let existing = single_of
                    .get(condition.path())
                    .and_then(|&i| merged.get_mut(i))
                    .and_then(|m| m.conditions.first_mut());
                if let Some(existing) = existing {
                    existing
                        .predicates
                        .extend(condition.predicates().iter().cloned());
                    continue;
                }
                single_of.insert(condition.path().to_owned(), merged.len());
            }
            merged.push(alternative);
        }
        if merged.len() == 1 {
            if let Some(only) = merged.pop() {
                return Ok(Lowered::Clause {
                    conditions: only.conditions.into_iter().map(|c| (c, span)).collect(),
                    any_of: only.any_of,
                });
            }
        }
        Ok(Lowered::Clause {
            conditions: Vec::new(),
            any_of: vec![merged],
        })
    }

    fn to_clause(&self, lowered: Lowered) -> Clause {
        match lowered {
            Lowered::Clause { conditions, any_of } => {
                Clause::new(conditions.into_iter().map(|(c, _)| c).collect(), any_of)
            }
            Lowered::SameFieldOr { merged, .. } => Clause::new(vec![merged], Vec::new()),
        }
    }

    /// Leaves every clause with at most one `$or`, multiplying out the others. A clause's
    /// `$or`s are all written in one JSON object, and EventBridge keeps only the last of
    /// repeated keys.
    fn place_or_groups(&self, clause: Clause, span: Span) -> Result<Clause, DslError> {
        let Clause { conditions, any_of } = clause;
        let mut groups: Vec<Vec<Clause>> = Vec::new();
        for group in any_of {
            let group = group
                .into_iter()
                .map(|alt| self.place_or_groups(alt, span))
                .collect::<Result<Vec<_>, _>>()?;
            groups.push(group);
        }
        let total = combinations(&Clause::new(Vec::new(), groups.clone()));
        if total > MAX_OR_COMBINATIONS {
            return Err(too_many(self.source, span, total));
        }
        while groups.len() > 1 {
            let second = groups.remove(1);
            let first = std::mem::take(&mut groups[0]);
            groups[0] = self.multiply(first, second, span)?;
        }
        Ok(Clause::new(conditions, groups))
    }

    /// `(a or b) and (c or d)` as `(a and c) or (a and d) or (b and c) or (b and d)`.
    fn multiply(
        &self,
        first: Vec<Clause>,
        second: Vec<Clause>,
        span: Span,
    ) -> Result<Vec<Clause>, DslError> {
        let mut out = Vec::new();
        for a in &first {
            for b in &second {
                let mut conditions = a.conditions().to_vec();
                for c in b.conditions() {
                    if conditions
                        .iter()
                        .any(|existing| existing.path() == c.path())
                    {
                        return Err(DslError::at(
                            self.source,
                            span,
                            format!(
                                "two `or` groups of this `and` both test {} and must be multiplied out to be written as one EventBridge pattern, which would test it twice in one object",
                                super::print::path_text(c.path())
                            ),
                        )
                        .with_help("rewrite the rule so that each `or` group tests fields the other does not"));
                    }
                    conditions.push(c.clone());
                }
                let mut any_of = a.any_of().to_vec();
                any_of.extend(b.any_of().iter().cloned());
                out.push(self.place_or_groups(Clause::new(conditions, any_of), span)?);
            }
        }
        Ok(out)
    }
}

/// The one condition of a clause that holds nothing else.
fn only_condition(clause: &Clause) -> Option<&Condition> {
    match (clause.conditions(), clause.any_of()) {
        ([condition], []) => Some(condition),
        _ => None,
    }
}

/// How many flat alternatives a clause expands to.
pub(crate) fn combinations(clause: &Clause) -> u64 {
    clause.any_of().iter().fold(1u64, |total, group| {
        let alternatives = group
            .iter()
            .map(combinations)
            .fold(0u64, u64::saturating_add);
        total.saturating_mul(alternatives)
    })
}

/// The one range both conditions ask for, when each is a single numeric comparison or range:
/// the tighter lower bound and the tighter upper bound (an exclusive bound is the tighter of
/// two at the same number).
fn one_range(first: &Condition, second: &Condition) -> Option<NumericRange> {
    let range = |condition: &Condition| match condition.predicates() {
        [Predicate::Numeric(range)] => Some(range.clone()),
        _ => None,
    };
    let (a, b) = (range(first)?, range(second)?);
    let tighter = |x: Option<(f64, bool)>, y: Option<(f64, bool)>, above: bool| match (x, y) {
        (Some(x), Some(y)) => {
            let x_wins = if x.0 == y.0 {
                !x.1
            } else if above {
                x.0 > y.0
            } else {
                x.0 < y.0
            };
            Some(if x_wins { x } else { y })
        }
        (x, None) => x,
        (None, y) => y,
    };
    Some(NumericRange {
        lower: tighter(a.lower, b.lower, true),
        upper: tighter(a.upper, b.upper, false),
    })
}

/// Whether no number lies in `range`.
fn range_is_empty(range: &NumericRange) -> bool {
    match (range.lower, range.upper) {
        (Some((lo, lo_inc)), Some((hi, hi_inc))) => lo > hi || (lo == hi && !(lo_inc && hi_inc)),
        _ => false,
    }
}
