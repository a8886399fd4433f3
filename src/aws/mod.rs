//! AWS EventBridge's own APIs, reproduced as AWS behaves them (checks, error codes and
//! messages included). Today one: [`TestEventPattern`](mod@test_event_pattern).

pub mod test_event_pattern;

pub use test_event_pattern::*;
