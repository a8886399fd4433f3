//! Why an event did or did not match a pattern, condition by condition.
//!
//! Built on the reference matcher's own steps (its leaves, its `$or` expansion, its predicate
//! test), so an explanation can never contradict the verdict: [`Explanation::matched`] is
//! [`crate::reference::matches`] by construction.

use std::fmt;

use crate::embedded::{DecodeFailure, EmbeddedJson};
use crate::json::JsonNode;
use crate::pattern::{Condition, Pattern, Predicate};
use crate::reference::{
    alternative_holds, alternatives, decode_embedded, flatten, predicate_accepts, Leaf,
};
use crate::DEFAULT_MAX_DEPTH;

/// The verdict and, for each way the pattern could match (each combination of its `$or`
/// alternatives), what each condition found in the event.
///
/// ```
/// use evpattern::explain::{explain, Outcome};
/// use evpattern::json::JsonNode;
/// use evpattern::Pattern;
///
/// let pattern = Pattern::parse(r#"{"source": ["aws.ec2"], "detail": {"state": ["running"]}}"#).unwrap();
/// let event = JsonNode::parse(r#"{"source": "aws.ec2", "detail": {"state": "stopped"}}"#, 64).unwrap();
/// let why = explain(&pattern, &event);
/// assert!(!why.matched());
/// let conditions = why.alternatives()[0].conditions();
/// assert_eq!(conditions[0].path(), "detail.state");
/// assert_eq!(conditions[0].outcome(), &Outcome::NoValueAccepted(vec!["\"stopped\"".into()]));
/// assert_eq!(conditions[1].outcome(), &Outcome::Satisfied);
/// println!("{why}");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    matched: bool,
    alternatives: Vec<AlternativeReport>,
    decode_failures: Vec<DecodeFailure>,
}

impl Explanation {
    /// Whether the event matches (the reference matcher's verdict).
    pub fn matched(&self) -> bool {
        self.matched
    }

    /// One report per alternative, in the order the pattern's `$or`s expand.
    pub fn alternatives(&self) -> &[AlternativeReport] {
        &self.alternatives
    }

    /// The strings [`explain_with`] was to decode but could not (see
    /// [`EmbeddedJson::failures`]): a condition on a path inside one finds no value there.
    pub fn decode_failures(&self) -> &[DecodeFailure] {
        &self.decode_failures
    }
}

/// What one alternative (a flat list of conditions that must all hold) found.
#[derive(Clone, Debug, PartialEq)]
pub struct AlternativeReport {
    holds: bool,
    conditions: Vec<ConditionReport>,
}

impl AlternativeReport {
    /// Whether this alternative holds.
    pub fn holds(&self) -> bool {
        self.holds
    }

    /// Each condition on its own.
    pub fn conditions(&self) -> &[ConditionReport] {
        &self.conditions
    }

    /// Every condition can be satisfied on its own, yet not all together: the only values
    /// that satisfy them sit in different elements of one array of objects.
    pub fn fails_on_array_consistency(&self) -> bool {
        !self.holds && self.failures() == 0
    }

    fn failures(&self) -> usize {
        self.conditions
            .iter()
            .filter(|c| c.outcome != Outcome::Satisfied)
            .count()
    }
}

/// What one condition found at its path.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionReport {
    path: String,
    expected: String,
    outcome: Outcome,
}

impl ConditionReport {
    /// The field path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The condition's pattern array as JSON, e.g. `["running"]`.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// What the event holds there.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }
}

/// The outcome of one condition taken alone. Values are shown as JSON text.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A value at the path satisfies the condition (or, for `exists: false`, none is there).
    Satisfied,
    /// No value at the path (an object, `[]` or a missing parent count as none).
    Missing,
    /// Values are there, but none satisfies any of the condition's alternatives.
    NoValueAccepted(Vec<String>),
    /// `{"exists": false}` and nothing else would do, but values are there.
    MustNotExist(Vec<String>),
}

/// [`explain`] after decoding the string fields `decode` lists as JSON (see
/// [`crate::embedded`]), as [`crate::reference::matches_with`] does.
pub fn explain_with(pattern: &Pattern, event: &JsonNode, decode: &EmbeddedJson) -> Explanation {
    if decode.is_empty() {
        return explain(pattern, event);
    }
    let mut explanation = explain(pattern, &decode_embedded(event, decode));
    explanation.decode_failures = decode.failures(event, DEFAULT_MAX_DEPTH);
    explanation
}

