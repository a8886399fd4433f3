//! Many patterns compiled into one automaton, and its execution over an event's leaves.
//!
//! Each pattern is expanded into *alternatives* (its `$or`s multiplied out): flat lists of
//! conditions that must all hold. The conditions of an alternative are put in one global
//! order (by field, then by predicates), and the alternatives are merged into a trie of
//! states: from the start state, each edge consumes one condition, so rules that begin with
//! the same conditions share their states, and a state's outgoing edges on one field form a
//! single value machine (`field::FieldMachine`) whose targets are the next states. A leaf is
//! therefore tested once per *reached* state, whatever the number of rules behind it.
//!
//! A condition holding `{"exists": false}` also has an *absence* edge, taken when the event
//! has no leaf at that path. States where an alternative ends accept its rule.
//!
//! This module knows nothing about JSON text; the scanner hands `run` the leaves.

mod anything_but_set;
mod field;
mod number;
mod range_set;
mod rank;
mod run;
mod stamped;
mod targets;
mod trie;
mod wildcard_set;

use ahash::AHashMap;

use crate::pattern::{Clause, Condition, Pattern, Predicate};
use crate::scan::PathIndex;

pub(crate) use run::{run, RunScratch};

/// What must be computed for the leaves of one field, because some machine on it uses it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FieldNeeds {
    /// The case folding of strings.
    pub fold: bool,
    /// Whether numbers round-trip (exact number matches by value or by text).
    pub exact_number: bool,
    /// Decoded strings: some machine on the field compares more than wildcards that can be
    /// matched on text as written (see `FieldMachine::needs_decoded_text`).
    pub decoded_text: bool,
}

/// One state of the automaton.
#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    /// Per field with value edges: the index of its [`Transition`].
    pub value_edges: Vec<(u32, u32)>,
    /// (field, next state): taken when the event has no leaf at the field's path.
    pub absence_edges: Vec<(u32, u32)>,
    /// Rules (slots) with an alternative ending here.
    pub accepts: Vec<u32>,
    /// The fields of the conditions that can follow this state, as a 64-bit Bloom mask
    /// ([`field_bit`]): array choices that no later field can meet are forgotten.
    pub later_fields: u64,
}

/// The bit of a field in [`State::later_fields`]-style masks.
pub(crate) fn field_bit(field: u32) -> u64 {
    1 << (field % 64)
}

/// The value edges of one state on one field.
#[derive(Clone, Debug)]
pub(crate) struct Transition {
    /// Reports next states.
    pub machine: field::FieldMachine,
    /// The field of the transition and those of every condition that can follow it, as a
    /// Bloom mask ([`field_bit`]).
    pub later_fields: u64,
}

/// All compiled rules. Rules are numbered by the caller (rule slots).
///
/// Ids: a state, transition or field id is an index into `states`, `transitions` or
/// `field_needs`, made here when the element is pushed and never invalidated (elements are
/// never removed: a rebuild starts a new automaton). Code that holds such an id indexes
/// directly, so a compiler bug fails loudly in the tests instead of becoming a silent
/// non-match; nothing taken from an event or a pattern is ever used as an index unchecked.
#[derive(Clone, Debug)]
pub(crate) struct Automaton {
    pub paths: PathIndex,
    field_ids: AHashMap<Box<str>, u32>,
    /// Per field: what the machines on it need computed for each leaf.
    pub field_needs: Vec<FieldNeeds>,
    pub states: Vec<State>,
    pub transitions: Vec<Transition>,
    /// The transition of each (state, field) with value edges: a state's value edges are a
    /// list the matcher walks, and finding one in it on every insert made compiling rules on
    /// n distinct fields from one state cost n².
    transition_of: AHashMap<(u32, u32), u32>,
    /// Condition keys (see `condition_key`), numbered.
    condition_keys: AHashMap<Box<str>, u32>,
    /// The next state of each condition leaving a state, by (state, field, condition key
    /// number): lets alternatives with equal conditions share states.
    next: AHashMap<(u32, u32, u32), u32>,
    /// Per rule slot: whether the rule is still matched.
    pub live_rules: Vec<bool>,
    /// Per rule slot: its number of alternatives.
    rule_alternatives: Vec<u32>,
    alternatives: usize,
    live_alternatives: usize,
}

impl Default for Automaton {
    fn default() -> Automaton {
        Automaton {
            paths: PathIndex::default(),
            field_ids: AHashMap::new(),
            field_needs: Vec::new(),
            states: vec![State::default()],
            transitions: Vec::new(),
            transition_of: AHashMap::new(),
            condition_keys: AHashMap::new(),
            next: AHashMap::new(),
            live_rules: Vec::new(),
            rule_alternatives: Vec::new(),
            alternatives: 0,
            live_alternatives: 0,
        }
    }
}

/// The identity of a condition's predicates, for sharing states.
fn condition_key(condition: &Condition) -> Box<str> {
    format!("{:?}", condition.predicates()).into()
}

