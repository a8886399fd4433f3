//! Selectors: words from outside the language that stand for field tests.
//!
//! The language itself knows field tests only (`detail.state == "running"`). A
//! [`Vocabulary`] adds selector words, such as SaaSus's `api` and `status`, handed in from
//! outside as [`Selectors`] (SaaSus's are `crate::saasus::SELECTORS`; this module does not
//! know them): it parses what follows its word into [`Selector`]s, and each selector says what it means (to
//! [evaluate](super::Expr::evaluate) a rule) and how it is written as tests on each
//! [`Target`]. The language joins selectors with `and` and `or` like any test; selectors
//! joined by `and` are [merged](SelectorMeaning::merge) first, since a vocabulary may write
//! two of them as one test.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use super::error::DslError;
use super::lexer::Span;
use super::operand::OperandError;
use super::syntax::{Expr, Parser};
use super::{Target, Warning};
use crate::json::JsonNode;

/// The selector words a rule may use, and their grammar.
pub(crate) trait Vocabulary: Sync {
    /// What the selectors are called in messages, e.g. `SaaSus`.
    fn name(&self) -> &'static str;

    /// The words that start a selector; paths starting with one must be quoted.
    fn keywords(&self) -> &'static [&'static str];

    /// Parses the selector after `keyword` (already consumed; it started at `start`) into
    /// alternatives, one of which must hold. Warnings go to `parser.warnings`.
    fn parse_selector(
        &self,
        keyword: &str,
        parser: &mut Parser<'_>,
        start: Span,
    ) -> Result<Vec<Selector>, DslError>;

    /// Why a field test at `path` can never work on `target`, and what to write instead, if
    /// so (a vocabulary knows its events' shape).
    fn refuses_test(&self, path: &str, target: Target) -> Option<(String, String)> {
        let _ = (path, target);
        None
    }

    /// What to write instead of `not` before a selector.
    fn negation_help(&self) -> &'static str {
        "select what you want instead"
    }
}

/// The selector words a rule may use besides field tests, handed to
/// [`compile_with`](super::compile_with) and [`parse_with`](super::parse_with):
/// [`Selectors::NONE`] for the plain language, or a vocabulary's, such as SaaSus's `api` and
/// `status` (`evpattern::saasus::SELECTORS`).
///
/// ```
/// use evpattern::dsl::{compile_with, Selectors, Target};
///
/// // Without selectors, `api` is a field name like any other.
/// let plain = compile_with("api == 1", Target::Local, Selectors::NONE).unwrap();
/// assert_eq!(plain.pattern.to_json(), r#"{"api":[1]}"#);
/// assert!(Selectors::NONE.keywords().is_empty());
/// assert_eq!(evpattern::saasus::SELECTORS.keywords(), ["api", "status"]);
/// ```
#[derive(Clone, Copy)]
pub struct Selectors(&'static dyn Vocabulary);

impl Selectors {
    /// No selector words: field tests only.
    pub const NONE: Selectors = Selectors(&NoSelectors);

    /// The selectors of `vocabulary`.
    pub(crate) const fn new(vocabulary: &'static dyn Vocabulary) -> Selectors {
        Selectors(vocabulary)
    }

    pub(crate) fn vocabulary(self) -> &'static dyn Vocabulary {
        self.0
    }

    /// What the selectors are called in messages, e.g. `SaaSus`.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The words that start a selector (paths starting with one must be quoted).
    pub fn keywords(&self) -> &'static [&'static str] {
        self.0.keywords()
    }
}

impl fmt::Debug for Selectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Selectors").field(&self.name()).finish()
    }
}

/// The plain language's vocabulary: no words, so no selector is ever parsed.
struct NoSelectors;

impl Vocabulary for NoSelectors {
    fn name(&self) -> &'static str {
        "no"
    }

    fn keywords(&self) -> &'static [&'static str] {
        &[]
    }

    fn parse_selector(
        &self,
        keyword: &str,
        parser: &mut Parser<'_>,
        start: Span,
    ) -> Result<Vec<Selector>, DslError> {
        Err(parser.error_at(start, format!("`{keyword}` is not a selector here")))
    }
}

/// What one selector means, as its vocabulary defines it.
pub(crate) trait SelectorMeaning: fmt::Debug + Send + Sync + Any {
    /// Both selectors at once (they are joined by `and`), or why nothing satisfies both.
    fn merge(&self, other: &Selector) -> Result<Selector, String>;

    /// The field tests that stand for the selector on `target`, for the rule text at
    /// `span`. `exclude_confused`: whether to spend pattern complexity on excluding what a
    /// wildcard would wrongly reach (the compiler retries without when a rule is too complex).
    fn lower(
        &self,
        target: Target,
        exclude_confused: bool,
        span: Span,
        warnings: &mut Vec<Warning>,
    ) -> Result<Expr, OperandError>;

