//! What one event may cost: `--max-event-size` and `--max-depth`, the same for every command
//! that reads events.

use evpattern::matcher::{DEFAULT_MAX_DEPTH, DEFAULT_MAX_EVENT_SIZE};
use evpattern::{EventError, Matcher};

/// The longest event accepted unless `--max-event-size` says otherwise: 1 MiB, four times
/// EventBridge's own limit of 256 KiB per entry, so that an event AWS could carry always
/// passes and a runaway line costs little.
pub const DEFAULT_EVENT_SIZE: usize = 1 << 20;

/// `--max-event-size` and `--max-depth`.
#[derive(clap::Args, Clone, Copy)]
pub struct EventLimits {
    /// Deepest nesting of arrays and objects accepted in an event; deeper events are errors.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DEPTH)]
    pub max_depth: usize,

    /// Longest event accepted, in bytes (a line's end excluded); longer events are errors,
    /// and only this much of them is read into memory. The default, 1 MiB, is four times
    /// EventBridge's own limit (262144, 256 KiB); at most 4294967295 (4 GiB - 1), the most the
    /// matcher can address.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_EVENT_SIZE as u64,
          value_parser = clap::value_parser!(u64).range(0..=DEFAULT_MAX_EVENT_SIZE as u64))]
    max_event_size: u64,
}

impl EventLimits {
    /// The longest event accepted, in bytes.
    pub fn max_event_size(&self) -> usize {
        // The parser admits nothing above DEFAULT_MAX_EVENT_SIZE, which fits a usize.
        usize::try_from(self.max_event_size).unwrap_or(DEFAULT_MAX_EVENT_SIZE)
    }

    /// Sets these limits on `matcher`.
    pub fn apply<K>(&self, matcher: &mut Matcher<K>)
    where
        K: Clone + Eq + std::hash::Hash + Send + Sync,
    {
        matcher.set_max_depth(self.max_depth);
        matcher.set_max_event_size(self.max_event_size());
    }

    /// Why `event` is not a JSON text within these limits, if it is not: the scanner's
    /// error, with its byte offset.
    pub fn check(&self, event: &[u8]) -> Result<(), EventError> {
        let mut validator: Matcher<u8> = Matcher::new();
        self.apply(&mut validator);
        validator.matches(event).map(drop)
    }
}
