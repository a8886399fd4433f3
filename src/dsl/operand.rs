//! Checks the operands EventBridge validates itself (wildcards, CIDR blocks) so that a bad
//! one is reported at its place in the rule, not later as a whole-pattern error. The checks
//! are the pattern parser's own, run on a one-operand pattern, so that the rule language
//! accepts exactly what patterns accept, with AWS's wording.

use crate::pattern::{Cidr, Pattern, Predicate, Wildcard};

/// Reads a `wildcard` operand: `*` is any run of characters, `\*` a literal star, `\\` a
/// literal backslash. Errors are worded as AWS words them.
pub(crate) fn wildcard(source: &str) -> Result<Wildcard, String> {
    match single_predicate("wildcard", source)? {
        Predicate::Wildcard(w) => Ok(w),
        other => Err(format!("internal: a wildcard read as {other:?}")),
    }
}

/// Reads a `cidr` operand such as `10.0.0.0/24` or `2001:db8::/32`, flooring the address to
/// the network.
pub(crate) fn cidr(source: &str) -> Result<Cidr, String> {
    match single_predicate("cidr", source)? {
        Predicate::Cidr(c) => Ok(c),
        other => Err(format!("internal: a cidr read as {other:?}")),
    }
}

/// The predicate of the pattern `{"x": [{operator: operand}]}`, or the parser's reason.
fn single_predicate(operator: &str, operand: &str) -> Result<Predicate, String> {
    let pattern = serde_json::json!({ "x": [{ operator: operand }] }).to_string();
    let parsed = Pattern::parse(&pattern).map_err(|e| e.reason().to_owned())?;
    parsed
        .root()
        .conditions()
        .first()
        .and_then(|c| c.predicates().first())
        .cloned()
        .ok_or_else(|| format!("internal: no {operator} in {pattern}"))
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
            wildcard("ab**").unwrap_err(),
            "Consecutive wildcard characters at pos 3"
        );
        assert_eq!(
            wildcard("a\\b").unwrap_err(),
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
            cidr("10.0.0.0").unwrap_err(),
            "Malformed CIDR, one '/' required"
        );
        assert_eq!(
            cidr("10.0.0.0/32").unwrap_err(),
            "IPv4 mask bits must be < 32"
        );
        assert!(cidr("10.0.0/8").is_err());
        assert!(cidr("10.0.0.0/x").is_err());
    }
}
