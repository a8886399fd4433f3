//! A byte trie: the value automaton behind prefix, suffix and wildcard-anchor predicates.
//!
//! Walking an event string through it visits exactly the stored keys that are prefixes of
//! the string, so the cost follows the string's length, not the number of stored keys.
//!
//! Chains of nodes with one child and no targets are kept as one node with a label (a radix
//! tree): a prefix such as `aws.partner/saasus.io/` is one node whose label is compared
//! byte after byte, not a chain of twenty nodes to load one after the other. Walking a trie
//! is a chain of dependent loads, so the fewer nodes, the faster.

/// A trie over bytes whose nodes carry target ids (conditions, or entries of an index).
#[derive(Clone, Debug)]
pub(crate) struct Trie {
    /// Node 0 is the root once anything is inserted (an empty trie has no node). Child ids
    /// are indices into `nodes`, made by `insert` and `split` as they push; they are indexed
    /// directly.
    nodes: Vec<TrieNode>,
}

#[derive(Clone, Debug, Default)]
struct TrieNode {
    /// The bytes after the edge's byte that lead into this node.
    label: Box<[u8]>,
    /// Sorted by byte.
    children: Vec<(u8, u32)>,
    targets: Vec<u32>,
}

impl Default for Trie {
    /// An empty trie; it allocates nothing until the first insertion.
    fn default() -> Trie {
        Trie { nodes: Vec::new() }
    }
}

impl Trie {
    /// Adds `target` at the key spelled by `key`.
    pub(crate) fn insert(&mut self, key: impl Iterator<Item = u8>, target: u32) {
        let key: Vec<u8> = key.collect();
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let (mut node, mut at) = (0usize, 0usize);
        while let Some(&byte) = key.get(at) {
            let rest = key.get(at + 1..).unwrap_or(&[]);
            let parent = &self.nodes[node];
            let edge = parent.children.binary_search_by_key(&byte, |&(b, _)| b);
            let child = match edge {
                Ok(i) => parent.children.get(i).map_or(0, |&(_, c)| c as usize),
                Err(i) => {
                    // A new leaf holding the whole rest of the key.
                    let leaf = self.nodes.len();
                    self.nodes.push(TrieNode {
                        label: rest.into(),
                        ..TrieNode::default()
                    });
                    self.nodes[node].children.insert(i, (byte, leaf as u32));
                    node = leaf;
                    break;
                }
            };
            let label = &self.nodes[child].label;
            let common = label.iter().zip(rest).take_while(|(a, b)| a == b).count();
            node = if common < label.len() {
                self.split(node, byte, child, common)
            } else {
                child
            };
            at += 1 + common;
        }
        let n = &mut self.nodes[node];
        if !n.targets.contains(&target) {
            n.targets.push(target);
        }
    }

    /// Splits the edge `byte` from `parent` to `child` after the first `common` bytes of the
    /// child's label: a new node holds those, and the child keeps the rest after one byte.
    /// Returns the new node.
    fn split(&mut self, parent: usize, byte: u8, child: usize, common: usize) -> usize {
        let old = &mut self.nodes[child];
        let label = std::mem::take(&mut old.label);
        let (head, tail) = label.split_at(common.min(label.len()));
        let Some((&next_byte, tail)) = tail.split_first() else {
            // Nothing to split off: `common` covers the whole label.
            old.label = label;
            return child;
        };
        old.label = tail.into();
        let middle = self.nodes.len();
        self.nodes.push(TrieNode {
            label: head.into(),
            children: vec![(next_byte, child as u32)],
            targets: Vec::new(),
        });
        if let Some(edge) = self.nodes[parent]
            .children
            .iter_mut()
            .find(|(b, _)| *b == byte)
        {
            edge.1 = middle as u32;
        }
        middle
    }

    /// Calls `found` with the targets of every stored key that is a prefix of `input`
    /// (the empty key included).
    pub(crate) fn walk(&self, input: impl Iterator<Item = u8>, mut found: impl FnMut(&[u32])) {
        let mut node = 0usize;
        let mut input = input;
        loop {
            let Some(current) = self.nodes.get(node) else {
                return;
            };
            if !current.targets.is_empty() {
                found(&current.targets);
            }
            if current.children.is_empty() {
                return;
            }
            let Some(byte) = input.next() else {
                return;
            };
            // Most nodes of prefix and suffix tries have one child: a scan beats a search.
            let child = if current.children.len() <= 4 {
                current.children.iter().find(|&&(b, _)| b == byte)
            } else {
                current
                    .children
                    .binary_search_by_key(&byte, |&(b, _)| b)
                    .ok()
                    .and_then(|at| current.children.get(at))
            };
            let Some(&(_, next)) = child else {
                return;
            };
            node = next as usize;
            let next = &self.nodes[node];
            for &expected in next.label.iter() {
                if input.next() != Some(expected) {
                    return;
                }
            }
        }
    }

    /// Number of nodes.
    pub(crate) fn states(&self) -> usize {
        self.nodes.len()
    }

    /// Approximate heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<TrieNode>()
            + self
                .nodes
                .iter()
                .map(|n| n.label.len() + n.children.capacity() * 8 + n.targets.capacity() * 4)
                .sum::<usize>()
    }
}

/// Whether `trie` holds any key (an empty trie has no node at all).
pub(crate) fn has_keys(trie: &Trie) -> bool {
    trie.states() > 0
}

#[cfg(test)]
mod tests {
    use super::Trie;
    use proptest::prelude::*;

    fn found(trie: &Trie, input: &[u8]) -> Vec<u32> {
        let mut all = Vec::new();
        trie.walk(input.iter().copied(), |t| all.extend_from_slice(t));
        all.sort_unstable();
        all
    }

    #[test]
    fn keys_that_share_a_label_split_it() {
        let mut trie = Trie::default();
        trie.insert(b"aws.partner/saasus.io".iter().copied(), 0);
        assert_eq!(trie.states(), 2, "one labelled node below the root");
        trie.insert(b"aws.events".iter().copied(), 1);
        trie.insert(b"aws.".iter().copied(), 2);
        trie.insert(b"".iter().copied(), 3);
        assert_eq!(found(&trie, b"aws.partner/saasus.io/x/event"), [0, 2, 3]);
        assert_eq!(found(&trie, b"aws.events"), [1, 2, 3]);
        assert_eq!(found(&trie, b"aws.eve"), [2, 3]);
        assert_eq!(found(&trie, b"aws"), [3]);
        assert_eq!(found(&trie, b"aws.partner/saasus.i"), [2, 3]);
        assert_eq!(found(&trie, b"b"), [3]);
    }

    proptest! {
        /// The walk reports exactly the stored keys that are prefixes of the input, however
        /// the keys were inserted and split.
        #[test]
        fn walk_finds_exactly_the_prefixes(
            keys in proptest::collection::vec(proptest::collection::vec(0u8..4, 0..8), 0..12),
            input in proptest::collection::vec(0u8..4, 0..10),
        ) {
            let mut trie = Trie::default();
            for (target, key) in keys.iter().enumerate() {
                trie.insert(key.iter().copied(), target as u32);
            }
            let expected: Vec<u32> = keys
                .iter()
                .enumerate()
                .filter(|(_, key)| input.starts_with(key))
                .map(|(target, _)| target as u32)
                .collect();
            prop_assert_eq!(found(&trie, &input), expected);
        }
    }
}
