//! The value machine of one field path: every predicate of every rule on that path, indexed so
//! that one event leaf finds the conditions it satisfies at a cost that follows the leaf (its
//! length, the matches it produces), not the number of predicates.
//!
//! - exact strings, numbers (by order-preserving key, or by text when the literal does not
//!   round-trip), `true`/`false`/`null`: hash lookups;
//! - prefixes and suffixes: byte tries walked along the string (suffixes on reversed bytes);
//! - the `equals-ignore-case` family: the same structures over case-folded text, folding the
//!   event string only when the field has such predicates;
//! - wildcards: indexed by their literal first (or last) piece in a trie, verified on the
//!   candidates the trie yields;
//! - numeric ranges and CIDR networks: integer intervals (doubles by order-preserving key,
//!   addresses as 128-bit numbers), found by binary search;
//! - anything-but: the same indexes find which anything-but predicates *catch* the leaf; all
//!   others are satisfied.

use std::net::IpAddr;

use ahash::AHashMap;
use memchr::memmem;

use super::number::{ordered_key, EventNumber};
use super::rank::EscapedJsonRank;
use super::trie::Trie;
use crate::pattern::{
    case_key, ends_with_ignore_case, equals_ignore_case, read_address, starts_with_ignore_case,
    AnythingBut, Literal, NumericRange, Predicate, Wildcard,
};

