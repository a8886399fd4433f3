//! The elements of a pattern array: literals and operator objects (`{"prefix": ..}`,
//! `{"numeric": [..]}`, ...), read into [`Predicate`]s.
//!
//! The checks run in the order AWS's compiler (event-ruler's `JsonRuleCompiler`) runs them
//! while streaming through the JSON, so that a pattern with several mistakes gets the reason
//! AWS gives, worded as AWS words it (including its quirks, e.g. a non-string `cidr` operand
//! is reported as `prefix match pattern must be a string`).

use crate::json::JsonNode;

use super::ast::{AnythingBut, Literal, Number, NumericRange, Predicate, Wildcard};
use super::cidr::parse_cidr;
use super::error::PatternError;
use super::operator_names::{
    ANYTHING_BUT, CIDR, EQUALS_IGNORE_CASE, EXACTLY, EXISTS, NUMERIC, PREFIX, SUFFIX, WILDCARD,
};
use super::wildcard::parse_wildcard;

const ONLY_ONE_KEY: &str = "Only one key allowed in match expression";
const TOO_MANY_ELEMENTS: &str = "Too many elements in numeric expression";

/// Reads the elements of one pattern array (the alternatives for one field).
pub(crate) fn parse_predicates(values: &[JsonNode]) -> Result<Vec<Predicate>, PatternError> {
    let mut predicates = Vec::with_capacity(values.len());
    for value in values {
        let predicate = match value {
            JsonNode::Object(members) => parse_operator(members)?,
            JsonNode::String(s) => Predicate::Exact(Literal::String(s.clone())),
            JsonNode::Number(text) => Predicate::Exact(Literal::Number(number(text)?)),
            JsonNode::Bool(b) => Predicate::Exact(Literal::Bool(*b)),
            JsonNode::Null => Predicate::Exact(Literal::Null),
            JsonNode::Array(_) => {
                return Err(PatternError::invalid(
                    "Match value must be String, number, true, false, or null",
                ))
            }
        };
        predicates.push(predicate);
    }
    if predicates.is_empty() {
        return Err(PatternError::invalid("Empty arrays are not allowed"));
    }
    Ok(predicates)
}

fn number(text: &str) -> Result<Number, PatternError> {
    // JsonNode only holds number text that is JSON number grammar, which Number accepts.
    Number::parse(text).ok_or_else(|| PatternError::invalid(format!("Invalid number: {text}")))
}

/// The text Jackson's `getText()` gives for the token that starts `node` (`None`: the end of
/// the enclosing array), used in AWS's messages about misplaced values.
fn token_text(node: Option<&JsonNode>) -> String {
    match node {
        None => "]".to_owned(),
        Some(JsonNode::Object(_)) => "{".to_owned(),
        Some(JsonNode::Array(_)) => "[".to_owned(),
        Some(JsonNode::String(s)) => s.clone(),
        Some(JsonNode::Number(text)) => text.clone(),
        Some(JsonNode::Bool(b)) => b.to_string(),
        Some(JsonNode::Null) => "null".to_owned(),
    }
}

/// Fails with `reason` when an operator object has members beyond its first.
fn only_one(members: &[(String, JsonNode)], reason: &str) -> Result<(), PatternError> {
    if members.len() > 1 {
        Err(PatternError::invalid(reason))
    } else {
        Ok(())
    }
}

fn parse_operator(members: &[(String, JsonNode)]) -> Result<Predicate, PatternError> {
    let Some((name, value)) = members.first() else {
        return Err(PatternError::invalid("Match expression name not found"));
    };
    let predicate = match name.as_str() {
        EXACTLY => match value {
            JsonNode::String(s) => Predicate::Exact(Literal::String(s.clone())),
            _ => {
                return Err(PatternError::invalid(
                    "exact match pattern must be a string",
                ))
            }
        },
        PREFIX => match value {
            JsonNode::Object(inner) => {
                Predicate::PrefixIgnoreCase(ignore_case_operand(inner, "Prefix", PREFIX)?)
            }
            JsonNode::String(s) => Predicate::Prefix(s.clone()),
            _ => {
                return Err(PatternError::invalid(
                    "prefix match pattern must be a string",
                ))
            }
        },
        SUFFIX => match value {
            JsonNode::Object(inner) => {
                Predicate::SuffixIgnoreCase(ignore_case_operand(inner, "Suffix", SUFFIX)?)
            }
            JsonNode::String(s) => Predicate::Suffix(s.clone()),
            _ => {
                return Err(PatternError::invalid(
                    "suffix match pattern must be a string",
                ))
            }
        },
        EQUALS_IGNORE_CASE => match value {
            JsonNode::String(s) => Predicate::EqualsIgnoreCase(s.clone()),
            _ => {
                return Err(PatternError::invalid(
                    "equals-ignore-case match pattern must be a string",
                ))
            }
        },
        WILDCARD => match value {
            JsonNode::String(s) => Predicate::Wildcard(parse_wildcard(s)?),
            _ => {
                return Err(PatternError::invalid(
                    "wildcard match pattern must be a string",
                ))
            }
        },
        NUMERIC => {
            let JsonNode::Array(terms) = value else {
                return Err(PatternError::invalid("Value of numeric must be an array."));
            };
            let range = parse_numeric(terms)?;
            only_one(members, TOO_MANY_ELEMENTS)?;
            return Ok(Predicate::Numeric(range));
        }
        ANYTHING_BUT => {
            let (anything_but, nested) = parse_anything_but(value)?;
            if nested {
                // AWS checks the inner object, then the outer one, with the same message.
                if let JsonNode::Object(inner) = value {
                    only_one(inner, TOO_MANY_ELEMENTS)?;
                }
            }
            only_one(members, TOO_MANY_ELEMENTS)?;
            return Ok(Predicate::AnythingBut(anything_but));
        }
        EXISTS => match value {
            JsonNode::Bool(b) => Predicate::Exists(*b),
            _ => {
                return Err(PatternError::invalid(
                    "exists match pattern must be either true or false.",
                ))
            }
        },
        CIDR => match value {
            // AWS's wording, although the operator is cidr.
            JsonNode::String(s) => Predicate::Cidr(parse_cidr(s)?),
            _ => {
                return Err(PatternError::invalid(
                    "prefix match pattern must be a string",
                ))
            }
        },
        other => {
            return Err(PatternError::invalid(format!(
                "Unrecognized match type {other}"
            )))
        }
    };
    only_one(members, ONLY_ONE_KEY)?;
    Ok(predicate)
}

