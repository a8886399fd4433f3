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

use super::anything_but_set::{AbLeaf, AnythingButSet};
use super::number::{ordered_key, EventNumber};
use super::range_set::RangeSet;
use super::targets::{push_target, Targets};
use super::trie::{has_keys, Trie};
use super::wildcard_set::WildcardSet;
use crate::pattern::{fold_case, AnythingBut, Cidr, Literal, NumericRange, Predicate};

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
    networks: RangeSet<u128>,
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
                push_target(self.strings.entry(s.as_str().into()).or_default(), target)
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
                self.others()
                    .folded_prefixes
                    .insert(fold_case(p).bytes(), target);
            }
            Predicate::SuffixIgnoreCase(s) => {
                self.needs_fold = true;
                self.others()
                    .folded_suffixes
                    .insert(fold_case(s).bytes().rev(), target);
            }
            Predicate::EqualsIgnoreCase(v) => {
                self.needs_fold = true;
                push_target(
                    self.others()
                        .folded_strings
                        .entry(fold_case(v).into())
                        .or_default(),
                    target,
                );
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
                let (lo, hi) = network_range(c);
                self.others().networks.add(lo, hi, target);
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
                        if let Some(t) = o.folded_strings.get(folded) {
                            emit_some(t);
                        }
                        if has_keys(&o.folded_prefixes) {
                            o.folded_prefixes.walk(folded.bytes(), &mut emit_some);
                        }
                        if has_keys(&o.folded_suffixes) {
                            o.folded_suffixes.walk(folded.bytes().rev(), &mut emit_some);
                        }
                    }
                    if !o.networks.is_empty() {
                        if let Ok(ip) = s.parse::<IpAddr>() {
                            o.networks.query(address_number(ip), &mut emit_some);
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
                if let (Some(ranges), Some(v)) = (self.ranges.as_deref(), number.approx) {
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

/// An address as a 128-bit number; IPv4 as its IPv4-mapped IPv6 address, so that
/// `::ffff:10.0.0.1` is the IPv4 address `10.0.0.1`.
fn address_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// The addresses of a network as an inclusive interval of [`address_number`]s.
fn network_range(cidr: &Cidr) -> (u128, u128) {
    let extra = if cidr.network().is_ipv4() { 96 } else { 0 };
    let bits = (u32::from(cidr.prefix_len()) + extra).min(128);
    let host_mask = u128::MAX.checked_shr(bits).unwrap_or(0);
    let network = address_number(cidr.network()) & !host_mask;
    (network, network | host_mask)
}

#[cfg(test)]
mod tests {
    use super::*;

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
