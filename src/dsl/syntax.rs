//! Tokens to the rule's syntax tree ([`Expr`]). Each field test is checked and turned into a
//! pattern [`Condition`] here, where its operand's position is known; `not` is pushed down to
//! the `exists` tests it may negate. Deciding what EventBridge can express of the `and`/`or`
//! structure is [`super::lower`]'s job.

use super::compiled::Warning;
use super::error::DslError;
use super::lexer::{tokenize, Span, Tok, Token};
use super::operand;
use super::vocabulary::{Selector, Vocabulary};
use crate::pattern::{AnythingBut, Condition, Literal, Number, NumericRange, Predicate};

/// A parsed rule: `and`, `or` and the tests they join.
///
/// Build one with [`super::parse`]; evaluate it directly on an event with
/// [`Expr::evaluate`], or compile it with [`super::compile`].
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ExprKind {
    /// Every part holds. Never directly nested in another `And`.
    And(Vec<Expr>),
    /// At least one part holds. Never directly nested in another `Or`.
    Or(Vec<Expr>),
    /// One field test; the condition's predicates are alternatives.
    Test(Condition),
    /// A selector of the rule's vocabulary (SaaSus's `api`, `status`).
    Selector(Selector),
}

/// Words that have a meaning of their own; a path may not start with one unless quoted (nor
/// with a selector word of the vocabulary).
pub(crate) const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "exists", "like", "starts", "ends", "with", "ignoring", "case",
    "cidr", "true", "false", "null",
];

pub(crate) struct Parser<'a> {
    source: &'a str,
    vocabulary: &'a dyn Vocabulary,
    tokens: Vec<Token>,
    pos: usize,
    /// How many `(` and `not` enclose the current position.
    depth: usize,
    pub(crate) warnings: Vec<Warning>,
}

/// Deeper nesting is refused rather than risking the stack on hostile input.
const MAX_NESTING: usize = 100;