impl Automaton {
    /// Compiles `pattern` as (one more pattern of) rule `rule`.
    pub(crate) fn add(&mut self, rule: u32, pattern: &Pattern) {
        let slot = rule as usize;
        if self.live_rules.len() <= slot {
            self.live_rules.resize(slot + 1, false);
            self.rule_alternatives.resize(slot + 1, 0);
        }
        self.live_rules[slot] = true;
        for conditions in expand(pattern.root()) {
            let mut ordered: Vec<(u32, Box<str>, &Condition)> = conditions
                .into_iter()
                .map(|c| (self.field_id(c.path()), condition_key(c), c))
                .collect();
            ordered.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
            // The same predicates on the same path twice hold exactly when once does.
            ordered.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
            // later[i]: the fields of conditions i.. of the alternative.
            let mut later = vec![0u64; ordered.len() + 1];
            for (i, condition) in ordered.iter().enumerate().rev() {
                later[i] = later[i + 1] | field_bit(condition.0);
            }
            let mut state = 0u32;
            for ((field, key, condition), later) in ordered.into_iter().zip(later) {
                let from = state;
                state = self.next_state(from, field, key, condition);
                self.states[from as usize].later_fields |= later;
                if let Some(&t) = self.transition_of.get(&(from, field)) {
                    self.transitions[t as usize].later_fields |= later;
                }
            }
            let s = &mut self.states[state as usize];
            if !s.accepts.contains(&rule) {
                s.accepts.push(rule);
            }
            self.rule_alternatives[slot] += 1;
            self.alternatives += 1;
            self.live_alternatives += 1;
        }
    }

    /// The state after `condition` from `state`, created when new.
    fn next_state(&mut self, state: u32, field: u32, key: Box<str>, condition: &Condition) -> u32 {
        let key_count = self.condition_keys.len() as u32;
        let key = *self.condition_keys.entry(key).or_insert(key_count);
        if let Some(&next) = self.next.get(&(state, field, key)) {
            return next;
        }
        let next = self.states.len() as u32;
        self.states.push(State::default());
        let predicates = condition.predicates();
        let accepts_absence = predicates.contains(&Predicate::Exists(false));
        let has_values = predicates.iter().any(|p| *p != Predicate::Exists(false));
        let transition = if has_values {
            Some(self.transition(state, field))
        } else {
            None
        };
        self.next.insert((state, field, key), next);
        if accepts_absence {
            self.states[state as usize]
                .absence_edges
                .push((field, next));
        }
        if let Some(t) = transition {
            let t = &mut self.transitions[t as usize];
            for predicate in predicates {
                t.machine.add(predicate, next);
            }
            let needs = &mut self.field_needs[field as usize];
            needs.fold |= t.machine.needs_fold();
            needs.exact_number |= t.machine.needs_exact_number();
            needs.decoded_text |= t.machine.needs_decoded_text();
        }
        next
    }

    /// The transition of `state` on `field`, created when new.
    fn transition(&mut self, state: u32, field: u32) -> u32 {
        if let Some(&t) = self.transition_of.get(&(state, field)) {
            return t;
        }
        let t = self.transitions.len() as u32;
        self.states[state as usize].value_edges.push((field, t));
        self.transition_of.insert((state, field), t);
        self.transitions.push(Transition {
            machine: field::FieldMachine::default(),
            later_fields: 0,
        });
        t
    }

    /// Stops matching rule `rule`. Its states stay until the caller rebuilds.
    pub(crate) fn remove(&mut self, rule: u32) {
        let slot = rule as usize;
        if self.live_rules.get(slot) == Some(&true) {
            self.live_rules[slot] = false;
            self.live_alternatives -= self.rule_alternatives[slot] as usize;
        }
    }

    /// Number of alternatives still matched.
    pub(crate) fn live_alternatives(&self) -> usize {
        self.live_alternatives
    }

    /// Number of alternatives compiled, removed ones included.
    pub(crate) fn all_alternatives(&self) -> usize {
        self.alternatives
    }

    fn field_id(&mut self, path: &str) -> u32 {
        if let Some(&id) = self.field_ids.get(path) {
            return id;
        }
        let id = self.field_needs.len() as u32;
        self.field_needs.push(FieldNeeds::default());
        self.field_ids.insert(path.into(), id);
        self.paths.insert(path, id);
        id
    }

    /// Number of states: automaton states, path entries and value-machine states.
    pub(crate) fn states(&self) -> usize {
        self.states.len()
            + self.paths.len()
            + self
                .transitions
                .iter()
                .map(|t| t.machine.states())
                .sum::<usize>()
    }

    /// Approximate heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.paths.heap_bytes()
            + self.field_ids.keys().map(|k| k.len() + 40).sum::<usize>()
            + self.states.capacity() * std::mem::size_of::<State>()
            + self
                .states
                .iter()
                .map(|s| {
                    s.value_edges.capacity() * 8
                        + s.absence_edges.capacity() * 8
                        + s.accepts.capacity() * 4
                })
                .sum::<usize>()
            + self.transitions.capacity() * std::mem::size_of::<Transition>()
            + self
                .transitions
                .iter()
                .map(|t| t.machine.heap_bytes())
                .sum::<usize>()
            + self.condition_keys.capacity() * 40
            + self.condition_keys.keys().map(|k| k.len()).sum::<usize>()
            + self.next.capacity() * 24
            + self.transition_of.capacity() * 16
            + self.live_rules.capacity()
            + self.rule_alternatives.capacity() * 4
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
