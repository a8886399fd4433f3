//! Running the automaton over one event.
//!
//! The scanner reports each leaf at a used path; the leaves are kept (strings that needed
//! unescaping copied into an arena) and indexed by field. Then the automaton is walked from
//! its start state with a work list of *instances*: a state plus the array elements of the
//! leaves chosen so far. From an instance, each value edge tries the leaves of its field that
//! are array-consistent with the chosen ones, and each absence edge is followed when its field
//! has no leaf. Every instance reached is visited once, so the walk costs what the event's
//! partial matches cost, not what the number of rules costs. No recursion: the work list is a
//! vector.

use std::ops::Range;

use ahash::AHashSet;
use smallvec::SmallVec;

use super::field::{EvalScratch, LeafView};
use super::number::{approx_number, read_event_number, EventNumber};
use super::{Automaton, FieldNeeds};
use crate::scan::{scan, ArrayNode, EventError, Leaf, LeafSink, ScanScratch};

const NIL: u32 = u32::MAX;

/// Reusable per-event state; see [`crate::matcher::MatchScratch`].
#[derive(Debug, Default)]
pub(crate) struct RunScratch {
    scan: ScanScratch,
    leaves: Leaves,
    eval: EvalScratch,
    walk: Walk,
}

/// The leaves of one event at used paths.
#[derive(Debug, Default)]
struct Leaves {
    epoch: u32,
    list: Vec<StoredLeaf>,
    /// Unescaped and case-folded strings.
    arena: String,
    /// Per field: (epoch, first leaf); leaves of a field are chained through `next`.
    first: Vec<(u32, u32)>,
}

#[derive(Clone, Copy, Debug)]
struct StoredLeaf {
    node: u32,
    next: u32,
    value: StoredValue,
}

/// Where a leaf's text is: `Event` ranges index the event, `Arena` ranges the arena.
#[derive(Clone, Copy, Debug)]
enum Text {
    Event(u32, u32),
    Arena(u32, u32),
}

#[derive(Clone, Copy, Debug)]
enum StoredValue {
    Str(Text, Text),
    Number(Text, EventNumber),
    Bool(bool),
    Null,
}

/// A state followed by the array elements chosen so far.
type ChosenKey = SmallVec<[u32; 6]>;

#[derive(Debug, Default)]
struct Walk {
    /// Per state: the epoch it was visited with no array element chosen.
    visited: Vec<u32>,
    /// Instances visited with array elements chosen: the state, then the elements.
    visited_in_arrays: AHashSet<ChosenKey>,
    work: Vec<Instance>,
    /// Chosen array elements of all instances.
    chosen: Vec<u32>,
    next_states: Vec<u32>,
    rule_seen: Vec<u32>,
}

#[derive(Clone, Copy, Debug)]
struct Instance {
    state: u32,
    chosen_start: u32,
    chosen_len: u32,
}

struct Sink<'a> {
    event: &'a [u8],
    leaves: &'a mut Leaves,
    field_needs: &'a [FieldNeeds],
}

impl Sink<'_> {
    /// The text's location: in the event when it is a slice of it, else copied to the arena.
    fn locate(&mut self, text: &str) -> Text {
        let start = text.as_ptr() as usize;
        let event_start = self.event.as_ptr() as usize;
        if start >= event_start && start + text.len() <= event_start + self.event.len() {
            let offset = start - event_start;
            Text::Event(offset as u32, (offset + text.len()) as u32)
        } else {
            self.copy(text)
        }
    }

    fn copy(&mut self, text: &str) -> Text {
        let start = self.leaves.arena.len();
        self.leaves.arena.push_str(text);
        Text::Arena(start as u32, self.leaves.arena.len() as u32)
    }

    /// The case folding of `text` in the arena (equal to [`crate::pattern::fold_case`]).
    fn fold(&mut self, text: &str) -> Text {
        let arena = &mut self.leaves.arena;
        let start = arena.len();
        if text.is_ascii() {
            arena.push_str(text);
            if let Some(copy) = arena.get_mut(start..) {
                copy.make_ascii_lowercase();
            }
        } else {
            for c in text.chars() {
                arena.extend(c.to_lowercase());
            }
        }
        Text::Arena(start as u32, arena.len() as u32)
    }
}

