//! The scanner's state machine: one pass over the event with an explicit stack, entering only
//! the used parts and reporting their leaves; embedded JSON texts are queued and scanned after.

use super::elements::{holds_a_value, ELEMENTS_ONE_BY_ONE};
use super::error::{EventError, EventErrorKind};
use super::lex::{
    literal, plain_short_key, read_string_into, scan_simple_escapes, skip_number, skip_string,
    skip_ws, Escapes,
};
use super::path_index::{PathIndex, PathUse, NO_NODE, UNUSED};
use super::skip::{skip_rest_trusted, skip_value, skip_value_trusted};
use super::{EventLimits, Leaf, DEFAULT_MAX_EVENT_SIZE, NO_FIELD};

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
    /// The unescaped text of the last escaped string read (longer: see
    /// `lex::string::unescape_rest`).
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
    /// Objects in trusted-input mode: how many more distinct members could lead to a used
    /// path (see [`PathIndex::keys_used_below`]).
    keys_left: u32,
}

/// Scans one event, reporting every leaf at a used path to `sink`; returns the event as the
/// text it was validated to be, so that callers need not check its UTF-8 again.
pub(crate) fn scan<'e>(
    event: &'e [u8],
    paths: &PathIndex,
    limits: EventLimits,
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
    let trusted = limits.trusted_input;
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
        trusted,
        depth_base: 0,
        origin: None,
        one_field_elements: 0,
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
            trusted,
            depth_base: embedded.depth,
            origin: Some(embedded.origin),
            one_field_elements: 0,
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
    /// Trusted-input mode (see [`super::EventLimits::trusted_input`]).
    trusted: bool,
    /// The arrays and objects enclosing the text (0 for the event; more for decoded text).
    depth_base: usize,
    /// For decoded text: where its outermost string starts in the event.
    origin: Option<usize>,
    /// Elements read so far (after the first) in the current array of one field and the
    /// arrays nested in it (see `super::elements`).
    one_field_elements: u32,
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
            if skip && self.trusted {
                pos = skip_value_trusted(bytes, pos);
            } else if skip {
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
                            keys_left: if is_array {
                                0
                            } else {
                                self.paths.keys_used_below(usage.node)
                            },
                        };
                        pos = skip_ws(bytes, pos + 1);
                        let closing = if is_array { b']' } else { b'}' };
                        if bytes.get(pos) == Some(&closing) {
                            pos += 1;
                        } else if is_array {
                            if holds_one_field(usage) {
                                let nested =
                                    self.scratch.frames.last().is_some_and(|outer| {
                                        outer.is_array && outer.usage == usage
                                    });
                                if !nested {
                                    self.one_field_elements = 0;
                                }
                            }
                            frame.array = arrays;
                            arrays = arrays.wrapping_add(1);
                            node = self.new_element(&frame);
                            frame.node = node;
                            self.scratch.frames.push(frame);
                            continue 'value;
                        } else {
                            self.scratch.frames.push(frame);
                            (pos, usage) = self.read_key(pos, usage.node)?;
                            self.count_key(usage);
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
                if self.trusted && !frame.is_array && frame.keys_left == 0 {
                    // Trusted input: every key of this object that could lead to a used path
                    // has been read, so nothing left in it can change the answer. Valid JSON
                    // has no duplicate keys in one object, and distinct keys lead to distinct
                    // path nodes (see `PathIndex::keys_used_below`), so any other member is
                    // unused and would only have been skipped. A used path may well appear
                    // again later, but only in another object (another array element, or a
                    // member of an enclosing object), each of which counts for itself.
                    if self.scratch.frames.len() == 1 {
                        // The outermost object of this text: only whitespace may follow it.
                        self.scratch.frames.pop();
                        self.scratch.arrays = arrays;
                        return Ok(());
                    }
                    pos = skip_rest_trusted(bytes, pos);
                    self.scratch.frames.pop();
                    continue;
                }
                let Some(&b) = bytes.get(pos) else {
                    return Err(EventError::new(pos, K::UnexpectedEnd));
                };
                match (frame.is_array, b) {
                    (true, b',') => {
                        pos = skip_ws(bytes, pos + 1);
                        usage = frame.usage;
                        node = self.new_element(&frame);
                        let one_field = holds_one_field(usage);
                        if one_field {
                            // Counted over the outermost such array and the arrays nested in
                            // it, so that nesting (16 arrays of 16 of 16 ...) gains nothing.
                            self.one_field_elements = self.one_field_elements.saturating_add(1);
                        }
                        if one_field && self.one_field_elements >= ELEMENTS_ONE_BY_ONE {
                            // A long array of one field: the rest of it as one text, in one
                            // element of its own (see `super::elements`).
                            let end = self.skip_elements(pos)?;
                            let rest = self.text.get(pos..end).unwrap_or("");
                            if holds_a_value(rest) {
                                sink.leaf(usage.field, Leaf::Elements(rest), node);
                            }
                            pos = end;
                            continue;
                        }
                        if let Some(top) = self.scratch.frames.last_mut() {
                            top.node = node;
                        }
                        continue 'value;
                    }
                    (false, b',') => {
                        (pos, usage) = self.read_key(pos + 1, frame.usage.node)?;
                        self.count_key(usage);
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

    /// In trusted-input mode, counts a member of the innermost object whose key led to `usage`
    /// (see [`Frame::keys_left`]).
    #[inline(always)]
    fn count_key(&mut self, usage: PathUse) {
        if self.trusted && !usage.is_unused() {
            if let Some(frame) = self.scratch.frames.last_mut() {
                frame.keys_left = frame.keys_left.saturating_sub(1);
            }
        }
    }

    /// Records a new element of the array `frame` describes and returns its node.
    fn new_element(&mut self, frame: &Frame) -> u32 {
        let nodes = &mut self.scratch.nodes;
        // Element ids are indices into `nodes`, made here (node 0, the root, by `scan`).
        let depth = nodes[frame.parent_node as usize].depth + 1;
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

    /// Validates the elements of the innermost array from the one at `pos` to its end;
    /// returns the position of its closing bracket.
    #[cold]
    fn skip_elements(&mut self, mut pos: usize) -> Result<usize, EventError> {
        loop {
            pos = skip_ws(self.bytes, self.skip_value(pos)?);
            match self.bytes.get(pos) {
                Some(b',') => pos = skip_ws(self.bytes, pos + 1),
                Some(b']') => return Ok(pos),
                Some(_) => return Err(EventError::new(pos, K::ExpectedCommaOrArrayEnd)),
                None => return Err(EventError::new(pos, K::UnexpectedEnd)),
            }
        }
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

/// Whether every leaf inside an array whose elements have path use `usage` is a leaf of
/// `usage.field`: nothing below the path is used, and its strings are not decoded.
fn holds_one_field(usage: PathUse) -> bool {
    usage.node == NO_NODE && !usage.decode
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
