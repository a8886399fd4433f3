//! Running the automaton over one event.
//!
//! The scanner reports each leaf at a used path; the leaves are kept (strings that needed
//! unescaping copied into an arena) and indexed by field. Then the automaton is walked from
//! its start state with a work list of *instances*: a state plus the array elements of the
//! leaves chosen so far. From an instance, each value edge tries the leaves of its field that
//! are array-consistent with the chosen ones, and each absence edge is followed when its field
//! has no leaf consistent with them.
//!
//! Array consistency: two leaves may be used together when, in every array both sit inside,
//! they sit in the same element. The scanner numbers the array elements of the used parts as a
//! tree; an instance keeps the elements its leaves sit in, and a field's leaves are found by
//! descending that field's element tree ([`ElementIndex`]) into the chosen element of every
//! array an instance has chosen in, and into every element of the others. Choices that no
//! later condition can meet (no leaf of a later field sits in that array) are forgotten, and
//! an edge is tried once per distinct choice that matters to it, so large arrays cost about
//! linear time rather than the product of their lengths. Every instance reached is visited once, so the walk costs what the event's
//! partial matches cost, not what the number of rules costs. No recursion: the work list is a
//! vector.

use std::ops::Range;

use ahash::AHashSet;
use smallvec::SmallVec;

use super::field::{EvalScratch, FieldMachine, LeafView};
use super::number::{read_event_number, EventNumber};
use super::stamped::StampedMap;
use super::{field_bit, Automaton, FieldNeeds, Transition};
use crate::scan::{
    for_each_element, scan, ArrayNode, EventError, EventLimits, Leaf, LeafSink, ScanScratch,
};

const NIL: u32 = u32::MAX;

/// Reusable per-event state; see [`crate::matcher::MatchScratch`].
#[derive(Debug, Default)]
pub(crate) struct RunScratch {
    scan: ScanScratch,
    leaves: Leaves,
    eval: EvalScratch,
    walk: Walk,
}

impl RunScratch {
    /// Strings of the last event that looked like JSON at a decoded path but were not
    /// decoded (see [`crate::matcher::MatchScratch::undecoded_texts`]).
    pub(crate) fn undecoded(&self) -> usize {
        self.scan.undecoded
    }
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
    field: u32,
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
    Str(Text),
    /// A string as written, with only `\"` and `\\` escapes (see `LeafView::EscapedStr`).
    EscapedStr(Text),
    /// A string of a field that needs its case folding, and the folding.
    FoldedStr(Text, Text),
    /// The text: its value is computed when a machine first reads the leaf (many number
    /// leaves never are).
    Number(Text),
    Bool(bool),
    Null,
    /// The rest of a long array of the field, as text (see `crate::scan::for_each_element`).
    Elements(Text),
}

/// A state followed by the array elements chosen so far.
type ChosenKey = SmallVec<[u32; 6]>;

/// Sets of (state or transition, chosen elements) seen in one event. The common case, one
/// element chosen (one array of objects), is kept apart under a plain integer key: hashing a
/// `u64` costs a fraction of hashing a vector.
#[derive(Debug, Default)]
struct SeenChoices {
    one: StampedMap,
    many: AHashSet<ChosenKey>,
}

impl SeenChoices {
    fn clear(&mut self) {
        self.one.clear();
        self.many.clear();
    }

    /// Records `head` with the one element `element`; whether it is new.
    fn insert_one(&mut self, head: u32, element: u32) -> bool {
        self.one.insert(u64::from(head) << 32 | u64::from(element))
    }

    /// Records `head` with `elements` (not empty); whether it is new.
    fn insert(&mut self, head: u32, elements: &[u32]) -> bool {
        match elements {
            [only] => self.insert_one(head, *only),
            _ => {
                let mut key: ChosenKey = SmallVec::with_capacity(elements.len() + 1);
                key.push(head);
                key.extend_from_slice(elements);
                self.many.insert(key)
            }
        }
    }
}

