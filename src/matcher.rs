//! The public face of matching: rules in, keys out, thread-safe.
//!
//! A [`Matcher`] holds any number of rules, each a key of your choosing with one or more
//! patterns (a rule added several times is the OR of its patterns, as in AWS event-ruler),
//! compiled into one automaton. Matching reads the event bytes once and costs what the
//! event's used fields cost, not what the number of rules costs.
//!
//! [`Matcher`] is `Send + Sync`: any number of threads may match through `&Matcher` at once.
//! To change rules while other threads keep matching, use a [`SharedMatcher`], which applies
//! changes to a copy and swaps it in atomically.

use std::cell::RefCell;
use std::hash::Hash;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use ahash::AHashMap;

use crate::compile::{run, Automaton, RunScratch};
use crate::embedded::EmbeddedJson;
use crate::pattern::{Pattern, PatternError};
use crate::scan::EventLimits;
pub use crate::scan::{EventError, EventErrorKind, DEFAULT_MAX_EVENT_SIZE};
pub use crate::DEFAULT_MAX_DEPTH;

/// Many rules compiled into one automaton.
///
/// ```
/// use evpattern::Matcher;
///
/// let mut m = Matcher::new();
/// m.add_rule("running", r#"{"detail": {"state": ["running"]}}"#).unwrap();
/// m.add_rule("big", r#"{"detail": {"size": [{"numeric": [">", 100]}]}}"#).unwrap();
/// let event = br#"{"detail": {"state": "running", "size": 5}}"#;
/// assert_eq!(m.matches(event).unwrap(), vec!["running"]);
/// ```
#[derive(Clone, Debug)]
pub struct Matcher<K> {
    automaton: Automaton,
    /// Rule slots; a removed rule leaves `None` until the next rebuild.
    rules: Vec<Option<Rule<K>>>,
    slots: AHashMap<K, u32>,
    limits: EventLimits,
    /// The string fields decoded as JSON (also told to the automaton's path index).
    embedded: EmbeddedJson,
}

#[derive(Clone, Debug)]
struct Rule<K> {
    key: K,
    patterns: Vec<Pattern>,
}

/// Size figures of a [`Matcher`], from [`Matcher::stats`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Rules (distinct keys).
    pub rules: usize,
    /// Alternatives compiled (patterns with their `$or`s multiplied out), removed rules'
    /// alternatives included until the automaton is rebuilt.
    pub alternatives: usize,
    /// States of the automaton: path entries, alternatives, conditions, map entries, trie
    /// nodes and intervals of the value machines.
    pub states: usize,
    /// Approximate heap bytes used by the matcher: the automaton, and the rules' patterns
    /// it keeps for removals and rebuilds.
    pub bytes: usize,
}

/// Reusable buffers for [`Matcher::matches_into`]: with one per thread, matching allocates
/// nothing per event once the buffers have grown to the events' size.
///
/// ```
/// use evpattern::matcher::{MatchScratch, Matcher};
///
/// let mut m = Matcher::new();
/// m.add_rule(1, r#"{"a": [1]}"#).unwrap();
/// let mut scratch = MatchScratch::new();
/// let mut out = Vec::new();
/// for event in [&br#"{"a": 1}"#[..], br#"{"a": 2}"#] {
///     out.clear();
///     m.matches_into(event, &mut scratch, &mut out).unwrap();
/// }
/// assert!(out.is_empty());
/// ```
#[derive(Debug, Default)]
pub struct MatchScratch {
    run: RunScratch,
    slots: Vec<u32>,
}

impl MatchScratch {
    /// Empty buffers; they grow on first use. A scratch may be used with any matcher.
    pub fn new() -> MatchScratch {
        MatchScratch::default()
    }

