//! The native half of the Python package `evpattern` (module `evpattern._evpattern`).
//!
//! Everything here is a thin front end over the `evpattern` library: AWS's
//! `TestEventPattern`, a [`Matcher`] of named rules, explanations and the filter language.
//! The pure-Python half (`python/evpattern/`) re-exports these and adds the emulator adapters.
//!
//! Nothing here may panic on any input: every library call returns a `Result`, and converting
//! Python values never indexes or unwraps. Python objects are read without calling back into
//! Python code (no `__str__`, `__iter__` or `__eq__` of user classes), so an event cannot change
//! under the walk that serialises it.

#![forbid(unsafe_code)]
// pyo3 0.22's #[pymethods] expansion converts each PyResult into itself; the lint fires on the
// generated code, not on ours.
#![allow(clippy::useless_conversion)]

mod event;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use evpattern::aws;
use evpattern::dsl::Target;
use evpattern::explain::explain_with;
use evpattern::json::JsonNode;
use evpattern::matcher::MatchScratch;
use evpattern::{Matcher as RustMatcher, Pattern};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyUserWarning, PyValueError};
use pyo3::import_exception;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};

use event::EventText;

// The exception classes are Python's own (python/evpattern/_errors.py), imported on first use.
import_exception!(evpattern._errors, InvalidEventPatternException);
import_exception!(evpattern._errors, ValidationException);
import_exception!(evpattern._errors, InvalidEventError);
import_exception!(evpattern._errors, RuleSyntaxError);

fn test_error(error: &aws::TestError) -> PyErr {
    let message = error.message().to_owned();
    if error.code() == aws::INVALID_EVENT_PATTERN {
        InvalidEventPatternException::new_err(message)
    } else {
        ValidationException::new_err(message)
    }
}

fn pattern_error(error: &evpattern::PatternError) -> PyErr {
    InvalidEventPatternException::new_err(error.to_string())
}

pub(crate) fn invalid_event(message: String) -> PyErr {
    InvalidEventError::new_err(message)
}

/// The pattern's text. A Python `str` holding a lone surrogate has no UTF-8 form; such a
/// pattern is invalid, as one with an escaped lone surrogate is.
fn pattern_text<'a>(pattern: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    pattern.to_str().map_err(|_| {
        InvalidEventPatternException::new_err(
            "Event pattern is not valid. Reason: the pattern holds a lone surrogate, which \
             UTF-8 cannot carry"
                .to_owned(),
        )
    })
}

/// The event's text for `TestEventPattern`: one with a lone surrogate is not valid JSON text,
/// which AWS answers with `Parameter Event is not valid.`
fn aws_event_text<'a>(event: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    event
        .to_str()
        .map_err(|_| ValidationException::new_err("Parameter Event is not valid.".to_owned()))
}

/// Whether `event` matches `pattern`, with the checks and errors of AWS's `TestEventPattern`.
#[pyfunction]
#[pyo3(signature = (pattern, event))]
fn test_event_pattern(
    pattern: &Bound<'_, PyString>,
    event: &Bound<'_, PyString>,
) -> PyResult<bool> {
    let (pattern, event) = (pattern_text(pattern)?, aws_event_text(event)?);
    aws::test_event_pattern(event, pattern).map_err(|e| test_error(&e))
}

/// Like `test_event_pattern`, but returns the explanation text (the CLI's `--explain`).
#[pyfunction]
#[pyo3(signature = (pattern, event))]
fn explain_event_pattern(
    pattern: &Bound<'_, PyString>,
    event: &Bound<'_, PyString>,
) -> PyResult<String> {
    let (pattern, event) = (pattern_text(pattern)?, aws_event_text(event)?);
    aws::explain_event_pattern(event, pattern)
        .map(|why| why.to_string())
        .map_err(|e| test_error(&e))
}

/// A rule in the filter language, compiled to EventBridge pattern JSON.
#[pyfunction]
#[pyo3(signature = (expr, target = "eventbridge"))]
fn compile_rule(py: Python<'_>, expr: &Bound<'_, PyString>, target: &str) -> PyResult<String> {
    let expr = expr.to_str().map_err(|_| {
        RuleSyntaxError::new_err(
            "the rule holds a lone surrogate, which UTF-8 cannot carry".to_owned(),
        )
    })?;
    let target = match target {
        "eventbridge" => Target::EventBridge,
        "local" => Target::Local,
        other => {
            return Err(PyValueError::new_err(format!(
                "target must be \"eventbridge\" or \"local\", not {other:?}"
            )))
        }
    };
    let compiled = evpattern::saasus::compile(expr, target)
        .map_err(|e| RuleSyntaxError::new_err(e.to_string()))?;
    for warning in &compiled.warnings {
        PyErr::warn_bound(
            py,
            &py.get_type_bound::<PyUserWarning>(),
            warning.message(),
            1,
        )?;
    }
    Ok(compiled.pattern.to_json())
}

