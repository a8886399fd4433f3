//! Wildcards with at least one star, indexed by their anchors (first or last piece) in tries
//! and verified on the candidates; also over text as JSON writes it.

use ahash::AHashMap;
use memchr::memmem;

use super::rank::EscapedJsonRank;
use super::targets::{push_target, Targets};
use super::trie::Trie;
use crate::pattern::Wildcard;

/// Wildcards with at least one star, indexed by their anchors.
#[derive(Clone, Debug, Default)]
pub(super) struct WildcardSet {
    /// Indexed by the entry ids the tries and `by_pieces` hold, made by `add` as it pushes.
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
    pub(super) needs_decoded_text: bool,
}

#[derive(Clone, Debug)]
struct WildcardEntry {
    wildcard: CompiledWildcard,
    /// The wildcard over text as JSON writes it with only `\"` and `\\` escapes (see
    /// [`LeafView::EscapedStr`](super::field::LeafView::EscapedStr)), when that differs: its pieces with `"` and `\` escaped.
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
    pub(super) fn add(&mut self, wildcard: &Wildcard, target: u32) {
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
        push_target(&mut self.entries[id as usize].targets, target);
    }

    pub(super) fn eval(&self, s: &str, emit: &mut impl FnMut(&[u32])) {
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
                let entry = &self.entries[id as usize];
                if pick(entry).is_some_and(|w| w.accepts(s.as_bytes())) {
                    emit(&entry.targets);
                }
            }
        };
        by_first.walk(s.bytes(), &mut check);
        by_last.walk(s.bytes().rev(), &mut check);
    }

    /// [`WildcardSet::eval`] for a string as written in the event, whose only escapes are
    /// `\"` and `\\` ([`LeafView::EscapedStr`](super::field::LeafView::EscapedStr)); only when not
    /// [`WildcardSet::needs_decoded_text`].
    ///
    /// Matching the escaped pieces on the escaped text is matching the pieces on the decoded
    /// text: escaping is applied character by character, so it is enough that no escaped
    /// piece is found starting in the middle of an escape. One that starts with a byte other
    /// than `\` cannot be (the second byte of an escape is `"` or `\`, and a `"` is never
    /// the first); the first piece is anchored at the start. Sets where a later piece starts
    /// with `\` are not given escaped text at all ([`WildcardSet::needs_decoded_text`]).
    pub(super) fn eval_escaped(&self, s: &str, emit: &mut impl FnMut(&[u32])) {
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

    pub(super) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(super) fn states(&self) -> usize {
        self.entries.len()
            + self.by_first.states()
            + self.by_last.states()
            + self.escaped_by_first.states()
            + self.escaped_by_last.states()
    }

    pub(super) fn heap_bytes(&self) -> usize {
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
}