#[derive(Debug, Default)]
struct Walk {
    /// Per state: the epoch it was visited with no array element chosen.
    visited: Vec<u32>,
    /// Instances visited with array elements chosen: the state, then the elements.
    visited_in_arrays: SeenChoices,
    work: Vec<Instance>,
    /// Chosen array elements of all instances.
    chosen: Vec<u32>,
    next_states: Vec<u32>,
    /// The leaves an edge tries.
    candidates: Vec<u32>,
    /// Per array of the event: the fields with leaves inside it, as a Bloom mask.
    array_fields: Vec<u64>,
    pruned: ChosenKey,
    /// Value edges tried, with the choices that mattered to them: the transition, then
    /// the elements.
    edges_tried: SeenChoices,
    /// Per transition: the epoch it was tried in with no choice that mattered.
    edges_tried_plain: Vec<u32>,
    index: ElementIndex,
    rule_seen: Vec<u32>,
    /// Per leaf: its number values once a machine has read it (many number leaves never are).
    numbers: Vec<Option<EventNumber>>,
    elements: ElementBuffers,
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

    /// The case key of `text` in the arena.
    fn fold(&mut self, text: &str) -> Text {
        let arena = &mut self.leaves.arena;
        let start = arena.len();
        push_case_key(arena, text);
        Text::Arena(start as u32, arena.len() as u32)
    }
}

/// Appends the case key of `text` to `out` (equal to [`crate::pattern::case_key`]).
fn push_case_key(out: &mut String, text: &str) {
    let start = out.len();
    if text.is_ascii() {
        out.push_str(text);
        if let Some(copy) = out.get_mut(start..) {
            copy.make_ascii_lowercase();
        }
    } else {
        for c in text.chars() {
            for lower in c.to_lowercase() {
                for upper in lower.to_uppercase() {
                    out.extend(upper.to_lowercase());
                }
            }
        }
    }
}

impl LeafSink for Sink<'_> {
    #[inline]
    fn takes_escaped(&self, field: u32) -> bool {
        self.field_needs
            .get(field as usize)
            .is_some_and(|needs| !needs.decoded_text)
    }

    #[inline]
    fn leaf(&mut self, field: u32, value: Leaf<'_>, node: u32) {
        let needs = self
            .field_needs
            .get(field as usize)
            .copied()
            .unwrap_or_default();
        let value = match value {
            Leaf::Str(s) => {
                let text = self.locate(s);
                if needs.fold {
                    StoredValue::FoldedStr(text, self.fold(s))
                } else {
                    StoredValue::Str(text)
                }
            }
            Leaf::EscapedStr(s) => StoredValue::EscapedStr(self.locate(s)),
            Leaf::Number(n) => StoredValue::Number(self.locate(n)),
            Leaf::Bool(b) => StoredValue::Bool(b),
            Leaf::Null => StoredValue::Null,
            Leaf::Elements(rest) => StoredValue::Elements(self.locate(rest)),
        };
        let leaves = &mut *self.leaves;
        // Fields are the automaton's ids, and `first` has one entry per field (`begin`).
        let first = &mut leaves.first[field as usize];
        let next = if first.0 == leaves.epoch {
            first.1
        } else {
            NIL
        };
        *first = (leaves.epoch, leaves.list.len() as u32);
        leaves.list.push(StoredLeaf {
            field,
            node,
            next,
            value,
        });
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

    fn text<'a>(&'a self, event: &'a str, text: Text) -> &'a str {
        let (source, range): (&str, Range<usize>) = match text {
            Text::Event(a, b) => (event, a as usize..b as usize),
            Text::Arena(a, b) => (&self.arena, a as usize..b as usize),
        };
        // Ranges were cut at character boundaries, so this is a slice, not a validation.
        source.get(range).unwrap_or("")
    }

    /// The leaf as machines read it; `numbers` caches the values of number leaves.
    fn view<'a>(
        &'a self,
        event: &'a str,
        leaf: u32,
        value: StoredValue,
        numbers: &mut [Option<EventNumber>],
    ) -> LeafView<'a> {
        match value {
            StoredValue::Str(text) => LeafView::Str(self.text(event, text), ""),
            StoredValue::EscapedStr(text) => LeafView::EscapedStr(self.text(event, text)),
            StoredValue::FoldedStr(text, folded) => {
                LeafView::Str(self.text(event, text), self.text(event, folded))
            }
            StoredValue::Number(text) => {
                let text = self.text(event, text);
                LeafView::Number(text, number_values(numbers, leaf, text))
            }
            StoredValue::Bool(b) => LeafView::Bool(b),
            StoredValue::Null => LeafView::Null,
            // Read element by element by the walk; never viewed whole.
            StoredValue::Elements(_) => LeafView::Null,
        }
    }
}