/// One event leaf as the value machines read it, with what several machines may need
/// computed once.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LeafView<'a> {
    /// A string, and its case folding when its field has case-insensitive predicates
    /// (otherwise empty).
    Str(&'a str, &'a str),
    /// A string as the event writes it, whose only escapes are `\"` and `\\`: handed over
    /// undecoded on fields whose machines need no decoded text
    /// ([`FieldMachine::needs_decoded_text`]).
    EscapedStr(&'a str),
    /// A number: its text and its values.
    Number(&'a str, EventNumber),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

type Targets = Vec<u32>;

fn push_check(others: &mut OtherValues, form: CaseForm, target: u32, pattern: &str) {
    let patterns = others.case_checks.entry((form, target)).or_default();
    if !patterns.iter().any(|p| &**p == pattern) {
        patterns.push(pattern.into());
    }
}

fn push_target(targets: &mut Targets, target: u32) {
    if targets.last() != Some(&target) {
        targets.push(target);
    }
}

/// Reusable buffers for evaluating leaves.
#[derive(Debug, Default)]
pub(crate) struct EvalScratch {
    /// Per anything-but entry: the leaf serial that caught it.
    caught: Vec<u32>,
    serial: u32,
}

/// All predicates on one path (of one automaton state).
///
/// There is one per state and field with value edges, so most hold a single predicate: the
/// common exact matches live inline, every other kind behind a box allocated on first use.
#[derive(Clone, Debug, Default)]
pub(crate) struct FieldMachine {
    strings: AHashMap<Box<str>, Targets>,
    /// The length of the longest key of `strings`: longer leaves (a 1 KB text) skip hashing.
    longest_string: usize,
    numbers_by_value: AHashMap<u64, Targets>,
    ranges: Option<Box<RangeSet<u64>>>,
    others: Option<Box<OtherValues>>,
    anything_but: Option<Box<AnythingButSet>>,
    needs_fold: bool,
    needs_exact_number: bool,
}

/// The less common predicates of a [`FieldMachine`].
#[derive(Clone, Debug, Default)]
struct OtherValues {
    any_leaf: Targets,
    numbers_by_text: AHashMap<Box<str>, Targets>,
    trues: Targets,
    falses: Targets,
    nulls: Targets,
    prefixes: Trie,
    suffixes: Trie,
    folded_strings: AHashMap<Box<str>, Targets>,
    folded_prefixes: Trie,
    folded_suffixes: Trie,
    wildcards: WildcardSet,
    /// IPv6 networks, by address.
    networks: RangeSet<u128>,
    /// IPv4 networks, by address (in the low 32 bits).
    networks_v4: RangeSet<u128>,
    /// The `folded_*` indexes find targets by [`case_key`], which every accepted text shares
    /// with its pattern but some refused texts share too (`ss` with `ß`): per target, the
    /// patterns of each form, to confirm a hit with the exact test.
    case_checks: AHashMap<(CaseForm, u32), Vec<Box<str>>>,
}

/// The three `equals-ignore-case` forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum CaseForm {
    Whole,
    Prefix,
    Suffix,
}

impl CaseForm {
    fn accepts(self, pattern: &str, text: &str) -> bool {
        match self {
            CaseForm::Whole => equals_ignore_case(pattern, text),
            CaseForm::Prefix => starts_with_ignore_case(pattern, text),
            CaseForm::Suffix => ends_with_ignore_case(pattern, text),
        }
    }
}

/// Calls `emit` with the targets among `targets` whose patterns of `form` accept `text`.
fn emit_confirmed(
    checks: &AHashMap<(CaseForm, u32), Vec<Box<str>>>,
    form: CaseForm,
    text: &str,
    targets: &[u32],
    emit: &mut impl FnMut(&[u32]),
) {
    for &target in targets {
        let confirmed = checks
            .get(&(form, target))
            .is_some_and(|patterns| patterns.iter().any(|p| form.accepts(p, text)));
        if confirmed {
            emit(std::slice::from_ref(&target));
        }
    }
}

impl OtherValues {
    fn networks_of(&mut self, ip: IpAddr) -> &mut RangeSet<u128> {
        if ip.is_ipv4() {
            &mut self.networks_v4
        } else {
            &mut self.networks
        }
    }
}

impl FieldMachine {
    fn others(&mut self) -> &mut OtherValues {
        self.others.get_or_insert_with(Box::default)
    }

    /// Adds `predicate`, reporting `target` for the leaves it accepts. `exists: false`
    /// accepts no leaf and adds nothing.
    pub(crate) fn add(&mut self, predicate: &Predicate, target: u32) {
        match predicate {
            Predicate::Exact(Literal::String(s)) => {
                self.longest_string = self.longest_string.max(s.len());
                push_target(self.strings.entry(s.as_str().into()).or_default(), target);
                // A string that is an address also matches its other spellings
                // (`exact_string_matches`): a one-address network.
                if let Ok(ip) = read_address(s) {
                    let (lo, hi) = network_range(ip, if ip.is_ipv4() { 32 } else { 128 });
                    self.others().networks_of(ip).add(lo, hi, target);
                }
            }
            Predicate::Exact(Literal::Number(n)) => {
                self.needs_exact_number = true;
                let targets = match n.value() {
                    Some(v) => self.numbers_by_value.entry(ordered_key(v)).or_default(),
                    None => self
                        .others()
                        .numbers_by_text
                        .entry(n.text().into())
                        .or_default(),
                };
                push_target(targets, target);
            }
            Predicate::Exact(Literal::Bool(true)) => push_target(&mut self.others().trues, target),
            Predicate::Exact(Literal::Bool(false)) => {
                push_target(&mut self.others().falses, target)
            }
            Predicate::Exact(Literal::Null) => push_target(&mut self.others().nulls, target),
            Predicate::Prefix(p) => self.others().prefixes.insert(p.bytes(), target),
            Predicate::Suffix(s) => self.others().suffixes.insert(s.bytes().rev(), target),
            Predicate::PrefixIgnoreCase(p) => {
                self.needs_fold = true;
                let others = self.others();
                others.folded_prefixes.insert(case_key(p).bytes(), target);
                push_check(others, CaseForm::Prefix, target, p);
            }
            Predicate::SuffixIgnoreCase(s) => {
                self.needs_fold = true;
                let others = self.others();
                others
                    .folded_suffixes
                    .insert(case_key(s).bytes().rev(), target);
                push_check(others, CaseForm::Suffix, target, s);
            }
            Predicate::EqualsIgnoreCase(v) => {
                self.needs_fold = true;
                let others = self.others();
                push_target(
                    others.folded_strings.entry(case_key(v).into()).or_default(),
                    target,
                );
                push_check(others, CaseForm::Whole, target, v);
            }
            Predicate::Wildcard(w) => match w.pieces() {
                [only] => {
                    self.longest_string = self.longest_string.max(only.len());
                    push_target(
                        self.strings.entry(only.as_str().into()).or_default(),
                        target,
                    )
                }
                _ => self.others().wildcards.add(w, target),
            },
            Predicate::AnythingBut(x) => {
                if matches!(x, AnythingBut::Numbers(_)) {
                    self.needs_exact_number = true;
                }
                if matches!(x, AnythingBut::EqualsIgnoreCase(_)) {
                    self.needs_fold = true;
                }
                self.anything_but
                    .get_or_insert_with(Box::default)
                    .add(x, target);
            }
            Predicate::Numeric(range) => {
                if let Some((lo, hi)) = key_range(range) {
                    self.ranges
                        .get_or_insert_with(Box::default)
                        .add(lo, hi, target);
                }
            }
            Predicate::Exists(true) => push_target(&mut self.others().any_leaf, target),
            Predicate::Exists(false) => {}
            Predicate::Cidr(c) => {
                let (lo, hi) = network_range(c.network(), c.prefix_len());
                self.others().networks_of(c.network()).add(lo, hi, target);
            }
        }
    }

    /// Whether matching needs the case folding of string leaves.
    pub(crate) fn needs_fold(&self) -> bool {
        self.needs_fold
    }

    /// Whether matching needs to know if number leaves round-trip ([`EventNumber::exact`]).
    pub(crate) fn needs_exact_number(&self) -> bool {
        self.needs_exact_number
    }

    /// Whether string leaves must be decoded: false when every string predicate is a
    /// wildcard that can be matched on the text as written ([`LeafView::EscapedStr`]), which
    /// spares decoding JSON text embedded in a string (SaaSus's `detail.event`).
    pub(crate) fn needs_decoded_text(&self) -> bool {
        let others = self.others.as_deref().is_some_and(|o| {
            o.wildcards.needs_decoded_text
                || !o.folded_strings.is_empty()
                || has_keys(&o.prefixes)
                || has_keys(&o.suffixes)
                || has_keys(&o.folded_prefixes)
                || has_keys(&o.folded_suffixes)
                || !o.networks.is_empty()
                || !o.networks_v4.is_empty()
        });
        others || !self.strings.is_empty() || self.anything_but.is_some()
    }

    /// Calls `emit` with the targets of every predicate that accepts `leaf` (a target may be
    /// reported more than once).
    #[inline]
    pub(crate) fn eval(
        &self,
        leaf: &LeafView<'_>,
        scratch: &mut EvalScratch,
        emit: &mut impl FnMut(&[u32]),
    ) {
        let mut emit_some = |targets: &[u32]| {
            if !targets.is_empty() {
                emit(targets)
            }
        };
        let others = self.others.as_deref();
        if let Some(o) = others {
            emit_some(&o.any_leaf);
        }
        match *leaf {
            LeafView::Str(s, folded) => {
                if s.len() <= self.longest_string {
                    if let Some(t) = self.strings.get(s) {
                        emit_some(t);
                    }
                }
                if let Some(o) = others {
                    // Most machines use one or two of these indexes: skipping the empty ones
                    // costs less than entering them.
                    if has_keys(&o.prefixes) {
                        o.prefixes.walk(s.bytes(), &mut emit_some);
                    }
                    if has_keys(&o.suffixes) {
                        o.suffixes.walk(s.bytes().rev(), &mut emit_some);
                    }
                    o.wildcards.eval(s, &mut emit_some);
                    if self.needs_fold {
                        let checks = &o.case_checks;
                        if let Some(t) = o.folded_strings.get(folded) {
                            emit_confirmed(checks, CaseForm::Whole, s, t, &mut emit_some);
                        }
                        if has_keys(&o.folded_prefixes) {
                            o.folded_prefixes.walk(folded.bytes(), &mut |t: &[u32]| {
                                emit_confirmed(checks, CaseForm::Prefix, s, t, &mut emit_some)
                            });
                        }
                        if has_keys(&o.folded_suffixes) {
                            o.folded_suffixes
                                .walk(folded.bytes().rev(), &mut |t: &[u32]| {
                                    emit_confirmed(checks, CaseForm::Suffix, s, t, &mut emit_some)
                                });
                        }
                    }
                    if !o.networks.is_empty() || !o.networks_v4.is_empty() {
                        // The families are kept apart (see `Cidr::contains`): IPv4 networks
                        // and addresses in `networks_v4`, IPv6 in `networks`.
                        match read_address(s) {
                            Ok(IpAddr::V4(v4)) => o
                                .networks_v4
                                .query(u128::from(u32::from(v4)), &mut emit_some),
                            Ok(IpAddr::V6(v6)) => o.networks.query(u128::from(v6), &mut emit_some),
                            Err(_) => {}
                        }
                    }
                }
                if let Some(ab) = self.anything_but.as_deref() {
                    scratch.serial = scratch.serial.wrapping_add(1);
                    ab.eval(
                        AbLeaf::Str(s, folded),
                        &mut scratch.caught,
                        scratch.serial,
                        &mut emit_some,
                    );
                }
            }
            LeafView::EscapedStr(s) => {
                if let Some(o) = others {
                    o.wildcards.eval_escaped(s, &mut emit_some);
                }
            }
            LeafView::Number(text, number) => {
                let exact = match number.exact {
                    Some(v) => self.numbers_by_value.get(&ordered_key(v)),
                    None => others.and_then(|o| o.numbers_by_text.get(text)),
                };
                if let Some(t) = exact {
                    emit_some(t);
                }
                if let (Some(ranges), Some(v)) = (self.ranges.as_deref(), number.exact) {
                    ranges.query(ordered_key(v), &mut emit_some);
                }
                if let Some(ab) = self.anything_but.as_deref() {
                    scratch.serial = scratch.serial.wrapping_add(1);
                    ab.eval(
                        AbLeaf::Number(number.exact, text),
                        &mut scratch.caught,
                        scratch.serial,
                        &mut emit_some,
                    );
                }
            }
            LeafView::Bool(b) => {
                if let Some(o) = others {
                    emit_some(if b { &o.trues } else { &o.falses });
                }
                if let Some(ab) = self.anything_but.as_deref() {
                    ab.eval_uncaught(&mut emit_some);
                }
            }
            LeafView::Null => {
                if let Some(o) = others {
                    emit_some(&o.nulls);
                }
                if let Some(ab) = self.anything_but.as_deref() {
                    ab.eval_uncaught(&mut emit_some);
                }
            }
        }
    }

    /// Number of states (map entries, trie nodes, intervals).
    pub(crate) fn states(&self) -> usize {
        let others = self.others.as_deref().map_or(0, |o| {
            o.numbers_by_text.len()
                + o.folded_strings.len()
                + o.prefixes.states()
                + o.suffixes.states()
                + o.folded_prefixes.states()
                + o.folded_suffixes.states()
                + o.wildcards.states()
                + o.networks.len()
                + o.networks_v4.len()
        });
        1 + self.strings.len()
            + self.numbers_by_value.len()
            + self.ranges.as_deref().map_or(0, RangeSet::len)
            + self
                .anything_but
                .as_deref()
                .map_or(0, AnythingButSet::states)
            + others
    }

    /// Approximate heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        let map = |m: &AHashMap<Box<str>, Targets>| {
            m.capacity() * 48
                + m.iter()
                    .map(|(k, v)| k.len() + v.capacity() * 4)
                    .sum::<usize>()
        };
        let others = self.others.as_deref().map_or(0, |o| {
            std::mem::size_of::<OtherValues>()
                + map(&o.numbers_by_text)
                + map(&o.folded_strings)
                + (o.any_leaf.capacity()
                    + o.trues.capacity()
                    + o.falses.capacity()
                    + o.nulls.capacity())
                    * 4
                + o.prefixes.heap_bytes()
                + o.suffixes.heap_bytes()
                + o.folded_prefixes.heap_bytes()
                + o.folded_suffixes.heap_bytes()
                + o.wildcards.heap_bytes()
                + o.networks.heap_bytes()
                + o.networks_v4.heap_bytes()
        });
        map(&self.strings)
            + self.numbers_by_value.capacity() * 40
            + self
                .numbers_by_value
                .values()
                .map(|v| v.capacity() * 4)
                .sum::<usize>()
            + self
                .ranges
                .as_deref()
                .map_or(0, |r| std::mem::size_of::<RangeSet<u64>>() + r.heap_bytes())
            + self.anything_but.as_deref().map_or(0, |a| {
                std::mem::size_of::<AnythingButSet>() + a.heap_bytes()
            })
            + others
    }
}

