//! Many patterns compiled into one automaton, and its execution over an event's leaves.
//!
//! The automaton is a machine over field paths (the [`PathIndex`] the scanner follows) whose
//! transitions are value machines ([`field::FieldMachine`], one per used path) over the leaf
//! values. Each pattern is expanded into *alternatives* (its `$or`s multiplied out): flat
//! lists of conditions that must all hold. A value machine reports which conditions a leaf
//! satisfies; an alternative is a candidate once each of its conditions that needs a leaf has
//! one, and matches after the checks that need the whole event: `exists: false` (global
//! absence) and array consistency (see [`run`]).
//!
//! This module knows nothing about JSON text; the scanner hands it leaves.

mod field;
mod number;
mod run;
mod trie;

use ahash::AHashMap;

use crate::pattern::{Clause, Condition, Pattern, Predicate};
use crate::scan::PathIndex;

pub(crate) use run::{run, RunScratch};

/// One condition of one alternative.
#[derive(Clone, Debug)]
pub(crate) struct ConditionInfo {
    pub alternative: u32,
    pub field: u32,
    /// Holds `{"exists": false}`: satisfied without a leaf when the path has none.
    pub accepts_absence: bool,
}

/// One alternative: conditions `first_condition .. first_condition + condition_count`.
#[derive(Clone, Debug)]
pub(crate) struct Alternative {
    pub rule: u32,
    pub first_condition: u32,
    pub condition_count: u32,
    /// Conditions that need a leaf (those without `exists: false`).
    pub required: u32,
    pub live: bool,
}

/// All compiled rules. Rules are numbered by the caller (rule slots).
#[derive(Clone, Debug, Default)]
pub(crate) struct Automaton {
    pub paths: PathIndex,
    field_ids: AHashMap<Box<str>, u32>,
    pub fields: Vec<field::FieldMachine>,
    pub conditions: Vec<ConditionInfo>,
    pub alternatives: Vec<Alternative>,
    /// Alternatives with no condition that needs a leaf: checked after every event.
    pub leafless: Vec<u32>,
    rule_alternatives: AHashMap<u32, Vec<u32>>,
    live_alternatives: usize,
}

impl Automaton {
    /// Compiles `pattern` as (one more pattern of) rule `rule`.
    pub(crate) fn add(&mut self, rule: u32, pattern: &Pattern) {
        let mut touched: Vec<u32> = Vec::new();
        for conditions in expand(pattern.root()) {
            let alternative = self.alternatives.len() as u32;
            let first_condition = self.conditions.len() as u32;
            let mut required = 0;
            for condition in &conditions {
                let id = self.conditions.len() as u32;
                let field = self.field_id(condition.path());
                let accepts_absence = condition.predicates().contains(&Predicate::Exists(false));
                if !accepts_absence {
                    required += 1;
                }
                self.conditions.push(ConditionInfo {
                    alternative,
                    field,
                    accepts_absence,
                });
                if let Some(machine) = self.fields.get_mut(field as usize) {
                    for predicate in condition.predicates() {
                        machine.add(predicate, id);
                    }
                }
                touched.push(field);
            }
            if required == 0 {
                self.leafless.push(alternative);
            }
            self.alternatives.push(Alternative {
                rule,
                first_condition,
                condition_count: conditions.len() as u32,
                required,
                live: true,
            });
            self.rule_alternatives
                .entry(rule)
                .or_default()
                .push(alternative);
            self.live_alternatives += 1;
        }
        touched.sort_unstable();
        touched.dedup();
        for field in touched {
            if let Some(machine) = self.fields.get_mut(field as usize) {
                machine.finish();
            }
        }
    }

    /// Stops matching rule `rule`. Its states stay until the caller rebuilds.
    pub(crate) fn remove(&mut self, rule: u32) {
        for alternative in self.rule_alternatives.remove(&rule).unwrap_or_default() {
            if let Some(alt) = self.alternatives.get_mut(alternative as usize) {
                if alt.live {
                    alt.live = false;
                    self.live_alternatives -= 1;
                }
            }
        }
        self.leafless.retain(|&a| {
            self.alternatives
                .get(a as usize)
                .is_some_and(|alt| alt.live)
        });
    }

    /// Number of alternatives still matched.
    pub(crate) fn live_alternatives(&self) -> usize {
        self.live_alternatives
    }

    /// Number of alternatives compiled, removed ones included.
    pub(crate) fn all_alternatives(&self) -> usize {
        self.alternatives.len()
    }

    fn field_id(&mut self, path: &str) -> u32 {
        if let Some(&id) = self.field_ids.get(path) {
            return id;
        }
        let id = self.fields.len() as u32;
        self.fields.push(field::FieldMachine::default());
        self.field_ids.insert(path.into(), id);
        self.paths.insert(path, id);
        id
    }

    /// Number of states: path entries, alternatives, conditions and value-machine states.
    pub(crate) fn states(&self) -> usize {
        self.paths.len()
            + self.alternatives.len()
            + self.conditions.len()
            + self.fields.iter().map(|f| f.states()).sum::<usize>()
    }

    /// Approximate heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.paths.heap_bytes()
            + self.field_ids.keys().map(|k| k.len() + 40).sum::<usize>()
            + self.conditions.capacity() * std::mem::size_of::<ConditionInfo>()
            + self.alternatives.capacity() * std::mem::size_of::<Alternative>()
            + self.leafless.capacity() * 4
            + self
                .rule_alternatives
                .values()
                .map(|v| v.capacity() * 4 + 48)
                .sum::<usize>()
            + self.fields.iter().map(|f| f.heap_bytes()).sum::<usize>()
    }
}

/// Every alternative of `clause`: its conditions, plus one alternative of each `$or`
/// (recursively), as flat lists. The nesting depth of `$or`s is bounded by the pattern text.
fn expand(clause: &Clause) -> Vec<Vec<&Condition>> {
    let mut alternatives: Vec<Vec<&Condition>> = vec![clause.conditions().iter().collect()];
    for any_of in clause.any_of() {
        let options: Vec<Vec<&Condition>> = any_of.iter().flat_map(expand).collect();
        let mut next = Vec::with_capacity(alternatives.len() * options.len());
        for base in &alternatives {
            for option in &options {
                let mut combined = base.clone();
                combined.extend_from_slice(option);
                next.push(combined);
            }
        }
        alternatives = next;
    }
    alternatives
}
