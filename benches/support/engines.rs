//! The matchers under test behind one small interface, so every benchmark measures each peer
//! the same way: rules in (rule `i` answers as key `i`), events in, matching keys out.
//!
//! - [`Evpattern`]: our compiled matcher.
//! - [`QuaminaCrate`]: the `quamina` crate (Rust port of quamina), the peer to beat.
//! - [`Reference`]: our reference matcher, one tree walk per rule per event.
//! - [`floor`]: not a matcher; the cost of merely validating the event JSON, the least any
//!   correct matcher must spend.

use std::hint::black_box;

/// A compiled set of rules that can answer which of them an event matches.
pub trait Engine {
    /// Matches one event and returns the keys of the matching rules, sorted. Used to check the
    /// engines agree; an event the engine rejects matches nothing.
    fn matching(&mut self, event: &[u8]) -> Vec<u32>;

    /// Matches one event on the fast path and returns how many rules matched.
    fn count(&mut self, event: &[u8]) -> usize;
}

/// The cost floor: validating the event as JSON without building anything.
pub fn floor(event: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(black_box(event)).is_ok()
}

/// Matches every event once and returns the total number of matches (kept so the work cannot be
/// optimised away). Never inlined, so instruction counters can be toggled on it
/// (`valgrind --tool=callgrind --toggle-collect='*run_batch*'`); one call per batch costs
/// nothing measurable.
#[inline(never)]
pub fn run_batch(engine: &mut dyn Engine, events: &[String]) -> usize {
    events
        .iter()
        .map(|event| engine.count(black_box(event.as_bytes())))
        .sum()
}

/// Validates every event once; the floor's counterpart of [`run_batch`].
#[inline(never)]
pub fn run_floor(events: &[String]) -> usize {
    events.iter().filter(|e| floor(e.as_bytes())).count()
}

// ---------------------------------------------------------------------------------------------
// quamina

/// Which quamina automaton mode to build; see [`quamina::MatcherBuildMode`].
pub use quamina::MatcherBuildMode as QuaminaMode;

/// The `quamina` crate with the rules added and the automaton frozen.
pub struct QuaminaCrate {
    inner: quamina::Quamina<u32>,
}

impl QuaminaCrate {
    /// Adds every rule, then matches an empty event once so that the lazy freeze (and, in
    /// `BuiltForSpeed`, the NFA-to-DFA conversion) is part of the compile and not of the first
    /// measured match.
    ///
    /// A panic inside the crate (it has some on large rule sets) is caught and reported as an
    /// error, so one peer's crash does not end the whole run.
    pub fn compile(rules: &[String], mode: QuaminaMode) -> Result<QuaminaCrate, String> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Self::build(rules, mode)))
            .unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                Err(format!("quamina panicked: {message}"))
            })
    }

    fn build(rules: &[String], mode: QuaminaMode) -> Result<QuaminaCrate, String> {
        let mut inner = quamina::QuaminaBuilder::<u32>::new()
            // The default 10 MB arena refuses the largest scaling sets; the limit is a safety net,
            // not a performance setting.
            .with_arena_byte_budget(4 << 30)
            .build()
            .map_err(|e| format!("{e:?}"))?;
        inner.set_matcher_build_mode(mode);
        for (i, rule) in rules.iter().enumerate() {
            inner
                .add_pattern(i as u32, rule)
                .map_err(|e| format!("rule {i} {rule}: {e:?}"))?;
        }
        let _ = inner.matches_for_event(b"{}");
        Ok(QuaminaCrate { inner })
    }

    /// The crate's own estimate of its automaton's size, in bytes.
    pub fn reported_bytes(&self) -> usize {
        self.inner.matcher_stats().bytes
    }
}