impl LeafSink for Sink<'_> {
    fn leaf(&mut self, field: u32, value: Leaf<'_>, node: u32) {
        let needs = self
            .field_needs
            .get(field as usize)
            .copied()
            .unwrap_or_default();
        let value = match value {
            Leaf::Str(s) => {
                let text = self.locate(s);
                let folded = if needs.fold {
                    self.fold(s)
                } else {
                    Text::Arena(0, 0)
                };
                StoredValue::Str(text, folded)
            }
            Leaf::Number(n) => {
                let number = if needs.exact_number {
                    read_event_number(n)
                } else {
                    EventNumber {
                        exact: None,
                        approx: approx_number(n),
                    }
                };
                StoredValue::Number(self.locate(n), number)
            }
            Leaf::Bool(b) => StoredValue::Bool(b),
            Leaf::Null => StoredValue::Null,
        };
        let leaves = &mut *self.leaves;
        let Some(first) = leaves.first.get_mut(field as usize) else {
            return;
        };
        let next = if first.0 == leaves.epoch {
            first.1
        } else {
            NIL
        };
        *first = (leaves.epoch, leaves.list.len() as u32);
        leaves.list.push(StoredLeaf { node, next, value });
    }
}

impl Leaves {
    fn begin(&mut self, fields: usize) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.first.iter_mut().for_each(|f| f.0 = 0);
            self.epoch = 1;
        }
        if self.first.len() < fields {
            self.first.resize(fields, (0, NIL));
        }
        self.list.clear();
        self.arena.clear();
    }

    /// The first leaf at `field`, or `NIL`.
    fn first(&self, field: u32) -> u32 {
        match self.first.get(field as usize) {
            Some(&(epoch, first)) if epoch == self.epoch => first,
            _ => NIL,
        }
    }

    fn text<'a>(&'a self, event: &'a [u8], text: Text) -> &'a str {
        let (source, range): (&[u8], Range<usize>) = match text {
            Text::Event(a, b) => (event, a as usize..b as usize),
            Text::Arena(a, b) => (self.arena.as_bytes(), a as usize..b as usize),
        };
        // Ranges were cut at character boundaries of valid UTF-8.
        source
            .get(range)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or("")
    }

    fn view<'a>(&'a self, event: &'a [u8], value: StoredValue) -> LeafView<'a> {
        match value {
            StoredValue::Str(text, folded) => {
                LeafView::Str(self.text(event, text), self.text(event, folded))
            }
            StoredValue::Number(text, number) => LeafView::Number(self.text(event, text), number),
            StoredValue::Bool(b) => LeafView::Bool(b),
            StoredValue::Null => LeafView::Null,
        }
    }
}

/// Matches `event` against `automaton`, appending the rules that match, each once, to
/// `matched`.
pub(crate) fn run(
    automaton: &Automaton,
    event: &[u8],
    max_depth: usize,
    scratch: &mut RunScratch,
    matched: &mut Vec<u32>,
) -> Result<(), EventError> {
    scratch.leaves.begin(automaton.field_needs.len());
    let mut sink = Sink {
        event,
        leaves: &mut scratch.leaves,
        field_needs: &automaton.field_needs,
    };
    scan(
        event,
        &automaton.paths,
        max_depth,
        &mut scratch.scan,
        &mut sink,
    )?;
    walk(
        automaton,
        event,
        &scratch.leaves,
        &scratch.scan.nodes,
        &mut scratch.eval,
        &mut scratch.walk,
        matched,
    );
    Ok(())
}

fn walk(
    automaton: &Automaton,
    event: &[u8],
    leaves: &Leaves,
    nodes: &[ArrayNode],
    eval: &mut EvalScratch,
    walk: &mut Walk,
    matched: &mut Vec<u32>,
) {
    let epoch = leaves.epoch;
    if walk.visited.len() < automaton.states.len() {
        walk.visited.resize(automaton.states.len(), 0);
    }
    if walk.rule_seen.len() < automaton.live_rules.len() {
        walk.rule_seen.resize(automaton.live_rules.len(), 0);
    }
    if epoch == 1 {
        // The epoch wrapped (or this is the first event): forget older stamps.
        walk.visited.iter_mut().for_each(|v| *v = 0);
        walk.rule_seen.iter_mut().for_each(|v| *v = 0);
    }
    walk.visited_in_arrays.clear();
    walk.work.clear();
    walk.chosen.clear();
    visit(walk, epoch, 0, 0..0, 0, nodes);
    while let Some(instance) = walk.work.pop() {
        let Some(state) = automaton.states.get(instance.state as usize) else {
            continue;
        };
        accept(
            automaton,
            &state.accepts,
            &mut walk.rule_seen,
            epoch,
            matched,
        );
        let chosen =
            instance.chosen_start as usize..(instance.chosen_start + instance.chosen_len) as usize;
        for &(field, next) in &state.absence_edges {
            if leaves.first(field) == NIL {
                visit(walk, epoch, next, chosen.clone(), 0, nodes);
            }
        }
        for &(field, transition) in &state.value_edges {
            let Some(transition) = automaton.transitions.get(transition as usize) else {
                continue;
            };
            let mut leaf = leaves.first(field);
            while let Some(stored) = leaves.list.get(leaf as usize) {
                leaf = stored.next;
                let consistent = walk
                    .chosen
                    .get(chosen.clone())
                    .unwrap_or(&[])
                    .iter()
                    .all(|&c| consistent(nodes, c, stored.node));
                if !consistent {
                    continue;
                }
                walk.next_states.clear();
                let next_states = &mut walk.next_states;
                transition.machine.eval(
                    &leaves.view(event, stored.value),
                    eval,
                    &mut |targets: &[u32]| next_states.extend_from_slice(targets),
                );
                let mut i = 0;
                while let Some(&next) = walk.next_states.get(i) {
                    i += 1;
                    match automaton.states.get(next as usize) {
                        // No edge leaves it: what was chosen no longer matters.
                        Some(s) if s.value_edges.is_empty() && s.absence_edges.is_empty() => {
                            accept(automaton, &s.accepts, &mut walk.rule_seen, epoch, matched)
                        }
                        _ => visit(walk, epoch, next, chosen.clone(), stored.node, nodes),
                    }
                }
            }
        }
    }
}

