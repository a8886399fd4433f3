//! The anything-but predicates of a field: indexes that find which operands *catch* a leaf;
//! every other operand is satisfied.

use ahash::AHashMap;

use super::number::ordered_key;
use super::targets::{push_target, Targets};
use super::trie::{has_keys, Trie};
use super::wildcard_set::WildcardSet;
use crate::pattern::{fold_case, AnythingBut};

/// The anything-but predicates of a field and the indexes that find which of them catch a
/// leaf.
#[derive(Clone, Debug, Default)]
pub(super) struct AnythingButSet {
    /// Per distinct operand: the targets satisfied when it does not catch the leaf. Indexed
    /// by the entry ids `by_operand` and the indexes hold, made by `add` as it pushes.
    entries: Vec<Targets>,
    by_operand: AHashMap<String, u32>,
    strings: AHashMap<Box<str>, Targets>,
    folded: AHashMap<Box<str>, Targets>,
    prefixes: Trie,
    suffixes: Trie,
    wildcards: WildcardSet,
    numbers_by_value: AHashMap<u64, Targets>,
    numbers_by_text: AHashMap<Box<str>, Targets>,
}

/// A leaf as anything-but sees it.
pub(super) enum AbLeaf<'a> {
    /// The string and its case folding (empty when the field folds nothing).
    Str(&'a str, &'a str),
    /// The round-trip value and the text.
    Number(Option<f64>, &'a str),
}

impl AnythingButSet {
    pub(super) fn add(&mut self, operand: &AnythingBut, target: u32) {
        let key = format!("{operand:?}");
        if let Some(&id) = self.by_operand.get(&key) {
            push_target(&mut self.entries[id as usize], target);
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
                    push_target(self.folded.entry(fold_case(s).into()).or_default(), id);
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
    pub(super) fn eval(
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
                    mark(ids);
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
    pub(super) fn eval_uncaught(&self, emit: &mut impl FnMut(&[u32])) {
        for targets in &self.entries {
            emit(targets);
        }
    }

    pub(super) fn states(&self) -> usize {
        self.entries.len()
            + self.strings.len()
            + self.folded.len()
            + self.prefixes.states()
            + self.suffixes.states()
            + self.wildcards.states()
            + self.numbers_by_value.len()
            + self.numbers_by_text.len()
    }

    pub(super) fn heap_bytes(&self) -> usize {
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