impl Engine for QuaminaCrate {
    fn matching(&mut self, event: &[u8]) -> Vec<u32> {
        let mut keys = self.inner.matches_for_event(event).unwrap_or_default();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn count(&mut self, event: &[u8]) -> usize {
        self.inner
            .matches_for_event(event)
            .map_or(0, |keys| keys.len())
    }
}

/// quamina after validating the event: quamina only reads the fields its patterns name and
/// accepts malformed JSON elsewhere (`{"a":"x","b":tru}` matches `{"a":["x"]}`), while
/// evpattern rejects invalid events as EventBridge does. This puts both on the same footing.
pub struct ValidatedQuamina(pub QuaminaCrate);

impl Engine for ValidatedQuamina {
    fn matching(&mut self, event: &[u8]) -> Vec<u32> {
        if floor(event) {
            self.0.matching(event)
        } else {
            Vec::new()
        }
    }

    fn count(&mut self, event: &[u8]) -> usize {
        if floor(event) {
            self.0.count(event)
        } else {
            0
        }
    }
}

// ---------------------------------------------------------------------------------------------
// evpattern

/// evpattern's compiled matcher, matched through `matches_into` with buffers kept across
/// events (the allocation-free path a service would use).
pub struct Evpattern {
    matcher: evpattern::Matcher<u32>,
    scratch: evpattern::matcher::MatchScratch,
    out: Vec<u32>,
}

impl Evpattern {
    /// Compiles the rules into one matcher.
    pub fn compile(rules: &[String]) -> Result<Evpattern, String> {
        let mut matcher = evpattern::Matcher::new();
        for (i, rule) in rules.iter().enumerate() {
            matcher
                .add_rule(i as u32, rule)
                .map_err(|e| format!("rule {i} {rule}: {e}"))?;
        }
        Ok(Evpattern {
            matcher,
            scratch: evpattern::matcher::MatchScratch::new(),
            out: Vec::new(),
        })
    }

    /// The same matcher in trusted-input mode (`Matcher::set_trusted_input`).
    pub fn trusted(mut self) -> Evpattern {
        self.matcher.set_trusted_input(true);
        self
    }

    /// What the matcher reports about its size (`Matcher::stats()`), one line.
    pub fn stats_line(&self) -> String {
        format!("{:?}", self.matcher.stats())
    }

    /// The matcher's own estimate of its heap size, in bytes.
    pub fn reported_bytes(&self) -> usize {
        self.matcher.stats().bytes
    }
}

impl Engine for Evpattern {
    fn matching(&mut self, event: &[u8]) -> Vec<u32> {
        let mut keys = self.matcher.matches(event).unwrap_or_default();
        keys.sort_unstable();
        keys
    }

    fn count(&mut self, event: &[u8]) -> usize {
        self.out.clear();
        match self
            .matcher
            .matches_into(event, &mut self.scratch, &mut self.out)
        {
            Ok(()) => self.out.len(),
            Err(_) => 0,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// reference matcher

/// evpattern's reference matcher: parse the event into a tree once, walk it once per rule.
pub struct Reference {
    patterns: Vec<evpattern::Pattern>,
}

/// Nesting the reference parser accepts; the same bound the compiled matcher uses by default.
const REFERENCE_DEPTH: usize = evpattern::matcher::DEFAULT_MAX_DEPTH;

impl Reference {
    /// Parses every rule.
    pub fn compile(rules: &[String]) -> Result<Reference, String> {
        let patterns = rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                evpattern::Pattern::parse(rule).map_err(|e| format!("rule {i} {rule}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Reference { patterns })
    }

    fn tree(event: &[u8]) -> Option<evpattern::json::JsonNode> {
        let text = std::str::from_utf8(event).ok()?;
        evpattern::json::JsonNode::parse(text, REFERENCE_DEPTH).ok()
    }
}

impl Engine for Reference {
    fn matching(&mut self, event: &[u8]) -> Vec<u32> {
        let Some(tree) = Self::tree(event) else {
            return Vec::new();
        };
        (0..self.patterns.len() as u32)
            .filter(|&i| evpattern::reference::matches(&self.patterns[i as usize], &tree))
            .collect()
    }

    fn count(&mut self, event: &[u8]) -> usize {
        Self::tree(event).map_or(0, |tree| {
            self.patterns
                .iter()
                .filter(|p| evpattern::reference::matches(p, &tree))
                .count()
        })
    }
}
