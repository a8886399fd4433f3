//! Rules that can never do what their author meant: checks over a [`RuleSet`], each a value
//! ([`Finding`]) with the rule, the JSON path and why; nothing is printed here.
//!
//! The checks decide what they say exactly; none guesses:
//!
//! - `unsatisfiable` (error): in every way the pattern can match (each combination of its
//!   `$or` alternatives), some field must be absent (`{"exists": false}`) and also hold a
//!   value. A `$or` branch that is dead this way while others live is a warning.
//!   (An empty numeric range cannot occur: the pattern parser refuses it, as AWS does.)
//! - `duplicate` (warning): two rules of the same meaning: the same pattern once parsed
//!   (canonical JSON: key order and dotted keys do not matter), or patterns each of which
//!   implies the other (values listed in another order, `$or` alternatives in another order).
//! - `covered` (warning): a `$or` combination that implies another of the same rule, so it
//!   adds no event to what the rule matches.
//! - `subset` (warning): a rule each of whose combinations implies a combination of another
//!   rule: every event it matches, the other matches too (compared pairwise in sets of up to
//!   2,000 rules).
//!
//!   Implication is decided as follows (`lint/implication.rs`): a condition implies one on the same path
//!   whose predicates include all of its own (in any order); other implications between
//!   predicates (a range inside a range, a prefix of a prefix) and conditions accepting an
//!   absent field are not decided, so not reported.
//! - `overridden` (warning): a pattern rule that tests a field beside a `$or` and inside it
//!   (or in two `$or`s) with different predicates. In pattern JSON that is no `and`: in each
//!   combination EventBridge keeps the test written last (event-ruler's rule overriding), so
//!   the other has no effect there.
//! - `saasus-string` (warning): a test of a field inside `detail.event` that SaaSus events
//!   carry (`detail.event.uri`, ...). SaaSus sends `detail.event` as a JSON-encoded string,
//!   which EventBridge never looks into, so the rule never fires there. Pattern rules only:
//!   a filter-language rule is compiled for the local target, which reads the decoded
//!   `detail.event` on purpose. (Selecting a GET operation with `api` is the filter
//!   language's own warning, which a rule set keeps: [`RuleSet::warnings`].)
//! - `saasus-field` (warning): a rule about SaaSus events (it tests SaaSus's partner
//!   `source`, or is a filter-language rule using the call's fields) that tests a field no
//!   SaaSus event carries, judged by SaaSus's published sample events (inside the request and
//!   response bodies anything goes).
//! - `near-limit` (warning): a pattern within a quarter of EventBridge's 4096-character limit,
//!   with more than 750 `$or` combinations (AWS's limit is 1000), or with wildcards on one
//!   field more complex than the AWS-recorded answers show EventBridge accepting (7; the
//!   parser refuses above 10).
//!
//! Never reported, because they are never dead: `anything-but` against a sibling test of the
//! same field, and array-consistency conflicts. In pattern JSON a field is named once per
//! object and a field beside a `$or` and inside it is overridden, not joined; where a
//! filter-language rule does join two tests of one field, an event can hold an array there
//! (`["x", "y"]` meets both `== "x"` and `anything-but "x"`), since a test holds when any
//! element of an array meets it. Values tested together must sit in one element of every
//! array they share, which an event can always arrange. So none of these make a pattern or
//! a `$or` branch unsatisfiable; only `exists: false` with a value does.

use std::collections::HashMap;
use std::fmt;

use crate::pattern::{Condition, Literal, Predicate, AWS_MAX_PATTERN_LENGTH};
use crate::reference::alternatives;
use crate::ruleset::{Language, Origin, Rule, RuleSet};

mod implication;

use implication::{covered_by, implies};

/// The wildcard complexity (event-ruler's measure, see `crate::pattern::Limits`) that the
/// AWS-recorded answers show EventBridge accepting; it refuses somewhere above, at 10 at most.
const WILDCARD_SURELY_ACCEPTED: usize = 7;

/// Sets of more rules than this are not compared pairwise for `subset` and the
/// order-insensitive `duplicate`: the comparison costs the square of the count.
const MOST_RULES_COMPARED: usize = 2000;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Probably not what was meant.
    Warning,
    /// Certainly wrong: the rule can never match.
    Error,
}

