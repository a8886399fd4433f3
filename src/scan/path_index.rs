//! The set of paths some rule uses, and the lookup of an event member's key in it.

use ahash::AHashMap;

use super::lex::{find_dot, load_word, HIGHS, ONES};
use super::NO_FIELD;
use crate::embedded::EmbeddedJson;

/// No path node: nothing below this value is used.
pub(super) const NO_NODE: u32 = u32::MAX;

/// What the rules use of the value at one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct PathUse {
    /// The field id leaves at this exact path are reported with, or [`NO_FIELD`].
    pub(super) field: u32,
    /// The path's node when some used path continues below it (`a` for `a.b`), so objects
    /// here must be entered; else [`NO_NODE`].
    pub(super) node: u32,
    /// Whether strings here are decoded as JSON (the path is listed for decoding and
    /// something at or below it is used).
    pub(super) decode: bool,
}

pub(super) const UNUSED: PathUse = PathUse {
    field: NO_FIELD,
    node: NO_NODE,
    decode: false,
};

impl PathUse {
    pub(super) fn is_unused(self) -> bool {
        self.field == NO_FIELD && self.node == NO_NODE
    }
}

/// The set of paths some rule uses, as a trie of their dot-separated segments.
///
/// An event key holding dots walks several segments, so `{"a.b": 1}` and `{"a": {"b": 1}}`
/// reach the same node. Looking up a member costs a comparison of its key with the keys used
/// under its object, never a hash of the whole path.
#[derive(Clone, Debug)]
pub(crate) struct PathIndex {
    /// Node 0 is the root (always there). A node id (in children, and in a [`PathUse`]
    /// other than [`NO_NODE`]) is an index here, made by `insert` as it pushes; ids are
    /// indexed directly. The scanner only ever asks about ids it got from this index.
    nodes: Vec<PathNode>,
    /// The paths whose strings are decoded as JSON.
    decoded: EmbeddedJson,
}

#[derive(Clone, Debug, Default)]
struct PathNode {
    field: u32,
    /// Nodes below this one: the distinct keys of one object here that can lead to a used
    /// path (see [`PathIndex::keys_used_below`]).
    descendants: u32,
    /// Whether the path is listed in [`PathIndex::decoded`].
    decode: bool,
    /// (tag of the key (see [`key_tag`]), key, child node).
    children: Vec<(u64, Box<[u8]>, u32)>,
    /// The children's tags as a one-word Bloom filter ([`tag_bit`]): most keys of an event
    /// are used by no rule, and most of those are turned away by one bit test.
    filter: u64,
    /// The children by key, once there are many.
    by_key: Option<AHashMap<Box<[u8]>, u32>>,
}

impl PathNode {
    /// The child whose key is `key`, of tag `tag` (see [`key_tag`]), among the listed ones.
    #[inline]
    fn child_by_tag(&self, tag: u64, key: &[u8]) -> Option<u32> {
        self.children
            .iter()
            .find(|(t, k, _)| *t == tag && (key.len() < 8 || same_after_tag(k, key)))
            .map(|&(_, _, child)| child)
    }
}

/// A key's length (saturated at 255) and first seven bytes: equal tags of keys shorter than
/// eight bytes mean equal keys, so most member lookups compare one integer per child.
#[inline]
pub(super) fn key_tag(key: &[u8]) -> u64 {
    let length = (key.len().min(255) as u64) << 56;
    length | (load_word(key) & 0x00FF_FFFF_FFFF_FFFF)
}