/// The number values of leaf `leaf` (text `text`), computed on first use and kept in `cache`.
fn number_values(cache: &mut [Option<EventNumber>], leaf: u32, text: &str) -> EventNumber {
    let slot = cache.get_mut(leaf as usize);
    if let Some(Some(number)) = slot.as_deref() {
        return *number;
    }
    // Ranges need the exact value too (a number event-ruler cannot compare is in no range),
    // so every number is read the one way.
    let number = read_event_number(text);
    if let Some(slot) = slot {
        *slot = Some(number);
    }
    number
}

/// Matches `event` against `automaton`, appending the rules that match, each once, to
/// `matched`.
pub(crate) fn run(
    automaton: &Automaton,
    event: &[u8],
    limits: EventLimits,
    scratch: &mut RunScratch,
    matched: &mut Vec<u32>,
) -> Result<(), EventError> {
    scratch.leaves.begin(automaton.field_needs.len());
    let mut sink = Sink {
        event,
        leaves: &mut scratch.leaves,
        field_needs: &automaton.field_needs,
    };
    let event = scan(
        event,
        &automaton.paths,
        limits,
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
    event: &str,
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
    if walk.edges_tried_plain.len() < automaton.transitions.len() {
        walk.edges_tried_plain
            .resize(automaton.transitions.len(), 0);
    }
    if walk.rule_seen.len() < automaton.live_rules.len() {
        walk.rule_seen.resize(automaton.live_rules.len(), 0);
    }
    if epoch == 1 {
        // The epoch wrapped (or this is the first event): forget older stamps.
        walk.visited.iter_mut().for_each(|v| *v = 0);
        walk.edges_tried_plain.iter_mut().for_each(|v| *v = 0);
        walk.rule_seen.iter_mut().for_each(|v| *v = 0);
    }
    walk.visited_in_arrays.clear();
    walk.edges_tried.clear();
    walk.numbers.clear();
    walk.numbers.resize(leaves.list.len(), None);
    walk.index.begin(epoch, automaton.field_needs.len());
    mark_array_fields(leaves, nodes, &mut walk.array_fields);
    walk.work.clear();
    walk.chosen.clear();
    visit(automaton, walk, epoch, 0, 0..0, 0, nodes);
    while let Some(instance) = walk.work.pop() {
        // States and transitions are the automaton's own ids (see `Automaton`).
        let state = &automaton.states[instance.state as usize];
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
            // Absent means: no leaf of the field in the array elements chosen so far (every
            // leaf of it, when none is chosen), as event-ruler judges `exists: false`.
            let absent = if leaves.first(field) == NIL {
                true
            } else if chosen.is_empty() {
                false
            } else {
                let Walk {
                    index,
                    chosen: chosen_nodes,
                    candidates,
                    ..
                } = &mut *walk;
                candidates.clear();
                let chosen_nodes = chosen_nodes.get(chosen.clone()).unwrap_or(&[]);
                index.consistent_leaves(field, leaves, nodes, chosen_nodes, candidates);
                candidates.is_empty()
            };
            if absent {
                visit(automaton, walk, epoch, next, chosen.clone(), 0, nodes);
            }
        }
        for &(field, transition_id) in &state.value_edges {
            let transition = &automaton.transitions[transition_id as usize];
            let chosen = if transition.later_fields == state.later_fields {
                // The instance kept exactly the choices that matter to this edge, and the
                // state's instances differ in them: no other instance tries the edge with
                // the same choices, so there is nothing to prune or remember.
                chosen.clone()
            } else if chosen.is_empty() {
                // Outside every array (all instances of most events): nothing to prune.
                match walk.edges_tried_plain.get_mut(transition_id as usize) {
                    Some(seen) if *seen == epoch => continue,
                    Some(seen) => *seen = epoch,
                    None => {}
                }
                0..0
            } else {
                // Only the choices that matter to this edge and what follows it; an edge
                // already tried with the same choices (from another instance) is not tried
                // again.
                match edge_choices(
                    walk,
                    nodes,
                    epoch,
                    transition_id,
                    transition,
                    chosen.clone(),
                ) {
                    Some(chosen) => chosen,
                    None => continue,
                }
            };
            // The leaves to try: all of the field's when no array element is chosen yet
            // (followed along their chain, not copied), else only those in elements
            // consistent with the chosen ones.
            let all = chosen.is_empty();
            let mut chain = NIL;
            if all {
                chain = leaves.first(field);
            } else {
                let Walk {
                    index,
                    chosen: chosen_nodes,
                    candidates,
                    ..
                } = &mut *walk;
                candidates.clear();
                let chosen_nodes = chosen_nodes.get(chosen.clone()).unwrap_or(&[]);
                index.consistent_leaves(field, leaves, nodes, chosen_nodes, candidates);
            }
            let mut c = 0;
            loop {
                let leaf = if all {
                    chain
                } else {
                    c += 1;
                    walk.candidates.get(c - 1).copied().unwrap_or(NIL)
                };
                let Some(stored) = leaves.list.get(leaf as usize) else {
                    break;
                };
                chain = stored.next;
                walk.next_states.clear();
                if let StoredValue::Elements(rest) = stored.value {
                    let fold = automaton
                        .field_needs
                        .get(field as usize)
                        .is_some_and(|needs| needs.fold);
                    eval_elements(
                        &transition.machine,
                        leaves.text(event, rest),
                        fold,
                        eval,
                        &mut walk.elements,
                        &mut walk.next_states,
                    );
                } else {
                    let view = leaves.view(event, leaf, stored.value, &mut walk.numbers);
                    let next_states = &mut walk.next_states;
                    transition
                        .machine
                        .eval(&view, eval, &mut |targets: &[u32]| {
                            next_states.extend_from_slice(targets)
                        });
                }
                let mut i = 0;
                while let Some(&next) = walk.next_states.get(i) {
                    i += 1;
                    match automaton.states.get(next as usize) {
                        // No edge leaves it: what was chosen no longer matters.
                        Some(s) if s.value_edges.is_empty() && s.absence_edges.is_empty() => {
                            accept(automaton, &s.accepts, &mut walk.rule_seen, epoch, matched)
                        }
                        _ => visit(
                            automaton,
                            walk,
                            epoch,
                            next,
                            chosen.clone(),
                            stored.node,
                            nodes,
                        ),
                    }
                }
            }
        }
    }
}