/// How many events `matches_many` reads, then matches without the GIL, at a time.
const BATCH_CHUNK: usize = 512;

/// The rules of one `Matcher`: the compiled automaton (shared with matches in flight), and
/// per rule its Python name and patterns.
struct Rules {
    /// Copied on change only while a match in flight still holds the previous one.
    matcher: Arc<RustMatcher<u32>>,
    ids: HashMap<String, u32>,
    /// Indexed by rule id. Ids are never reused and names are kept after removal, so a
    /// match that ran on an older snapshot still names its rules truly.
    names: Vec<Py<PyString>>,
    /// Indexed by rule id; emptied on removal.
    patterns: Vec<Vec<Pattern>>,
}

/// Many named rules compiled into one automaton; thread-safe.
#[pyclass(frozen, module = "evpattern")]
struct Matcher {
    rules: Mutex<Rules>,
}

impl Matcher {
    fn rules(&self) -> MutexGuard<'_, Rules> {
        // The lock is only held for bookkeeping that cannot panic; a poisoned lock still
        // guards complete data.
        match self.rules.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn snapshot(&self) -> Arc<RustMatcher<u32>> {
        Arc::clone(&self.rules().matcher)
    }

    fn names_of(&self, py: Python<'_>, ids: &[u32]) -> Vec<Py<PyString>> {
        let rules = self.rules();
        ids.iter()
            .filter_map(|&id| rules.names.get(id as usize))
            .map(|name| name.clone_ref(py))
            .collect()
    }
}

#[pymethods]
impl Matcher {
    /// `saasus=True` decodes SaaSus's JSON-in-a-string fields (`detail.event` and its request
    /// and response bodies) before matching, as `evpattern match --saasus` does, so that rules
    /// compiled with `target="local"` can address `detail.event.uri`. AWS never does this.
    #[new]
    #[pyo3(signature = (*, saasus = false))]
    fn new(saasus: bool) -> Matcher {
        let mut matcher = RustMatcher::new();
        if saasus {
            matcher.set_embedded_json(evpattern::saasus::embedded_json());
        }
        Matcher {
            rules: Mutex::new(Rules {
                matcher: Arc::new(matcher),
                ids: HashMap::new(),
                names: Vec::new(),
                patterns: Vec::new(),
            }),
        }
    }

    /// Adds `pattern` (EventBridge pattern JSON) to rule `name`. A rule added several times
    /// matches when any of its patterns does.
    fn add(&self, name: &Bound<'_, PyString>, pattern: &Bound<'_, PyString>) -> PyResult<()> {
        let py = name.py();
        let key = name.to_str()?.to_owned();
        let pattern = pattern_text(pattern)?;
        let parsed = Pattern::parse(pattern).map_err(|e| pattern_error(&e))?;
        let mut rules = self.rules();
        let rules = &mut *rules;
        let id = match rules.ids.get(&key) {
            Some(&id) => id,
            None => {
                let Ok(id) = u32::try_from(rules.names.len()) else {
                    return Err(PyValueError::new_err("too many rules added"));
                };
                // An exact str, even when a str subclass was given: that is what the
                // answers hand back.
                rules.names.push(PyString::new_bound(py, &key).unbind());
                rules.patterns.push(Vec::new());
                rules.ids.insert(key, id);
                id
            }
        };
        Arc::make_mut(&mut rules.matcher).add_pattern(id, parsed.clone());
        if let Some(patterns) = rules.patterns.get_mut(id as usize) {
            patterns.push(parsed);
        }
        Ok(())
    }

    /// Removes rule `name`; returns whether it existed.
    fn remove(&self, name: &str) -> bool {
        let mut rules = self.rules();
        let rules = &mut *rules;
        let Some(id) = rules.ids.remove(name) else {
            return false;
        };
        Arc::make_mut(&mut rules.matcher).remove_rule(&id);
        if let Some(patterns) = rules.patterns.get_mut(id as usize) {
            patterns.clear();
        }
        true
    }