impl<'a> Parser<'a> {
    pub(crate) fn new(
        source: &'a str,
        vocabulary: &'a dyn Vocabulary,
    ) -> Result<Parser<'a>, DslError> {
        Ok(Parser {
            source,
            vocabulary,
            tokens: tokenize(source)?,
            pos: 0,
            depth: 0,
            warnings: Vec::new(),
        })
    }

    /// The whole rule.
    pub(crate) fn parse_rule(&mut self) -> Result<Expr, DslError> {
        if self.peek() == &Tok::Eof {
            return Err(self
                .error_here("the rule is empty")
                .with_help("write a condition such as source == \"aws.ec2\""));
        }
        let expr = self.parse_or()?;
        match self.peek() {
            Tok::Eof => Ok(expr),
            Tok::RParen => Err(self.error_here("this `)` has no matching `(`")),
            other => {
                let found = other.describe();
                Err(self
                    .error_here(format!(
                        "expected `and`, `or` or the end of the rule, found {found}"
                    ))
                    .with_help("join conditions with `and` or `or`"))
            }
        }
    }

    fn peek(&self) -> &Tok {
        self.tokens.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        self.tokens
            .get(self.pos + ahead)
            .map_or(&Tok::Eof, |t| &t.tok)
    }

    fn span(&self) -> Span {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map_or(Span::new(0, 0), |t| t.span)
    }

    fn previous_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.span.end)
    }

    fn advance(&mut self) -> Token {
        let token = self.tokens.get(self.pos).cloned().unwrap_or(Token {
            tok: Tok::Eof,
            span: Span::new(self.source.len(), self.source.len()),
        });
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        token
    }

    fn is_keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(name) if name == word)
    }

    fn eat_keyword(&mut self, word: &str) -> bool {
        let found = self.is_keyword(word);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect_keyword(&mut self, word: &str, context: &str) -> Result<(), DslError> {
        if self.eat_keyword(word) {
            Ok(())
        } else {
            let found = self.peek().describe();
            Err(self.error_here(format!("expected `{word}` {context}, found {found}")))
        }
    }

    pub(crate) fn error_at(&self, span: Span, message: impl Into<String>) -> DslError {
        DslError::at(self.source, span, message)
    }

    fn error_here(&self, message: impl Into<String>) -> DslError {
        self.error_at(self.span(), message)
    }

    fn parse_or(&mut self) -> Result<Expr, DslError> {
        let first = self.parse_and()?;
        if !self.is_keyword("or") {
            return Ok(first);
        }
        let mut span = first.span;
        let mut parts = Vec::new();
        splice(&mut parts, first, |k| matches!(k, ExprKind::Or(_)));
        while self.eat_keyword("or") {
            let next = self.parse_and()?;
            span = span.to(next.span);
            splice(&mut parts, next, |k| matches!(k, ExprKind::Or(_)));
        }
        Ok(Expr {
            kind: ExprKind::Or(parts),
            span,
        })
    }

    fn parse_and(&mut self) -> Result<Expr, DslError> {
        let first = self.parse_unary()?;
        if !self.is_keyword("and") {
            return Ok(first);
        }
        let mut span = first.span;
        let mut parts = Vec::new();
        splice(&mut parts, first, |k| matches!(k, ExprKind::And(_)));
        while self.eat_keyword("and") {
            let next = self.parse_unary()?;
            span = span.to(next.span);
            splice(&mut parts, next, |k| matches!(k, ExprKind::And(_)));
        }
        Ok(Expr {
            kind: ExprKind::And(parts),
            span,
        })
    }

    fn enter(&mut self) -> Result<(), DslError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_here(format!(
                "parentheses and `not` are nested more than {MAX_NESTING} deep"
            )));
        }
        Ok(())
    }

    fn parse_unary(&mut self) -> Result<Expr, DslError> {
        if self.is_keyword("not") {
            let not_span = self.advance().span;
            self.enter()?;
            let inner = self.parse_unary()?;
            self.depth -= 1;
            let span = not_span.to(inner.span);
            let negated = self.negate(inner)?;
            return Ok(Expr {
                kind: negated.kind,
                span,
            });
        }
        self.parse_atom()
    }

    fn parse_atom(&mut self) -> Result<Expr, DslError> {
        let start = self.span();
        match self.peek().clone() {
            Tok::LParen => {
                self.advance();
                self.enter()?;
                let inner = self.parse_or()?;
                self.depth -= 1;
                if self.peek() != &Tok::RParen {
                    let found = self.peek().describe();
                    return Err(self
                        .error_here(format!("expected `)`, found {found}"))
                        .with_help(format!(
                            "the `(` at {} is never closed",
                            position(self.source, start.start)
                        )));
                }
                let end = self.advance().span;
                Ok(Expr {
                    kind: inner.kind,
                    span: start.to(end),
                })
            }
            Tok::Ident(word) if self.vocabulary.keywords().contains(&word.as_str()) => {
                self.advance();
                let vocabulary = self.vocabulary;
                let selectors = vocabulary.parse_selector(&word, self, start)?;
                Ok(self.selectors(selectors, start))
            }
            Tok::Num(_) => self.parse_range_from_value(),
            Tok::Ident(word) if word == "exists" => self.parse_prefix_exists(),
            Tok::Ident(word) if self.is_reserved(&word) => Err(self
                .error_here(format!("expected a condition, found the keyword `{word}`"))
                .with_help(format!(
                    "a field named {word} must be quoted: \"{word}\" == ..."
                ))),
            Tok::Ident(_) | Tok::Str(_) => self.parse_test(),
            other => {
                let found = other.describe();
                let mut starts: Vec<String> =
                    ["(", "not"].iter().map(|w| format!("`{w}`")).collect();
                starts.extend(self.vocabulary.keywords().iter().map(|w| format!("`{w}`")));
                let last = starts.pop().unwrap_or_default();
                Err(self
                    .error_here(format!("expected a condition, found {found}"))
                    .with_help(format!(
                        "a condition starts with a field path such as detail.state, with {} or {last}",
                        starts.join(", ")
                    )))
            }
        }
    }

    /// `path`: segments joined by dots, each a bare name or a quoted string.
    fn parse_path(&mut self) -> Result<(String, Span), DslError> {
        let start = self.span();
        let mut segments = Vec::new();
        loop {
            let token = self.advance();
            match token.tok {
                Tok::Ident(name) => segments.push(name),
                Tok::Str(text) => segments.push(text),
                other => {
                    return Err(self
                        .error_at(
                            token.span,
                            format!("expected a field name, found {}", other.describe()),
                        )
                        .with_help(
                            "quote a field name that is not a plain word: detail.\"my-field\"",
                        ))
                }
            }
            if self.peek() != &Tok::Dot {
                break;
            }
            self.advance();
        }
        let span = start.to(Span::new(start.start, self.previous_end()));
        if segments.iter().any(|s| s == "$or") {
            return Err(self
                .error_at(
                    span,
                    "a field named `$or` cannot be written in an EventBridge pattern",
                )
                .with_help("EventBridge reads every \"$or\" key as an or of alternatives"));
        }
        Ok((segments.join("."), span))
    }

    fn parse_test(&mut self) -> Result<Expr, DslError> {
        let (path, path_span) = self.parse_path()?;
        let predicates = match self.peek().clone() {
            Tok::Ident(word) => match word.as_str() {
                "exists" => {
                    self.advance();
                    vec![Predicate::Exists(true)]
                }
                "not" => {
                    self.advance();
                    self.parse_negated_operator(&path)?
                }
                "in" => {
                    self.advance();
                    if self.eat_keyword("cidr") {
                        self.parse_strings("a CIDR block such as \"10.0.0.0/24\"")?
                            .into_iter()
                            .map(|(text, span)| {
                                operand::cidr(&text)
                                    .map(Predicate::Cidr)
                                    .map_err(|e| e.at(self.source, span))
                            })
                            .collect::<Result<_, _>>()?
                    } else {
                        let values = self.parse_list()?;
                        if self.eat_ignoring_case()? {
                            strings_of(self, values)?
                                .into_iter()
                                .map(Predicate::EqualsIgnoreCase)
                                .collect()
                        } else {
                            values
                                .into_iter()
                                .map(|(v, _)| Predicate::Exact(v))
                                .collect()
                        }
                    }
                }
                "starts" | "ends" => {
                    self.advance();
                    self.expect_keyword("with", &format!("after `{word}`"))?;
                    let operands = self.parse_strings("a string")?;
                    let ignore_case = self.eat_ignoring_case()?;
                    operands
                        .into_iter()
                        .map(|(text, _)| match (word.as_str(), ignore_case) {
                            ("starts", false) => Predicate::Prefix(text),
                            ("starts", true) => Predicate::PrefixIgnoreCase(text),
                            (_, false) => Predicate::Suffix(text),
                            (_, true) => Predicate::SuffixIgnoreCase(text),
                        })
                        .collect()
                }
                "like" => {
                    self.advance();
                    let operands = self.parse_strings("a wildcard string such as \"*.png\"")?;
                    self.refuse_ignoring_case("`like`")?;
                    operands
                        .into_iter()
                        .map(|(text, span)| {
                            operand::wildcard(&text)
                                .map(Predicate::Wildcard)
                                .map_err(|e| e.at(self.source, span))
                        })
                        .collect::<Result<_, _>>()?
                }
                other => return Err(self.expected_operator(other)),
            },
            Tok::Eq => {
                self.advance();
                let (value, span) = self.parse_value("after `==`")?;
                if self.eat_ignoring_case()? {
                    vec![Predicate::EqualsIgnoreCase(string_of(self, value, span)?)]
                } else {
                    vec![Predicate::Exact(value)]
                }
            }
            Tok::Ne => {
                self.advance();
                let (value, span) = self.parse_value("after `!=`")?;
                let ignore_case = self.eat_ignoring_case()?;
                vec![self.anything_but(vec![(value, span)], ignore_case)?]
            }
            Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge => {
                let op = self.advance().tok;
                let (bound, _) = self.parse_number_bound()?;
                let inclusive = matches!(op, Tok::Le | Tok::Ge);
                let range = if matches!(op, Tok::Lt | Tok::Le) {
                    NumericRange {
                        lower: None,
                        upper: Some((bound, inclusive)),
                    }
                } else {
                    NumericRange {
                        lower: Some((bound, inclusive)),
                        upper: None,
                    }
                };
                vec![Predicate::Numeric(range)]
            }
            Tok::Eof => {
                return Err(self
                    .error_here(format!(
                        "expected a comparison after `{path}`, found the end of the rule"
                    ))
                    .with_help(OPERATORS_HELP))
            }
            other => return Err(self.expected_operator(&other.describe())),
        };
        let span = path_span.to(Span::new(path_span.start, self.previous_end()));
        Ok(Expr {
            kind: ExprKind::Test(Condition::new(path, predicates)),
            span,
        })
    }

    /// `exists path`, as other filter languages write it (`not exists path` is its negation,
    /// through `not`): the same test as `path exists`.
    fn parse_prefix_exists(&mut self) -> Result<Expr, DslError> {
        let start = self.advance().span;
        match self.peek().clone() {
            Tok::Ident(word) if self.is_reserved(&word) => {
                return Err(self
                    .error_here(format!(
                        "expected a field path after `exists`, found the keyword `{word}`"
                    ))
                    .with_help(format!(
                        "a field named {word} must be quoted: exists \"{word}\""
                    )))
            }
            Tok::Ident(_) | Tok::Str(_) => {}
            other => {
                let found = other.describe();
                return Err(self
                    .error_here(format!(
                        "expected a field path after `exists`, found {found}"
                    ))
                    .with_help("write `exists detail.state` or `detail.state exists`"));
            }
        }
        let (path, path_span) = self.parse_path()?;
        Ok(Expr {
            kind: ExprKind::Test(Condition::new(path, vec![Predicate::Exists(true)])),
            span: start.to(path_span),
        })
    }

    fn expected_operator(&self, found: &str) -> DslError {
        let found =
            if found.starts_with('`') || found.starts_with("a ") || found.starts_with("the ") {
                found.to_owned()
            } else {
                format!("`{found}`")
            };
        self.error_here(format!("expected a comparison, found {found}"))
            .with_help(OPERATORS_HELP)
    }

    /// After `path not`.
    fn parse_negated_operator(&mut self, path: &str) -> Result<Vec<Predicate>, DslError> {
        let word_span = self.span();
        let word = match self.peek() {
            Tok::Ident(word) => word.clone(),
            other => {
                let found = other.describe();
                return Err(self
                    .error_here(format!("expected `exists`, `in`, `starts with`, `ends with` or `like` after `not`, found {found}")));
            }
        };
        self.advance();
        let predicate = match word.as_str() {
            "exists" => Predicate::Exists(false),
            "in" => {
                if self.is_keyword("cidr") {
                    return Err(self
                        .error_here("EventBridge has no \"not in a CIDR block\" (anything-but does not take cidr)")
                        .with_help(format!(
                            "match the addresses outside by their text, e.g. {path} not starts with \"10.0.\""
                        )));
                }
                let values = self.parse_list()?;
                let ignore_case = self.eat_ignoring_case()?;
                self.anything_but(values, ignore_case)?
            }
            "starts" | "ends" => {
                self.expect_keyword("with", &format!("after `not {word}`"))?;
                let operands: Vec<String> = self
                    .parse_strings("a string")?
                    .into_iter()
                    .map(|(s, _)| s)
                    .collect();
                if self.is_keyword("ignoring") {
                    return Err(self
                        .error_here(format!("EventBridge cannot negate a case-insensitive {}", if word == "starts" { "prefix" } else { "suffix" }))
                        .with_help("anything-but takes prefix and suffix only with their exact case; list the spellings instead"));
                }
                Predicate::AnythingBut(if word == "starts" {
                    AnythingBut::Prefix(operands)
                } else {
                    AnythingBut::Suffix(operands)
                })
            }
            "like" => {
                let operands = self.parse_strings("a wildcard string")?;
                self.refuse_ignoring_case("`not like`")?;
                let wildcards = operands
                    .into_iter()
                    .map(|(text, span)| operand::wildcard(&text).map_err(|e| e.at(self.source, span)))
                    .collect::<Result<_, _>>()?;
                Predicate::AnythingBut(AnythingBut::Wildcard(wildcards))
            }
            _ => {
                return Err(self
                    .error_at(word_span,
                        format!("expected `exists`, `in`, `starts with`, `ends with` or `like` after `not`, found `{word}`"))
                    .with_help("to negate `==`, write `!=`"))
            }
        };
        Ok(vec![predicate])
    }

    /// `!=` and `not in`: EventBridge's anything-but, which needs the field present.
    fn anything_but(
        &self,
        values: Vec<(Literal, Span)>,
        ignore_case: bool,
    ) -> Result<Predicate, DslError> {
        if ignore_case {
            return Ok(Predicate::AnythingBut(AnythingBut::EqualsIgnoreCase(
                strings_of(self, values)?,
            )));
        }
        let mut strings = Vec::new();
        let mut numbers = Vec::new();
        for (value, span) in values {
            match value {
                Literal::String(s) => strings.push((s, span)),
                Literal::Number(n) => numbers.push((n, span)),
                Literal::Bool(_) | Literal::Null => {
                    return Err(self
                        .error_at(span, "EventBridge's anything-but takes only strings or only numbers, not true, false or null")
                        .with_help("list the values you do want with `in`, e.g. x in [true]"))
                }
            }
        }
        match (strings.is_empty(), numbers.first()) {
            (false, Some((_, span))) => Err(self
                .error_at(*span, "EventBridge's anything-but takes only strings or only numbers, not both")
                .with_help("split the test: x not in [\"a\"] and ... cannot test x twice, so choose one type")),
            (true, Some(_)) => Ok(Predicate::AnythingBut(AnythingBut::Numbers(
                numbers.into_iter().map(|(n, _)| n).collect(),
            ))),
            _ => Ok(Predicate::AnythingBut(AnythingBut::Strings(
                strings.into_iter().map(|(s, _)| s).collect(),
            ))),
        }
    }

    fn eat_ignoring_case(&mut self) -> Result<bool, DslError> {
        if self.eat_keyword("ignoring") {
            self.expect_keyword("case", "after `ignoring`")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn refuse_ignoring_case(&mut self, what: &str) -> Result<(), DslError> {
        if self.is_keyword("ignoring") {
            return Err(self
                .error_here(format!(
                    "EventBridge has no case-insensitive form of {what}"
                ))
                .with_help(
                    "write the case variants into the wildcard, or use `== ... ignoring case`",
                ));
        }
        Ok(())
    }

    /// A literal value: string, number, true, false or null.
    fn parse_value(&mut self, context: &str) -> Result<(Literal, Span), DslError> {
        let token = self.advance();
        let value = match token.tok {
            Tok::Str(s) => Literal::String(s),
            Tok::Num(text) => match Number::parse(&text) {
                Some(n) => Literal::Number(n),
                None => return Err(self.error_at(token.span, "invalid number")),
            },
            Tok::Ident(word) if word == "true" => Literal::Bool(true),
            Tok::Ident(word) if word == "false" => Literal::Bool(false),
            Tok::Ident(word) if word == "null" => Literal::Null,
            other => {
                self.pos -= 1;
                return Err(self
                    .error_at(
                        token.span,
                        format!("expected a value {context}, found {}", other.describe()),
                    )
                    .with_help("a value is a string (\"x\"), a number, true, false or null"));
            }
        };
        Ok((value, token.span))
    }

    /// `[v, v, ...]`: at least one value.
    fn parse_list(&mut self) -> Result<Vec<(Literal, Span)>, DslError> {
        if self.peek() != &Tok::LBrack {
            let found = self.peek().describe();
            return Err(self
                .error_here(format!("expected a list `[...]`, found {found}"))
                .with_help("write the values in brackets: x in [\"a\", \"b\"]"));
        }
        let open = self.advance().span;
        if self.peek() == &Tok::RBrack {
            return Err(self.error_at(
                open.to(self.span()),
                "an empty list matches nothing; EventBridge refuses empty arrays",
            ));
        }
        let mut values = vec![self.parse_value("in the list")?];
        loop {
            match self.peek() {
                Tok::Comma => {
                    self.advance();
                    values.push(self.parse_value("in the list")?);
                }
                Tok::RBrack => {
                    self.advance();
                    return Ok(values);
                }
                other => {
                    let found = other.describe();
                    return Err(self.error_here(format!("expected `,` or `]`, found {found}")));
                }
            }
        }
    }

    /// A string or a list of strings.
    fn parse_strings(&mut self, what: &str) -> Result<Vec<(String, Span)>, DslError> {
        match self.peek() {
            Tok::LBrack => {
                let values = self.parse_list()?;
                values
                    .into_iter()
                    .map(|(v, span)| string_of(self, v, span).map(|s| (s, span)))
                    .collect()
            }
            Tok::Str(_) => {
                let token = self.advance();
                match token.tok {
                    Tok::Str(s) => Ok(vec![(s, token.span)]),
                    _ => Err(self.error_at(token.span, "expected a string")),
                }
            }
            other => {
                let found = other.describe();
                Err(self.error_here(format!("expected {what} or a list of them, found {found}")))
            }
        }
    }

    /// A numeric comparison bound: a JSON number within the double range.
    fn parse_number_bound(&mut self) -> Result<(f64, Span), DslError> {
        let token = self.advance();
        match &token.tok {
            Tok::Num(text) => Number::parse(text)
                .and_then(|n| n.approx_value())
                .map(|v| (v, token.span))
                .ok_or_else(|| {
                    self.error_at(
                        token.span,
                        "this number is outside the range EventBridge can compare",
                    )
                }),
            other => {
                self.pos -= 1;
                Err(self
                    .error_at(token.span, format!("expected a number, found {}", other.describe()))
                    .with_help("`<`, `<=`, `>` and `>=` compare numbers; use `starts with` or `like` for strings"))
            }
        }
    }

    /// `lo <= path < hi`, `lo < path`, `hi > path >= lo`.
    fn parse_range_from_value(&mut self) -> Result<Expr, DslError> {
        let start = self.span();
        let (first, first_span) = self.parse_number_bound()?;
        let op = self.advance();
        let ascending =
            match op.tok {
                Tok::Lt | Tok::Le => true,
                Tok::Gt | Tok::Ge => false,
                other => return Err(self
                    .error_at(
                        op.span,
                        format!(
                            "expected `<`, `<=`, `>` or `>=` after a number, found {}",
                            other.describe()
                        ),
                    )
                    .with_help(
                        "a condition starting with a number is a range: 200 <= detail.status < 300",
                    )),
            };
        let first_inclusive = matches!(op.tok, Tok::Le | Tok::Ge);
        let (path, _) = self.parse_path()?;
        let mut lower = None;
        let mut upper = None;
        if ascending {
            lower = Some((first, first_inclusive));
        } else {
            upper = Some((first, first_inclusive));
        }
        if matches!(self.peek(), Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge) {
            let op2 = self.advance();
            let second_ascending = matches!(op2.tok, Tok::Lt | Tok::Le);
            if second_ascending != ascending {
                return Err(self
                    .error_at(
                        op2.span,
                        "both comparisons of a range must point the same way",
                    )
                    .with_help(format!("write lo <= {path} < hi")));
            }
            let inclusive = matches!(op2.tok, Tok::Le | Tok::Ge);
            let (second, second_span) = self.parse_number_bound()?;
            if ascending {
                upper = Some((second, inclusive));
            } else {
                lower = Some((second, inclusive));
            }
            if let (Some((lo, lo_inc)), Some((hi, hi_inc))) = (lower, upper) {
                let single_point = lo == hi && lo_inc && hi_inc;
                if !(lo < hi || single_point) {
                    return Err(self
                        .error_at(
                            first_span.to(second_span),
                            "this range is empty: its lower bound must be below its upper bound",
                        )
                        .with_help("for one number write lo <= x <= lo"));
                }
            }
        }
        let span = start.to(Span::new(start.start, self.previous_end()));
        Ok(Expr {
            kind: ExprKind::Test(Condition::new(
                path,
                vec![Predicate::Numeric(NumericRange { lower, upper })],
            )),
            span,
        })
    }

    /// `not E`, rewritten without `not`: only `exists` tests can be negated exactly.
    fn negate(&self, expr: Expr) -> Result<Expr, DslError> {
        let kind = match expr.kind {
            ExprKind::And(parts) => ExprKind::Or(
                parts
                    .into_iter()
                    .map(|p| self.negate(p))
                    .collect::<Result<_, _>>()?,
            ),
            ExprKind::Or(parts) => ExprKind::And(
                parts
                    .into_iter()
                    .map(|p| self.negate(p))
                    .collect::<Result<_, _>>()?,
            ),
            ExprKind::Test(condition) => match condition.predicates() {
                [Predicate::Exists(present)] => ExprKind::Test(Condition::new(
                    condition.path(),
                    vec![Predicate::Exists(!present)],
                )),
                _ => return Err(self.cannot_negate(&condition, expr.span)),
            },
            ExprKind::Selector(_) => {
                return Err(self
                    .error_at(
                        expr.span,
                        format!(
                        "`not` cannot negate a {} selector: EventBridge has no general negation",
                        self.vocabulary.name()
                    ),
                    )
                    .with_help(self.vocabulary.negation_help()))
            }
        };
        // De Morgan may have produced an `and` inside an `and`; keep the tree flat.
        Ok(flatten(Expr {
            kind,
            span: expr.span,
        }))
    }

    fn cannot_negate(&self, condition: &Condition, span: Span) -> DslError {
        let error = self.error_at(
            span,
            "`not` can only negate `exists` tests: EventBridge has no general negation",
        );
        let path = super::print::path_text(condition.path());
        match super::print::negated(condition) {
            Some(negated) => error.with_help(format!(
                "`{negated}` comes closest, but it needs {path} to be present; add `or {path} not exists` to also accept events without it"
            )),
            None => error.with_help("list the values you do want instead"),
        }
    }

    /// Selector alternatives as one expression.
    /// A selector's alternatives, as one expression.
    fn selectors(&self, mut selectors: Vec<Selector>, start: Span) -> Expr {
        let span = start.to(Span::new(start.start, self.previous_end()));
        let kind = if selectors.len() == 1 {
            ExprKind::Selector(selectors.remove(0))
        } else {
            ExprKind::Or(
                selectors
                    .into_iter()
                    .map(|selector| Expr {
                        kind: ExprKind::Selector(selector),
                        span,
                    })
                    .collect(),
            )
        };
        Expr { kind, span }
    }

    /// Whether `word` is a keyword of the language or a selector word of its vocabulary.
    fn is_reserved(&self, word: &str) -> bool {
        KEYWORDS.contains(&word) || self.vocabulary.keywords().contains(&word)
    }

    /// The next token, consumed (for a vocabulary's selector grammar).
    pub(crate) fn next_token(&mut self) -> Token {
        self.advance()
    }

    /// The next token, not consumed.
    pub(crate) fn peek_token(&self) -> &Tok {
        self.peek()
    }

    /// The token after the next one.
    pub(crate) fn peek_second(&self) -> &Tok {
        self.peek_at(1)
    }

    /// The span of the next token.
    pub(crate) fn next_span(&self) -> Span {
        self.span()
    }
}

const OPERATORS_HELP: &str = "comparisons: == != < <= > >= in, not in, starts with, ends with, like, in cidr, exists, not exists";

/// Adds `expr` to `parts`, splicing in its parts when it is of the same kind (`a or (b or c)`).
fn splice(parts: &mut Vec<Expr>, expr: Expr, same_kind: impl Fn(&ExprKind) -> bool) {
    if same_kind(&expr.kind) {
        match expr.kind {
            ExprKind::And(inner) | ExprKind::Or(inner) => parts.extend(inner),
            _ => {}
        }
    } else {
        parts.push(expr);
    }
}

fn flatten(expr: Expr) -> Expr {
    match expr.kind {
        ExprKind::And(parts) => {
            let mut out = Vec::new();
            for p in parts {
                splice(&mut out, p, |k| matches!(k, ExprKind::And(_)));
            }
            Expr {
                kind: ExprKind::And(out),
                span: expr.span,
            }
        }
        ExprKind::Or(parts) => {
            let mut out = Vec::new();
            for p in parts {
                splice(&mut out, p, |k| matches!(k, ExprKind::Or(_)));
            }
            Expr {
                kind: ExprKind::Or(out),
                span: expr.span,
            }
        }
        kind => Expr {
            kind,
            span: expr.span,
        },
    }
}

fn string_of(parser: &Parser<'_>, value: Literal, span: Span) -> Result<String, DslError> {
    match value {
        Literal::String(s) => Ok(s),
        _ => Err(parser.error_at(span, "expected a string here").with_help(
            "prefix, suffix, wildcard, cidr and ignoring-case tests apply to strings only",
        )),
    }
}

fn strings_of(parser: &Parser<'_>, values: Vec<(Literal, Span)>) -> Result<Vec<String>, DslError> {
    values
        .into_iter()
        .map(|(v, span)| string_of(parser, v, span))
        .collect()
}

/// `line:column` of a byte offset, for messages that mention a second place.
pub(crate) fn position(source: &str, offset: usize) -> String {
    let offset = offset.min(source.len());
    let line = source[..offset].matches('\n').count() + 1;
    let line_start = source[..offset].rfind('\n').map_or(0, |n| n + 1);
    let column = source[line_start..offset].chars().count() + 1;
    format!("{line}:{column}")
}