/// One thing a check found in one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How bad it is.
    pub severity: Severity,
    /// Which check found it, e.g. `unsatisfiable`.
    pub check: &'static str,
    /// The rule's name.
    pub rule: String,
    /// Where the rule was defined.
    pub origin: Origin,
    /// The dot-joined field path it concerns, if one.
    pub path: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        let name = serde_json::to_string(&self.rule).unwrap_or_default();
        write!(f, "{severity}: {}: rule {name}", self.origin)?;
        if let Some(path) = &self.path {
            write!(f, ": {path}")?;
        }
        write!(f, ": {} [{}]", self.message, self.check)
    }
}

/// The fields inside a SaaSus API-call event's `detail.event`, as its published samples carry
/// them.
const SAASUS_CALL_FIELDS: &[&str] = &[
    "log_id",
    "date_time",
    "date",
    "ttl",
    "http_status",
    "uri",
    "ip_address",
    "referer",
    "request_method",
    "saas_id",
    "api_key",
    "request_body",
    "response_body",
];

/// The fields of `detail` in a SaaSus event, as its published samples carry them.
const SAASUS_DETAIL_FIELDS: &[&str] = &["event", "event_type", "trace_id"];

/// The envelope every EventBridge event carries.
const ENVELOPE_FIELDS: &[&str] = &[
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
];

/// Every check over every rule of `rules`, rule by rule in the set's order.
///
/// ```
/// use evpattern::lint::{lint, Severity};
/// use evpattern::ruleset::RuleSet;
///
/// let mut rules = RuleSet::new();
/// // A filter-language rule keeps its `and`; in pattern JSON the `$or`'s `a` would replace
/// // the outer one (EventBridge's rule overriding), so a JSON rule is not dead this way.
/// rules.add_inline(r#"gone=a not exists and (a == "x" or a == "y")"#).unwrap();
/// let findings = lint(&rules);
/// assert_eq!(findings[0].severity, Severity::Error);
/// assert_eq!(findings[0].path.as_deref(), Some("a"));
/// ```
pub fn lint(rules: &RuleSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut by_meaning: HashMap<String, &str> = HashMap::new();
    // Pairwise comparison needs every rule read at once; otherwise one at a time, so that
    // memory stays flat over large sets.
    let all: Vec<Read<'_>> = if rules.rules().len() <= MOST_RULES_COMPARED {
        rules.rules().iter().map(Read::of).collect()
    } else {
        Vec::new()
    };
    for (index, rule) in rules.rules().iter().enumerate() {
        let own;
        let read = match all.get(index) {
            Some(read) => read,
            None => {
                own = Read::of(rule);
                &own
            }
        };
        unsatisfiable(read, &mut findings);
        covered(read, &mut findings);
        overridden(rule, &mut findings);
        saasus_string(read, &mut findings);
        saasus_field(read, &mut findings);
        near_limit(read, &mut findings);
        match by_meaning.get(read.canonical.as_str()) {
            Some(first) => findings.push(same_meaning(rule, first)),
            None => {
                by_meaning.insert(read.canonical.clone(), rule.name());
                compare_with_others(&all, index, &mut findings);
            }
        }
    }
    findings
}

/// A rule with what several checks read of it, computed once.
struct Read<'r> {
    rule: &'r Rule,
    /// Its ways of matching: one list of conditions per `$or` combination.
    ways: Vec<Vec<&'r Condition>>,
    /// Its pattern's canonical JSON.
    canonical: String,
}