/// Buffers for reading back the values of a [`StoredValue::Elements`] leaf.
#[derive(Debug, Default)]
struct ElementBuffers {
    unescaped: Vec<u8>,
    folded: String,
}

/// Evaluates `machine` on every value of a long array's rest (`text`), appending the states
/// they lead to, each once, to `next_states`: the elements all sit in one array element, so
/// only which states they reach matters, not how many reach each.
fn eval_elements(
    machine: &FieldMachine,
    text: &str,
    fold: bool,
    eval: &mut EvalScratch,
    buffers: &mut ElementBuffers,
    next_states: &mut Vec<u32>,
) {
    let ElementBuffers { unescaped, folded } = buffers;
    // Kept small while values keep reaching the same few states.
    let mut dedup_at = 64;
    for_each_element(text, unescaped, |leaf| {
        let view = match leaf {
            Leaf::Str(s) if fold => {
                folded.clear();
                push_case_key(folded, s);
                LeafView::Str(s, folded)
            }
            Leaf::Str(s) => LeafView::Str(s, ""),
            Leaf::Number(n) => LeafView::Number(n, read_event_number(n)),
            Leaf::Bool(b) => LeafView::Bool(b),
            Leaf::Null => LeafView::Null,
            Leaf::EscapedStr(_) | Leaf::Elements(_) => return,
        };
        machine.eval(&view, eval, &mut |targets: &[u32]| {
            next_states.extend_from_slice(targets)
        });
        if next_states.len() >= dedup_at {
            next_states.sort_unstable();
            next_states.dedup();
            dedup_at = (next_states.len() * 2).max(64);
        }
    });
    next_states.sort_unstable();
    next_states.dedup();
}

