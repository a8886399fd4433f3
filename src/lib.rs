//! # evpattern
//!
//! Amazon EventBridge event patterns, parsed exactly as AWS parses them and compiled into one
//! automaton that matches JSON events against thousands of rules in a single pass over the
//! event bytes.
//!
//! ```
//! use evpattern::{Matcher, Pattern};
//!
//! // Rules are keyed by anything Clone + Eq + Hash + Send + Sync; here, names.
//! let mut matcher = Matcher::new();
//! matcher.add_rule("ec2-running", r#"{"source": ["aws.ec2"], "detail": {"state": ["running"]}}"#)?;
//! matcher.add_rule("big-orders", r#"{"detail": {"total": [{"numeric": [">", 1000]}]}}"#)?;
//!
//! // One pass over the event's bytes answers every rule.
//! let event = br#"{"source": "aws.ec2", "detail": {"state": "running", "total": 5}}"#;
//! assert_eq!(matcher.matches(event)?, vec!["ec2-running"]);
//!
//! // Malformed JSON anywhere in the event is an error with a byte offset, never a "no".
//! let error = matcher.matches(br#"{"source": "aws.ec2",}"#).unwrap_err();
//! assert_eq!(error.offset(), 21);
//!
//! // A pattern AWS would refuse is refused here, in AWS's words.
//! let refused = Pattern::parse(r#"{"source": "aws.ec2"}"#).unwrap_err();
//! assert!(refused.to_string().starts_with("Event pattern is not valid."));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Rules that change while other threads match go in a [`SharedMatcher`]; see its
//! documentation for what a change costs.
//!
//! The crate is layered like the data flows:
//!
//! - [`pattern`]: the pattern language: parser, validation with AWS-worded errors, the AST.
//! - [`json`]: a JSON tree that keeps duplicate keys and number text (for the parser and the
//!   reference matcher).
//! - [`mod@reference`]: the reference matcher, written for clarity; the oracle of every test.
//! - `compile` (internal): many patterns into one automaton.
//! - `scan` (internal): the event scanner over raw bytes.
//! - [`matcher`]: the public, thread-safe [`Matcher`].
//! - [`dsl`]: a filter language that compiles to patterns.
//! - [`saasus`]: knowledge of SaaSus Platform events and its API catalogue.
//! - [`explain`]: why an event did or did not match, condition by condition.
//! - [`lint`]: rules that can never do what their author meant.
//! - [`coverage`]: which rules fire on a corpus of events.
//! - [`ruleset`]: named rule sets loaded from files, directories and inline rules.
//! - [`embedded`]: opt-in decoding of JSON carried inside string fields.
//! - [`aws`]: AWS's own APIs as AWS behaves them: `TestEventPattern`.
//! - `server` (feature `server`): `evpattern serve`, a local EventBridge over HTTP.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aws;
mod compile;
pub mod coverage;
pub mod dsl;
pub mod embedded;
pub mod explain;
pub mod json;
pub mod lint;
pub mod matcher;
pub mod pattern;
pub mod reference;
pub mod ruleset;
pub mod saasus;
mod scan;
#[cfg(feature = "server")]
pub mod server;

pub use aws::{test_event_pattern, TestError};

/// The nesting depth (arrays and objects) accepted by default, everywhere one is counted:
/// in events by [`Matcher`] (see [`Matcher::set_max_depth`]), by the reference matcher and by
/// [`test_event_pattern`], and in pattern text by [`pattern::Limits::default`].
///
/// Deep enough for any real event or pattern (EventBridge events are at most 256 KiB and
/// rarely nest past a dozen levels), shallow enough that the recursive readers (the JSON tree
/// of the pattern parser and of the reference matcher) stay well inside the 2 MiB stack of a
/// spawned thread even in debug builds.
///
/// ```
/// use evpattern::{Matcher, DEFAULT_MAX_DEPTH};
///
/// let m: Matcher<&str> = Matcher::new();
/// assert_eq!(m.max_depth(), DEFAULT_MAX_DEPTH);
/// assert_eq!(DEFAULT_MAX_DEPTH, 256);
/// ```
pub const DEFAULT_MAX_DEPTH: usize = 256;
pub use embedded::EmbeddedJson;
pub use matcher::{EventError, EventErrorKind, MatchScratch, Matcher, SharedMatcher};
pub use pattern::{Pattern, PatternError};

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
