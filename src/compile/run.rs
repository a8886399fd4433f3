//! Running the automaton over one event.
//!
//! The scanner reports each leaf at a used path; the path's value machine names the
//! conditions the leaf satisfies. Per event, and without clearing anything (every mark is
//! stamped with the event's epoch), each condition keeps the list of array elements its
//! satisfying leaves sit in, and each alternative counts its conditions that have a leaf.
//! An alternative whose count is complete is a candidate; it matches when its `exists: false`
//! conditions hold (their path has no leaf, or one of its leaves satisfies another predicate
//! of the condition) and one leaf per condition can be chosen array-consistently. The
//! consistency search runs only when two of its conditions have leaves inside arrays only.

use super::field::EvalScratch;
use super::Automaton;
use crate::scan::{scan, ArrayNode, EventError, Leaf, LeafSink, ScanScratch};

const NIL: u32 = u32::MAX;

/// Reusable per-event state; see [`crate::matcher::MatchScratch`].
#[derive(Debug, Default)]
pub(crate) struct RunScratch {
    scan: ScanScratch,
    marks: Marks,
    eval: EvalScratch,
    search: Search,
}

#[derive(Debug, Default)]
struct Marks {
    epoch: u32,
    leaf_serial: u32,
    conditions: Vec<ConditionMark>,
    /// Per alternative: (epoch, conditions with a leaf).
    counts: Vec<(u32, u32)>,
    /// Per field: the epoch of the last event with a leaf there.
    field_seen: Vec<u32>,
    /// Per rule: the epoch of the last event it matched.
    rule_seen: Vec<u32>,
    /// (array element node, next hit of the same condition).
    hits: Vec<(u32, u32)>,
    candidates: Vec<u32>,
}

#[derive(Clone, Copy, Debug, Default)]
struct ConditionMark {
    epoch: u32,
    first_hit: u32,
    last_leaf: u32,
}

#[derive(Debug, Default)]
struct Search {
    /// Per condition in the search: its range in `nodes`.
    conditions: Vec<(u32, u32)>,
    nodes: Vec<u32>,
    choice: Vec<u32>,
}

impl Marks {
    /// Starts a new event: a fresh epoch, and room for every id of `automaton`.
    fn begin(&mut self, automaton: &Automaton, rules: usize) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            // After 2^32 events stamps could repeat: forget them all once.
            self.conditions.iter_mut().for_each(|m| m.epoch = 0);
            self.counts.iter_mut().for_each(|c| c.0 = 0);
            self.field_seen.iter_mut().for_each(|e| *e = 0);
            self.rule_seen.iter_mut().for_each(|e| *e = 0);
            self.epoch = 1;
        }
        grow(&mut self.conditions, automaton.conditions.len());
        grow(&mut self.counts, automaton.alternatives.len());
        grow(&mut self.field_seen, automaton.fields.len());
        grow(&mut self.rule_seen, rules);
        self.hits.clear();
        self.candidates.clear();
    }
}

fn grow<T: Default + Clone>(v: &mut Vec<T>, len: usize) {
    if v.len() < len {
        v.resize(len, T::default());
    }
}

struct Sink<'a> {
    automaton: &'a Automaton,
    marks: &'a mut Marks,
    eval: &'a mut EvalScratch,
}

impl LeafSink for Sink<'_> {
    fn leaf(&mut self, field: u32, value: Leaf<'_>, node: u32) {
        let Some(machine) = self.automaton.fields.get(field as usize) else {
            return;
        };
        let marks = &mut *self.marks;
        marks.leaf_serial = marks.leaf_serial.wrapping_add(1);
        let epoch = marks.epoch;
        let serial = marks.leaf_serial;
        if let Some(seen) = marks.field_seen.get_mut(field as usize) {
            *seen = epoch;
        }
        let automaton = self.automaton;
        machine.eval(value, self.eval, &mut |targets: &[u32]| {
            for &condition in targets {
                record(automaton, marks, condition, node, epoch, serial);
            }
        });
    }
}

/// Records that the leaf `serial` in element `node` satisfies `condition`.
#[inline]
fn record(
    automaton: &Automaton,
    marks: &mut Marks,
    condition: u32,
    node: u32,
    epoch: u32,
    serial: u32,
) {
    let Some(mark) = marks.conditions.get_mut(condition as usize) else {
        return;
    };
    let first = mark.epoch != epoch;
    if first {
        mark.epoch = epoch;
        mark.first_hit = NIL;
    } else if mark.last_leaf == serial {
        return;
    }
    mark.last_leaf = serial;
    marks.hits.push((node, mark.first_hit));
    mark.first_hit = (marks.hits.len() - 1) as u32;
    if !first {
        return;
    }
    let Some(info) = automaton.conditions.get(condition as usize) else {
        return;
    };
    if info.accepts_absence {
        return;
    }
    let alternative = info.alternative;
    let Some(count) = marks.counts.get_mut(alternative as usize) else {
        return;
    };
    if count.0 != epoch {
        *count = (epoch, 0);
    }
    count.1 += 1;
    if automaton
        .alternatives
        .get(alternative as usize)
        .is_some_and(|alt| alt.required == count.1)
    {
        marks.candidates.push(alternative);
    }
}