/// The choices of an instance (`chosen`, a range of `walk.chosen`) that matter to value edge
/// `transition_id`, as a range of `walk.chosen`; `None` when the edge was already tried with
/// them in this event.
fn edge_choices(
    walk: &mut Walk,
    nodes: &[ArrayNode],
    epoch: u32,
    transition_id: u32,
    transition: &Transition,
    chosen: Range<usize>,
) -> Option<Range<usize>> {
    let mut key = std::mem::take(&mut walk.pruned);
    prune(
        nodes,
        &walk.array_fields,
        transition.later_fields,
        walk.chosen.get(chosen).unwrap_or(&[]),
        0,
        &mut key,
    );
    let first_time = if key.is_empty() {
        match walk.edges_tried_plain.get_mut(transition_id as usize) {
            Some(seen) if *seen == epoch => false,
            Some(seen) => {
                *seen = epoch;
                true
            }
            None => true,
        }
    } else {
        walk.edges_tried.insert(transition_id, &key)
    };
    let start = walk.chosen.len();
    if first_time {
        walk.chosen.extend_from_slice(&key);
    }
    walk.pruned = key;
    first_time.then_some(start..walk.chosen.len())
}

/// Per field, the array elements its leaves sit in, as a tree: lets an instance that has
/// chosen array elements enumerate only the leaves consistent with them, instead of testing
/// every leaf of the field (which would make arrays of objects cost quadratically). Built per
/// event, for a field only when first needed.
///
/// Its entry, array-group and element ids index `heads`, `arrays` and `elements`; they are
/// made here as those grow and are indexed directly (a broken link fails loudly in tests).
#[derive(Debug, Default)]
struct ElementIndex {
    /// Per field: the epoch its index was built in, and its root entry (`NIL`: no leaf).
    /// Keeping the root here spares a hash lookup per query.
    built: Vec<(u32, u32)>,
    epoch: u32,
    /// (field, array element node) → entry.
    /// Keyed by [`entry_key`].
    entries: StampedMap,
    /// Per entry: its first leaf (in `direct`) and its first array (in `arrays`).
    heads: Vec<(u32, u32)>,
    /// (leaf, next) lists of the leaves sitting directly in an element.
    direct: Vec<(u32, u32)>,
    /// (array, its first element in `elements`, next) lists of the arrays in an element.
    arrays: Vec<(u32, u32, u32)>,
    /// (element's entry, next) lists of the elements of an array.
    elements: Vec<(u32, u32)>,
    /// (array, element) of every chosen element and the elements they sit in.
    selected: Vec<(u32, u32)>,
    stack: Vec<u32>,
}

impl ElementIndex {
    fn begin(&mut self, epoch: u32, fields: usize) {
        self.epoch = epoch;
        if self.built.len() < fields {
            self.built.resize(fields, (0, NIL));
        }
        if epoch == 1 {
            self.built.iter_mut().for_each(|b| b.0 = 0);
        }
        self.entries.clear();
        self.heads.clear();
        self.direct.clear();
        self.arrays.clear();
        self.elements.clear();
    }

    /// The entry of `node` for `field`, and whether it was just created.
    fn entry(&mut self, field: u32, node: u32) -> (u32, bool) {
        let next = self.heads.len() as u32;
        let (entry, created) = self.entries.get_or_insert(entry_key(field, node), next);
        if created {
            self.heads.push((NIL, NIL));
        }
        (entry, created)
    }