    /// How many strings of the event last matched with this scratch sat at a path set for
    /// decoding ([`Matcher::set_embedded_json`]) and looked like JSON (they start with `{` or
    /// `[`) but could not be decoded, so were matched as the strings they are. Only strings
    /// at paths some rule uses are looked at. [`EmbeddedJson::failures`] says why.
    ///
    /// ```
    /// use evpattern::matcher::{MatchScratch, Matcher};
    /// use evpattern::EmbeddedJson;
    ///
    /// let mut m = Matcher::new();
    /// m.add_rule("r", r#"{"detail": {"event": {"uri": ["/v1/x"]}}}"#).unwrap();
    /// m.set_embedded_json(evpattern::saasus::embedded_json());
    /// let (mut scratch, mut out) = (MatchScratch::new(), Vec::new());
    /// m.matches_into(br#"{"detail": {"event": "{\"uri\": \"/v1/x\"}"}}"#, &mut scratch, &mut out).unwrap();
    /// assert_eq!((out.len(), scratch.undecoded_texts()), (1, 0));
    /// m.matches_into(br#"{"detail": {"event": "{\"uri\": }"}}"#, &mut scratch, &mut out).unwrap();
    /// assert_eq!(scratch.undecoded_texts(), 1);
    /// ```
    pub fn undecoded_texts(&self) -> usize {
        self.run.undecoded()
    }
}

thread_local! {
    static SCRATCH: RefCell<MatchScratch> = RefCell::new(MatchScratch::new());
}

impl<K: Clone + Eq + Hash + Send + Sync> Default for Matcher<K> {
    fn default() -> Self {
        Matcher::new()
    }
}

impl<K: Clone + Eq + Hash + Send + Sync> Matcher<K> {
    /// A matcher without rules.
    ///
    /// ```
    /// let m: evpattern::Matcher<String> = evpattern::Matcher::new();
    /// assert!(m.is_empty());
    /// ```
    pub fn new() -> Matcher<K> {
        Matcher {
            automaton: Automaton::default(),
            rules: Vec::new(),
            slots: AHashMap::new(),
            limits: EventLimits::default(),
            embedded: EmbeddedJson::none(),
        }
    }

    /// Parses `pattern_json` and adds it to rule `key`. If the rule exists, it now matches
    /// when any of its patterns does.
    ///
    /// ```
    /// use evpattern::Matcher;
    ///
    /// let mut m = Matcher::new();
    /// m.add_rule("r", r#"{"a": ["x"]}"#).unwrap();
    /// m.add_rule("r", r#"{"b": ["y"]}"#).unwrap();
    /// assert_eq!(m.matches(br#"{"b": "y"}"#).unwrap(), vec!["r"]);
    /// assert!(m.add_rule("bad", r#"{"a": "x"}"#).is_err());
    /// assert_eq!(m.len(), 1);
    /// ```
    pub fn add_rule(&mut self, key: K, pattern_json: &str) -> Result<(), PatternError> {
        let pattern = Pattern::parse(pattern_json)?;
        self.add_pattern(key, pattern);
        Ok(())
    }

    /// Adds an already parsed pattern to rule `key`.
    ///
    /// ```
    /// use evpattern::pattern::{Clause, Condition, Predicate};
    /// use evpattern::{Matcher, Pattern};
    ///
    /// let mut m = Matcher::new();
    /// let has_a = Clause::new(vec![Condition::new("a", vec![Predicate::Exists(true)])], vec![]);
    /// m.add_pattern('k', Pattern::from_clause(has_a));
    /// assert_eq!(m.matches(br#"{"a": null}"#).unwrap(), vec!['k']);
    /// ```
    pub fn add_pattern(&mut self, key: K, pattern: Pattern) {
        let slot = match self.slots.get(&key) {
            Some(&slot) => slot,
            None => {
                let slot = self.rules.len() as u32;
                self.rules.push(Some(Rule {
                    key: key.clone(),
                    patterns: Vec::new(),
                }));
                self.slots.insert(key, slot);
                slot
            }
        };
        self.automaton.add(slot, &pattern);
        if let Some(Some(rule)) = self.rules.get_mut(slot as usize) {
            rule.patterns.push(pattern);
        }
    }

