//! Which rules fire on a corpus of events: per rule, how many events it matched and one of
//! them; the events no rule matched; and, for a rule that never fired, the condition that
//! failed most often on a sample of the events.
//!
//! A [`Coverage`] is fed one event at a time (the counts come from the compiled matcher, so
//! memory stays flat whatever the corpus), keeps the first [`SAMPLE_EVENTS`] events, and at
//! the end explains each rule that never fired against them ([`Coverage::finish`]).

use std::collections::HashMap;

use crate::embedded::EmbeddedJson;
use crate::explain::{explain_with, Outcome};
use crate::json::JsonNode;
use crate::pattern::Pattern;

/// How many events are kept to explain the rules that never fired.
pub const SAMPLE_EVENTS: usize = 200;

/// How many events matched by no rule are named in the report.
pub const UNMATCHED_SHOWN: usize = 5;

/// The tally of a corpus, event by event.
#[derive(Debug)]
pub struct Coverage {
    names: Vec<String>,
    matched: Vec<u64>,
    samples: Vec<Option<String>>,
    events: u64,
    malformed: u64,
    unmatched: u64,
    unmatched_shown: Vec<String>,
    kept: Vec<JsonNode>,
}

/// One rule's line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCoverage {
    /// The rule's name.
    pub name: String,
    /// How many events it matched.
    pub matched: u64,
    /// The label of the first event it matched (its `id`, or `line N`).
    pub sample: Option<String>,
    /// For a rule that never fired: the condition that failed most often on the sampled
    /// events (`path: expected`), and on how many of them.
    pub most_failed: Option<(String, u64)>,
}

/// What [`Coverage::finish`] reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageReport {
    /// Per rule, in the order the rules were given.
    pub rules: Vec<RuleCoverage>,
    /// Events read (malformed ones included).
    pub events: u64,
    /// Events that were not JSON within the matcher's limits.
    pub malformed: u64,
    /// Events matched by no rule.
    pub unmatched: u64,
    /// The labels of the first of them.
    pub unmatched_shown: Vec<String>,
    /// How many events the most-failed conditions were counted on.
    pub sampled: usize,
}

impl Coverage {
    /// A tally for the rules named `names` (rule `i` of the matcher is `names[i]`).
    pub fn new(names: Vec<String>) -> Coverage {
        let rules = names.len();
        Coverage {
            names,
            matched: vec![0; rules],
            samples: vec![None; rules],
            events: 0,
            malformed: 0,
            unmatched: 0,
            unmatched_shown: Vec::new(),
            kept: Vec::new(),
        }
    }

    /// Counts one event, `label` naming it (its line), which matched the rules `matched`.
    pub fn record(&mut self, event: &[u8], label: &str, matched: &[u32]) {
        self.events += 1;
        let needs_label = matched
            .iter()
            .any(|&i| self.samples.get(i as usize).is_some_and(Option::is_none))
            || (matched.is_empty() && self.unmatched_shown.len() < UNMATCHED_SHOWN);
        let tree = (needs_label || self.kept.len() < SAMPLE_EVENTS)
            .then(|| {
                std::str::from_utf8(event)
                    .ok()
                    .and_then(|text| JsonNode::parse(text, crate::DEFAULT_MAX_DEPTH).ok())
            })
            .flatten();
        let name = || event_label(tree.as_ref(), label);
        for &rule in matched {
            let rule = rule as usize;
            if let Some(count) = self.matched.get_mut(rule) {
                *count += 1;
            }
            if let Some(sample @ None) = self.samples.get_mut(rule) {
                *sample = Some(name());
            }
        }
        if matched.is_empty() {
            self.unmatched += 1;
            if self.unmatched_shown.len() < UNMATCHED_SHOWN {
                self.unmatched_shown.push(name());
            }
        }
        if self.kept.len() < SAMPLE_EVENTS {
            self.kept.extend(tree);
        }
    }

    /// Counts an event that could not be matched.
    pub fn record_malformed(&mut self) {
        self.events += 1;
        self.malformed += 1;
    }

    /// The report; `patterns[i]` is rule `i`'s pattern, explained against the sampled events
    /// (after `decode`) where the rule never fired.
    pub fn finish(self, patterns: &[&Pattern], decode: &EmbeddedJson) -> CoverageReport {
        let sampled = self.kept.len();
        let rules = self
            .names
            .into_iter()
            .zip(self.matched)
            .zip(self.samples)
            .enumerate()
            .map(|(i, ((name, matched), sample))| {
                let most_failed = if matched == 0 {
                    patterns
                        .get(i)
                        .and_then(|p| most_failed(p, &self.kept, decode))
                } else {
                    None
                };
                RuleCoverage {
                    name,
                    matched,
                    sample,
                    most_failed,
                }
            })
            .collect();
        CoverageReport {
            rules,
            events: self.events,
            malformed: self.malformed,
            unmatched: self.unmatched,
            unmatched_shown: self.unmatched_shown,
            sampled,
        }
    }
}

/// The event's `id` when it has a string one, else `label`.
fn event_label(tree: Option<&JsonNode>, label: &str) -> String {
    if let Some(JsonNode::Object(members)) = tree {
        if let Some((_, JsonNode::String(id))) = members.iter().rev().find(|(k, _)| k == "id") {
            return format!("id {id}");
        }
    }
    label.to_owned()
}

/// Over `events`, the condition of the closest alternative that failed most often.
fn most_failed(
    pattern: &Pattern,
    events: &[JsonNode],
    decode: &EmbeddedJson,
) -> Option<(String, u64)> {
    let mut tally: HashMap<String, u64> = HashMap::new();
    for event in events {
        let why = explain_with(pattern, event, decode);
        let closest = why.alternatives().iter().min_by_key(|alternative| {
            alternative
                .conditions()
                .iter()
                .filter(|c| c.outcome() != &Outcome::Satisfied)
                .count()
        });
        for condition in closest.map(|a| a.conditions()).unwrap_or_default() {
            if condition.outcome() != &Outcome::Satisfied {
                *tally
                    .entry(format!("{}: {}", condition.path(), condition.expected()))
                    .or_default() += 1;
            }
        }
    }
    tally
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
}
