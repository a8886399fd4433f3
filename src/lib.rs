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
//! - [`compile`]: many patterns into one automaton.
//! - [`scan`]: the event scanner over raw bytes.
//! - [`matcher`]: the public, thread-safe [`Matcher`].
//! - [`dsl`]: a filter language that compiles to patterns.
//! - [`saasus`]: knowledge of SaaSus Platform events and its API catalogue.
//! - [`explain`]: why an event did or did not match, condition by condition.
//! - [`ruleset`]: named rule sets loaded from files, directories and inline rules.
//! - [`embedded`]: opt-in decoding of JSON carried inside string fields.
//! - [`aws`]: the `TestEventPattern` API as AWS behaves.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aws;
pub mod compile;
pub mod dsl;
pub mod embedded;
pub mod explain;
pub mod json;
pub mod matcher;
pub mod pattern;
pub mod reference;
pub mod ruleset;
pub mod saasus;
pub mod scan;

pub use aws::{test_event_pattern, TestError};
pub use embedded::EmbeddedJson;
pub use matcher::{EventError, EventErrorKind, MatchScratch, Matcher, SharedMatcher};
pub use pattern::{Pattern, PatternError};

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