    fn build(&mut self, field: u32, leaves: &Leaves, nodes: &[ArrayNode]) {
        let mut leaf = leaves.first(field);
        while let Some(stored) = leaves.list.get(leaf as usize) {
            let (entry, mut created) = self.entry(field, stored.node);
            let head = &mut self.heads[entry as usize];
            self.direct.push((leaf, head.0));
            head.0 = (self.direct.len() - 1) as u32;
            // Link new elements into the ones they sit in, up to one already linked.
            let (mut child, mut child_entry) = (stored.node, entry);
            while created && child != 0 {
                let (parent, array) = nodes
                    .get(child as usize)
                    .map_or((0, NIL), |n| (n.parent, n.array));
                let (parent_entry, parent_created) = self.entry(field, parent);
                self.link(parent_entry, array, child_entry);
                (child, child_entry, created) = (parent, parent_entry, parent_created);
            }
            leaf = stored.next;
        }
        let root = self.entries.get(entry_key(field, 0)).unwrap_or(NIL);
        if let Some(b) = self.built.get_mut(field as usize) {
            *b = (self.epoch, root);
        }
    }

    /// Records element `child` of `array` under entry `parent`.
    fn link(&mut self, parent: u32, array: u32, child: u32) {
        let (_, first_array) = self.heads[parent as usize];
        let mut group = first_array;
        while let Some(&(a, _, next)) = self.arrays.get(group as usize) {
            if a == array {
                break;
            }
            group = next;
        }
        if self.arrays.get(group as usize).is_none() {
            self.arrays.push((array, NIL, first_array));
            group = (self.arrays.len() - 1) as u32;
            self.heads[parent as usize].1 = group;
        }
        let g = &mut self.arrays[group as usize];
        self.elements.push((child, g.1));
        g.1 = (self.elements.len() - 1) as u32;
    }

    /// Puts into `out` the leaves of `field` array-consistent with every `chosen` element.
    fn consistent_leaves(
        &mut self,
        field: u32,
        leaves: &Leaves,
        nodes: &[ArrayNode],
        chosen: &[u32],
        out: &mut Vec<u32>,
    ) {
        let root = match self.built.get(field as usize) {
            Some(&(epoch, root)) if epoch == self.epoch => root,
            _ => {
                self.build(field, leaves, nodes);
                self.built.get(field as usize).map_or(NIL, |b| b.1)
            }
        };
        if root == NIL {
            return;
        }
        self.selected.clear();
        for &c in chosen {
            let mut n = c;
            while let Some(node) = nodes.get(n as usize).filter(|_| n != 0) {
                self.selected.push((node.array, n));
                n = node.parent;
            }
        }
        self.stack.clear();
        self.stack.push(root);
        while let Some(entry) = self.stack.pop() {
            let (first_leaf, first_array) = self.heads[entry as usize];
            let mut d = first_leaf;
            while let Some(&(leaf, next)) = self.direct.get(d as usize) {
                out.push(leaf);
                d = next;
            }
            let mut group = first_array;
            while let Some(&(array, first_element, next)) = self.arrays.get(group as usize) {
                group = next;
                match self.selected.iter().find(|&&(a, _)| a == array) {
                    // Only the chosen element of an array already chosen in.
                    Some(&(_, element)) => {
                        if let Some(e) = self.entries.get(entry_key(field, element)) {
                            self.stack.push(e);
                        }
                    }
                    None => {
                        let mut k = first_element;
                        while let Some(&(e, next)) = self.elements.get(k as usize) {
                            self.stack.push(e);
                            k = next;
                        }
                    }
                }
            }
        }
    }
}

