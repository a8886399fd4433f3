//! Pattern JSON to the AST: the object structure (nesting, dotted keys, duplicates, `$or`)
//! and the limits. The elements of pattern arrays are read by [`super::operators`].
//!
//! # How AWS treats `$or`, and how we follow it
//!
//! AWS's compiler (event-ruler) first reads `"$or"` as the OR primitive: it must hold an
//! array of at least two objects, and no key inside those objects may be an operator name
//! (`prefix`, `numeric`, ...). When that reading fails, event-ruler compiles the pattern a
//! second time with its older compiler, which knows no `$or` and treats it as an ordinary
//! field name; so `{"$or": {"a": ["x"]}}` is the field `$or.a`, and
//! `{"$or": [{"prefix": "a"}, {"numeric": [">", 1]}]}` is the field `$or` with two
//! operators. We do the same. When both readings fail we report the first reading's reason
//! (event-ruler would report the second's, usually the less helpful
//! `Unrecognized match type ...`).

use std::collections::{BTreeMap, HashMap};

use crate::json::{JsonError, JsonNode};

use super::ast::{AnythingBut, Clause, Condition, Pattern, Predicate, Wildcard};
use super::error::{ErrorKind, PatternError};
use super::limits::Limits;
use super::operator_names::OPERATOR_NAMES;
use super::operators::parse_predicates;
use super::wildcard::check_complexity;

/// The key that introduces alternatives.
const OR_KEY: &str = "$or";

