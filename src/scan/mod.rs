//! The event scanner: raw JSON bytes to the (path, leaf value, array position) steps the
//! automaton consumes.
//!
//! It reads the event once, left to right, with an explicit stack (no recursion), and
//! descends only into the fields that some rule uses, as told by a `PathIndex`; everything
//! else is skipped without building anything. Skipped parts are still fully validated, so a
//! malformed event is always an [`EventError`] with a byte offset, never a silent non-match:
//! UTF-8 is checked once for the whole input, and the JSON grammar everywhere (string control
//! characters, escapes and surrogate pairs, number grammar, literals, separators, trailing
//! text, nesting depth). Strings are unescaped only where a rule compares them.
//!
//! It knows nothing about patterns beyond the set of used paths, and which of them hold JSON
//! text to decode (see [`crate::embedded`]).
//!
//! Embedded JSON: a string at a path listed for decoding is unescaped and, when its text is a
//! JSON object or array nesting no deeper than what is left of the depth limit there, scanned
//! in place of the string, as the value at that path. Decoded texts are queued and scanned
//! after the event, each with the path use, array element and depth of its string, so nested
//! decodings need no recursion. Their array elements join the same element tree under the
//! string's element, and their arrays are numbered on from the event's, so array identities
//! stay distinct. Anything else at a listed path (not JSON, a JSON scalar, too deep) stays the
//! string it was; that is never an event error. A decoded text is read twice (validated,
//! then scanned), and a text nested in it once more per level of nesting, each level costing
//! at least one level of the depth limit.

use std::fmt;

use ahash::AHashMap;

use crate::embedded::EmbeddedJson;

/// The nesting depth (arrays and objects) accepted by default; see
/// [`crate::Matcher::set_max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 256;

/// The longest event accepted by default, in bytes: the most the scanner can address
/// (positions inside an event are 32-bit), 4 GiB − 1. See [`crate::Matcher::set_max_event_size`].
///
/// An embedded matcher does not refuse by default what EventBridge would: events reach it
/// from archives, other buses and webhooks as well, and matching reads the event once,
/// keeping only the values rules use, so a large event costs time and memory in proportion
/// to its size, not a risk. Callers that take events from untrusted sources set their own.
pub const DEFAULT_MAX_EVENT_SIZE: usize = u32::MAX as usize;

/// What the scanner accepts of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The deepest nesting of arrays and objects (decoded JSON text included).
    pub max_depth: usize,
    /// The longest event in bytes; at most [`DEFAULT_MAX_EVENT_SIZE`].
    pub max_event_size: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: DEFAULT_MAX_DEPTH,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
        }
    }
}

/// Why an event could not be matched: it is not valid JSON, or exceeds a limit (nesting depth,
/// size).
///
/// ```
/// use evpattern::Matcher;
///
/// let mut m: Matcher<&str> = Matcher::new();
/// m.add_pattern("r", evpattern::Pattern::from_clause(Default::default()));
/// let err = m.matches(br#"{"a": [1, 2,]}"#).unwrap_err();
/// assert_eq!(err.offset(), 12);
/// assert_eq!(err.to_string(), "expected a value at byte 12");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventError {
    offset: usize,
    kind: EventErrorKind,
}

/// What is wrong with an event; see [`EventError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventErrorKind {
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// The input ends inside a value.
    UnexpectedEnd,
    /// A value was expected (string, number, object, array, `true`, `false`, `null`).
    ExpectedValue,
    /// An object key (a string) was expected.
    ExpectedKey,
    /// A `:` was expected after an object key.
    ExpectedColon,
    /// A `,` or `}` was expected inside an object.
    ExpectedCommaOrObjectEnd,
    /// A `,` or `]` was expected inside an array.
    ExpectedCommaOrArrayEnd,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacterInString,
    /// A backslash escape JSON does not define, or a malformed `\u` escape.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate that is not part of a valid pair.
    LoneSurrogate,
    /// Number text that is not JSON number grammar.
    InvalidNumber,
    /// Something other than whitespace after the event.
    TrailingCharacters,
    /// Arrays and objects nested deeper than the limit (the value), see
    /// [`crate::Matcher::set_max_depth`]. The offset is the bracket that goes too deep.
    TooDeep(usize),
    /// The event is longer than the limit (the value, in bytes), see
    /// [`crate::Matcher::set_max_event_size`]. The offset is the limit: the first byte
    /// beyond it. Nothing of the event is read.
    TooLarge(usize),
}

impl EventError {
    fn new(offset: usize, kind: EventErrorKind) -> EventError {
        EventError { offset, kind }
    }

    /// The byte offset in the event where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong.
    pub fn kind(&self) -> &EventErrorKind {
        &self.kind
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.kind {
            EventErrorKind::InvalidUtf8 => "invalid UTF-8",
            EventErrorKind::UnexpectedEnd => "unexpected end of input",
            EventErrorKind::ExpectedValue => "expected a value",
            EventErrorKind::ExpectedKey => "expected an object key (a string)",
            EventErrorKind::ExpectedColon => "expected ':' after an object key",
            EventErrorKind::ExpectedCommaOrObjectEnd => "expected ',' or '}'",
            EventErrorKind::ExpectedCommaOrArrayEnd => "expected ',' or ']'",
            EventErrorKind::ControlCharacterInString => "control character in a string",
            EventErrorKind::InvalidEscape => "invalid escape in a string",
            EventErrorKind::LoneSurrogate => "unpaired UTF-16 surrogate escape in a string",
            EventErrorKind::InvalidNumber => "invalid number",
            EventErrorKind::TrailingCharacters => "trailing characters after the event",
            EventErrorKind::TooLarge(limit) => {
                return write!(
                    f,
                    "event longer than {limit} bytes (it has more at byte {})",
                    self.offset
                )
            }
            EventErrorKind::TooDeep(limit) => {
                return write!(
                    f,
                    "nesting deeper than {limit} levels at byte {}",
                    self.offset
                )
            }
        };
        write!(f, "{what} at byte {}", self.offset)
    }
}