/// The key of (field, array element node) in [`ElementIndex::entries`].
fn entry_key(field: u32, node: u32) -> u64 {
    u64::from(field) << 32 | u64::from(node)
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
///
/// Only choices that can still matter are kept: an element is replaced by the element it sits
/// in (or dropped at the root) while its array holds no leaf of a field that can follow
/// `state`; elements that others lie within are implied by those and dropped too.
fn visit(
    automaton: &Automaton,
    walk: &mut Walk,
    epoch: u32,
    state: u32,
    chosen: Range<usize>,
    node: u32,
    nodes: &[ArrayNode],
) {
    if chosen.is_empty() && node == 0 {
        visit_plain(walk, epoch, state);
        return;
    }
    let later = automaton
        .states
        .get(state as usize)
        .map_or(0, |s| s.later_fields);
    // One element (one array of objects, the common case): no list to build.
    let single = match (walk.chosen.get(chosen.clone()).unwrap_or(&[]), node) {
        ([], n) => Some(n),
        ([c], 0) => Some(*c),
        _ => None,
    };
    if let Some(element) = single {
        let kept = relevant_element(nodes, &walk.array_fields, later, element);
        if kept == 0 {
            visit_plain(walk, epoch, state);
        } else if walk.visited_in_arrays.insert_one(state, kept) {
            walk.work.push(Instance {
                state,
                chosen_start: walk.chosen.len() as u32,
                chosen_len: 1,
            });
            walk.chosen.push(kept);
        }
        return;
    }
    let mut pruned = std::mem::take(&mut walk.pruned);
    prune(
        nodes,
        &walk.array_fields,
        later,
        walk.chosen.get(chosen).unwrap_or(&[]),
        node,
        &mut pruned,
    );
    if pruned.is_empty() {
        walk.pruned = pruned;
        visit_plain(walk, epoch, state);
        return;
    }
    let first_time = walk.visited_in_arrays.insert(state, &pruned);
    if first_time {
        let start = walk.chosen.len() as u32;
        walk.chosen.extend_from_slice(&pruned);
        walk.work.push(Instance {
            state,
            chosen_start: start,
            chosen_len: pruned.len() as u32,
        });
    }
    walk.pruned = pruned;
}

/// Queues `state` with no array element chosen, unless visited so already.
fn visit_plain(walk: &mut Walk, epoch: u32, state: u32) {
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
}

/// Puts into `out` the elements of `chosen` and `node` (0: none) that can matter to the
/// fields in `later` (a Bloom mask): each is replaced by the element it sits in while its
/// array holds no leaf of those fields (dropped at the root), and elements that another lies
/// within are implied by it and dropped.
fn prune(
    nodes: &[ArrayNode],
    array_fields: &[u64],
    later: u64,
    chosen: &[u32],
    node: u32,
    out: &mut ChosenKey,
) {
    let relevant = |n: u32| relevant_element(nodes, array_fields, later, n);
    out.clear();
    if chosen.is_empty() && node == 0 {
        // Outside every array (most events): nothing to keep.
        return;
    }
    // One element (one array of objects): no sorting or nesting to resolve.
    let single = match (chosen, node) {
        ([], n) => Some(n),
        ([c], 0) => Some(*c),
        _ => None,
    };
    if let Some(element) = single {
        let kept = relevant(element);
        if kept != 0 {
            out.push(kept);
        }
        return;
    }
    for &c in chosen.iter().chain(std::iter::once(&node)) {
        let kept = relevant(c);
        if kept != 0 {
            out.push(kept);
        }
    }
    if out.len() > 1 {
        out.sort_unstable();
        out.dedup();
        let all = out.clone();
        out.retain(|e| {
            !all.iter()
                .any(|&other| other != *e && is_within(nodes, other, *e))
        });
    }
}

/// The element `n` or the nearest one it sits in whose array holds a leaf of a field in
/// `later` (a Bloom mask); 0 when none does.
fn relevant_element(nodes: &[ArrayNode], array_fields: &[u64], later: u64, mut n: u32) -> u32 {
    while let Some(x) = nodes.get(n as usize).filter(|_| n != 0) {
        if array_fields.get(x.array as usize).copied().unwrap_or(0) & later != 0 {
            break;
        }
        n = x.parent;
    }
    n
}

/// Fills `array_fields`: for every array of the event, the fields with leaves inside it.
fn mark_array_fields(leaves: &Leaves, nodes: &[ArrayNode], array_fields: &mut Vec<u64>) {
    array_fields.clear();
    if nodes.len() <= 1 {
        return;
    }
    let arrays = nodes
        .iter()
        .skip(1)
        .map(|n| n.array as usize + 1)
        .max()
        .unwrap_or(0);
    array_fields.resize(arrays, 0);
    for leaf in &leaves.list {
        let bit = field_bit(leaf.field);
        let mut n = leaf.node;
        while let Some(node) = nodes.get(n as usize).filter(|_| n != 0) {
            let Some(mask) = array_fields.get_mut(node.array as usize) else {
                break;
            };
            if *mask & bit != 0 {
                // Marked from an earlier leaf, and so are the arrays around it.
                break;
            }
            *mask |= bit;
            n = node.parent;
        }
    }
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