    /// Removes rule `key` and all its patterns; returns whether it existed.
    ///
    /// Removal is immediate; the automaton is rebuilt without the removed rules once they
    /// make up more than half of it, so a long series of adds and removes stays compact.
    ///
    /// ```
    /// use evpattern::Matcher;
    ///
    /// let mut m = Matcher::new();
    /// m.add_rule("r", r#"{"a": ["x"]}"#).unwrap();
    /// assert!(m.remove_rule(&"r"));
    /// assert!(!m.remove_rule(&"r"));
    /// assert!(m.matches(br#"{"a": "x"}"#).unwrap().is_empty());
    /// ```
    pub fn remove_rule(&mut self, key: &K) -> bool {
        let Some(slot) = self.slots.remove(key) else {
            return false;
        };
        self.automaton.remove(slot);
        if let Some(rule) = self.rules.get_mut(slot as usize) {
            *rule = None;
        }
        let all = self.automaton.all_alternatives();
        if all > 64 && self.automaton.live_alternatives() * 2 < all {
            self.rebuild();
        }
        true
    }

    /// Compiles the live rules afresh, dropping what removed rules left behind.
    fn rebuild(&mut self) {
        let rules = std::mem::take(&mut self.rules);
        self.slots.clear();
        self.automaton = Automaton::default();
        self.automaton.paths.set_decoded(&self.embedded);
        for rule in rules.into_iter().flatten() {
            let slot = self.rules.len() as u32;
            for pattern in &rule.patterns {
                self.automaton.add(slot, pattern);
            }
            self.slots.insert(rule.key.clone(), slot);
            self.rules.push(Some(rule));
        }
    }