impl<'r> Read<'r> {
    fn of(rule: &'r Rule) -> Read<'r> {
        Read {
            rule,
            ways: alternatives(rule.pattern().root()),
            canonical: rule.pattern().to_json(),
        }
    }
}

fn same_meaning(rule: &Rule, first: &str) -> Finding {
    finding(
        rule,
        Severity::Warning,
        "duplicate",
        None,
        format!(
            "means the same as rule {}: every event matches both or neither",
            serde_json::to_string(first).unwrap_or_default()
        ),
    )
}

/// `duplicate` (in another order) and `subset` between rule `index` of `all` and the others
/// (nothing when `all` is empty: the set is too large to compare): a duplicate is reported on
/// the later of the two, a subset on the narrower rule, once (for the first broader rule).
fn compare_with_others(all: &[Read<'_>], index: usize, findings: &mut Vec<Finding>) {
    let Some(mine) = all.get(index) else {
        return;
    };
    let mut subset_of = None;
    for (other_index, theirs) in all.iter().enumerate() {
        if other_index == index || !covered_by(&mine.ways, &theirs.ways) {
            continue;
        }
        if theirs.canonical == mine.canonical {
            // The canonical check reports this pair.
            continue;
        }
        if covered_by(&theirs.ways, &mine.ways) {
            if other_index < index {
                findings.push(same_meaning(mine.rule, theirs.rule.name()));
                return;
            }
        } else if subset_of.is_none() {
            subset_of = Some(theirs.rule.name());
        }
    }
    if let Some(broader) = subset_of {
        findings.push(finding(
            mine.rule,
            Severity::Warning,
            "subset",
            None,
            format!(
                "every event it matches, rule {} matches too: it is a narrower case of that rule",
                serde_json::to_string(broader).unwrap_or_default()
            ),
        ));
    }
}

/// `overridden`: see the module's documentation. Filter-language rules keep their `and`
/// (compiled for the local matcher), so only pattern rules are checked.
fn overridden(rule: &Rule, findings: &mut Vec<Finding>) {
    if rule.language() != Language::Pattern {
        return;
    }
    if let Some(path) = crate::pattern::overridden_path(rule.source()) {
        findings.push(finding(
            rule,
            Severity::Warning,
            "overridden",
            Some(&path),
            String::from("is tested beside a $or and inside it; in each combination EventBridge keeps only the test written last, so the other has no effect there (this is no `and`): test the field in one place, e.g. inside every alternative"),
        ));
    }
}

/// `covered`: a `$or` combination that implies another of the rule's. Of two that imply
/// each other, the later is reported. The two identical combinations the filter language
/// writes for a SaaSus path exclusion (see `crate::saasus`) are its own doing, not the
/// author's, so identical combinations of filter-language rules are passed over.
fn covered(read: &Read<'_>, findings: &mut Vec<Finding>) {
    let (rule, ways) = (read.rule, &read.ways);
    if ways.len() < 2 || ways.len() > 1000 {
        return;
    }
    for (i, way) in ways.iter().enumerate() {
        let by = ways.iter().enumerate().find(|&(j, other)| {
            if i == j || !implies(way, other) {
                return false;
            }
            let mutual = implies(other, way);
            if mutual && rule.language() == Language::Filter && way == other {
                return false;
            }
            !mutual || j < i
        });
        if let Some((j, _)) = by {
            findings.push(finding(
                rule,
                Severity::Warning,
                "covered",
                None,
                format!(
                    "$or combination {} of {} adds nothing: every event it matches, combination {} matches too",
                    i + 1,
                    ways.len(),
                    j + 1
                ),
            ));
        }
    }
}

fn finding(
    rule: &Rule,
    severity: Severity,
    check: &'static str,
    path: Option<&str>,
    message: String,
) -> Finding {
    Finding {
        severity,
        check,
        rule: rule.name().to_owned(),
        origin: rule.origin().clone(),
        path: path.map(str::to_owned),
        message,
    }
}

/// The path some alternative needs both absent and present, if any.
fn contradiction<'c>(conditions: &[&'c Condition]) -> Option<&'c str> {
    let absent_only = |c: &Condition| matches!(c.predicates(), [Predicate::Exists(false)]);
    let needs_value = |c: &Condition| {
        !c.predicates()
            .iter()
            .any(|p| matches!(p, Predicate::Exists(false)))
    };
    conditions.iter().find_map(|absent| {
        (absent_only(absent)
            && conditions
                .iter()
                .any(|other| other.path() == absent.path() && needs_value(other)))
        .then(|| absent.path())
    })
}

fn unsatisfiable(read: &Read<'_>, findings: &mut Vec<Finding>) {
    let (rule, ways) = (read.rule, &read.ways);
    let dead: Vec<(usize, &str)> = ways
        .iter()
        .enumerate()
        .filter_map(|(i, conditions)| contradiction(conditions).map(|path| (i, path)))
        .collect();
    if dead.is_empty() {
        return;
    }
    if dead.len() == ways.len() {
        let path = dead.first().map(|(_, path)| *path);
        findings.push(finding(
            rule,
            Severity::Error,
            "unsatisfiable",
            path,
            String::from("can never match: the field must be absent ({\"exists\": false}) and also hold a value"),
        ));
    } else {
        for (i, path) in dead {
            findings.push(finding(
                rule,
                Severity::Warning,
                "unsatisfiable",
                Some(path),
                format!(
                    "$or combination {} of {} can never match: the field must be absent and also hold a value",
                    i + 1,
                    ways.len()
                ),
            ));
        }
    }
}