/// Whether `trie` holds any key (an empty trie has no node at all).
fn has_keys(trie: &Trie) -> bool {
    trie.states() > 0
}

/// A numeric range as an inclusive interval of order-preserving keys; `None` when empty.
fn key_range(range: &NumericRange) -> Option<(u64, u64)> {
    let lo = match range.lower {
        None => 0,
        Some((v, true)) => ordered_key(v),
        Some((v, false)) => ordered_key(v).checked_add(1)?,
    };
    let hi = match range.upper {
        None => u64::MAX,
        Some((v, true)) => ordered_key(v),
        Some((v, false)) => ordered_key(v).checked_sub(1)?,
    };
    (lo <= hi).then_some((lo, hi))
}

/// The addresses of a network as an inclusive interval of numbers: IPv4 in 32 bits, IPv6 in
/// 128.
fn network_range(network: IpAddr, prefix_len: u8) -> (u128, u128) {
    let (address, width) = match network {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    };
    let bits = u32::from(prefix_len).min(width);
    let host_mask = (u128::MAX >> (128 - width)).checked_shr(bits).unwrap_or(0);
    let network = address & !host_mask;
    (network, network | host_mask)
}

/// Wildcards with at least one star, indexed by their anchors.
#[derive(Clone, Debug, Default)]
struct WildcardSet {
    entries: Vec<WildcardEntry>,
    by_pieces: AHashMap<Vec<String>, u32>,
    /// Entries by their first piece, when not empty.
    by_first: Trie,
    /// Entries with an empty first piece, by their reversed last piece (possibly empty).
    by_last: Trie,
    /// The same two indexes over the escaped pieces of the entries whose pieces hold `"` or
    /// `\` (see [`WildcardEntry::escaped`]); the others are found through the indexes above.
    escaped_by_first: Trie,
    escaped_by_last: Trie,
    /// Whether some entry has a piece after the first that starts with `\`: its escaped
    /// form could match across an escape, so strings must be decoded for this set.
    needs_decoded_text: bool,
}

