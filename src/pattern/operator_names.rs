//! The names of the pattern language's operators, in one table: the parser matches on these
//! constants, the serializer writes them, `$or` reserves them, and [`OPERATOR_NAMES`] lists
//! them for documentation and front ends (a test checks that the AST's docs show each).

/// `{"exactly": "s"}`: the string `s`, even when it looks like an operator.
pub(crate) const EXACTLY: &str = "exactly";
/// `{"equals-ignore-case": "s"}`, and the nested form in `prefix`, `suffix`, `anything-but`.
pub(crate) const EQUALS_IGNORE_CASE: &str = "equals-ignore-case";
/// `{"prefix": "p"}`.
pub(crate) const PREFIX: &str = "prefix";
/// `{"suffix": "s"}`.
pub(crate) const SUFFIX: &str = "suffix";
/// `{"anything-but": ...}`.
pub(crate) const ANYTHING_BUT: &str = "anything-but";
/// `{"exists": true}`.
pub(crate) const EXISTS: &str = "exists";
/// `{"wildcard": "a*b"}`.
pub(crate) const WILDCARD: &str = "wildcard";
/// `{"numeric": [">", 0]}`.
pub(crate) const NUMERIC: &str = "numeric";
/// `{"cidr": "10.0.0.0/24"}`.
pub(crate) const CIDR: &str = "cidr";

/// Every operator name a pattern may use as the key of an operator object, in the order
/// event-ruler lists them.
///
/// ```
/// assert!(evpattern::pattern::OPERATOR_NAMES.contains(&"anything-but"));
/// ```
pub const OPERATOR_NAMES: &[&str] = &[
    EXACTLY,
    EQUALS_IGNORE_CASE,
    PREFIX,
    SUFFIX,
    ANYTHING_BUT,
    EXISTS,
    WILDCARD,
    NUMERIC,
    CIDR,
];

#[cfg(test)]
mod tests {
    use super::OPERATOR_NAMES;

    /// The AST's documentation (what `cargo doc` shows for `Predicate` and `AnythingBut`)
    /// shows every operator in use.
    #[test]
    fn the_ast_docs_show_every_operator() {
        let docs: String = include_str!("ast.rs")
            .lines()
            .filter(|line| line.trim_start().starts_with("///"))
            .collect();
        for name in OPERATOR_NAMES {
            assert!(
                docs.contains(&format!("{{\"{name}\":")),
                "the AST docs never show {{\"{name}\": ...}}"
            );
        }
    }
}
