//! Patterns back to rule text. The output compiles to the same pattern it was printed from
//! (for every pattern a rule compiles to), so predicates keep their order: neighbouring ones of
//! one kind share a list (`x in [1, 2]`), others are joined with `or`.

use super::lexer::{is_name_char, is_name_start};
use super::syntax::KEYWORDS;
use crate::pattern::{AnythingBut, Clause, Condition, Literal, NumericRange, Pattern, Predicate};

/// Prints a pattern in the rule language.
///
/// The top-level conditions go one per line, each after `and`, in the pattern's (path) order:
///
/// ```
/// use evpattern::dsl::{compile, to_dsl, Target};
///
/// let rule = r#"source == "aws.ec2" and detail.state in ["running", "stopped"]"#;
/// let pattern = compile(rule, Target::Local).unwrap().pattern;
/// let text = to_dsl(&pattern);
/// assert_eq!(text, "detail.state in [\"running\", \"stopped\"]\nand source == \"aws.ec2\"");
/// assert_eq!(compile(&text, Target::Local).unwrap().pattern, pattern);
/// ```
pub fn to_dsl(pattern: &Pattern) -> String {
    let root = pattern.root();
    let items = clause_items(root);
    match items.as_slice() {
        [] => "# an empty pattern: EventBridge refuses it, and no rule compiles to it".to_owned(),
        [Item::Group(group)] => group
            .iter()
            .map(|alternative| alternative_text(alternative, group.len() > 1))
            .collect::<Vec<_>>()
            .join("\nor "),
        _ => items
            .iter()
            .map(|item| item.text(items.len() > 1))
            .collect::<Vec<_>>()
            .join("\nand "),
    }
}

enum Item<'a> {
    Condition(&'a Condition),
    Group(&'a [Clause]),
}

impl Item<'_> {
    /// The item's text; `in_and` asks for parentheses around an `or`.
    fn text(&self, in_and: bool) -> String {
        match self {
            Item::Condition(condition) => {
                let tests = condition_tests(condition);
                if in_and && tests.len() > 1 {
                    format!("({})", tests.join(" or "))
                } else {
                    tests.join(" or ")
                }
            }
            Item::Group(group) => {
                let text = group
                    .iter()
                    .map(|alternative| alternative_text(alternative, group.len() > 1))
                    .collect::<Vec<_>>()
                    .join(" or ");
                if in_and {
                    format!("({text})")
                } else {
                    text
                }
            }
        }
    }
}

fn clause_items(clause: &Clause) -> Vec<Item<'_>> {
    clause
        .conditions()
        .iter()
        .map(Item::Condition)
        .chain(clause.any_of().iter().map(|g| Item::Group(g.as_slice())))
        .collect()
}

/// One alternative of a `$or`; parenthesised when it is an `and` among other alternatives, so
/// that the reader need not remember that `and` binds tighter.
fn alternative_text(clause: &Clause, among_others: bool) -> String {
    let items = clause_items(clause);
    let text = items
        .iter()
        .map(|item| item.text(items.len() > 1))
        .collect::<Vec<_>>()
        .join(" and ");
    if among_others && items.len() > 1 {
        format!("({text})")
    } else {
        text
    }
}

/// The tests of one condition, to be joined with `or`.
fn condition_tests(condition: &Condition) -> Vec<String> {
    let path = path_text(condition.path());
    let mut tests = Vec::new();
    let predicates = condition.predicates();
    let mut i = 0;
    while i < predicates.len() {
        let kind = list_kind(&predicates[i]);
        let mut run = 1;
        if kind.is_some() {
            while predicates
                .get(i + run)
                .is_some_and(|p| list_kind(p) == kind)
            {
                run += 1;
            }
        }
        tests.push(run_text(&path, &predicates[i..i + run]));
        i += run;
    }
    tests
}

/// Predicates that a list can hold, by the form of that list.
#[derive(PartialEq, Clone, Copy)]
enum ListKind {
    Exact,
    EqualsIgnoreCase,
    Prefix,
    PrefixIgnoreCase,
    Suffix,
    SuffixIgnoreCase,
    Wildcard,
    Cidr,
}

fn list_kind(predicate: &Predicate) -> Option<ListKind> {
    Some(match predicate {
        Predicate::Exact(_) => ListKind::Exact,
        Predicate::EqualsIgnoreCase(_) => ListKind::EqualsIgnoreCase,
        Predicate::Prefix(_) => ListKind::Prefix,
        Predicate::PrefixIgnoreCase(_) => ListKind::PrefixIgnoreCase,
        Predicate::Suffix(_) => ListKind::Suffix,
        Predicate::SuffixIgnoreCase(_) => ListKind::SuffixIgnoreCase,
        Predicate::Wildcard(_) => ListKind::Wildcard,
        Predicate::Cidr(_) => ListKind::Cidr,
        Predicate::AnythingBut(_) | Predicate::Numeric(_) | Predicate::Exists(_) => return None,
    })
}