/// Keys an object inside `$or` may not use besides the operator names ([`OPERATOR_NAMES`]);
/// together they are event-ruler's `RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`: numeric
/// comparison operators, and names event-ruler reserves for future operators.
const RESERVED_IN_OR: &[&str] = &[
    "html",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// Parses pattern text within `limits`: length, depth, JSON, structure and operators (in
/// AWS's order, so the first mistake AWS would report is the one reported), then the `$or`
/// combinations and the wildcard complexity, which need the whole pattern.
pub(crate) fn parse(text: &str, limits: &Limits) -> Result<Pattern, PatternError> {
    if let Some(max) = limits.max_length() {
        // Counting stops one past the limit so a huge text is not walked twice.
        let length = text.encode_utf16().take(max.saturating_add(1)).count();
        if length > max {
            return Err(PatternError::new(
                ErrorKind::TooLong,
                format!("Event pattern is longer than {max} characters"),
            ));
        }
    }
    let root = JsonNode::parse(text, limits.max_depth()).map_err(|e| match e {
        JsonError::Syntax(message) => PatternError::new(ErrorKind::Syntax, message),
        JsonError::TooDeep(limit) => too_deep(limit),
    })?;
    let JsonNode::Object(members) = &root else {
        return Err(PatternError::invalid("Filter is not an object"));
    };
    let clause = match read_clause(members, true) {
        Ok(clause) => clause,
        Err(first) if mentions_or(members) => match read_clause(members, false) {
            Ok(legacy) => legacy,
            Err(_) => return Err(first),
        },
        Err(first) => return Err(first),
    };
    check_or_combinations(&clause, limits.max_or_combinations())?;
    let clause = if or_paths_collide(&clause) {
        overridden_combinations(members)?
    } else {
        clause
    };
    check_wildcards(&clause, limits.max_wildcard_complexity())?;
    Ok(Pattern { root: clause })
}

/// Whether some combination of `$or` alternatives names one path twice with different
/// predicates (beside a `$or` and inside a branch, in two sibling `$or`s, or in nested ones).
/// Only then does the order of the text matter: the same condition twice holds when once
/// does, whichever occurrence wins.
pub(crate) fn or_paths_collide(clause: &Clause) -> bool {
    or_path_collision(clause).is_some()
}

/// The first path [`or_paths_collide`] finds named twice in one combination, if any.
pub(crate) fn or_path_collision(clause: &Clause) -> Option<&str> {
    fn combinations_of(clause: &Clause) -> Vec<Vec<&Condition>> {
        let mut result: Vec<Vec<&Condition>> = vec![clause.conditions().iter().collect()];
        for alternatives in clause.any_of() {
            let choices: Vec<Vec<&Condition>> =
                alternatives.iter().flat_map(combinations_of).collect();
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
    if clause.any_of().is_empty() {
        return None;
    }
    combinations_of(clause).into_iter().find_map(|combination| {
        combination.iter().enumerate().find_map(|(i, a)| {
            combination
                .iter()
                .skip(i + 1)
                .any(|b| a.path() == b.path() && a != b)
                .then(|| a.path())
        })
    })
}

/// For pattern text that parses: the first path named both beside a `$or` and inside it
/// (or in two `$or`s of one combination) with different predicates, where EventBridge keeps
/// only the occurrence written last (see [`overridden_combinations`]).
pub(crate) fn overridden_path(text: &str) -> Option<String> {
    let root = JsonNode::parse(text, crate::DEFAULT_MAX_DEPTH).ok()?;
    let JsonNode::Object(members) = &root else {
        return None;
    };
    let clause = read_clause(members, true).ok()?;
    or_path_collision(&clause).map(str::to_owned)
}

/// The pattern as event-ruler compiles it when paths collide across `$or`s: one flat list of
/// conditions per combination, built in text order, where writing a path again replaces
/// what was written before in that combination (its default rule overriding). A `$or` forks
/// every combination built so far, once per alternative; what follows it in the text is
/// written into every fork. `{"name":["a"],"$or":[{"name":["a"]},{"name":["b"]}]}` thus
/// holds for `name` `a` or `b`, and `{"$or":[{"a":["2"]},{"b":["3"]}],"a":["1"]}` for
/// `a` = `1` (with or without `b` = `3`).
///
/// Called on a pattern that has already been read without error and whose combinations are
/// within the limit, so every step here succeeds.
fn overridden_combinations(members: &[(String, JsonNode)]) -> Result<Clause, PatternError> {
    let mut combinations = vec![ClauseBuilder::default()];
    write_combinations(members, None, &mut combinations)?;
    let mut clauses: Vec<Clause> = combinations
        .into_iter()
        .map(ClauseBuilder::finish)
        .collect();
    clauses.dedup();
    Ok(match clauses.len() {
        1 => clauses.pop().unwrap_or_default(),
        _ => Clause::new(Vec::new(), vec![clauses]),
    })
}

fn write_combinations(
    members: &[(String, JsonNode)],
    prefix: Option<&str>,
    combinations: &mut Vec<ClauseBuilder>,
) -> Result<(), PatternError> {
    for (key, value) in members {
        if key == OR_KEY {
            let JsonNode::Array(items) = value else {
                continue;
            };
            let before = std::mem::take(combinations);
            for item in items {
                let JsonNode::Object(inner) = item else {
                    continue;
                };
                let mut forks = before.clone();
                write_combinations(inner, prefix, &mut forks)?;
                combinations.extend(forks);
            }
            continue;
        }
        let path = match prefix {
            None => key.clone(),
            Some(prefix) => format!("{prefix}.{key}"),
        };
        match value {
            JsonNode::Object(inner) => write_combinations(inner, Some(&path), combinations)?,
            JsonNode::Array(values) => {
                let predicates = parse_predicates(values)?;
                for combination in combinations.iter_mut() {
                    combination.set(path.clone(), predicates.clone());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn too_deep(limit: usize) -> PatternError {
    PatternError::new(
        ErrorKind::TooDeep,
        format!("Event pattern nests deeper than {limit} levels"),
    )
}

/// Whether any object key is `$or` (only then can the legacy reading differ).
fn mentions_or(members: &[(String, JsonNode)]) -> bool {
    members
        .iter()
        .any(|(key, value)| key == OR_KEY || node_mentions_or(value))
}

fn node_mentions_or(node: &JsonNode) -> bool {
    match node {
        JsonNode::Object(members) => mentions_or(members),
        JsonNode::Array(items) => items.iter().any(node_mentions_or),
        _ => false,
    }
}

/// Reads the root object into a clause. With `or_enabled` false, `$or` is a field name.
fn read_clause(members: &[(String, JsonNode)], or_enabled: bool) -> Result<Clause, PatternError> {
    let mut builder = ClauseBuilder::default();
    read_object(members, None, &mut builder, Context::Root, or_enabled)?;
    Ok(builder.finish())
}

/// Whether an object sits inside an alternative of a `$or`, where operator names are
/// reserved.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    Root,
    InsideOr,
}

/// Reads the members of one pattern object at `prefix` into `builder`.
fn read_object(
    members: &[(String, JsonNode)],
    prefix: Option<&str>,
    builder: &mut ClauseBuilder,
    context: Context,
    or_enabled: bool,
) -> Result<(), PatternError> {
    if members.is_empty() {
        return Err(PatternError::invalid("Empty objects are not allowed"));
    }
    for (key, value) in members {
        if or_enabled && key == OR_KEY {
            let alternatives = read_or(value, prefix, or_enabled)?;
            builder.any_of.push(alternatives);
            continue;
        }
        if context == Context::InsideOr
            && (OPERATOR_NAMES.contains(&key.as_str()) || RESERVED_IN_OR.contains(&key.as_str()))
        {
            return Err(PatternError::invalid(format!(
                "{key} is Ruler reserved fieldName which cannot be used inside $or."
            )));
        }
        let path = match prefix {
            None => key.clone(),
            Some(prefix) => format!("{prefix}.{key}"),
        };
        match value {
            JsonNode::Object(inner) => {
                read_object(inner, Some(&path), builder, context, or_enabled)?
            }
            JsonNode::Array(values) => builder.set(path, parse_predicates(values)?),
            _ => {
                return Err(PatternError::invalid(format!(
                    "\"{key}\" must be an object or an array"
                )))
            }
        }
    }
    Ok(())
}

/// Reads the value of a `$or` key at `prefix` into its alternative clauses.
fn read_or(
    value: &JsonNode,
    prefix: Option<&str>,
    or_enabled: bool,
) -> Result<Vec<Clause>, PatternError> {
    let JsonNode::Array(items) = value else {
        return Err(PatternError::invalid(
            "It must be an Array followed with $or.",
        ));
    };
    let mut alternatives = Vec::with_capacity(items.len());
    for item in items {
        let JsonNode::Object(members) = item else {
            return Err(PatternError::invalid(
                "Only JSON object is allowed in array of $or relationship.",
            ));
        };
        let mut builder = ClauseBuilder::default();
        read_object(members, prefix, &mut builder, Context::InsideOr, or_enabled)?;
        alternatives.push(builder.finish());
    }
    if alternatives.len() < 2 {
        return Err(PatternError::invalid(
            "There must have at least 2 Objects in $or relationship.",
        ));
    }
    Ok(alternatives)
}

/// A clause under construction: one condition per path, the last one written winning.
#[derive(Clone, Default)]
struct ClauseBuilder {
    conditions: Vec<Condition>,
    index: HashMap<String, usize>,
    any_of: Vec<Vec<Clause>>,
}

impl ClauseBuilder {
    fn set(&mut self, path: String, predicates: Vec<Predicate>) {
        match self
            .index
            .get(&path)
            .and_then(|&i| self.conditions.get_mut(i))
        {
            Some(existing) => existing.predicates = predicates,
            None => {
                self.index.insert(path.clone(), self.conditions.len());
                self.conditions.push(Condition::new(path, predicates));
            }
        }
    }

    /// The clause, conditions sorted by path so that equal patterns have equal ASTs.
    fn finish(mut self) -> Clause {
        self.conditions.sort_by(|a, b| a.path.cmp(&b.path));
        Clause::new(self.conditions, self.any_of)
    }
}

/// Number of alternatives `clause` expands to (its `$or`s multiplied out), saturating: the
/// one count of the parser's limit and the DSL's.
pub(crate) fn combinations(clause: &Clause) -> u64 {
    clause.any_of().iter().fold(1u64, |product, alternatives| {
        let sum = alternatives.iter().fold(0u64, |sum, alternative| {
            sum.saturating_add(combinations(alternative))
        });
        product.saturating_mul(sum)
    })
}

fn check_or_combinations(clause: &Clause, max: u64) -> Result<(), PatternError> {
    if combinations(clause) > max {
        return Err(PatternError::new(
            ErrorKind::TooManyCombinations,
            format!(
                "Rule is too complex - the $or expressions expand to more than {max} combinations"
            ),
        ));
    }
    Ok(())
}

/// Checks the complexity of the wildcards of each path, all alternatives together.
///
/// AWS builds one automaton per field *per state of its rule machine*, so wildcards of one
/// field reached through different values of the fields before it are measured apart.
/// Measuring all of a field's wildcards together can only count more: we may refuse a rule
/// AWS would accept only when one field holds many wildcards spread over `$or`
/// alternatives, never accept one it refuses.
fn check_wildcards(clause: &Clause, limit: usize) -> Result<(), PatternError> {
    for wildcards in wildcards_by_path(clause).values() {
        check_complexity(wildcards, limit)?;
    }
    Ok(())
}

/// The first path whose wildcards would be refused under a complexity limit of `limit`.
pub(crate) fn path_over_wildcard_complexity(clause: &Clause, limit: usize) -> Option<&str> {
    wildcards_by_path(clause)
        .into_iter()
        .find_map(|(path, wildcards)| check_complexity(&wildcards, limit).is_err().then_some(path))
}

/// The distinct wildcard operands used at each path, in every `$or` alternative.
fn wildcards_by_path(clause: &Clause) -> BTreeMap<&str, Vec<&Wildcard>> {
    let mut by_path: BTreeMap<&str, Vec<&Wildcard>> = BTreeMap::new();
    collect_wildcards(clause, &mut by_path);
    for wildcards in by_path.values_mut() {
        wildcards.sort_by(|a, b| a.source().cmp(b.source()));
        wildcards.dedup_by(|a, b| a.source() == b.source());
    }
    by_path
}

fn collect_wildcards<'a>(clause: &'a Clause, by_path: &mut BTreeMap<&'a str, Vec<&'a Wildcard>>) {
    for condition in clause.conditions() {
        for predicate in condition.predicates() {
            let found: &[Wildcard] = match predicate {
                Predicate::Wildcard(w) => std::slice::from_ref(w),
                Predicate::AnythingBut(AnythingBut::Wildcard(ws)) => ws,
                _ => &[],
            };
            if !found.is_empty() {
                by_path.entry(condition.path()).or_default().extend(found);
            }
        }
    }
    for alternatives in clause.any_of() {
        for alternative in alternatives {
            collect_wildcards(alternative, by_path);
        }
    }
}