    /// The keys of the rules `event` (JSON text) matches, each once, in the order the rules
    /// were first added.
    ///
    /// The event should be a JSON object; any other JSON value has no fields. Malformed JSON
    /// anywhere in it (also in fields no rule uses), invalid UTF-8, nesting deeper than
    /// [`Matcher::max_depth`] or more bytes than [`Matcher::max_event_size`] is an error;
    /// [`EventError::kind`] tells which.
    ///
    /// ```
    /// use evpattern::Matcher;
    ///
    /// let mut m = Matcher::new();
    /// m.add_rule("r", r#"{"a": [{"prefix": "x"}]}"#).unwrap();
    /// assert_eq!(m.matches(br#"{"a": ["y", "xy"]}"#).unwrap(), vec!["r"]);
    /// assert!(m.matches(br#"{"a": "xy", "b": tru}"#).is_err());
    /// ```
    pub fn matches(&self, event: &[u8]) -> Result<Vec<K>, EventError> {
        let mut out = Vec::new();
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.matches_into(event, &mut scratch, &mut out),
            Err(_) => self.matches_into(event, &mut MatchScratch::new(), &mut out),
        })?;
        Ok(out)
    }

    /// [`Matcher::matches`] into buffers the caller keeps: appends the matching keys to
    /// `out` (which it does not clear). Allocates nothing per event once `scratch` and `out`
    /// have grown.
    ///
    /// ```
    /// use evpattern::matcher::{MatchScratch, Matcher};
    ///
    /// let mut m = Matcher::new();
    /// m.add_rule("r", r#"{"a": ["x"]}"#).unwrap();
    /// let (mut scratch, mut out) = (MatchScratch::new(), Vec::new());
    /// m.matches_into(br#"{"a": "x"}"#, &mut scratch, &mut out).unwrap();
    /// assert_eq!(out, vec!["r"]);
    /// ```
    pub fn matches_into(
        &self,
        event: &[u8],
        scratch: &mut MatchScratch,
        out: &mut Vec<K>,
    ) -> Result<(), EventError> {
        scratch.slots.clear();
        run(
            &self.automaton,
            event,
            self.limits,
            &mut scratch.run,
            &mut scratch.slots,
        )?;
        scratch.slots.sort_unstable();
        for &slot in &scratch.slots {
            if let Some(Some(rule)) = self.rules.get(slot as usize) {
                out.push(rule.key.clone());
            }
        }
        Ok(())
    }

    /// [`Matcher::matches`] for an event already parsed by serde_json.
    ///
    /// Prefer the text: a `serde_json::Value` keeps only the last of duplicated keys (AWS
    /// counts each) and numbers only as serde_json prints them.
    ///
    /// ```
    /// use evpattern::Matcher;
    ///
    /// let mut m = Matcher::new();
    /// m.add_rule("r", r#"{"n": [300]}"#).unwrap();
    /// let event = serde_json::json!({"n": 3e2});
    /// assert_eq!(m.matches_value(&event).unwrap(), vec!["r"]);
    /// ```
    pub fn matches_value(&self, event: &serde_json::Value) -> Result<Vec<K>, EventError> {
        // Serialising a Value always succeeds: its keys are strings.
        let text = serde_json::to_vec(event).unwrap_or_default();
        self.matches(&text)
    }

    /// Number of rules (distinct keys).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The keys of all rules, in the order they were first added.
    ///
    /// ```
    /// let mut m = evpattern::Matcher::new();
    /// m.add_rule("b", r#"{"x": [1]}"#).unwrap();
    /// m.add_rule("a", r#"{"x": [2]}"#).unwrap();
    /// assert_eq!(m.keys().collect::<Vec<_>>(), vec![&"b", &"a"]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.rules.iter().flatten().map(|rule| &rule.key)
    }

    /// The nesting depth (arrays and objects) events may have; deeper events are an error
    /// ([`EventErrorKind::TooDeep`]). Defaults to [`DEFAULT_MAX_DEPTH`].
    pub fn max_depth(&self) -> usize {
        self.limits.max_depth
    }

    /// Sets the nesting depth events may have. The scanner keeps an explicit stack, so any
    /// limit is safe; it bounds the memory one event may make the scanner use. JSON text
    /// decoded from a string (see [`Matcher::set_embedded_json`]) counts from the string's
    /// depth on; text that would go deeper stays a string instead of being an error.
    ///
    /// ```
    /// use evpattern::matcher::EventErrorKind;
    ///
    /// let mut m: evpattern::Matcher<u8> = evpattern::Matcher::new();
    /// m.set_max_depth(2);
    /// assert!(m.matches(br#"{"a": [1]}"#).is_ok());
    /// let err = m.matches(br#"{"a": [[1]]}"#).unwrap_err();
    /// assert_eq!(err.kind(), &EventErrorKind::TooDeep(2));
    /// ```
    pub fn set_max_depth(&mut self, max_depth: usize) {
        self.limits.max_depth = max_depth;
    }

    /// The longest event, in bytes, that is matched; longer events are an error
    /// ([`EventErrorKind::TooLarge`]). Defaults to [`DEFAULT_MAX_EVENT_SIZE`], the most the
    /// matcher can address.
    pub fn max_event_size(&self) -> usize {
        self.limits.max_event_size
    }

    /// Sets the longest event, in bytes, that is matched; a longer one is refused before any
    /// of it is read. Values above [`DEFAULT_MAX_EVENT_SIZE`] mean that limit.
    ///
    /// The default refuses nothing a caller could reasonably hand over. To refuse events
    /// about as large as EventBridge refuses (a PutEvents entry may hold 256 KiB, counted
    /// over its fields rather than this JSON text), set `256 * 1024`.
    ///
    /// ```
    /// use evpattern::matcher::EventErrorKind;
    ///
    /// let mut m: evpattern::Matcher<u8> = evpattern::Matcher::new();
    /// m.set_max_event_size(12);
    /// assert!(m.matches(br#"{"a": "xyz"}"#).is_ok());
    /// let err = m.matches(br#"{"a": "wxyz"}"#).unwrap_err();
    /// assert_eq!(err.kind(), &EventErrorKind::TooLarge(12));
    /// assert_eq!(err.offset(), 12);
    /// ```
    pub fn set_max_event_size(&mut self, bytes: usize) {
        self.limits.max_event_size = bytes.min(DEFAULT_MAX_EVENT_SIZE);
    }

    /// Whether trusted-input mode is on ([`Matcher::set_trusted_input`]); off by default.
    pub fn trusted_input(&self) -> bool {
        self.limits.trusted_input
    }

    /// Turns trusted-input mode on or off: faster matching of events from a producer that
    /// guarantees them valid JSON without duplicate keys (EventBridge and SaaSus re-serialise
    /// every event they deliver).
    ///
    /// The contract: on an event that is valid JSON, has no duplicate key in any object, and
    /// nests no deeper than [`Matcher::max_depth`], the answer is exactly the default mode's.
    /// On anything else the answer is unspecified (some rules' keys, or an [`EventError`]),
    /// but the call still returns: it never panics, reads the event at most a few times over,
    /// and uses no more memory than the default mode would. Events longer than
    /// [`Matcher::max_event_size`] and invalid UTF-8 are refused as in the default mode.
    ///
    /// What it saves: the values no rule uses are passed over unchecked, looking only at
    /// string quotes, escapes and brackets; and an object is left as soon as every key of it
    /// that could lead to a used path has been read, since without duplicate keys no other
    /// member can (for the event's outermost object that ends the reading of the event).
    /// The parts rules use are read exactly as by default.
    ///
    /// ```
    /// use evpattern::Matcher;
    ///
    /// let mut m = Matcher::new();
    /// m.add_rule("ec2", r#"{"source": ["aws.ec2"]}"#).unwrap();
    /// m.set_trusted_input(true);
    /// let event = br#"{"source": "aws.ec2", "detail": {"huge": [1, 2, 3]}}"#;
    /// assert_eq!(m.matches(event).unwrap(), vec!["ec2"]);
    /// // Malformed JSON in a part no rule uses is no longer necessarily an error.
    /// assert!(m.matches(br#"{"source": "aws.ec2", "detail": {"huge": [1, 2, 3}}"#).is_ok());
    /// ```
    pub fn set_trusted_input(&mut self, trusted: bool) {
        self.limits.trusted_input = trusted;
    }

    /// The string fields decoded as JSON before matching; none by default.
    pub fn embedded_json(&self) -> &EmbeddedJson {
        &self.embedded
    }

    /// Decodes the string fields `decode` lists as JSON before matching, as
    /// [`crate::reference::matches_with`] does (see [`crate::embedded`] for the rules). This is
    /// this crate's extension: EventBridge never looks inside a string, and neither does a
    /// matcher by default. Applies to rules added before and after.
    ///
    /// A string at a listed path whose text is a JSON object or array is matched as that
    /// object or array, with the paths inside continuing the field's path; any other string
    /// there (not JSON, a JSON scalar, or nesting deeper than what [`Matcher::max_depth`]
    /// leaves at the field) stays the string it was, and is not an error.
    ///
    /// ```
    /// use evpattern::embedded::EmbeddedJson;
    /// use evpattern::Matcher;
    ///
    /// let mut m = Matcher::new();
    /// m.add_rule("tenants", r#"{"detail": {"event": {"uri": [{"prefix": "/v1/auth/tenants"}]}}}"#)
    ///     .unwrap();
    /// let event = br#"{"detail": {"event": "{\"uri\": \"/v1/auth/tenants/t1\"}"}}"#;
    /// assert!(m.matches(event).unwrap().is_empty());
    /// m.set_embedded_json(evpattern::saasus::embedded_json());
    /// assert_eq!(m.matches(event).unwrap(), vec!["tenants"]);
    /// ```
    pub fn set_embedded_json(&mut self, decode: EmbeddedJson) {
        self.automaton.paths.set_decoded(&decode);
        self.embedded = decode;
    }

    /// Size figures of the automaton.
    ///
    /// ```
    /// let mut m = evpattern::Matcher::new();
    /// m.add_rule(1, r#"{"a": ["x", "y"]}"#).unwrap();
    /// let stats = m.stats();
    /// assert_eq!(stats.rules, 1);
    /// assert!(stats.states > 0 && stats.bytes > 0);
    /// ```
    pub fn stats(&self) -> Stats {
        Stats {
            rules: self.len(),
            alternatives: self.automaton.all_alternatives(),
            states: self.automaton.states(),
            bytes: self.automaton.heap_bytes()
                + self.rules.capacity() * std::mem::size_of::<Option<Rule<K>>>()
                + self
                    .rules
                    .iter()
                    .flatten()
                    .map(|rule| {
                        rule.patterns.capacity() * std::mem::size_of::<Pattern>()
                            + rule.patterns.iter().map(Pattern::heap_bytes).sum::<usize>()
                    })
                    .sum::<usize>()
                + self.slots.capacity() * (std::mem::size_of::<K>() + 12),
        }
    }
}