/// A run of predicates of one list kind (or a single other predicate) as one test.
fn run_text(path: &str, run: &[Predicate]) -> String {
    let operands: Vec<String> = run
        .iter()
        .filter_map(|p| match p {
            Predicate::Exact(value) => Some(literal_text(value)),
            Predicate::EqualsIgnoreCase(s)
            | Predicate::Prefix(s)
            | Predicate::PrefixIgnoreCase(s)
            | Predicate::Suffix(s)
            | Predicate::SuffixIgnoreCase(s) => Some(string_text(s)),
            Predicate::Wildcard(w) => Some(string_text(w.source())),
            Predicate::Cidr(c) => Some(string_text(c.source())),
            _ => None,
        })
        .collect();
    let one_or_list = || {
        if operands.len() == 1 {
            operands[0].clone()
        } else {
            list_text(&operands)
        }
    };
    let Some(first) = run.first() else {
        return String::new();
    };
    match first {
        Predicate::Exact(_) if run.len() == 1 => format!("{path} == {}", operands[0]),
        Predicate::Exact(_) => format!("{path} in {}", list_text(&operands)),
        Predicate::EqualsIgnoreCase(_) if run.len() == 1 => {
            format!("{path} == {} ignoring case", operands[0])
        }
        Predicate::EqualsIgnoreCase(_) => {
            format!("{path} in {} ignoring case", list_text(&operands))
        }
        Predicate::Prefix(_) => format!("{path} starts with {}", one_or_list()),
        Predicate::PrefixIgnoreCase(_) => {
            format!("{path} starts with {} ignoring case", one_or_list())
        }
        Predicate::Suffix(_) => format!("{path} ends with {}", one_or_list()),
        Predicate::SuffixIgnoreCase(_) => {
            format!("{path} ends with {} ignoring case", one_or_list())
        }
        Predicate::Wildcard(_) => format!("{path} like {}", one_or_list()),
        Predicate::Cidr(_) => format!("{path} in cidr {}", one_or_list()),
        Predicate::AnythingBut(but) => anything_but_text(path, but),
        Predicate::Numeric(range) => numeric_text(path, range),
        Predicate::Exists(true) => format!("{path} exists"),
        Predicate::Exists(false) => format!("{path} not exists"),
    }
}

fn anything_but_text(path: &str, but: &AnythingBut) -> String {
    let strings =
        |items: &[String]| -> Vec<String> { items.iter().map(|s| string_text(s)).collect() };
    let one_or_list = |items: Vec<String>| {
        if items.len() == 1 {
            items[0].clone()
        } else {
            list_text(&items)
        }
    };
    match but {
        AnythingBut::Strings(items) if items.len() == 1 => {
            format!("{path} != {}", string_text(&items[0]))
        }
        AnythingBut::Strings(items) => format!("{path} not in {}", list_text(&strings(items))),
        AnythingBut::Numbers(items) if items.len() == 1 => format!("{path} != {}", items[0]),
        AnythingBut::Numbers(items) => format!(
            "{path} not in {}",
            list_text(
                &items
                    .iter()
                    .map(|n| n.text().to_owned())
                    .collect::<Vec<_>>()
            )
        ),
        AnythingBut::EqualsIgnoreCase(items) if items.len() == 1 => {
            format!("{path} != {} ignoring case", string_text(&items[0]))
        }
        AnythingBut::EqualsIgnoreCase(items) => {
            format!("{path} not in {} ignoring case", list_text(&strings(items)))
        }
        AnythingBut::Prefix(items) => {
            format!("{path} not starts with {}", one_or_list(strings(items)))
        }
        AnythingBut::Suffix(items) => {
            format!("{path} not ends with {}", one_or_list(strings(items)))
        }
        AnythingBut::Wildcard(items) => format!(
            "{path} not like {}",
            one_or_list(items.iter().map(|w| string_text(w.source())).collect())
        ),
    }
}