/// The bit of a key tag in [`PathNode::filter`].
#[inline]
fn tag_bit(tag: u64) -> u64 {
    1 << (tag.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

/// Whether two keys with equal tags are equal: their lengths and the bytes after the first
/// seven, compared a word at a time (keys are short: a `memcmp` call costs more than this).
#[inline]
fn same_after_tag(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut a = a.get(7..).unwrap_or(&[]).chunks_exact(8);
    let mut b = b.get(7..).unwrap_or(&[]).chunks_exact(8);
    let word = |c: &[u8]| c.try_into().map_or(0, u64::from_le_bytes);
    for (x, y) in (&mut a).zip(&mut b) {
        if word(x) != word(y) {
            return false;
        }
    }
    a.remainder().iter().zip(b.remainder()).all(|(x, y)| x == y)
}

/// Above this many children a node also indexes them by hash.
const LINEAR_CHILDREN: usize = 8;

impl Default for PathIndex {
    fn default() -> PathIndex {
        PathIndex {
            nodes: vec![PathNode {
                field: NO_FIELD,
                ..PathNode::default()
            }],
            decoded: EmbeddedJson::none(),
        }
    }
}

impl PathIndex {
    /// Registers `path` as used, reporting its leaves with `field`.
    pub(crate) fn insert(&mut self, path: &str, field: u32) {
        let mut node = 0u32;
        // The nodes walked so far: each new node is one more below every one of them.
        let mut ancestors = Vec::new();
        for segment in path.as_bytes().split(|&b| b == b'.') {
            ancestors.push(node);
            node = match self.child(node, segment) {
                Some(child) => child,
                None => {
                    for &ancestor in &ancestors {
                        self.nodes[ancestor as usize].descendants += 1;
                    }
                    let child = self.nodes.len() as u32;
                    self.nodes.push(PathNode {
                        field: NO_FIELD,
                        ..PathNode::default()
                    });
                    let parent = &mut self.nodes[node as usize];
                    let tag = key_tag(segment);
                    parent.filter |= tag_bit(tag);
                    parent.children.push((tag, segment.into(), child));
                    // The map is built once, when the children outgrow a scan, and grown
                    // with each child after: rebuilding it on every insert made n sibling
                    // fields cost n² to compile.
                    match &mut parent.by_key {
                        Some(map) => {
                            map.insert(segment.into(), child);
                        }
                        None if parent.children.len() > LINEAR_CHILDREN => {
                            parent.by_key = Some(
                                parent
                                    .children
                                    .iter()
                                    .map(|(_, key, child)| (key.clone(), *child))
                                    .collect(),
                            );
                        }
                        None => {}
                    }
                    child
                }
            };
        }
        self.nodes[node as usize].field = field;
        // Marks only grow as nodes are added: a listed path may have just been created.
        self.mark_decoded();
    }

    /// Decodes the strings at the paths `decode` lists (replacing any earlier list).
    pub(crate) fn set_decoded(&mut self, decode: &EmbeddedJson) {
        self.decoded = decode.clone();
        self.nodes.iter_mut().for_each(|n| n.decode = false);
        self.mark_decoded();
    }

    /// Marks the nodes of the listed paths that exist.
    fn mark_decoded(&mut self) {
        let mut marked = Vec::new();
        for path in self.decoded.paths() {
            let mut node = Some(0u32);
            for segment in path.as_bytes().split(|&b| b == b'.') {
                node = node.and_then(|n| self.child(n, segment));
            }
            marked.extend(node);
        }
        for node in marked {
            self.nodes[node as usize].decode = true;
        }
    }

    fn child(&self, node: u32, segment: &[u8]) -> Option<u32> {
        let n = &self.nodes[node as usize];
        if let Some(map) = &n.by_key {
            return map.get(segment).copied();
        }
        n.child_by_tag(key_tag(segment), segment)
    }

    /// The use of member `key` of an object at `node`.
    pub(super) fn member(&self, node: u32, key: &[u8]) -> PathUse {
        // Each dot-separated segment of the key is one step down.
        let (mut current, mut rest) = (node, key);
        while let Some(dot) = find_dot(rest) {
            let (segment, tail) = (rest.get(..dot), rest.get(dot + 1..));
            match self.child(current, segment.unwrap_or(&[])) {
                Some(child) => current = child,
                None => return UNUSED,
            }
            rest = tail.unwrap_or(&[]);
        }
        match self.child(current, rest) {
            Some(child) => self.use_of(child),
            None => UNUSED,
        }
    }

    /// [`PathIndex::member`] for a key without escapes of fewer than sixteen bytes, given
    /// also as the two little-endian words of its bytes (zero after them; see
    /// [`plain_short_key`](super::lex::plain_short_key)).
    #[inline(always)]
    pub(super) fn plain_member(&self, node: u32, key: &[u8], words: [u64; 2]) -> PathUse {
        let has_dot = words.iter().any(|&word| {
            let v = word ^ (ONES * u64::from(b'.'));
            // Only the lowest marked byte is exact: a dot in the key is the lowest, and the
            // zero bytes after the key are not dots.
            v.wrapping_sub(ONES) & !v & HIGHS != 0
        });
        if has_dot {
            return self.member(node, key);
        }
        let n = &self.nodes[node as usize];
        // The key's tag (see [`key_tag`]).
        let tag = (key.len() as u64) << 56 | (words[0] & 0x00FF_FFFF_FFFF_FFFF);
        if n.filter & tag_bit(tag) == 0 {
            return UNUSED;
        }
        let child = match &n.by_key {
            Some(map) => map.get(key).copied(),
            None => n.child_by_tag(tag, key),
        };
        child.map_or(UNUSED, |child| self.use_of(child))
    }

    #[inline(always)]
    pub(super) fn use_of(&self, node: u32) -> PathUse {
        let n = &self.nodes[node as usize];
        PathUse {
            field: n.field,
            node: if n.children.is_empty() { NO_NODE } else { node },
            decode: n.decode && (n.field != NO_FIELD || !n.children.is_empty()),
        }
    }

    /// How many distinct keys of an object at `node` lead to a used path: one per node below
    /// it, since a key walks one node per dot-separated segment (`"b"` and `"b.c"` in an
    /// object at `a`, for paths `a.b.c`), and distinct keys reach distinct nodes (a node's
    /// key is its segments joined by dots). Once that many members of an object without
    /// duplicate keys have led somewhere, no other member of it can.
    pub(super) fn keys_used_below(&self, node: u32) -> u32 {
        self.nodes.get(node as usize).map_or(0, |n| n.descendants)
    }

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Approximate heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<PathNode>()
            + self
                .nodes
                .iter()
                .map(|n| {
                    n.children.capacity() * 32
                        + n.children.iter().map(|c| c.1.len()).sum::<usize>()
                        + n.by_key.as_ref().map_or(0, |m| m.capacity() * 40)
                })
                .sum::<usize>()
    }
}