/// Reports the live rules of `accepts` not reported yet for this event.
fn accept(
    automaton: &Automaton,
    accepts: &[u32],
    rule_seen: &mut [u32],
    epoch: u32,
    matched: &mut Vec<u32>,
) {
    for &rule in accepts {
        let slot = rule as usize;
        if automaton.live_rules.get(slot) == Some(&true) {
            if let Some(seen) = rule_seen.get_mut(slot) {
                if *seen != epoch {
                    *seen = epoch;
                    matched.push(rule);
                }
            }
        }
    }
}

/// Queues `state` with the array elements `chosen` (a range of `walk.chosen`) plus `node`,
/// unless that instance was visited already.
fn visit(
    walk: &mut Walk,
    epoch: u32,
    state: u32,
    chosen: Range<usize>,
    node: u32,
    nodes: &[ArrayNode],
) {
    let parent = walk.chosen.get(chosen.clone()).unwrap_or(&[]);
    // A leaf outside arrays, or in an element that a chosen one is inside (or equal to),
    // adds no constraint.
    let implied = node == 0 || parent.iter().any(|&c| is_within(nodes, c, node));
    if implied && parent.is_empty() {
        if let Some(v) = walk.visited.get_mut(state as usize) {
            if *v == epoch {
                return;
            }
            *v = epoch;
        }
        walk.work.push(Instance {
            state,
            chosen_start: 0,
            chosen_len: 0,
        });
        return;
    }
    let mut key: ChosenKey = SmallVec::new();
    key.push(state);
    if implied {
        key.extend_from_slice(parent);
    } else {
        // Chosen elements the new one lies within are implied by it.
        key.extend(
            parent
                .iter()
                .copied()
                .filter(|&c| !is_within(nodes, node, c)),
        );
        key.push(node);
        if let Some(elements) = key.get_mut(1..) {
            elements.sort_unstable();
        }
    }
    if walk.visited_in_arrays.contains(&key) {
        return;
    }
    let start = walk.chosen.len() as u32;
    walk.chosen.extend_from_slice(key.get(1..).unwrap_or(&[]));
    walk.work.push(Instance {
        state,
        chosen_start: start,
        chosen_len: (key.len() - 1) as u32,
    });
    walk.visited_in_arrays.insert(key);
}

/// Whether element `inner` is `outer` or inside it.
fn is_within(nodes: &[ArrayNode], inner: u32, outer: u32) -> bool {
    let depth = |id: u32| nodes.get(id as usize).map_or(0, |n| n.depth);
    let mut n = inner;
    while depth(n) > depth(outer) {
        n = nodes.get(n as usize).map_or(0, |x| x.parent);
    }
    n == outer
}

/// Whether leaves in array elements `a` and `b` may be used together: in every array both
/// sit inside, they sit in the same element. Their element chains agree down to their lowest
/// common element; below it they must continue into different arrays (or one must end).
fn consistent(nodes: &[ArrayNode], mut a: u32, mut b: u32) -> bool {
    let node = |id: u32| nodes.get(id as usize).copied();
    let depth = |id: u32| node(id).map_or(0, |n| n.depth);
    let parent = |id: u32| node(id).map_or(0, |n| n.parent);
    let (mut below_a, mut below_b) = (NIL, NIL);
    while depth(a) > depth(b) {
        below_a = a;
        a = parent(a);
    }
    while depth(b) > depth(a) {
        below_b = b;
        b = parent(b);
    }
    // Only the root (0) has depth 0, so this ends there at the latest.
    while a != b {
        below_a = a;
        below_b = b;
        a = parent(a);
        b = parent(b);
    }
    if below_a == NIL || below_b == NIL {
        return true;
    }
    match (node(below_a), node(below_b)) {
        (Some(x), Some(y)) => x.array != y.array,
        _ => true,
    }
}
