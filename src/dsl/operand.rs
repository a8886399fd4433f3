//! Checks the operands EventBridge validates itself (wildcards, CIDR blocks) so that a bad
//! one is reported at its place in the rule, not later as a whole-pattern error. The checks
//! are the pattern parser's own, run on a one-operand pattern, so that the rule language
//! accepts exactly what patterns accept, with AWS's wording.

use super::error::DslError;
use super::lexer::Span;
use crate::pattern::{Cidr, ErrorKind, Pattern, Predicate, Wildcard};

/// The hint for a wildcard set EventBridge finds too complex.
pub(crate) const TOO_COMPLEX_HELP: &str = "EventBridge limits the wildcards of one field, counting every `like` and those the `api` and `status` selectors write; split the rule into several rules";

/// Why an operand was refused, worded as AWS words it.
#[derive(Debug)]
pub(crate) struct OperandError {
    reason: String,
    too_complex: bool,
}

impl OperandError {
    /// The error at the operand's place in the rule.
    pub(crate) fn at(self, source: &str, span: Span) -> DslError {
        let error = DslError::at(source, span, self.reason);
        if self.too_complex {
            error.with_help(TOO_COMPLEX_HELP)
        } else {
            error
        }
    }

    fn internal(message: String) -> OperandError {
        OperandError {
            reason: message,
            too_complex: false,
        }
    }
}

/// Reads a `wildcard` operand: `*` is any run of characters, `\*` a literal star, `\\` a
/// literal backslash. Errors are worded as AWS words them.
pub(crate) fn wildcard(source: &str) -> Result<Wildcard, OperandError> {
    match single_predicate("wildcard", source)? {
        Predicate::Wildcard(w) => Ok(w),
        other => Err(OperandError::internal(format!(
            "internal: a wildcard read as {other:?}"
        ))),
    }
}

/// Reads a `cidr` operand such as `10.0.0.0/24` or `2001:db8::/32`, flooring the address to
/// the network.
pub(crate) fn cidr(source: &str) -> Result<Cidr, OperandError> {
    match single_predicate("cidr", source)? {
        Predicate::Cidr(c) => Ok(c),
        other => Err(OperandError::internal(format!(
            "internal: a cidr read as {other:?}"
        ))),
    }
}

/// The predicate of the pattern `{"x": [{operator: operand}]}`, or the parser's reason.
fn single_predicate(operator: &str, operand: &str) -> Result<Predicate, OperandError> {
    let pattern = serde_json::json!({ "x": [{ operator: operand }] }).to_string();
    let parsed = Pattern::parse(&pattern).map_err(|e| OperandError {
        reason: e.reason().to_owned(),
        too_complex: e.kind() == ErrorKind::TooComplex,
    })?;
    parsed
        .root()
        .conditions()
        .first()
        .and_then(|c| c.predicates().first())
        .cloned()
        .ok_or_else(|| OperandError::internal(format!("internal: no {operator} in {pattern}")))
}

/// Escapes `*` and `\` so that `text` is matched literally inside a wildcard.
pub(crate) fn escape_wildcard(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '*' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_pieces_and_errors() {
        assert_eq!(wildcard("a*b\\*c*").unwrap().pieces(), ["a", "b*c", ""]);
        assert_eq!(wildcard("\\\\").unwrap().pieces(), ["\\"]);
        assert_eq!(
            wildcard("ab**").unwrap_err().reason,
            "Consecutive wildcard characters at pos 3"
        );
        assert_eq!(
            wildcard("a\\b").unwrap_err().reason,
            "Invalid escape character at pos 2"
        );
        assert_eq!(escape_wildcard("a*\\"), "a\\*\\\\");
        assert_eq!(
            wildcard(&escape_wildcard("a*\\")).unwrap().pieces(),
            ["a*\\"]
        );
    }

    #[test]
    fn cidr_is_floored_and_checked() {
        let c = cidr("10.1.2.3/8").unwrap();
        assert_eq!(c.network().to_string(), "10.0.0.0");
        assert_eq!(c.prefix_len(), 8);
        assert_eq!(cidr("0.0.0.0/0").unwrap().prefix_len(), 0);
        assert_eq!(
            cidr("2001:db8::1/32").unwrap().network().to_string(),
            "2001:db8::"
        );
        assert_eq!(
            cidr("10.0.0.0").unwrap_err().reason,
            "Malformed CIDR, one '/' required"
        );
        assert_eq!(
            cidr("10.0.0.0/32").unwrap_err().reason,
            "IPv4 mask bits must be < 32"
        );
        assert!(cidr("10.0.0/8").is_err());
        assert!(cidr("10.0.0.0/x").is_err());
    }
}