pub(crate) fn numeric_text(path: &str, range: &NumericRange) -> String {
    let op = |inclusive: bool, strict: &'static str, loose: &'static str| {
        if inclusive {
            loose
        } else {
            strict
        }
    };
    match (range.lower, range.upper) {
        (Some((lo, lo_inc)), Some((hi, hi_inc))) => format!(
            "{} {} {path} {} {}",
            number_text(lo),
            op(lo_inc, "<", "<="),
            op(hi_inc, "<", "<="),
            number_text(hi)
        ),
        (Some((lo, inc)), None) => format!("{path} {} {}", op(inc, ">", ">="), number_text(lo)),
        (None, Some((hi, inc))) => format!("{path} {} {}", op(inc, "<", "<="), number_text(hi)),
        (None, None) => format!("{path} >= {}", number_text(f64::MIN)),
    }
}

/// The shorter of the plain and the exponent form; both read back as the same double.
pub(crate) fn number_text(value: f64) -> String {
    let plain = format!("{value}");
    let exponent = format!("{value:e}");
    if exponent.len() < plain.len() {
        exponent
    } else {
        plain
    }
}

fn literal_text(value: &Literal) -> String {
    match value {
        Literal::String(s) => string_text(s),
        Literal::Number(n) => n.text().to_owned(),
        Literal::Bool(b) => b.to_string(),
        Literal::Null => "null".to_owned(),
    }
}

fn list_text(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// A string in the rule's (JSON) string syntax.
pub(crate) fn string_text(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A path in rule syntax: bare names where possible, quoted segments otherwise.
/// Words that selector vocabularies use (SaaSus's `api` and `status`, which the command line
/// reads rules with): a path starting with one is quoted, which any vocabulary reads back
/// the same, so a printed rule means the same with or without selectors.
const SELECTOR_WORDS: &[&str] = &["api", "status"];

pub(crate) fn path_text(path: &str) -> String {
    path.split('.')
        .enumerate()
        .map(|(i, segment)| {
            let bare = segment.chars().next().is_some_and(is_name_start)
                && segment.chars().all(is_name_char)
                && !(i == 0 && (KEYWORDS.contains(&segment) || SELECTOR_WORDS.contains(&segment)));
            if bare {
                segment.to_owned()
            } else {
                string_text(segment)
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The anything-but test closest to "not `condition`", when there is one.
pub(crate) fn negated(condition: &Condition) -> Option<String> {
    let predicates = condition.predicates();
    let all = |f: fn(&Predicate) -> Option<String>| -> Option<Vec<String>> {
        predicates.iter().map(f).collect()
    };
    let but = if let Some(strings) = all(|p| match p {
        Predicate::Exact(Literal::String(s)) => Some(s.clone()),
        _ => None,
    }) {
        AnythingBut::Strings(strings)
    } else if let Some(numbers) = predicates
        .iter()
        .map(|p| match p {
            Predicate::Exact(Literal::Number(n)) => Some(n.clone()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
    {
        AnythingBut::Numbers(numbers)
    } else if let Some(items) = all(|p| match p {
        Predicate::Prefix(s) => Some(s.clone()),
        _ => None,
    }) {
        AnythingBut::Prefix(items)
    } else if let Some(items) = all(|p| match p {
        Predicate::Suffix(s) => Some(s.clone()),
        _ => None,
    }) {
        AnythingBut::Suffix(items)
    } else if let Some(items) = all(|p| match p {
        Predicate::EqualsIgnoreCase(s) => Some(s.clone()),
        _ => None,
    }) {
        AnythingBut::EqualsIgnoreCase(items)
    } else if let Some(items) = predicates
        .iter()
        .map(|p| match p {
            Predicate::Wildcard(w) => Some(w.clone()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
    {
        AnythingBut::Wildcard(items)
    } else {
        return None;
    };
    Some(anything_but_text(&path_text(condition.path()), &but))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_only_where_needed() {
        assert_eq!(path_text("detail.state"), "detail.state");
        assert_eq!(path_text("detail-type"), "detail-type");
        assert_eq!(path_text("status.not"), "\"status\".not");
        assert_eq!(path_text("a.my field.0"), "a.\"my field\".\"0\"");
        assert_eq!(path_text("a..b"), "a.\"\".b");
    }

    #[test]
    fn numbers_print_short_and_exact() {
        assert_eq!(number_text(5.0), "5");
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(number_text(-0.5), "-0.5");
        assert_eq!(number_text(1e300), "1e300");
        assert_eq!(number_text(1.5e-9), "1.5e-9");
        for v in [
            5.0,
            0.1,
            1e300,
            1.5e-9,
            f64::MAX,
            f64::MIN_POSITIVE,
            123456.789,
        ] {
            assert_eq!(number_text(v).parse::<f64>().unwrap(), v);
        }
    }
}