/// The operand of `{"prefix": {"equals-ignore-case": "p"}}` (and the suffix form).
fn ignore_case_operand(
    inner: &[(String, JsonNode)],
    capitalised: &str,
    operator: &str,
) -> Result<String, PatternError> {
    let Some((name, value)) = inner.first() else {
        return Err(PatternError::invalid(format!(
            "{capitalised} expression name not found"
        )));
    };
    if name != EQUALS_IGNORE_CASE {
        return Err(PatternError::invalid(format!(
            "Unsupported {operator} pattern: {name}"
        )));
    }
    let JsonNode::String(operand) = value else {
        return Err(PatternError::invalid(
            "equals-ignore-case match pattern must be a string",
        ));
    };
    only_one(inner, ONLY_ONE_KEY)?;
    Ok(operand.clone())
}

/// A numeric operand as a double. The full double range is allowed; text beyond it is not a
/// usable bound.
fn bound(text: &str) -> Result<f64, PatternError> {
    number(text)?.approx_value().ok_or_else(|| {
        PatternError::invalid(format!(
            "Value must be between {:e} and {:e}, inclusive: {text}",
            -f64::MAX,
            f64::MAX
        ))
    })
}

fn numeric_text(node: Option<&JsonNode>) -> Option<&str> {
    match node {
        Some(JsonNode::Number(text)) => Some(text),
        _ => None,
    }
}

fn parse_numeric(terms: &[JsonNode]) -> Result<NumericRange, PatternError> {
    let first = terms.first();
    let Some(JsonNode::String(operator)) = first else {
        return Err(PatternError::invalid(format!(
            "Invalid member in numeric match: {}",
            token_text(first)
        )));
    };
    let value = numeric_text(terms.get(1));
    let must_be_numeric =
        |name: &str| PatternError::invalid(format!("Value of {name} must be numeric"));
    let too_many = || PatternError::invalid(TOO_MANY_ELEMENTS);
    match operator.as_str() {
        "=" => {
            let text = value.ok_or_else(|| must_be_numeric("equals"))?;
            if terms.len() > 2 {
                return Err(too_many());
            }
            let v = bound(text)?;
            Ok(NumericRange {
                lower: Some((v, true)),
                upper: Some((v, true)),
            })
        }
        ">" | ">=" => {
            let text = value.ok_or_else(|| must_be_numeric(operator))?;
            let lower_inclusive = operator == ">=";
            if terms.len() == 2 {
                return Ok(NumericRange {
                    lower: Some((bound(text)?, lower_inclusive)),
                    upper: None,
                });
            }
            let upper_term = terms.get(2);
            let Some(JsonNode::String(upper_operator)) = upper_term else {
                return Err(PatternError::invalid(format!(
                    "Bad value in numeric range: {}",
                    token_text(upper_term)
                )));
            };
            let upper_inclusive = match upper_operator.as_str() {
                "<" => false,
                "<=" => true,
                other => {
                    return Err(PatternError::invalid(format!(
                        "Bad numeric range operator: {other}"
                    )))
                }
            };
            let upper_text =
                numeric_text(terms.get(3)).ok_or_else(|| must_be_numeric(upper_operator))?;
            if terms.len() > 4 {
                return Err(PatternError::invalid(
                    "Too many terms in numeric range expression",
                ));
            }
            let (lo, hi) = (bound(text)?, bound(upper_text)?);
            if lo >= hi {
                return Err(PatternError::invalid("Bottom must be less than top"));
            }
            Ok(NumericRange {
                lower: Some((lo, lower_inclusive)),
                upper: Some((hi, upper_inclusive)),
            })
        }
        "<" | "<=" => {
            let text = value.ok_or_else(|| must_be_numeric(operator))?;
            if terms.len() > 2 {
                return Err(too_many());
            }
            Ok(NumericRange {
                lower: None,
                upper: Some((bound(text)?, operator == "<=")),
            })
        }
        other => Err(PatternError::invalid(format!(
            "Unrecognized numeric range operator: {other}"
        ))),
    }
}

