//! The EventBridge pattern language: parsing, validation with AWS-worded errors, the AST,
//! and canonical JSON output.
//!
//! This module knows the language and nothing about matching events.
//!
//! The parts, in the order data flows through them:
//!
//! - `parse`: the object structure (nesting, dotted keys, duplicate keys, `$or`) and the
//!   [`Limits`];
//! - `operator_names`: the operator names, one table ([`OPERATOR_NAMES`]) for the parser,
//!   the serializer and the docs;
//! - `operators`: the elements of pattern arrays (literals and operator objects), with
//!   `wildcard` and `cidr` for the grammar of those operands (and wildcard complexity);
//! - `ast`: the result, [`Pattern`], the one data structure every other module shares;
//! - `serialize`: [`Pattern::to_json`], the AST back to canonical JSON;
//! - `error`: [`PatternError`], the AWS-worded reason a pattern is refused.

mod ast;
mod case;
mod cidr;
mod error;
mod limits;
mod operator_names;
mod operators;
mod parse;
mod serialize;
mod wildcard;

pub use ast::{
    fold_case, java_double_text, AnythingBut, Cidr, Clause, Condition, Literal, Number,
    NumericRange, Pattern, Predicate, Wildcard,
};
pub use case::{case_key, ends_with_ignore_case, equals_ignore_case, starts_with_ignore_case};
pub use cidr::{exact_string_matches, read_address, AddressError};
pub use error::{ErrorKind, PatternError};
pub use limits::{Limits, AWS_MAX_PATTERN_LENGTH};
pub use operator_names::OPERATOR_NAMES;
pub(crate) use parse::{
    combinations, or_paths_collide, overridden_path, path_over_wildcard_complexity,
};

use std::fmt;

impl Pattern {
    /// Parses and validates pattern JSON with [`Limits::default()`] (AWS's limits, except
    /// that the length of the text is not capped).
    ///
    /// ```
    /// use evpattern::Pattern;
    ///
    /// let p = Pattern::parse(r#"{"detail": {"state": ["running"], "$or": [
    ///     {"count": [{"numeric": [">", 5]}]},
    ///     {"kind": [{"prefix": "big-"}]}
    /// ]}}"#).unwrap();
    /// assert_eq!(p.root().conditions()[0].path(), "detail.state");
    /// assert_eq!(p.root().any_of()[0][1].conditions()[0].path(), "detail.kind");
    ///
    /// let err = Pattern::parse(r#"{"detail": {"state": "running"}}"#).unwrap_err();
    /// assert_eq!(err.reason(), r#""state" must be an object or an array"#);
    /// ```
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        parse::parse(text, &Limits::default())
    }

    /// Parses and validates pattern JSON within `limits`.
    ///
    /// ```
    /// use evpattern::pattern::{ErrorKind, Limits};
    /// use evpattern::Pattern;
    ///
    /// let long = format!(r#"{{"a": ["{}"]}}"#, "x".repeat(5000));
    /// assert!(Pattern::parse(&long).is_ok());
    /// let err = Pattern::parse_with(&long, &Limits::aws()).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::TooLong);
    /// ```
    pub fn parse_with(text: &str, limits: &Limits) -> Result<Pattern, PatternError> {
        parse::parse(text, limits)
    }

    /// The pattern as canonical JSON: nested objects, sorted keys, `$or`s at the top of their
    /// clause. Parsing the result gives back an equal pattern.
    ///
    /// ```
    /// use evpattern::Pattern;
    ///
    /// let p = Pattern::parse(r#"{"b.y": [1], "a": [{"prefix": "x"}], "b": {"x": [true]}}"#).unwrap();
    /// assert_eq!(p.to_json(), r#"{"a":[{"prefix":"x"}],"b":{"x":[true],"y":[1]}}"#);
    /// assert_eq!(Pattern::parse(&p.to_json()).unwrap(), p);
    /// ```
    pub fn to_json(&self) -> String {
        serialize::to_json(self)
    }
}

impl Condition {
    /// The condition's array of alternatives as pattern JSON.
    ///
    /// ```
    /// use evpattern::Pattern;
    ///
    /// let p = Pattern::parse(r#"{"a": {"b": ["x", {"prefix": "y"}]}}"#).unwrap();
    /// assert_eq!(p.root().conditions()[0].predicates_json(), r#"["x",{"prefix":"y"}]"#);
    /// ```
    pub fn predicates_json(&self) -> String {
        serialize::predicates_to_json(self.predicates())
    }
}

/// Same as [`Pattern::to_json`].
impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}