/// Explains how `event` fares against `pattern`.
pub fn explain(pattern: &Pattern, event: &JsonNode) -> Explanation {
    let leaves = flatten(event);
    let alternatives: Vec<AlternativeReport> = alternatives(pattern.root())
        .iter()
        .map(|conditions| AlternativeReport {
            holds: alternative_holds(conditions, &leaves),
            conditions: conditions.iter().map(|c| report(c, &leaves)).collect(),
        })
        .collect();
    Explanation {
        matched: alternatives.iter().any(AlternativeReport::holds),
        alternatives,
        decode_failures: Vec::new(),
    }
}

fn report(condition: &Condition, leaves: &[Leaf<'_>]) -> ConditionReport {
    let at_path: Vec<&Leaf<'_>> = leaves
        .iter()
        .filter(|leaf| leaf.path == condition.path())
        .collect();
    let predicates = condition.predicates();
    let accepts_absence = predicates.contains(&Predicate::Exists(false));
    let shown = || at_path.iter().map(|leaf| leaf.value.to_string()).collect();
    let outcome = if at_path.is_empty() {
        if accepts_absence {
            Outcome::Satisfied
        } else {
            Outcome::Missing
        }
    } else if at_path
        .iter()
        .any(|leaf| predicates.iter().any(|p| predicate_accepts(p, leaf.value)))
    {
        Outcome::Satisfied
    } else if predicates.iter().all(|p| *p == Predicate::Exists(false)) {
        Outcome::MustNotExist(shown())
    } else {
        Outcome::NoValueAccepted(shown())
    };
    ConditionReport {
        path: condition.path().to_owned(),
        expected: condition.predicates_json(),
        outcome,
    }
}

/// How many alternatives the text shows; the closest ones come first.
const SHOWN_ALTERNATIVES: usize = 5;
/// How many values of one field the text shows.
const SHOWN_VALUES: usize = 5;
/// How many characters of one value the text shows.
const SHOWN_VALUE_CHARS: usize = 80;

/// A readable account: the verdict, then for a non-match the closest alternatives with each
/// failing condition and what the event holds there.
impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_verdict(f)?;
        for failure in &self.decode_failures {
            writeln!(f, "  note: {failure}")?;
        }
        Ok(())
    }
}

impl Explanation {
    /// The verdict and the conditions, as [`fmt::Display`] writes them before any note.
    fn write_verdict(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(index) = self.alternatives.iter().position(AlternativeReport::holds) {
            if self.alternatives.len() == 1 {
                return writeln!(f, "match: every condition holds");
            }
            return writeln!(
                f,
                "match: alternative {} of {} holds",
                index + 1,
                self.alternatives.len()
            );
        }
        if self.alternatives.len() == 1 {
            writeln!(f, "no match:")?;
            return write_alternative(f, &self.alternatives[0], "  ");
        }
        writeln!(
            f,
            "no match: none of the {} alternatives ($or combinations) holds",
            self.alternatives.len()
        )?;
        let mut order: Vec<usize> = (0..self.alternatives.len()).collect();
        order.sort_by_key(|&i| self.alternatives[i].failures());
        for &i in order.iter().take(SHOWN_ALTERNATIVES) {
            writeln!(f, "  alternative {}:", i + 1)?;
            write_alternative(f, &self.alternatives[i], "    ")?;
        }
        if order.len() > SHOWN_ALTERNATIVES {
            writeln!(f, "  ... and {} more", order.len() - SHOWN_ALTERNATIVES)?;
        }
        Ok(())
    }
}

fn write_alternative(
    f: &mut fmt::Formatter<'_>,
    alternative: &AlternativeReport,
    indent: &str,
) -> fmt::Result {
    if alternative.fails_on_array_consistency() {
        let paths: Vec<&str> = alternative.conditions.iter().map(|c| c.path()).collect();
        return writeln!(
            f,
            "{indent}each of {} is satisfied, but only by values in different elements of the \
             same array (array consistency)",
            paths.join(", ")
        );
    }
    for condition in &alternative.conditions {
        match &condition.outcome {
            Outcome::Satisfied => {}
            Outcome::Missing => writeln!(
                f,
                "{indent}{}: no value in the event, expected {}",
                condition.path, condition.expected
            )?,
            Outcome::NoValueAccepted(values) => writeln!(
                f,
                "{indent}{}: {} does not satisfy {}",
                condition.path,
                shorten(values),
                condition.expected
            )?,
            Outcome::MustNotExist(values) => writeln!(
                f,
                "{indent}{}: must not exist, but holds {}",
                condition.path,
                shorten(values)
            )?,
        }
    }
    Ok(())
}