/// Which form of `anything-but` an operand object names.
#[derive(Clone, Copy, PartialEq)]
enum SetKind {
    EqualsIgnoreCase,
    Prefix,
    Suffix,
    Wildcard,
}

impl SetKind {
    /// AWS's reason for a non-string operand of this form.
    fn not_a_string(self) -> &'static str {
        match self {
            SetKind::EqualsIgnoreCase => {
                "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
            }
            SetKind::Wildcard => "wildcard match pattern must be a string",
            SetKind::Prefix | SetKind::Suffix => "prefix/suffix match pattern must be a string",
        }
    }
}

/// Reads an `anything-but` operand; the flag says whether it was an operator object
/// (whose extra members the caller reports).
fn parse_anything_but(value: &JsonNode) -> Result<(AnythingBut, bool), PatternError> {
    let (kind, operand) = match value {
        JsonNode::Object(inner) => {
            let Some((name, operand)) = inner.first() else {
                return Err(PatternError::invalid(
                    "Anything-But expression name not found",
                ));
            };
            let kind = match name.as_str() {
                EQUALS_IGNORE_CASE => SetKind::EqualsIgnoreCase,
                PREFIX => SetKind::Prefix,
                SUFFIX => SetKind::Suffix,
                WILDCARD => SetKind::Wildcard,
                other => {
                    return Err(PatternError::invalid(format!(
                        "Unsupported anything-but pattern: {other}"
                    )))
                }
            };
            (Some(kind), operand)
        }
        other => (None, other),
    };
    if !matches!(
        operand,
        JsonNode::Array(_) | JsonNode::String(_) | JsonNode::Number(_)
    ) {
        return Err(PatternError::invalid(
            "Value of anything-but must be an array or single string/number value.",
        ));
    }
    match kind {
        None => parse_anything_but_values(operand).map(|a| (a, false)),
        Some(kind) => parse_anything_but_set(kind, operand).map(|a| (a, true)),
    }
}

/// `"x"`, `5`, or a list of only strings or only numbers.
fn parse_anything_but_values(operand: &JsonNode) -> Result<AnythingBut, PatternError> {
    let items: &[JsonNode] = match operand {
        JsonNode::Array(items) => items,
        single => std::slice::from_ref(single),
    };
    let mut strings = Vec::new();
    let mut numbers = Vec::new();
    for item in items {
        match item {
            JsonNode::String(s) => strings.push(s.clone()),
            JsonNode::Number(text) => {
                // AWS converts each number as it reads it, so a bad one is reported first.
                bound(text)?;
                numbers.push(number(text)?);
            }
            _ => {
                return Err(PatternError::invalid(
                    "Inside anything but list, start|null|boolean is not supported.",
                ))
            }
        }
    }
    match (strings.is_empty(), numbers.is_empty()) {
        (false, true) => Ok(AnythingBut::Strings(strings)),
        (true, false) => Ok(AnythingBut::Numbers(numbers)),
        _ => Err(PatternError::invalid(
            "Inside anything but list, either all values are number or string, mixed type is not supported",
        )),
    }
}

/// The operand of `{"anything-but": {"prefix" | "suffix" | "equals-ignore-case" | "wildcard": ..}}`.
fn parse_anything_but_set(kind: SetKind, operand: &JsonNode) -> Result<AnythingBut, PatternError> {
    let items: &[JsonNode] = match operand {
        JsonNode::Array(items) => items,
        single => std::slice::from_ref(single),
    };
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        let JsonNode::String(s) = item else {
            return Err(PatternError::invalid(kind.not_a_string()));
        };
        if matches!(kind, SetKind::Prefix | SetKind::Suffix) && s.is_empty() {
            return Err(PatternError::invalid("Null prefix/suffix not allowed"));
        }
        values.push(s.clone());
    }
    Ok(match kind {
        SetKind::EqualsIgnoreCase => AnythingBut::EqualsIgnoreCase(values),
        SetKind::Prefix => AnythingBut::Prefix(values),
        SetKind::Suffix => AnythingBut::Suffix(values),
        SetKind::Wildcard => AnythingBut::Wildcard(
            values
                .iter()
                .map(|v| parse_wildcard(v))
                .collect::<Result<Vec<Wildcard>, _>>()?,
        ),
    })
}