/// A [`Matcher`] whose rules can change while other threads keep matching.
///
/// Matching takes a snapshot (an `Arc` of the current matcher, under a read lock held only
/// for the clone) and matches without any lock. A change is applied to a matcher no reader
/// can see, which is then swapped in; changes are serialised among themselves. Every match
/// therefore sees one complete rule set: the one before or the one after a change, never a
/// mix.
///
/// What a change costs: [`SharedMatcher::add_rule`] and [`SharedMatcher::remove_rule`] cost
/// in proportion to the rule, not the rule set. The shared matcher keeps a second copy, the
/// one the last change replaced; the next change first replays the last change on it (once
/// no reader holds a snapshot of it any more) and is then applied to it, so each rule change
/// is applied twice and nothing is copied. This costs memory: two copies of the matcher are
/// kept. When a reader still holds a snapshot of the old copy, or after a
/// [`SharedMatcher::update`] (whose change cannot be replayed), the change copies the current
/// matcher instead, as every change once did; batch many changes in one `update`.
///
/// ```
/// use std::sync::Arc;
/// use evpattern::matcher::SharedMatcher;
///
/// let shared = Arc::new(SharedMatcher::new());
/// shared.add_rule("r", r#"{"a": ["x"]}"#).unwrap();
/// let reader = {
///     let shared = Arc::clone(&shared);
///     std::thread::spawn(move || shared.matches(br#"{"a": "x"}"#).unwrap())
/// };
/// assert_eq!(reader.join().unwrap(), vec!["r"]);
/// shared.update(|m| {
///     m.remove_rule(&"r");
///     m.add_rule("s", r#"{"a": [{"prefix": "x"}]}"#)
/// })
/// .unwrap();
/// assert_eq!(shared.matches(br#"{"a": "x"}"#).unwrap(), vec!["s"]);
/// ```
#[derive(Debug)]
pub struct SharedMatcher<K> {
    current: RwLock<Arc<Matcher<K>>>,
    /// Held by the one change in progress; see [`Spare`].
    writer: Mutex<Spare<K>>,
}