impl std::error::Error for EventError {}

/// One leaf value of the event, strings already unescaped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Leaf<'a> {
    /// A string.
    Str(&'a str),
    /// A string whose only escapes are `\"` and `\\`, as written in the event (between its
    /// quotes): given instead of [`Leaf::Str`] where the sink takes it
    /// ([`LeafSink::takes_escaped`]).
    EscapedStr(&'a str),
    /// A number, as written.
    Number(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// No field: the path is not matched by any rule.
pub(crate) const NO_FIELD: u32 = u32::MAX;

/// No path node: nothing below this value is used.
const NO_NODE: u32 = u32::MAX;

/// What the rules use of the value at one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PathUse {
    /// The field id leaves at this exact path are reported with, or [`NO_FIELD`].
    field: u32,
    /// The path's node when some used path continues below it (`a` for `a.b`), so objects
    /// here must be entered; else [`NO_NODE`].
    node: u32,
    /// Whether strings here are decoded as JSON (the path is listed for decoding and
    /// something at or below it is used).
    decode: bool,
}

const UNUSED: PathUse = PathUse {
    field: NO_FIELD,
    node: NO_NODE,
    decode: false,
};

impl PathUse {
    fn is_unused(self) -> bool {
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
    nodes: Vec<PathNode>,
    /// The paths whose strings are decoded as JSON.
    decoded: EmbeddedJson,
}

#[derive(Clone, Debug, Default)]
struct PathNode {
    field: u32,
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
fn key_tag(key: &[u8]) -> u64 {
    let length = (key.len().min(255) as u64) << 56;
    length | (load_word(key) & 0x00FF_FFFF_FFFF_FFFF)
}

/// The bit of a key tag in [`PathNode::filter`].
#[inline]
fn tag_bit(tag: u64) -> u64 {
    1 << (tag.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

/// The first eight bytes of `bytes` (fewer: zero-padded), little-endian, without a byte loop:
/// short slices are read as two overlapping loads whose shared bytes agree.
#[inline]
fn load_word(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let get = |at: usize, n: usize| -> u64 {
        let mut word = [0u8; 8];
        if let (Some(to), Some(from)) = (word.get_mut(..n), bytes.get(at..at + n)) {
            to.copy_from_slice(from);
        }
        u64::from_le_bytes(word)
    };
    match len {
        8.. => word_at(bytes, 0).unwrap_or(0),
        4..=7 => get(0, 4) | get(len - 4, 4) << (8 * (len - 4)),
        2..=3 => get(0, 2) | get(len - 2, 2) << (8 * (len - 2)),
        1 => get(0, 1),
        _ => 0,
    }
}

/// The position of the first `.` in `key`, a word at a time.
#[inline]
fn find_dot(key: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = word_at(key, i) {
        let v = word ^ (ONES * u64::from(b'.'));
        let dots = v.wrapping_sub(ONES) & !v & HIGHS;
        if dots != 0 {
            // The lowest marked byte is exact (borrows only spill upwards).
            return Some(i + (dots.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    // Fewer than eight bytes left; the zero padding holds no dot.
    let v = load_word(key.get(i..)?) ^ (ONES * u64::from(b'.'));
    let dots = v.wrapping_sub(ONES) & !v & HIGHS;
    (dots != 0).then(|| i + (dots.trailing_zeros() / 8) as usize)
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
        for segment in path.as_bytes().split(|&b| b == b'.') {
            node = match self.child(node, segment) {
                Some(child) => child,
                None => {
                    let child = self.nodes.len() as u32;
                    self.nodes.push(PathNode {
                        field: NO_FIELD,
                        ..PathNode::default()
                    });
                    if let Some(parent) = self.nodes.get_mut(node as usize) {
                        let tag = key_tag(segment);
                        parent.filter |= tag_bit(tag);
                        parent.children.push((tag, segment.into(), child));
                        if parent.children.len() > LINEAR_CHILDREN {
                            parent.by_key = Some(
                                parent
                                    .children
                                    .iter()
                                    .map(|(_, key, child)| (key.clone(), *child))
                                    .collect(),
                            );
                        }
                    }
                    child
                }
            };
        }
        if let Some(n) = self.nodes.get_mut(node as usize) {
            n.field = field;
        }
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
            if let Some(n) = self.nodes.get_mut(node as usize) {
                n.decode = true;
            }
        }
    }

    fn child(&self, node: u32, segment: &[u8]) -> Option<u32> {
        let n = self.nodes.get(node as usize)?;
        if let Some(map) = &n.by_key {
            return map.get(segment).copied();
        }
        n.child_by_tag(key_tag(segment), segment)
    }

    /// The use of member `key` of an object at `node`.
    fn member(&self, node: u32, key: &[u8]) -> PathUse {
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
    /// [`plain_short_key`]).
    #[inline(always)]
    fn plain_member(&self, node: u32, key: &[u8], words: [u64; 2]) -> PathUse {
        let has_dot = words.iter().any(|&word| {
            let v = word ^ (ONES * u64::from(b'.'));
            // Only the lowest marked byte is exact: a dot in the key is the lowest, and the
            // zero bytes after the key are not dots.
            v.wrapping_sub(ONES) & !v & HIGHS != 0
        });
        if has_dot {
            return self.member(node, key);
        }
        let Some(n) = self.nodes.get(node as usize) else {
            return UNUSED;
        };
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
    fn use_of(&self, node: u32) -> PathUse {
        match self.nodes.get(node as usize) {
            Some(n) => PathUse {
                field: n.field,
                node: if n.children.is_empty() { NO_NODE } else { node },
                decode: n.decode && (n.field != NO_FIELD || !n.children.is_empty()),
            },
            None => UNUSED,
        }
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

/// One element of an array the scanner entered, in the tree of array elements. Node 0 is the
/// root (outside every array).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ArrayNode {
    /// The element this array sits in (0: none).
    pub parent: u32,
    /// Which array of the event (numbered in the order met).
    pub array: u32,
    /// Number of arrays this element is inside.
    pub depth: u32,
}

/// Receives the leaves at used paths.
pub(crate) trait LeafSink {
    /// Whether strings at `field` whose only escapes are `\"` and `\\` may be given as
    /// written ([`Leaf::EscapedStr`]) rather than decoded.
    fn takes_escaped(&self, _field: u32) -> bool {
        false
    }

    /// A leaf at the path registered with `field`, inside array element `node` (see
    /// [`ScanScratch::nodes`]).
    fn leaf(&mut self, field: u32, value: Leaf<'_>, node: u32);
}

/// Reusable buffers of the scanner.
#[derive(Debug, Default)]
pub(crate) struct ScanScratch {
    frames: Vec<Frame>,
    /// Container kinds (`true`: array) of the value being skipped.
    skipping: Vec<bool>,
    /// The unescaped text of the last escaped string read (longer: see [`unescape_rest`]).
    unescaped: Vec<u8>,
    /// The array elements met in used parts of the event; reset per event.
    pub nodes: Vec<ArrayNode>,
    /// Arrays numbered so far in this event (decoded texts included).
    arrays: u32,
    /// Decoded JSON texts waiting to be scanned.
    pending: Vec<Embedded>,
    /// Emptied text buffers, for reuse.
    spare: Vec<String>,
    /// Strings at decoded paths whose text looked like JSON (an object or array) but could
    /// not be decoded, so stayed strings; reset per event.
    pub undecoded: usize,
}

/// At most this many emptied text buffers are kept for reuse.
const SPARE_BUFFERS: usize = 8;

impl ScanScratch {
    fn recycle(&mut self, mut text: String) {
        if self.spare.len() < SPARE_BUFFERS {
            text.clear();
            self.spare.push(text);
        }
    }
}

/// A string's decoded JSON text, to be scanned as the value where the string was.
#[derive(Debug)]
struct Embedded {
    /// The unescaped text: an object or array, already validated.
    text: String,
    /// The use of the string's path.
    usage: PathUse,
    /// The array element the string sits in.
    node: u32,
    /// The arrays and objects enclosing the string.
    depth: usize,
    /// Where the outermost string holding this text starts in the event.
    origin: usize,
}

/// An array or object being read in a used part of the event.
#[derive(Clone, Copy, Debug)]
struct Frame {
    is_array: bool,
    /// Arrays: the use of the array's path, applying to each element. Objects: the node of
    /// the object's path, whose children its members are looked up in.
    usage: PathUse,
    /// The array element the container's content sits in.
    node: u32,
    /// Arrays: the array's number, and the element node holding the array.
    array: u32,
    parent_node: u32,
}

/// Scans one event, reporting every leaf at a used path to `sink`; returns the event as the
/// text it was validated to be, so that callers need not check its UTF-8 again.
pub(crate) fn scan<'e>(
    event: &'e [u8],
    paths: &PathIndex,
    limits: Limits,
    scratch: &mut ScanScratch,
    sink: &mut impl LeafSink,
) -> Result<&'e str, EventError> {
    let max_event_size = limits.max_event_size.min(DEFAULT_MAX_EVENT_SIZE);
    if event.len() > max_event_size {
        return Err(EventError::new(
            max_event_size,
            EventErrorKind::TooLarge(max_event_size),
        ));
    }
    let max_depth = limits.max_depth;
    // simdutf8's check reads 32 or 64 bytes a step where the CPU allows (found at run time):
    // on events of a kilobyte it takes a fraction of the time of `std::str::from_utf8`. Its
    // fast form says only whether the text is UTF-8; the position of a fault comes from std.
    let text = match simdutf8::basic::from_utf8(event) {
        Ok(text) => text,
        Err(_) => {
            let valid_up_to = std::str::from_utf8(event)
                .err()
                .map_or(0, |e| e.valid_up_to());
            return Err(EventError::new(valid_up_to, EventErrorKind::InvalidUtf8));
        }
    };
    scratch.frames.clear();
    scratch.nodes.clear();
    scratch.nodes.push(ArrayNode {
        parent: 0,
        array: u32::MAX,
        depth: 0,
    });
    scratch.arrays = 0;
    scratch.undecoded = 0;
    while let Some(stale) = scratch.pending.pop() {
        scratch.recycle(stale.text);
    }
    let pos = skip_ws(event, 0);
    // The root's own value is not at any path: only the members of a root object count.
    let usage = if event.get(pos) == Some(&b'{') {
        paths.use_of(0)
    } else {
        UNUSED
    };
    Scanner {
        text,
        bytes: event,
        paths,
        max_depth,
        depth_base: 0,
        origin: None,
        scratch,
    }
    .run(pos, usage, 0, sink)?;
    // Decoded texts, each in place of its string; decoding one may queue more.
    while let Some(embedded) = scratch.pending.pop() {
        let bytes = embedded.text.as_bytes();
        let result = Scanner {
            text: &embedded.text,
            bytes,
            paths,
            max_depth,
            depth_base: embedded.depth,
            origin: Some(embedded.origin),
            scratch,
        }
        .run(skip_ws(bytes, 0), embedded.usage, embedded.node, sink);
        scratch.recycle(embedded.text);
        // The text was validated before it was queued, so this is not expected; should it
        // happen, the event's string is where to look.
        result.map_err(|e| EventError::new(embedded.origin, e.kind))?;
    }
    Ok(text)
}

struct Scanner<'e, 's> {
    text: &'e str,
    bytes: &'e [u8],
    paths: &'s PathIndex,
    max_depth: usize,
    /// The arrays and objects enclosing the text (0 for the event; more for decoded text).
    depth_base: usize,
    /// For decoded text: where its outermost string starts in the event.
    origin: Option<usize>,
    scratch: &'s mut ScanScratch,
}

use EventErrorKind as K;

impl Scanner<'_, '_> {
    /// Reads the value at `pos`, whose path use is `usage`, inside element `node`, and
    /// everything in it, then checks that only whitespace follows.
    fn run(
        &mut self,
        mut pos: usize,
        mut usage: PathUse,
        mut node: u32,
        sink: &mut impl LeafSink,
    ) -> Result<(), EventError> {
        let mut arrays = self.scratch.arrays;
        let bytes = self.bytes;
        'value: loop {
            // Read one value at `pos` whose path use is `usage`, inside element `node`.
            let Some(&b) = bytes.get(pos) else {
                return Err(EventError::new(pos, K::UnexpectedEnd));
            };
            let skip = match b {
                b'{' => usage.node == NO_NODE,
                b'[' => usage.is_unused(),
                b'"' => usage.field == NO_FIELD && !usage.decode,
                _ => usage.field == NO_FIELD,
            };
            if skip {
                // Scalars directly: the general skipper sets up a container stack.
                pos = match b {
                    b'"' => skip_string(bytes, pos)?,
                    b'-' | b'0'..=b'9' => skip_number(bytes, pos)?,
                    _ => self.skip_value(pos)?,
                };
            } else {
                match b {
                    b'{' | b'[' => {
                        if self.depth_base + self.scratch.frames.len() >= self.max_depth {
                            return Err(EventError::new(pos, K::TooDeep(self.max_depth)));
                        }
                        let is_array = b == b'[';
                        let mut frame = Frame {
                            is_array,
                            usage,
                            node,
                            array: 0,
                            parent_node: node,
                        };
                        pos = skip_ws(bytes, pos + 1);
                        let closing = if is_array { b']' } else { b'}' };
                        if bytes.get(pos) == Some(&closing) {
                            pos += 1;
                        } else if is_array {
                            frame.array = arrays;
                            arrays = arrays.wrapping_add(1);
                            node = self.new_element(&frame);
                            frame.node = node;
                            self.scratch.frames.push(frame);
                            continue 'value;
                        } else {
                            self.scratch.frames.push(frame);
                            (pos, usage) = self.read_key(pos, usage.node)?;
                            continue 'value;
                        }
                    }
                    b'"' if usage.decode => pos = self.read_embedded(pos, usage, node, sink)?,
                    b'"' if sink.takes_escaped(usage.field) => {
                        let (end, simple) = scan_simple_escapes(bytes, pos)?;
                        let raw = self.text.get(pos + 1..end - 1).unwrap_or("");
                        match simple {
                            Escapes::None => sink.leaf(usage.field, Leaf::Str(raw), node),
                            Escapes::Simple => sink.leaf(usage.field, Leaf::EscapedStr(raw), node),
                            Escapes::Other => {
                                let (_, value) = self.read_string(pos)?;
                                sink.leaf(usage.field, Leaf::Str(value), node);
                            }
                        }
                        pos = end;
                    }
                    b'"' => {
                        let (end, value) = self.read_string(pos)?;
                        sink.leaf(usage.field, Leaf::Str(value), node);
                        pos = end;
                    }
                    b'-' | b'0'..=b'9' => {
                        let end = skip_number(bytes, pos)?;
                        let number = self.text.get(pos..end).unwrap_or("0");
                        sink.leaf(usage.field, Leaf::Number(number), node);
                        pos = end;
                    }
                    _ => {
                        let (end, leaf) = literal(bytes, pos)?;
                        sink.leaf(usage.field, leaf, node);
                        pos = end;
                    }
                }
            }
            // After a value: a separator, the end of containers, or the end of the event.
            loop {
                pos = skip_ws(bytes, pos);
                let Some(frame) = self.scratch.frames.last().copied() else {
                    if pos != bytes.len() {
                        return Err(EventError::new(pos, K::TrailingCharacters));
                    }
                    self.scratch.arrays = arrays;
                    return Ok(());
                };
                let Some(&b) = bytes.get(pos) else {
                    return Err(EventError::new(pos, K::UnexpectedEnd));
                };
                match (frame.is_array, b) {
                    (true, b',') => {
                        pos = skip_ws(bytes, pos + 1);
                        usage = frame.usage;
                        node = self.new_element(&frame);
                        if let Some(top) = self.scratch.frames.last_mut() {
                            top.node = node;
                        }
                        continue 'value;
                    }
                    (false, b',') => {
                        (pos, usage) = self.read_key(pos + 1, frame.usage.node)?;
                        node = frame.node;
                        continue 'value;
                    }
                    (true, b']') | (false, b'}') => {
                        pos += 1;
                        self.scratch.frames.pop();
                    }
                    (true, _) => return Err(EventError::new(pos, K::ExpectedCommaOrArrayEnd)),
                    (false, _) => return Err(EventError::new(pos, K::ExpectedCommaOrObjectEnd)),
                }
            }
        }
    }

    /// Records a new element of the array `frame` describes and returns its node.
    fn new_element(&mut self, frame: &Frame) -> u32 {
        let nodes = &mut self.scratch.nodes;
        let depth = nodes
            .get(frame.parent_node as usize)
            .map_or(0, |parent| parent.depth + 1);
        nodes.push(ArrayNode {
            parent: frame.parent_node,
            array: frame.array,
            depth,
        });
        (nodes.len() - 1) as u32
    }

    /// Reads `"key" :` starting at `pos` (whitespace allowed around) in an object whose path
    /// node is `object`, and returns the position of the value and the use of its path.
    #[inline(always)]
    fn read_key(&mut self, pos: usize, object: u32) -> Result<(usize, PathUse), EventError> {
        let pos = skip_ws(self.bytes, pos);
        match self.bytes.get(pos) {
            Some(b'"') => {}
            Some(_) => return Err(EventError::new(pos, K::ExpectedKey)),
            None => return Err(EventError::new(pos, K::UnexpectedEnd)),
        }
        // Most keys are plain and shorter than sixteen bytes: read, tagged and looked up from
        // the one or two words that hold them and their closing quote.
        let short = plain_short_key(self.bytes, pos + 1);
        let (end, usage) = match short {
            Some((len, words)) => {
                let key = self.bytes.get(pos + 1..pos + 1 + len).unwrap_or(&[]);
                (pos + len + 2, self.paths.plain_member(object, key, words))
            }
            None => {
                let (end, escaped) =
                    read_string_into(self.bytes, pos, &mut self.scratch.unescaped)?;
                let usage = if escaped {
                    self.paths.member(object, &self.scratch.unescaped)
                } else {
                    let raw = self.bytes.get(pos + 1..end - 1).unwrap_or(&[]);
                    self.paths.member(object, raw)
                };
                (end, usage)
            }
        };
        let pos = skip_ws(self.bytes, end);
        match self.bytes.get(pos) {
            Some(b':') => Ok((skip_ws(self.bytes, pos + 1), usage)),
            Some(_) => Err(EventError::new(pos, K::ExpectedColon)),
            None => Err(EventError::new(pos, K::UnexpectedEnd)),
        }
    }

    /// Reads the string starting with the quote at `pos`; returns the position after it and
    /// its unescaped text (borrowed from the event when it has no escapes).
    fn read_string(&mut self, pos: usize) -> Result<(usize, &str), EventError> {
        let (end, escaped) = read_string_into(self.bytes, pos, &mut self.scratch.unescaped)?;
        if !escaped {
            return Ok((end, self.text.get(pos + 1..end - 1).unwrap_or("")));
        }
        // Plain runs are cut at ASCII bytes, and escapes decode to whole characters, so this
        // is the UTF-8 it was; checking again costs little next to decoding.
        std::str::from_utf8(&self.scratch.unescaped)
            .map(|text| (end, text))
            .map_err(|_| EventError::new(pos, K::InvalidUtf8))
    }

    /// Reads the string at `pos`, at a path whose strings are decoded: queues its text when
    /// it is an object or array that fits in the depth left, else reports the string.
    /// Returns the position after the string.
    #[cold]
    fn read_embedded(
        &mut self,
        pos: usize,
        usage: PathUse,
        node: u32,
        sink: &mut impl LeafSink,
    ) -> Result<usize, EventError> {
        let mut buffer = self.scratch.spare.pop().unwrap_or_default().into_bytes();
        let (end, escaped) = read_string_into(self.bytes, pos, &mut buffer)?;
        if !escaped {
            buffer.clear();
            buffer.extend_from_slice(self.bytes.get(pos + 1..end - 1).unwrap_or(&[]));
        }
        let text = String::from_utf8(buffer).map_err(|_| EventError::new(pos, K::InvalidUtf8))?;
        let depth = self.depth_base + self.scratch.frames.len();
        if holds_container(&text, depth, self.max_depth, &mut self.scratch.skipping) {
            self.scratch.pending.push(Embedded {
                text,
                usage,
                node,
                depth,
                origin: self.origin.unwrap_or(pos),
            });
        } else {
            if starts_container(&text) {
                self.scratch.undecoded += 1;
            }
            if usage.field != NO_FIELD {
                sink.leaf(usage.field, Leaf::Str(&text), node);
            }
            self.scratch.recycle(text);
        }
        Ok(end)
    }

    /// Validates the value at `pos` without reporting anything; returns the position after
    /// it. Its nesting counts towards the depth limit from the current depth.
    fn skip_value(&mut self, pos: usize) -> Result<usize, EventError> {
        skip_value(
            self.bytes,
            pos,
            self.depth_base + self.scratch.frames.len(),
            self.max_depth,
            &mut self.scratch.skipping,
        )
    }
}

/// Whether `text` starts (after whitespace) as a JSON object or array does: text meant to be
/// decoded, when it is at a decoded path.
fn starts_container(text: &str) -> bool {
    let bytes = text.as_bytes();
    matches!(bytes.get(skip_ws(bytes, 0)), Some(b'{' | b'['))
}

/// Whether `text` is a JSON object or array (whitespace around allowed) nesting at most
/// `max_depth - depth` levels: what a string at a decoded path, `depth` containers deep, is
/// replaced by. The same rule as the reference's `decode_embedded`.
fn holds_container(text: &str, depth: usize, max_depth: usize, stack: &mut Vec<bool>) -> bool {
    let bytes = text.as_bytes();
    let start = skip_ws(bytes, 0);
    if !matches!(bytes.get(start), Some(b'{' | b'[')) {
        return false;
    }
    match skip_value(bytes, start, depth, max_depth, stack) {
        Ok(end) => skip_ws(bytes, end) == bytes.len(),
        Err(_) => false,
    }
}

/// Validates the value at `pos` of `bytes`, which sits `base_depth` containers deep; returns
/// the position after it. `stack` is scratch space.
fn skip_value(
    bytes: &[u8],
    mut pos: usize,
    base_depth: usize,
    max_depth: usize,
    stack: &mut Vec<bool>,
) -> Result<usize, EventError> {
    stack.clear();
    loop {
        // A value at `pos`.
        let Some(&b) = bytes.get(pos) else {
            return Err(EventError::new(pos, K::UnexpectedEnd));
        };
        match b {
            b'"' => pos = skip_string(bytes, pos)?,
            b'{' | b'[' => {
                if base_depth + stack.len() >= max_depth {
                    return Err(EventError::new(pos, K::TooDeep(max_depth)));
                }
                let is_array = b == b'[';
                pos = skip_ws(bytes, pos + 1);
                let closing = if is_array { b']' } else { b'}' };
                if bytes.get(pos) == Some(&closing) {
                    pos += 1;
                } else {
                    stack.push(is_array);
                    if !is_array {
                        pos = skip_key(bytes, pos)?;
                    }
                    continue;
                }
            }
            b'-' | b'0'..=b'9' => {
                pos = skip_number(bytes, pos)?;
                // Arrays of numbers (coordinates, series) are most of what is skipped: their
                // next numbers are read here rather than through the loop's dispatch.
                if stack.last() == Some(&true) {
                    while bytes.get(pos) == Some(&b',') {
                        let next = skip_ws(bytes, pos + 1);
                        if !matches!(bytes.get(next), Some(b'-' | b'0'..=b'9')) {
                            break;
                        }
                        pos = skip_number(bytes, next)?;
                    }
                }
            }
            _ => pos = literal(bytes, pos)?.0,
        }
        // After a value.
        loop {
            pos = skip_ws(bytes, pos);
            let Some(&is_array) = stack.last() else {
                return Ok(pos);
            };
            match (is_array, bytes.get(pos)) {
                (true, Some(b',')) => {
                    pos = skip_ws(bytes, pos + 1);
                    break;
                }
                (false, Some(b',')) => {
                    pos = skip_key(bytes, pos + 1)?;
                    break;
                }
                (true, Some(b']')) | (false, Some(b'}')) => {
                    pos += 1;
                    stack.pop();
                }
                (_, None) => return Err(EventError::new(pos, K::UnexpectedEnd)),
                (true, _) => return Err(EventError::new(pos, K::ExpectedCommaOrArrayEnd)),
                (false, _) => return Err(EventError::new(pos, K::ExpectedCommaOrObjectEnd)),
            }
        }
    }
}

/// Validates `"key" :` at `pos` (whitespace allowed around); returns the value's position.
fn skip_key(bytes: &[u8], pos: usize) -> Result<usize, EventError> {
    let pos = skip_ws(bytes, pos);
    match bytes.get(pos) {
        Some(b'"') => {}
        Some(_) => return Err(EventError::new(pos, K::ExpectedKey)),
        None => return Err(EventError::new(pos, K::UnexpectedEnd)),
    }
    let pos = skip_ws(bytes, skip_string(bytes, pos)?);
    match bytes.get(pos) {
        Some(b':') => Ok(skip_ws(bytes, pos + 1)),
        Some(_) => Err(EventError::new(pos, K::ExpectedColon)),
        None => Err(EventError::new(pos, K::UnexpectedEnd)),
    }
}

/// Reads `true`, `false` or `null` at `pos`.
fn literal(bytes: &[u8], pos: usize) -> Result<(usize, Leaf<'static>), EventError> {
    let (text, leaf): (&[u8], Leaf<'_>) = match bytes.get(pos) {
        Some(b't') => (b"true", Leaf::Bool(true)),
        Some(b'f') => (b"false", Leaf::Bool(false)),
        Some(b'n') => (b"null", Leaf::Null),
        Some(_) => return Err(EventError::new(pos, K::ExpectedValue)),
        None => return Err(EventError::new(pos, K::UnexpectedEnd)),
    };
    match bytes.get(pos..pos + text.len()) {
        Some(found) if found == text => Ok((pos + text.len(), leaf)),
        Some(_) => Err(EventError::new(pos, K::ExpectedValue)),
        None => {
            // Report the end when the input is a truncated literal, else the wrong byte.
            let available = bytes.get(pos..).unwrap_or(&[]);
            if text.starts_with(available) {
                Err(EventError::new(bytes.len(), K::UnexpectedEnd))
            } else {
                Err(EventError::new(pos, K::ExpectedValue))
            }
        }
    }
}

#[inline]
fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of the word that are `"`, `\` or a control character, as their high bits. The
/// lowest set bit is exact (borrows only spill into higher bytes), which is all the callers use.
#[inline]
fn special_bytes(word: u64) -> u64 {
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = zero_bytes(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_bytes(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control
}

/// Where the run of plain string bytes starting at `i` ends, looked for eight bytes at a time:
/// at the first `"`, `\` or control character, or where fewer than eight bytes are left (the
/// callers' byte-wise checks take it from there).
#[inline]
fn plain_run_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(word) = word_at(bytes, i) {
        let special = special_bytes(word);
        if special != 0 {
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// The length of the string body starting at `i` when it ends with a quote within the next
/// sixteen bytes and holds no escape or control character, with its bytes as two
/// little-endian words, zero after the body.
#[inline(always)]
fn plain_short_key(bytes: &[u8], i: usize) -> Option<(usize, [u64; 2])> {
    let first = word_at(bytes, i)?;
    let in_first = (special_bytes(first).trailing_zeros() / 8) as usize;
    let (len, words) = if in_first < 8 {
        (in_first, [first & ((1u64 << (8 * in_first)) - 1), 0])
    } else {
        let second = word_at(bytes, i + 8)?;
        let in_second = (special_bytes(second).trailing_zeros() / 8) as usize;
        if in_second == 8 {
            return None;
        }
        (
            8 + in_second,
            [first, second & ((1u64 << (8 * in_second)) - 1)],
        )
    };
    (bytes.get(i + len) == Some(&b'"')).then_some((len, words))
}

/// Eight bytes at `i`, little-endian, when there are that many.
#[inline]
fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Validates the string starting with the quote at `pos`; returns the position after its
/// closing quote and whether it contains escapes.
#[inline]
fn scan_string(bytes: &[u8], pos: usize) -> Result<(usize, bool), EventError> {
    let mut i = pos + 1;
    let mut escaped = false;
    loop {
        i = plain_run_end(bytes, i);
        let Some(&b) = bytes.get(i) else {
            return Err(EventError::new(bytes.len(), K::UnexpectedEnd));
        };
        match b {
            b'"' => return Ok((i + 1, escaped)),
            b'\\' => {
                escaped = true;
                i = check_escape(bytes, i)?;
            }
            0..=0x1f => return Err(EventError::new(i, K::ControlCharacterInString)),
            _ => i += 1,
        }
    }
}

/// What escapes a string holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escapes {
    None,
    /// Only `\"` and `\\`.
    Simple,
    /// Some other escape.
    Other,
}

/// Validates the string starting with the quote at `pos`, like [`scan_string`]; returns the
/// position after its closing quote and what escapes it holds. Kept apart from
/// [`scan_string`], which skips most strings: with the classification in it, city-lots EXACT
/// and CIDR took 4–6% more instructions per event.
fn scan_simple_escapes(bytes: &[u8], pos: usize) -> Result<(usize, Escapes), EventError> {
    let mut i = pos + 1;
    let mut escapes = Escapes::None;
    loop {
        i = plain_run_end(bytes, i);
        let Some(&b) = bytes.get(i) else {
            return Err(EventError::new(bytes.len(), K::UnexpectedEnd));
        };
        match b {
            b'"' => return Ok((i + 1, escapes)),
            b'\\' => {
                if let Some(b'"' | b'\\') = bytes.get(i + 1) {
                    if escapes == Escapes::None {
                        escapes = Escapes::Simple;
                    }
                    i += 2;
                } else {
                    escapes = Escapes::Other;
                    i = check_escape(bytes, i)?;
                }
            }
            0..=0x1f => return Err(EventError::new(i, K::ControlCharacterInString)),
            _ => i += 1,
        }
    }
}

fn skip_string(bytes: &[u8], pos: usize) -> Result<usize, EventError> {
    scan_string(bytes, pos).map(|(end, _)| end)
}

/// Validates the escape whose backslash is at `pos`; returns the position after it.
fn check_escape(bytes: &[u8], pos: usize) -> Result<usize, EventError> {
    match bytes.get(pos + 1) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(pos + 2),
        Some(b'u') => {
            let unit = hex4(bytes, pos + 2)?;
            match unit {
                0xD800..=0xDBFF => {
                    if bytes.get(pos + 6) == Some(&b'\\') && bytes.get(pos + 7) == Some(&b'u') {
                        let low = hex4(bytes, pos + 8)?;
                        if (0xDC00..=0xDFFF).contains(&low) {
                            return Ok(pos + 12);
                        }
                    }
                    Err(EventError::new(pos, K::LoneSurrogate))
                }
                0xDC00..=0xDFFF => Err(EventError::new(pos, K::LoneSurrogate)),
                _ => Ok(pos + 6),
            }
        }
        Some(_) => Err(EventError::new(pos, K::InvalidEscape)),
        None => Err(EventError::new(pos + 1, K::UnexpectedEnd)),
    }
}

fn hex4(bytes: &[u8], pos: usize) -> Result<u32, EventError> {
    let mut value = 0u32;
    for i in pos..pos + 4 {
        let digit = match bytes.get(i) {
            Some(&b) => (b as char).to_digit(16),
            None => return Err(EventError::new(i, K::UnexpectedEnd)),
        };
        match digit {
            Some(d) => value = value * 16 + d,
            None => return Err(EventError::new(i, K::InvalidEscape)),
        }
    }
    Ok(value)
}

/// Validates the string starting with the quote at `pos` of `bytes` and, when it has escapes,
/// writes its unescaped body to `out` in the same pass (`out` is left alone otherwise).
/// Returns the position after its closing quote and whether it has escapes. Errors are those
/// of [`scan_string`].
#[inline]
fn read_string_into(
    bytes: &[u8],
    pos: usize,
    out: &mut Vec<u8>,
) -> Result<(usize, bool), EventError> {
    let mut i = pos + 1;
    loop {
        i = plain_run_end(bytes, i);
        match bytes.get(i) {
            Some(b'"') => return Ok((i + 1, false)),
            Some(b'\\') => break,
            Some(0..=0x1f) => return Err(EventError::new(i, K::ControlCharacterInString)),
            Some(_) => i += 1,
            None => return Err(EventError::new(bytes.len(), K::UnexpectedEnd)),
        }
    }
    out.clear();
    out.extend_from_slice(bytes.get(pos + 1..i).unwrap_or(&[]));
    unescape_rest(bytes, i, out).map(|end| (end, true))
}

/// Unescapes the rest of a string from the backslash at `i` onwards, appending to `out`;
/// returns the position after the closing quote.
///
/// Escaped strings are mostly JSON text embedded in a string (`{\"uri\":\"/v1/…`): runs of a
/// few plain bytes between escapes. So each word is stored to `out` before it is checked, and
/// the written length then advances past just its plain bytes: no call to copy a short run,
/// and each byte is read once. `out` is kept longer than what is written for that, and cut
/// to it at the end. The escapes of embedded JSON (`\"`, `\\`, `\/`) are decoded without
/// leaving the word loop; the others, and the last bytes (fewer than a word), one at a time.
fn unescape_rest(bytes: &[u8], mut i: usize, out: &mut Vec<u8>) -> Result<usize, EventError> {
    let mut len = out.len();
    loop {
        while let Some(word) = word_at(bytes, i) {
            if let Ok(to) = <&mut [u8; 8]>::try_from(room(out, len, 8)) {
                *to = word.to_le_bytes();
            }
            let special = special_bytes(word);
            if special == 0 {
                i += 8;
                len += 8;
                continue;
            }
            let plain = (special.trailing_zeros() / 8) as usize;
            i += plain;
            len += plain;
            // The escapes of JSON embedded in strings, without leaving the loop.
            match bytes.get(i..i + 2) {
                Some(&[b'\\', c @ (b'"' | b'\\' | b'/')]) => {
                    if let Some(to) = room(out, len, 1).first_mut() {
                        *to = c;
                    }
                    i += 2;
                    len += 1;
                }
                _ => break,
            }
        }
        let Some(&b) = bytes.get(i) else {
            return Err(EventError::new(bytes.len(), K::UnexpectedEnd));
        };
        match b {
            b'"' => {
                out.truncate(len);
                return Ok(i + 1);
            }
            b'\\' => {
                let (c, end) = decode_escape(bytes, i)?;
                if let Ok(to) = <&mut [u8; 4]>::try_from(room(out, len, 4)) {
                    c.encode_utf8(to);
                }
                i = end;
                len += c.len_utf8();
            }
            0..=0x1f => return Err(EventError::new(i, K::ControlCharacterInString)),
            // Fewer than eight bytes are left: one at a time, as they are.
            _ => {
                if let Some(to) = room(out, len, 1).first_mut() {
                    *to = b;
                }
                i += 1;
                len += 1;
            }
        }
    }
}

/// `out[len..len + n]`, first making `out` long enough.
#[inline]
fn room(out: &mut Vec<u8>, len: usize, n: usize) -> &mut [u8] {
    if out.len() < len + n {
        out.resize((len + n).max(2 * out.len()).max(64), 0);
    }
    out.get_mut(len..len + n).unwrap_or_default()
}

/// Validates the escape whose backslash is at `pos`, like [`check_escape`]; returns the
/// character it stands for and the position after it.
fn decode_escape(bytes: &[u8], pos: usize) -> Result<(char, usize), EventError> {
    let end = check_escape(bytes, pos)?;
    let decoded = match bytes.get(pos + 1) {
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let high = hex4(bytes, pos + 2)?;
            let code = if end == pos + 12 {
                // A valid surrogate pair (checked above).
                let low = hex4(bytes, pos + 8)?;
                0x10000 + (high.wrapping_sub(0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
            } else {
                high
            };
            char::from_u32(code).unwrap_or('\u{FFFD}')
        }
        Some(&other) => other as char,
        None => return Err(EventError::new(pos + 1, K::UnexpectedEnd)),
    };
    Ok((decoded, end))
}

/// The position after the run of ASCII digits starting at `i`.
#[inline]
fn digits_from(bytes: &[u8], mut i: usize) -> usize {
    while let Some(word) = word_at(bytes, i) {
        // Per byte: high nibble 3 and low nibble at most 9 (adding 6 must not carry into
        // the high nibble). Bytes that fail have their marker bit set.
        let not_digit = ((word & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030)
            | ((word.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0)
                ^ 0x3030_3030_3030_3030);
        if not_digit != 0 {
            return i + (not_digit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// Validates JSON number grammar starting at `pos`; returns the position after the number.
#[inline]
fn skip_number(bytes: &[u8], pos: usize) -> Result<usize, EventError> {
    let mut i = pos;
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits_from(bytes, i + 1),
        Some(_) => return Err(EventError::new(i, K::InvalidNumber)),
        None => return Err(EventError::new(i, K::UnexpectedEnd)),
    }
    if bytes.get(i) == Some(&b'.') {
        if !digit(i + 1) {
            return Err(EventError::new(i + 1, K::InvalidNumber));
        }
        i = digits_from(bytes, i + 1);
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = bytes.get(i) {
            i += 1;
        }
        if !digit(i) {
            return Err(EventError::new(i, K::InvalidNumber));
        }
        i = digits_from(bytes, i);
    }
    Ok(i)
}

#[cfg(test)]
mod tests;