fn saasus_string(read: &Read<'_>, findings: &mut Vec<Finding>) {
    let rule = read.rule;
    // A filter-language rule is compiled for the local target, which addresses the decoded
    // detail.event on purpose (matched with --saasus).
    if rule.language() == Language::Filter {
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for conditions in &read.ways {
        for condition in conditions {
            let path = condition.path();
            let Some(field) = path.strip_prefix("detail.event.") else {
                continue;
            };
            let first = field.split('.').next().unwrap_or_default();
            if SAASUS_CALL_FIELDS.contains(&first) && !seen.contains(&path) {
                seen.push(path);
                findings.push(finding(
                    rule,
                    Severity::Warning,
                    "saasus-string",
                    Some(path),
                    String::from("SaaSus sends detail.event as a JSON-encoded string, which EventBridge never looks into, so this never fires on EventBridge; match locally with --saasus, or write the rule in the filter language (api/status) and compile it with --target eventbridge"),
                ));
            }
        }
    }
}

/// Whether the rule is about SaaSus events: it tests `source` for SaaSus's partner source,
/// or (a filter-language rule) uses the fields its selectors write.
fn is_saasus_rule(read: &Read<'_>) -> bool {
    let rule = read.rule;
    let saasus_source = |p: &Predicate| match p {
        Predicate::Exact(Literal::String(s)) | Predicate::Prefix(s) => {
            s.starts_with("aws.partner/saasus.io")
        }
        _ => false,
    };
    read.ways.iter().any(|conditions| {
        conditions.iter().any(|c| {
            (c.path() == "source" && c.predicates().iter().any(saasus_source))
                || (rule.language() == Language::Filter && c.path().starts_with("detail.event."))
        })
    })
}

/// Whether a SaaSus event can carry `path`: the envelope, `detail`'s own fields, the call's
/// fields inside `detail.event`, and anything inside the request and response bodies.
fn saasus_carries(path: &str) -> bool {
    let segments: Vec<&str> = path.split('.').collect();
    match segments.as_slice() {
        [first, ..] if *first != "detail" => ENVELOPE_FIELDS.contains(first),
        ["detail"] => true,
        ["detail", field] => SAASUS_DETAIL_FIELDS.contains(field),
        ["detail", "event", field, rest @ ..] => {
            SAASUS_CALL_FIELDS.contains(field)
                && (rest.is_empty() || matches!(*field, "request_body" | "response_body"))
        }
        _ => false,
    }
}

fn saasus_field(read: &Read<'_>, findings: &mut Vec<Finding>) {
    if !is_saasus_rule(read) {
        return;
    }
    let rule = read.rule;
    let mut seen: Vec<&str> = Vec::new();
    for conditions in &read.ways {
        for condition in conditions {
            let path = condition.path();
            let only_absence = matches!(condition.predicates(), [Predicate::Exists(false)]);
            if !only_absence && !saasus_carries(path) && !seen.contains(&path) {
                seen.push(path);
                findings.push(finding(
                    rule,
                    Severity::Warning,
                    "saasus-field",
                    Some(path),
                    String::from("no SaaSus event carries this field (as SaaSus's published sample events show them), so this test never holds"),
                ));
            }
        }
    }
}

fn near_limit(read: &Read<'_>, findings: &mut Vec<Finding>) {
    let rule = read.rule;
    let length = read.canonical.encode_utf16().count();
    if length * 4 > AWS_MAX_PATTERN_LENGTH * 3 {
        findings.push(finding(
            rule,
            Severity::Warning,
            "near-limit",
            None,
            format!("the pattern is {length} characters long; EventBridge refuses more than {AWS_MAX_PATTERN_LENGTH}"),
        ));
    }
    if let Some(path) = crate::pattern::path_over_wildcard_complexity(
        rule.pattern().root(),
        WILDCARD_SURELY_ACCEPTED,
    ) {
        findings.push(finding(
            rule,
            Severity::Warning,
            "near-limit",
            Some(path),
            format!("its wildcards keep more than {WILDCARD_SURELY_ACCEPTED} states alive at once; EventBridge's limit is unpublished and its recorded answers place it between {WILDCARD_SURELY_ACCEPTED} and 10 (evpattern's), so EventBridge may refuse the pattern: use fewer `*` or fewer wildcards on this field"),
        ));
    }
    let combinations = read.ways.len();
    if combinations > 750 {
        findings.push(finding(
            rule,
            Severity::Warning,
            "near-limit",
            None,
            format!("the pattern has {combinations} $or combinations; EventBridge refuses more than 1000"),
        ));
    }
}