/// The matcher the last change replaced, and that change, which it lacks: brought up to
/// date by replaying it, the spare is where the next change is applied, instead of a copy
/// of the current matcher. `None` when there is nothing to reuse (no change yet, or the last
/// one was an [`SharedMatcher::update`] that cannot be replayed).
type Spare<K> = Option<(Arc<Matcher<K>>, Change<K>)>;

/// How long a change waits for readers still matching against the spare before it copies
/// the current matcher instead.
const READERS_GRACE: Duration = Duration::from_millis(2);

/// A change that can be applied to both copies of a [`SharedMatcher`], with the same effect.
#[derive(Debug)]
enum Change<K> {
    Add(K, Pattern),
    Remove(K),
    /// Remove, then add: a rule put again with a new pattern.
    Replace(K, Pattern),
}

impl<K: Clone + Eq + Hash + Send + Sync> Change<K> {
    /// Applies the change; returns [`Matcher::remove_rule`]'s answer (`true` for an add).
    fn apply(&self, matcher: &mut Matcher<K>) -> bool {
        match self {
            Change::Add(key, pattern) => {
                matcher.add_pattern(key.clone(), pattern.clone());
                true
            }
            Change::Remove(key) => matcher.remove_rule(key),
            Change::Replace(key, pattern) => {
                let existed = matcher.remove_rule(key);
                matcher.add_pattern(key.clone(), pattern.clone());
                existed
            }
        }
    }
}

impl<K: Clone + Eq + Hash + Send + Sync> Default for SharedMatcher<K> {
    fn default() -> Self {
        SharedMatcher::new()
    }
}

impl<K: Clone + Eq + Hash + Send + Sync> SharedMatcher<K> {
    /// A shared matcher without rules.
    pub fn new() -> SharedMatcher<K> {
        SharedMatcher::from_matcher(Matcher::new())
    }

    /// Shares an existing matcher.
    pub fn from_matcher(matcher: Matcher<K>) -> SharedMatcher<K> {
        SharedMatcher {
            current: RwLock::new(Arc::new(matcher)),
            writer: Mutex::new(None),
        }
    }

