//! A byte trie: the value automaton behind prefix, suffix and wildcard-anchor predicates.
//!
//! Walking an event string through it visits exactly the stored keys that are prefixes of
//! the string, so the cost follows the string's length, not the number of stored keys.

/// A trie over bytes whose nodes carry target ids (conditions, or entries of an index).
#[derive(Clone, Debug)]
pub(crate) struct Trie {
    nodes: Vec<TrieNode>,
}

#[derive(Clone, Debug, Default)]
struct TrieNode {
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
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let mut node = 0usize;
        for byte in key {
            let children = &self.nodes[node].children;
            node = match children.binary_search_by_key(&byte, |&(b, _)| b) {
                Ok(at) => children[at].1 as usize,
                Err(at) => {
                    let next = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node].children.insert(at, (byte, next as u32));
                    next
                }
            };
        }
        let targets = &mut self.nodes[node].targets;
        if !targets.contains(&target) {
            targets.push(target);
        }
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
            match child {
                Some(&(_, next)) => node = next as usize,
                None => return,
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
                .map(|n| n.children.capacity() * 8 + n.targets.capacity() * 4)
                .sum::<usize>()
    }
}