fn shorten(values: &[String]) -> String {
    let mut shown: Vec<String> = values
        .iter()
        .take(SHOWN_VALUES)
        .map(|v| {
            if v.chars().count() > SHOWN_VALUE_CHARS {
                let cut: String = v.chars().take(SHOWN_VALUE_CHARS).collect();
                format!("{cut}…")
            } else {
                v.clone()
            }
        })
        .collect();
    if values.len() > SHOWN_VALUES {
        shown.push(format!("… {} more", values.len() - SHOWN_VALUES));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(pattern: &str, event: &str) -> Explanation {
        explain(
            &Pattern::parse(pattern).unwrap(),
            &JsonNode::parse(event, 64).unwrap(),
        )
    }

    #[test]
    fn a_match_says_so() {
        let e = why(r#"{"a":["x"]}"#, r#"{"a":"x"}"#);
        assert!(e.matched());
        assert_eq!(e.to_string(), "match: every condition holds\n");
    }

    #[test]
    fn missing_and_rejected_values_are_named() {
        let e = why(
            r#"{"a":["x"],"b":[{"prefix":"p"}],"c":[{"exists":false}]}"#,
            r#"{"b":["q1","q2"],"c":{"d":1}}"#,
        );
        assert!(!e.matched());
        assert_eq!(
            e.to_string(),
            "no match:\n  a: no value in the event, expected [\"x\"]\n  \
             b: \"q1\", \"q2\" does not satisfy [{\"prefix\":\"p\"}]\n"
        );
    }

    #[test]
    fn exists_false_reports_the_values_present() {
        let e = why(r#"{"a":[{"exists":false}]}"#, r#"{"a":[1,null]}"#);
        assert_eq!(
            e.alternatives()[0].conditions()[0].outcome(),
            &Outcome::MustNotExist(vec!["1".into(), "null".into()])
        );
        assert_eq!(
            e.to_string(),
            "no match:\n  a: must not exist, but holds 1, null\n"
        );
    }

    #[test]
    fn array_consistency_is_called_out() {
        let e = why(
            r#"{"e":{"f":["Anna"],"l":["Jones"]}}"#,
            r#"{"e":[{"f":"Anna","l":"Smith"},{"f":"Peter","l":"Jones"}]}"#,
        );
        assert!(!e.matched());
        assert!(e.alternatives()[0].fails_on_array_consistency());
        assert!(e.to_string().contains("array consistency"));
    }

    #[test]
    fn alternatives_are_listed_closest_first() {
        let e = why(
            r#"{"$or":[{"a":["1"],"b":["2"]},{"c":["3"]}]}"#,
            r#"{"a":"0","b":"0","c":"0"}"#,
        );
        let text = e.to_string();
        assert!(text.starts_with("no match: none of the 2 alternatives"));
        let second = text.find("alternative 2:").unwrap();
        let first = text.find("alternative 1:").unwrap();
        assert!(second < first, "{text}");
        let e = why(r#"{"$or":[{"a":["1"]},{"c":["3"]}]}"#, r#"{"c":"3"}"#);
        assert_eq!(e.to_string(), "match: alternative 2 of 2 holds\n");
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "x".repeat(200);
        let e = why(
            r#"{"a":["y"]}"#,
            &format!(r#"{{"a":["{long}",1,2,3,4,5,6]}}"#),
        );
        let text = e.to_string();
        assert!(
            text.contains("xx…, 1, 2, 3, 4, … 2 more does not"),
            "{text}"
        );
    }

    #[test]
    fn verdict_agrees_with_the_reference() {
        let cases = [
            (r#"{"a":[{"numeric":[">",5]}]}"#, r#"{"a":[1,9]}"#),
            (r#"{"a":[{"anything-but":"x"}]}"#, r#"{"a":"x"}"#),
            (r#"{"a":[{"exists":false}],"b":[1]}"#, r#"{"b":1}"#),
        ];
        for (p, ev) in cases {
            let pattern = Pattern::parse(p).unwrap();
            let event = JsonNode::parse(ev, 64).unwrap();
            assert_eq!(
                explain(&pattern, &event).matched(),
                crate::reference::matches(&pattern, &event),
                "{p} {ev}"
            );
        }
    }
}