    /// The names of the rules `event` (str, bytes or dict) matches, in the order the rules
    /// were first added.
    fn matches(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<Vec<Py<PyString>>> {
        let matcher = self.snapshot();
        let text = EventText::read(py, event, matcher.max_depth())?;
        let ids = matcher
            .matches(text.bytes())
            .map_err(|e| invalid_event(e.to_string()))?;
        Ok(self.names_of(py, &ids))
    }

    /// `matches` for each event of an iterable, with the GIL released while matching.
    fn matches_many(&self, py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<Vec<Py<PyList>>> {
        // A str, bytes or dict is one event, not a batch of its characters or keys.
        if events.is_instance_of::<PyString>()
            || events.is_instance_of::<PyBytes>()
            || events.is_instance_of::<PyDict>()
        {
            return Err(PyTypeError::new_err(
                "matches_many takes an iterable of events; for one event, use matches",
            ));
        }
        // One snapshot for the whole batch: every event sees the same rule set.
        let matcher = self.snapshot();
        let max_depth = matcher.max_depth();
        let mut events = events.iter()?;
        let (mut scratch, mut ids, mut ends) = (MatchScratch::new(), Vec::new(), Vec::new());
        let mut out = Vec::new();
        loop {
            // Events go through in chunks, so that a long iterable needs memory for one chunk
            // of serialised dicts, and each chunk's bytes are still in cache when matched.
            let first = out.len();
            let objects: Vec<Bound<'_, PyAny>> =
                events.by_ref().take(BATCH_CHUNK).collect::<PyResult<_>>()?;
            if objects.is_empty() {
                return Ok(out);
            }
            let texts: Vec<EventText<'_>> = objects
                .iter()
                .enumerate()
                .map(|(i, event)| {
                    EventText::read(py, event, max_depth)
                        .map_err(|e| prefix_index(py, first + i, e))
                })
                .collect::<PyResult<_>>()?;
            let slices: Vec<&[u8]> = texts.iter().map(EventText::bytes).collect();
            ids.clear();
            ends.clear();
            py.allow_threads(|| {
                for (i, text) in slices.iter().enumerate() {
                    matcher
                        .matches_into(text, &mut scratch, &mut ids)
                        .map_err(|e| (i, e))?;
                    ends.push(ids.len());
                }
                Ok(())
            })
            .map_err(|(i, e)| invalid_event(format!("event {}: {e}", first + i)))?;
            // Names are never reassigned to another id, so the names of today name the ids
            // the snapshot matched, also for a rule removed since.
            let rules = self.rules();
            let mut start = 0;
            for &end in &ends {
                let row: Vec<&Py<PyString>> = ids
                    .get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&id| rules.names.get(id as usize))
                    .collect();
                out.push(PyList::new_bound(py, row).unbind());
                start = end;
            }
        }
    }

    /// Why `event` does or does not match rule `name`: the explanation of `evpattern test
    /// --explain`, one per pattern of the rule.
    fn explain(&self, py: Python<'_>, name: &str, event: &Bound<'_, PyAny>) -> PyResult<String> {
        let patterns = {
            let rules = self.rules();
            match rules.ids.get(name) {
                Some(&id) => rules.patterns.get(id as usize).cloned().unwrap_or_default(),
                None => return Err(PyKeyError::new_err(name.to_owned())),
            }
        };
        let snapshot = self.snapshot();
        let (max_depth, decode) = (snapshot.max_depth(), snapshot.embedded_json());
        let text = EventText::read(py, event, max_depth)?;
        let text = std::str::from_utf8(text.bytes())
            .map_err(|e| invalid_event(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
        let node = JsonNode::parse(text, max_depth).map_err(|e| invalid_event(e.to_string()))?;
        if patterns.len() == 1 {
            return Ok(patterns
                .first()
                .map(|p| explain_with(p, &node, decode).to_string())
                .unwrap_or_default());
        }
        let mut out = String::new();
        for (index, pattern) in patterns.iter().enumerate() {
            out.push_str(&format!(
                "pattern {} of {}: {}",
                index + 1,
                patterns.len(),
                explain_with(pattern, &node, decode)
            ));
        }
        Ok(out)
    }

    /// The names of the rules, in the order they were first added.
    fn names(&self, py: Python<'_>) -> Vec<Py<PyString>> {
        let rules = self.rules();
        let mut named: Vec<(u32, &Py<PyString>)> = rules
            .ids
            .values()
            .filter_map(|&id| Some((id, rules.names.get(id as usize)?)))
            .collect();
        named.sort_unstable_by_key(|(id, _)| *id);
        named.into_iter().map(|(_, n)| n.clone_ref(py)).collect()
    }

    fn __len__(&self) -> usize {
        self.rules().ids.len()
    }

    fn __contains__(&self, name: &str) -> bool {
        self.rules().ids.contains_key(name)
    }

    /// Whether SaaSus's JSON-in-a-string fields are decoded before matching.
    #[getter]
    fn saasus(&self) -> bool {
        !self.snapshot().embedded_json().is_empty()
    }

    fn __repr__(&self) -> String {
        format!("<evpattern.Matcher with {} rules>", self.__len__())
    }
}

/// The same error, its message prefixed with the event's index in a batch.
fn prefix_index(py: Python<'_>, index: usize, error: PyErr) -> PyErr {
    let value = error.value_bound(py);
    let message = value.str().map(|s| s.to_string()).unwrap_or_default();
    if error.is_instance_of::<InvalidEventError>(py) {
        invalid_event(format!("event {index}: {message}"))
    } else {
        error
    }
}

/// The native module `evpattern._evpattern`.
#[pymodule]
fn _evpattern(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(test_event_pattern, m)?)?;
    m.add_function(wrap_pyfunction!(explain_event_pattern, m)?)?;
    m.add_function(wrap_pyfunction!(compile_rule, m)?)?;
    m.add_class::<Matcher>()?;
    Ok(())
}