#[derive(Clone, Debug)]
struct WildcardEntry {
    wildcard: CompiledWildcard,
    /// The wildcard over text as JSON writes it with only `\"` and `\\` escapes (see
    /// [`LeafView::EscapedStr`]), when that differs: its pieces with `"` and `\` escaped.
    escaped: Option<Box<CompiledWildcard>>,
    targets: Targets,
}

/// Indexes wildcard `id` by its first piece when not empty, else by its reversed last piece.
fn index_by_anchors(by_first: &mut Trie, by_last: &mut Trie, pieces: &[String], id: u32) {
    match (pieces.first(), pieces.last()) {
        (Some(first), _) if !first.is_empty() => by_first.insert(first.bytes(), id),
        (_, Some(last)) => by_last.insert(last.bytes().rev(), id),
        _ => {}
    }
}

/// `s` as a JSON string body with `"` and `\` escaped and nothing else.
fn escape_quotes_and_backslashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl WildcardSet {
    fn add(&mut self, wildcard: &Wildcard, target: u32) {
        let pieces = wildcard.pieces();
        let id = match self.by_pieces.get(pieces) {
            Some(&id) => id,
            None => {
                let id = self.entries.len() as u32;
                let escaped = pieces.iter().any(|p| p.contains(['"', '\\'])).then(|| {
                    let escaped: Vec<String> = pieces
                        .iter()
                        .map(|p| escape_quotes_and_backslashes(p))
                        .collect();
                    index_by_anchors(
                        &mut self.escaped_by_first,
                        &mut self.escaped_by_last,
                        &escaped,
                        id,
                    );
                    Box::new(CompiledWildcard::escaped(&escaped))
                });
                self.needs_decoded_text |= pieces.iter().skip(1).any(|p| p.starts_with('\\'));
                index_by_anchors(&mut self.by_first, &mut self.by_last, pieces, id);
                self.entries.push(WildcardEntry {
                    wildcard: CompiledWildcard::new(pieces),
                    escaped,
                    targets: Vec::new(),
                });
                self.by_pieces.insert(pieces.to_vec(), id);
                id
            }
        };
        if let Some(entry) = self.entries.get_mut(id as usize) {
            push_target(&mut entry.targets, target);
        }
    }

    fn eval(&self, s: &str, emit: &mut impl FnMut(&[u32])) {
        if self.entries.is_empty() {
            return;
        }
        self.walk_anchors(
            &self.by_first,
            &self.by_last,
            s,
            |e| Some(&e.wildcard),
            emit,
        );
    }

    /// Tests `s` against the entries that `by_first` and `by_last` find for it, each with the
    /// wildcard `pick` gives (none: skipped), and reports the targets of those it accepts.
    #[inline]
    fn walk_anchors<'w>(
        &'w self,
        by_first: &Trie,
        by_last: &Trie,
        s: &str,
        pick: impl Fn(&'w WildcardEntry) -> Option<&'w CompiledWildcard>,
        emit: &mut impl FnMut(&[u32]),
    ) {
        let mut check = |ids: &[u32]| {
            for &id in ids {
                let Some(entry) = self.entries.get(id as usize) else {
                    continue;
                };
                if pick(entry).is_some_and(|w| w.accepts(s.as_bytes())) {
                    emit(&entry.targets);
                }
            }
        };
        by_first.walk(s.bytes(), &mut check);
        by_last.walk(s.bytes().rev(), &mut check);
    }

    /// [`WildcardSet::eval`] for a string as written in the event, whose only escapes are
    /// `\"` and `\\` ([`LeafView::EscapedStr`]); only when not
    /// [`WildcardSet::needs_decoded_text`].
    ///
    /// Matching the escaped pieces on the escaped text is matching the pieces on the decoded
    /// text: escaping is applied character by character, so it is enough that no escaped
    /// piece is found starting in the middle of an escape. One that starts with a byte other
    /// than `\` cannot be (the second byte of an escape is `"` or `\`, and a `"` is never
    /// the first); the first piece is anchored at the start. Sets where a later piece starts
    /// with `\` are not given escaped text at all ([`WildcardSet::needs_decoded_text`]).
    fn eval_escaped(&self, s: &str, emit: &mut impl FnMut(&[u32])) {
        if self.entries.is_empty() {
            return;
        }
        // Entries without quotes or backslashes read the same escaped: their own indexes.
        fn unchanged(e: &WildcardEntry) -> Option<&CompiledWildcard> {
            e.escaped.is_none().then_some(&e.wildcard)
        }
        fn escaped(e: &WildcardEntry) -> Option<&CompiledWildcard> {
            e.escaped.as_deref()
        }
        self.walk_anchors(&self.by_first, &self.by_last, s, unchanged, emit);
        self.walk_anchors(
            &self.escaped_by_first,
            &self.escaped_by_last,
            s,
            escaped,
            emit,
        );
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn states(&self) -> usize {
        self.entries.len()
            + self.by_first.states()
            + self.by_last.states()
            + self.escaped_by_first.states()
            + self.escaped_by_last.states()
    }

    fn heap_bytes(&self) -> usize {
        self.entries
            .iter()
            .map(|e| {
                e.wildcard.heap_bytes()
                    + e.escaped.as_ref().map_or(0, |w| {
                        std::mem::size_of::<CompiledWildcard>() + w.heap_bytes()
                    })
                    + e.targets.len() * 4
            })
            .sum::<usize>()
            + self.by_first.heap_bytes()
            + self.by_last.heap_bytes()
            + self.escaped_by_first.heap_bytes()
            + self.escaped_by_last.heap_bytes()
    }
}

/// A wildcard ready to test strings: its first and last pieces (the anchors) and a searcher
/// per middle piece, built once rather than on every test.
#[derive(Clone, Debug)]
struct CompiledWildcard {
    first: Box<[u8]>,
    last: Box<[u8]>,
    middle: Vec<memmem::Finder<'static>>,
    /// One piece, no star: the whole string must equal it.
    exact: bool,
}

impl CompiledWildcard {
    fn new(pieces: &[String]) -> CompiledWildcard {
        CompiledWildcard::with_finders(pieces, |p| memmem::Finder::new(p).into_owned())
    }

    /// A wildcard of pieces escaped as JSON writes them, to test text as written (see
    /// [`super::rank`]).
    fn escaped(pieces: &[String]) -> CompiledWildcard {
        CompiledWildcard::with_finders(pieces, |p| {
            memmem::FinderBuilder::new()
                .build_forward_with_ranker(EscapedJsonRank, p)
                .into_owned()
        })
    }

    fn with_finders(
        pieces: &[String],
        finder: impl Fn(&[u8]) -> memmem::Finder<'static>,
    ) -> CompiledWildcard {
        let piece = |p: Option<&String>| p.map_or(Box::default(), |p| p.as_bytes().into());
        CompiledWildcard {
            first: piece(pieces.first()),
            last: piece(pieces.last()),
            middle: pieces
                .get(1..pieces.len().saturating_sub(1))
                .unwrap_or(&[])
                .iter()
                .map(|p| finder(p.as_bytes()))
                .collect(),
            exact: pieces.len() == 1,
        }
    }

    fn heap_bytes(&self) -> usize {
        self.first.len()
            + self.last.len()
            + self
                .middle
                .iter()
                .map(|f| 2 * f.needle().len() + std::mem::size_of::<memmem::Finder<'static>>())
                .sum::<usize>()
    }

    /// Whether `s` is the pieces joined by runs of any characters: the first piece a prefix,
    /// the last a suffix not overlapping it, the middle ones in order between (each at its
    /// leftmost occurrence, which leaves the most room for the rest).
    fn accepts(&self, s: &[u8]) -> bool {
        if self.exact {
            return s == &*self.first;
        }
        if s.len() < self.first.len() + self.last.len() {
            return false;
        }
        let (head, rest) = s.split_at(self.first.len());
        let (mut middle, tail) = rest.split_at(rest.len() - self.last.len());
        if !(self.first.is_empty() || head == &*self.first)
            || !(self.last.is_empty() || tail == &*self.last)
        {
            return false;
        }
        for finder in &self.middle {
            match finder.find(middle) {
                Some(at) => middle = middle.get(at + finder.needle().len()..).unwrap_or(&[]),
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
fn wildcard_accepts(pieces: &[String], s: &str) -> bool {
    !pieces.is_empty() && CompiledWildcard::new(pieces).accepts(s.as_bytes())
}

/// Inclusive intervals with targets; a point query reports every interval containing it.
#[derive(Clone, Debug)]
struct RangeSet<T> {
    /// Sorted by (lower, upper) bound; one entry per distinct interval.
    intervals: Vec<(T, T, Targets)>,
    /// `max_upper[i]`: the largest upper bound among `intervals[..=i]`.
    max_upper: Vec<T>,
}

impl<T> Default for RangeSet<T> {
    fn default() -> Self {
        RangeSet {
            intervals: Vec::new(),
            max_upper: Vec::new(),
        }
    }
}

impl<T: Ord + Copy> RangeSet<T> {
    fn add(&mut self, lo: T, hi: T, target: u32) {
        let at = match self
            .intervals
            .binary_search_by(|iv| (iv.0, iv.1).cmp(&(lo, hi)))
        {
            Ok(at) => {
                push_target(&mut self.intervals[at].2, target);
                return;
            }
            Err(at) => at,
        };
        self.intervals.insert(at, (lo, hi, vec![target]));
        self.max_upper.truncate(at);
        let mut max = at
            .checked_sub(1)
            .and_then(|i| self.max_upper.get(i).copied());
        for interval in &self.intervals[at..] {
            let m = match max {
                Some(m) if m >= interval.1 => m,
                _ => interval.1,
            };
            max = Some(m);
            self.max_upper.push(m);
        }
    }

    fn query(&self, point: T, emit: &mut impl FnMut(&[u32])) {
        let end = self.intervals.partition_point(|iv| iv.0 <= point);
        for i in (0..end).rev() {
            if self.max_upper.get(i).is_some_and(|&m| m < point) {
                break;
            }
            if let Some((_, hi, targets)) = self.intervals.get(i) {
                if *hi >= point {
                    emit(targets);
                }
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    fn len(&self) -> usize {
        self.intervals.len()
    }

    fn heap_bytes(&self) -> usize {
        self.intervals.capacity() * (2 * std::mem::size_of::<T>() + 24)
            + self
                .intervals
                .iter()
                .map(|iv| iv.2.capacity() * 4)
                .sum::<usize>()
            + self.max_upper.capacity() * std::mem::size_of::<T>()
    }
}

/// The anything-but predicates of a field and the indexes that find which of them catch a
/// leaf.
#[derive(Clone, Debug, Default)]
struct AnythingButSet {
    /// Per distinct operand: the targets satisfied when it does not catch the leaf.
    entries: Vec<Targets>,
    by_operand: AHashMap<String, u32>,
    strings: AHashMap<Box<str>, Targets>,
    folded: AHashMap<Box<str>, Targets>,
    /// Per entry: its `equals-ignore-case` operands, to confirm a `folded` hit.
    folded_checks: AHashMap<u32, Vec<Box<str>>>,
    prefixes: Trie,
    suffixes: Trie,
    wildcards: WildcardSet,
    numbers_by_value: AHashMap<u64, Targets>,
    numbers_by_text: AHashMap<Box<str>, Targets>,
}

/// A leaf as anything-but sees it.
enum AbLeaf<'a> {
    /// The string and its case folding (empty when the field folds nothing).
    Str(&'a str, &'a str),
    /// The round-trip value and the text.
    Number(Option<f64>, &'a str),
}

impl AnythingButSet {
    fn add(&mut self, operand: &AnythingBut, target: u32) {
        let key = format!("{operand:?}");
        if let Some(&id) = self.by_operand.get(&key) {
            if let Some(targets) = self.entries.get_mut(id as usize) {
                push_target(targets, target);
            }
            return;
        }
        let id = self.entries.len() as u32;
        self.entries.push(vec![target]);
        self.by_operand.insert(key, id);
        match operand {
            AnythingBut::Strings(strings) => {
                for s in strings {
                    push_target(self.strings.entry(s.as_str().into()).or_default(), id);
                }
            }
            AnythingBut::Numbers(numbers) => {
                for n in numbers {
                    let targets = match n.value() {
                        Some(v) => self.numbers_by_value.entry(ordered_key(v)).or_default(),
                        None => self.numbers_by_text.entry(n.text().into()).or_default(),
                    };
                    push_target(targets, id);
                }
            }
            AnythingBut::Prefix(prefixes) => {
                for p in prefixes {
                    self.prefixes.insert(p.bytes(), id);
                }
            }
            AnythingBut::Suffix(suffixes) => {
                for s in suffixes {
                    self.suffixes.insert(s.bytes().rev(), id);
                }
            }
            AnythingBut::EqualsIgnoreCase(strings) => {
                for s in strings {
                    push_target(self.folded.entry(case_key(s).into()).or_default(), id);
                    let patterns = self.folded_checks.entry(id).or_default();
                    if !patterns.iter().any(|p| **p == **s) {
                        patterns.push(s.as_str().into());
                    }
                }
            }
            AnythingBut::Wildcard(wildcards) => {
                for w in wildcards {
                    self.wildcards.add(w, id);
                }
            }
        }
    }

    /// Reports the targets of every entry that does not catch the leaf. `caught` holds, per
    /// entry, the serial of the last leaf that caught it; `serial` is this leaf's.
    fn eval(
        &self,
        leaf: AbLeaf<'_>,
        caught: &mut Vec<u32>,
        serial: u32,
        emit: &mut impl FnMut(&[u32]),
    ) {
        if let [targets] = self.entries.as_slice() {
            // One operand (most machines): whether anything catches the leaf is all there
            // is to know, no per-entry marks needed.
            let mut any = false;
            self.catch(leaf, &mut |ids: &[u32]| any |= !ids.is_empty());
            if !any {
                emit(targets);
            }
            return;
        }
        if caught.len() < self.entries.len() {
            caught.resize(self.entries.len(), serial.wrapping_sub(1));
        }
        self.catch(leaf, &mut |ids: &[u32]| {
            for &id in ids {
                if let Some(slot) = caught.get_mut(id as usize) {
                    *slot = serial;
                }
            }
        });
        for (id, targets) in self.entries.iter().enumerate() {
            if caught.get(id) != Some(&serial) {
                emit(targets);
            }
        }
    }

    /// Calls `mark` with the entries that catch the leaf.
    fn catch(&self, leaf: AbLeaf<'_>, mark: &mut impl FnMut(&[u32])) {
        match leaf {
            AbLeaf::Str(s, folded) => {
                if let Some(ids) = self.strings.get(s) {
                    mark(ids);
                }
                if let Some(ids) = self.folded.get(folded) {
                    // Confirmed with the exact test, as for `CaseForm::Whole`.
                    for &id in ids {
                        let caught = self.folded_checks.get(&id).is_some_and(|patterns| {
                            patterns.iter().any(|p| equals_ignore_case(p, s))
                        });
                        if caught {
                            mark(std::slice::from_ref(&id));
                        }
                    }
                }
                if has_keys(&self.prefixes) {
                    self.prefixes.walk(s.bytes(), &mut *mark);
                }
                if has_keys(&self.suffixes) {
                    self.suffixes.walk(s.bytes().rev(), &mut *mark);
                }
                if !self.wildcards.is_empty() {
                    self.wildcards.eval(s, mark);
                }
            }
            AbLeaf::Number(value, text) => {
                let ids = match value {
                    Some(v) => self.numbers_by_value.get(&ordered_key(v)),
                    None => self.numbers_by_text.get(text),
                };
                if let Some(ids) = ids {
                    mark(ids);
                }
            }
        }
    }

    /// Reports every entry: a leaf of a type no operand has (`null`, a boolean, or a number
    /// when no operand is numeric) is caught by none.
    fn eval_uncaught(&self, emit: &mut impl FnMut(&[u32])) {
        for targets in &self.entries {
            emit(targets);
        }
    }

    fn states(&self) -> usize {
        self.entries.len()
            + self.strings.len()
            + self.folded.len()
            + self.prefixes.states()
            + self.suffixes.states()
            + self.wildcards.states()
            + self.numbers_by_value.len()
            + self.numbers_by_text.len()
    }

    fn heap_bytes(&self) -> usize {
        self.entries
            .iter()
            .map(|t| t.capacity() * 4 + 24)
            .sum::<usize>()
            + self.by_operand.keys().map(|k| k.len() + 48).sum::<usize>()
            + (self.strings.len() + self.folded.len() + self.numbers_by_text.len()) * 64
            + self.numbers_by_value.len() * 48
            + self.prefixes.heap_bytes()
            + self.suffixes.heap_bytes()
            + self.wildcards.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn wildcard_pieces_anchor_and_do_not_overlap() {
        assert!(wildcard_accepts(&pieces(&["a", "b"]), "ab"));
        assert!(wildcard_accepts(&pieces(&["a", "b"]), "a/x/b"));
        assert!(!wildcard_accepts(&pieces(&["ab", "ba"]), "aba"));
        assert!(wildcard_accepts(&pieces(&["ab", "ba"]), "abba"));
        assert!(wildcard_accepts(&pieces(&["", "x", ""]), "axb"));
        assert!(!wildcard_accepts(&pieces(&["", "x", "y", ""]), "yx"));
        assert!(wildcard_accepts(&pieces(&["", ""]), ""));
    }

    #[test]
    fn ranges_find_every_containing_interval() {
        let mut set = RangeSet::default();
        set.add(1u64, 10, 0);
        set.add(5, 6, 1);
        set.add(2, 3, 2);
        set.add(8, 20, 3);
        let hits = |p: u64| {
            let mut out = Vec::new();
            set.query(p, &mut |t: &[u32]| out.extend_from_slice(t));
            out.sort();
            out
        };
        assert_eq!(hits(0), Vec::<u32>::new());
        assert_eq!(hits(5), vec![0, 1]);
        assert_eq!(hits(9), vec![0, 3]);
        assert_eq!(hits(15), vec![3]);
        assert_eq!(hits(3), vec![0, 2]);
    }

    #[test]
    fn open_numeric_bounds_exclude_the_bound() {
        let (lo, hi) = key_range(&NumericRange {
            lower: Some((0.0, false)),
            upper: Some((5.0, true)),
        })
        .unwrap();
        assert!(ordered_key(0.0) < lo && lo <= ordered_key(f64::MIN_POSITIVE / 1e10));
        assert_eq!(hi, ordered_key(5.0));
        assert!(key_range(&NumericRange {
            lower: Some((5.0, false)),
            upper: Some((5.0, true)),
        })
        .is_none());
    }
}