/// Matches `event` against `automaton`, appending the rules (numbers below `rules`) that
/// match, each once, to `matched`.
pub(crate) fn run(
    automaton: &Automaton,
    rules: usize,
    event: &[u8],
    max_depth: usize,
    scratch: &mut RunScratch,
    matched: &mut Vec<u32>,
) -> Result<(), EventError> {
    scratch.marks.begin(automaton, rules);
    let mut sink = Sink {
        automaton,
        marks: &mut scratch.marks,
        eval: &mut scratch.eval,
    };
    scan(
        event,
        &automaton.paths,
        max_depth,
        &mut scratch.scan,
        &mut sink,
    )?;
    let marks = &mut scratch.marks;
    let epoch = marks.epoch;
    let candidates = std::mem::take(&mut marks.candidates);
    for &alternative in candidates.iter().chain(&automaton.leafless) {
        let Some(alt) = automaton.alternatives.get(alternative as usize) else {
            continue;
        };
        if !alt.live || marks.rule_seen.get(alt.rule as usize) == Some(&epoch) {
            continue;
        }
        if holds(
            automaton,
            alternative,
            marks,
            &scratch.scan.nodes,
            &mut scratch.search,
        ) {
            if let Some(seen) = marks.rule_seen.get_mut(alt.rule as usize) {
                *seen = epoch;
            }
            matched.push(alt.rule);
        }
    }
    marks.candidates = candidates;
    Ok(())
}

/// Whether a candidate alternative matches: its absence conditions hold and its conditions
/// can choose array-consistent leaves.
fn holds(
    automaton: &Automaton,
    alternative: u32,
    marks: &Marks,
    nodes: &[ArrayNode],
    search: &mut Search,
) -> bool {
    let Some(alt) = automaton.alternatives.get(alternative as usize) else {
        return false;
    };
    search.conditions.clear();
    search.nodes.clear();
    let first = alt.first_condition as usize;
    let conditions = first..first + alt.condition_count as usize;
    for condition in conditions {
        let (Some(info), Some(mark)) = (
            automaton.conditions.get(condition),
            marks.conditions.get(condition),
        ) else {
            return false;
        };
        if mark.epoch != marks.epoch {
            // No leaf satisfies it: only global absence can.
            let absent = marks.field_seen.get(info.field as usize) != Some(&marks.epoch);
            if info.accepts_absence && absent {
                continue;
            }
            return false;
        }
        // Its leaves' array elements; a leaf outside every array fits any choice.
        let start = search.nodes.len();
        let mut hit = mark.first_hit;
        let mut free = false;
        while let Some(&(node, next)) = marks.hits.get(hit as usize) {
            if node == 0 {
                free = true;
                break;
            }
            if search.nodes.last() != Some(&node) || search.nodes.len() == start {
                search.nodes.push(node);
            }
            hit = next;
        }
        if free {
            search.nodes.truncate(start);
            continue;
        }
        search
            .conditions
            .push((start as u32, (search.nodes.len() - start) as u32));
    }
    if search.conditions.len() <= 1 {
        return true;
    }
    consistent_choice(search, nodes)
}

/// Backtracking search for one node per condition, pairwise consistent. Fewest choices
/// first; iterative, so its depth is not on the call stack.
fn consistent_choice(search: &mut Search, nodes: &[ArrayNode]) -> bool {
    search.conditions.sort_unstable_by_key(|&(_, len)| len);
    let n = search.conditions.len();
    search.choice.clear();
    search.choice.resize(n, 0);
    let chosen = |search: &Search, level: usize| -> u32 {
        let (start, _) = search.conditions[level];
        search.nodes[(start + search.choice[level]) as usize]
    };
    let mut level = 0;
    loop {
        if level == n {
            return true;
        }
        let (_, len) = search.conditions[level];
        if search.choice[level] >= len {
            if level == 0 {
                return false;
            }
            search.choice[level] = 0;
            level -= 1;
            search.choice[level] += 1;
            continue;
        }
        let candidate = chosen(search, level);
        if (0..level).all(|l| consistent(nodes, chosen(search, l), candidate)) {
            level += 1;
        } else {
            search.choice[level] += 1;
        }
    }
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
    while a != b {
        below_a = a;
        below_b = b;
        a = parent(a);
        b = parent(b);
        if a == 0 && b == 0 {
            break;
        }
    }
    if below_a == NIL || below_b == NIL {
        return true;
    }
    match (node(below_a), node(below_b)) {
        (Some(x), Some(y)) => x.array != y.array,
        _ => true,
    }
}
