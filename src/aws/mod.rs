//! AWS EventBridge's own APIs, reproduced as AWS behaves them. Today one, in
//! `test_event_pattern.rs`: `TestEventPattern` ([`test_event_pattern()`],
//! [`test_event_pattern_with`]), with the same checks of the request, the same error codes
//! and messages, the same verdict.
//!
//! The checks, in order:
//!
//! 1. The pattern may be at most 4096 characters (UTF-16 code units, as AWS's Java service
//!    counts them). AWS enforces this as a constraint of the request, answered by its API
//!    layer with a `ValidationException` in its standard wording for length constraints
//!    (`1 validation error detected: Value '…' at 'eventPattern' failed to satisfy
//!    constraint: Member must have length less than or equal to 4096`; the wording is the
//!    one the same API gives for its other length constraints, not a recording of this one).
//! 2. The event must be a JSON object with the fields `id`, `account`, `source`, `time`,
//!    `region` and `detail-type`, of any JSON type (AWS accepts a list as `detail-type`, and
//!    despite its documentation does not require `resources`). Otherwise:
//!    `ValidationException`, `Parameter Event is not valid.` The event may nest at most
//!    [`DEFAULT_MAX_DEPTH`](crate::DEFAULT_MAX_DEPTH) levels.
//! 3. The pattern must parse ([`Pattern::parse_with`](crate::Pattern::parse_with) with
//!    [`Limits::aws`](crate::pattern::Limits::aws)); otherwise
//!    `InvalidEventPatternException` with the [`PatternError`](crate::PatternError)'s message.
//!
//! AWS's order between 2 and 3 is not recorded (no recorded case has both a bad event and a
//! bad pattern); we check the event first, as LocalStack's emulation does.
//!
//! The match itself is [`crate::reference::matches`].

mod test_event_pattern;

pub use test_event_pattern::*;
