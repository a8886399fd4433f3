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
//! Trusted-input mode trades those checks for speed where the producer already guarantees
//! valid JSON without duplicate keys: unused values are passed over looking only at quotes,
//! escapes and brackets, and an object is left as soon as no further member of it can lead to
//! a used path (see `Scanner::run`). The parts read are still read with every check.
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

mod elements;
mod error;
mod lex;
mod path_index;
mod scanner;
mod skip;

pub(crate) use elements::for_each_element;
pub use error::{EventError, EventErrorKind};
pub(crate) use path_index::PathIndex;
pub(crate) use scanner::{scan, ArrayNode, LeafSink, ScanScratch};

pub(crate) use crate::DEFAULT_MAX_DEPTH;

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
pub(crate) struct EventLimits {
    /// The deepest nesting of arrays and objects (decoded JSON text included).
    pub max_depth: usize,
    /// The longest event in bytes; at most [`DEFAULT_MAX_EVENT_SIZE`].
    pub max_event_size: usize,
    /// Trusted-input mode ([`crate::Matcher::set_trusted_input`]): unused parts are passed
    /// over unchecked, and an object is left once no further member of it can lead to a used
    /// path.
    pub trusted_input: bool,
}

impl Default for EventLimits {
    fn default() -> EventLimits {
        EventLimits {
            max_depth: DEFAULT_MAX_DEPTH,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            trusted_input: false,
        }
    }
}

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
    /// The rest of a long array of this field, from an element to the array's end, as
    /// validated text (see [`elements`]): given instead of one leaf per element.
    Elements(&'a str),
}

/// No field: the path is not matched by any rule.
pub(crate) const NO_FIELD: u32 = u32::MAX;

#[cfg(test)]
mod tests;