    /// Whether `event` satisfies the selector, by the selector's own meaning.
    fn holds(&self, event: &JsonNode) -> bool;

    /// Whether `other` is the same selector.
    fn same_as(&self, other: &Selector) -> bool;

    /// The selector as `Any`, for [`Selector::downcast_ref`].
    fn as_any(&self) -> &dyn Any;
}

/// A parsed selector: opaque to the language, meaningful to its vocabulary.
#[derive(Clone, Debug)]
pub(crate) struct Selector(Arc<dyn SelectorMeaning>);

impl Selector {
    pub(crate) fn new(meaning: impl SelectorMeaning) -> Selector {
        Selector(Arc::new(meaning))
    }

    /// The vocabulary's own value, when it is a `T`.
    pub(crate) fn downcast_ref<T: 'static>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref()
    }

    pub(crate) fn meaning(&self) -> &dyn SelectorMeaning {
        &*self.0
    }
}

impl PartialEq for Selector {
    fn eq(&self, other: &Selector) -> bool {
        self.0.same_as(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::compile_in as compile_with;
    use crate::dsl::syntax::ExprKind;
    use crate::pattern::{Condition, Literal, Predicate};

    /// `tenant ID`: `detail.tenant_id == "ID"`.
    struct Tenants;

    #[derive(Debug, PartialEq)]
    struct Tenant(String);

    impl Vocabulary for Tenants {
        fn name(&self) -> &'static str {
            "tenant"
        }
        fn keywords(&self) -> &'static [&'static str] {
            &["tenant"]
        }
        fn parse_selector(
            &self,
            _: &str,
            parser: &mut Parser<'_>,
            _: Span,
        ) -> Result<Vec<Selector>, DslError> {
            let token = parser.next_token();
            match token.tok {
                crate::dsl::lexer::Tok::Ident(id) => Ok(vec![Selector::new(Tenant(id))]),
                other => Err(parser.error_at(
                    token.span,
                    format!("expected a tenant id, found {}", other.describe()),
                )),
            }
        }
    }

    impl SelectorMeaning for Tenant {
        fn merge(&self, other: &Selector) -> Result<Selector, String> {
            match other.downcast_ref::<Tenant>() {
                Some(other) if other == self => Ok(Selector::new(Tenant(self.0.clone()))),
                _ => Err("an event has one tenant".into()),
            }
        }
        fn lower(
            &self,
            _: Target,
            _: bool,
            span: Span,
            _: &mut Vec<Warning>,
        ) -> Result<Expr, OperandError> {
            Ok(Expr {
                kind: ExprKind::Test(Condition::new(
                    "detail.tenant_id",
                    vec![Predicate::Exact(Literal::String(self.0.clone()))],
                )),
                span,
            })
        }
        fn holds(&self, _: &JsonNode) -> bool {
            true
        }
        fn same_as(&self, other: &Selector) -> bool {
            other.downcast_ref::<Tenant>() == Some(self)
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    fn json(rule: &str, vocabulary: &dyn Vocabulary) -> String {
        match compile_with(rule, Target::Local, vocabulary) {
            Ok(compiled) => compiled.pattern.to_json(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn the_language_takes_its_selectors_from_the_vocabulary_it_is_given() {
        // Without selectors, `api` and `status` are field names like any other.
        assert_eq!(
            json("api == 1 and status exists", Selectors::NONE.vocabulary()),
            r#"{"api":[1],"status":[{"exists":true}]}"#
        );
        assert_eq!(
            json("tenant t1 and source == \"x\"", &Tenants),
            r#"{"detail":{"tenant_id":["t1"]},"source":["x"]}"#
        );
        assert!(json("tenant t1 and tenant t2", &Tenants).contains("an event has one tenant"));
        assert!(json("not tenant t1", &Tenants).contains("cannot negate a tenant selector"));
        // A selector word of the vocabulary must be quoted as a path; SaaSus's words are not
        // reserved here.
        assert!(json("tenant == 1", &Tenants).starts_with("error: "));
        assert_eq!(json("api == 1", &Tenants), r#"{"api":[1]}"#);
    }

    #[test]
    fn saasus_and_the_language_do_not_import_each_other() {
        // The language's files never name SaaSus outside comments (its selectors come in as a
        // `Selectors` value); SaaSus's files use the language, which is the one direction.
        let root = env!("CARGO_MANIFEST_DIR");
        for entry in std::fs::read_dir(format!("{root}/src/dsl")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            // Built, so that this test's own text does not count.
            let needle = ["crate", "::saasus"].concat();
            let names_saasus = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .any(|l| l.contains(&needle));
            assert!(!names_saasus, "{} uses saasus", path.display());
        }
    }
}