    /// The current rule set. Matching through it is lock-free; it does not see later
    /// changes.
    pub fn snapshot(&self) -> Arc<Matcher<K>> {
        // A poisoned lock only means a thread panicked while holding it; the Arc inside is
        // always a complete matcher.
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// [`Matcher::matches`] against the current rule set.
    pub fn matches(&self, event: &[u8]) -> Result<Vec<K>, EventError> {
        self.snapshot().matches(event)
    }

    /// Applies `change` to a copy of the current matcher and makes the copy current, unless
    /// `change` returns an error (then nothing changes). Returns what `change` returned.
    pub fn update<T, E>(
        &self,
        change: impl FnOnce(&mut Matcher<K>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut spare = match self.writer.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut next = Matcher::clone(&self.snapshot());
        let result = change(&mut next)?;
        // The change is not known, so the spare cannot be brought up to date: dropped.
        *spare = None;
        self.swap_in(next);
        Ok(result)
    }

    /// Applies `change` to the spare brought up to date (see [`Spare`]), or to a copy of the
    /// current matcher when there is none or a reader still holds it; swaps the result in and
    /// keeps the matcher it replaced as the next spare.
    fn apply(&self, change: Change<K>) -> bool {
        let mut spare = match self.writer.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let reusable = spare.take().and_then(|(old, missed)| {
            // No new reader can reach it (it is not current), so once the matches that took
            // it before the last change are done it is unique, and no one can see it change.
            // They take microseconds; a copy takes far longer, so wait a little for them.
            let deadline = Instant::now() + READERS_GRACE;
            while Arc::strong_count(&old) > 1 && Instant::now() < deadline {
                std::thread::yield_now();
            }
            Arc::try_unwrap(old).ok().map(|mut old| {
                missed.apply(&mut old);
                old
            })
        });
        let mut next = match reusable {
            Some(matcher) => matcher,
            None => Matcher::clone(&self.snapshot()),
        };
        let answer = change.apply(&mut next);
        let replaced = self.swap_in(next);
        *spare = Some((replaced, change));
        answer
    }

    /// Makes `next` current; returns the matcher it replaced.
    fn swap_in(&self, next: Matcher<K>) -> Arc<Matcher<K>> {
        let next = Arc::new(next);
        match self.current.write() {
            Ok(mut guard) => std::mem::replace(&mut *guard, next),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), next),
        }
    }

    /// [`Matcher::add_rule`] as one change, costing in proportion to the rule (see
    /// [`SharedMatcher`]).
    pub fn add_rule(&self, key: K, pattern_json: &str) -> Result<(), PatternError> {
        let pattern = Pattern::parse(pattern_json)?;
        self.apply(Change::Add(key, pattern));
        Ok(())
    }

    /// [`Matcher::add_pattern`] as one change, costing in proportion to the pattern.
    pub fn add_pattern(&self, key: K, pattern: Pattern) {
        self.apply(Change::Add(key, pattern));
    }

    /// [`Matcher::remove_rule`] as one change, costing in proportion to the rule (see
    /// [`SharedMatcher`]).
    pub fn remove_rule(&self, key: &K) -> bool {
        self.apply(Change::Remove(key.clone()))
    }

    /// Rule `key` with `pattern_json` as its only pattern, whether or not it existed (what
    /// `PutRule` does), as one change costing in proportion to the rule; returns whether it
    /// existed. An invalid pattern changes nothing.
    ///
    /// ```
    /// use evpattern::SharedMatcher;
    ///
    /// let shared = SharedMatcher::new();
    /// assert!(!shared.replace_rule("r", r#"{"a": ["x"]}"#).unwrap());
    /// assert!(shared.replace_rule("r", r#"{"a": ["y"]}"#).unwrap());
    /// assert!(shared.matches(br#"{"a": "x"}"#).unwrap().is_empty());
    /// assert_eq!(shared.matches(br#"{"a": "y"}"#).unwrap(), vec!["r"]);
    /// ```
    pub fn replace_rule(&self, key: K, pattern_json: &str) -> Result<bool, PatternError> {
        let pattern = Pattern::parse(pattern_json)?;
        Ok(self.apply(Change::Replace(key, pattern)))
    }
}
