//! A small filter language that compiles to EventBridge event patterns, and back.
//!
//! Rules read like conditions instead of nested JSON:
//!
//! ```text
//! # Tenant users created or deleted, successfully, from outside the office network.
//! source starts with "aws.partner/saasus.io"
//! and api in [CreateTenantUser, DeleteTenantUser]
//! and status 2xx
//! and detail.event.ip_address not starts with "203.0.113."
//! ```
//!
//! This module owns the language: its text, its errors, its meaning (a direct evaluator) and
//! its printing. It knows EventBridge only through the pattern AST ([`crate::pattern`]), and
//! selectors only as a vocabulary handed to it ([`Selectors`]): [`compile`] and [`parse`] take
//! the plain language, [`compile_with`] and [`parse_with`] add a vocabulary's words, and
//! [`crate::saasus`] supplies `api` and `status` ([`crate::saasus::compile`] uses them).
//!
//! # Grammar
//!
//! ```text
//! rule      = or
//! or        = and { "or" and }
//! and       = unary { "and" unary }
//! unary     = "not" unary | "(" or ")" | test | selector       selector: of the vocabulary
//! test      = path "==" value [ "ignoring case" ]        exact value (ignoring case: strings)
//!           | path "!=" value [ "ignoring case" ]        anything-but: present and different
//!           | path [ "not" ] "in" list [ "ignoring case" ]
//!           | path [ "not" ] "starts with" strings [ "ignoring case" ]   prefix
//!           | path [ "not" ] "ends with" strings [ "ignoring case" ]     suffix
//!           | path [ "not" ] "like" strings              wildcard: * any run, \\* a star
//!           | path "in cidr" strings                     IPv4 / IPv6 network
//!           | path ( "<" | "<=" | ">" | ">=" ) number
//!           | number ( "<" | "<=" ) path [ ( "<" | "<=" ) number ]   range: 200 <= x < 300
//!           | number ( ">" | ">=" ) path [ ( ">" | ">=" ) number ]
//!           | path "exists" | path "not exists" | "exists" path   (`not exists path` through not)
//! selector  = "api" ( operation | module "." operation | module ".*"
//!                   | [ METHOD ] uri-path | "in" "[" operation { "," operation } "]" )
//!           | "status" ( code | "in" "[" code { "," code } "]" )   code: 201, 2xx, 20x
//! path      = segment { "." segment }                    segment: name or "quoted string"
//! value     = string | number | true | false | null      JSON syntax
//! list      = "[" value { "," value } "]"
//! strings   = string | "[" string { "," string } "]"
//! comment   = "#" to the end of the line
//! ```
//!
//! `and` binds tighter than `or`. Names may contain letters, digits, `_`, `$` and `-`
//! (`detail-type`); a path may not start with a keyword (a selector word included, with
//! SaaSus's: `"status" == 1`) unless quoted, and
//! `detail."my field"` quotes any other segment. `=` is accepted for `==`. Not every
//! combination is valid EventBridge: `!= true`, `not starts with … ignoring case`,
//! `like … ignoring case` and `not in cidr` have no EventBridge form and are errors.
//!
//! # Meaning
//!
//! The meaning is EventBridge's: a test holds when *some* value at the path satisfies it
//! (arrays are searched), tests joined by `and` must hold on consistent array elements, and
//! the negative tests (`!=`, `not in`, `not starts with`, …) need the field present with a
//! value that differs. `not` therefore only negates `exists` tests (De Morgan applies); any
//! other `not` is an error that suggests the nearest test EventBridge has.
//! [`Expr::evaluate`] states this meaning directly, without patterns.
//!
//! # What EventBridge cannot express
//!
//! A pattern names a field once per object, so `and` cannot test one field twice
//! (`x > 1 and x < 5` must be written `1 < x < 5`); an `or` of tests on one field becomes
//! that field's list of alternatives; any other `or` becomes a `$or`, at most one per object
//! (more are multiplied out, within AWS's 1000 combinations). Such rules are errors with a
//! hint, never a silently different pattern. Every compiled pattern is finally checked by
//! [`Pattern::parse`], so AWS's own limits (such as wildcard complexity) apply too.
//!
//! # SaaSus selectors
//!
//! `api` and `status` pick SaaSus API-call events by operation (`api CreateTenantUser`,
//! `api auth.UpdateTenant`), module (`api auth.*`), method and path
//! (`api POST /v1/auth/tenants/{tenant_id}/users`, or a concrete path) and HTTP status.
//! Selectors joined by `and` describe one call. How they compile depends on the [`Target`];
//! [`crate::saasus`] explains both. Unknown operations are errors with a "did you mean";
//! selecting a read (GET) is a warning, since SaaSus sends no events for reads.
//!
//! # Examples
//!
//! ```
//! use evpattern::dsl::{compile, Target};
//!
//! let compiled = compile(
//!     r#"detail-type == "api_call" and 200 <= detail.status < 300
//!        and (detail.user.name starts with "adm" ignoring case or detail.ip in cidr "10.0.0.0/8")"#,
//!     Target::Local,
//! )
//! .unwrap();
//! assert_eq!(
//!     compiled.pattern.to_json(),
//!     r#"{"detail":{"$or":[{"user":{"name":[{"prefix":{"equals-ignore-case":"adm"}}]}},{"ip":[{"cidr":"10.0.0.0/8"}]}],"status":[{"numeric":[">=",200,"<",300]}]},"detail-type":["api_call"]}"#
//! );
//! ```
//!
//! A SaaSus rule, for a local matcher and for EventBridge:
//!
//! ```
//! use evpattern::dsl::Target;
//! use evpattern::saasus::compile;
//!
//! let rule = "api CreateTenantUser and status 2xx";
//! let local = compile(rule, Target::Local).unwrap();
//! assert_eq!(
//!     local.pattern.to_json(),
//!     r#"{"detail":{"event":{"http_status":[{"prefix":"2"}],"request_method":["POST"],"uri":[{"wildcard":"/v1/auth/tenants/*/users"}]}}}"#
//! );
//! let aws = compile(rule, Target::EventBridge).unwrap();
//! assert_eq!(
//!     aws.pattern.to_json(),
//!     r#"{"detail":{"event":[{"wildcard":"*http_status\":\"2*uri\":\"/v1/auth/tenants/*/users\",\"ip_address*request_method\":\"POST\"*"}]}}"#
//! );
//! assert!(aws.warnings[0].message().contains("assumes SaaSus writes"));
//! ```
//!
//! Errors point at the spot:
//!
//! ```
//! use evpattern::dsl::Target;
//! use evpattern::saasus::compile;
//!
//! let err = compile("detail.x > 1 and detail.x < 5", Target::Local).unwrap_err();
//! assert_eq!((err.line(), err.column()), (1, 18));
//! assert!(err.to_string().contains("help: write one range: 1 < detail.x < 5"));
//!
//! let err = compile("api CreateTenantUsr", Target::Local).unwrap_err();
//! assert_eq!(err.help(), Some("did you mean `CreateTenantUser`?"));
//! ```

pub(crate) mod compiled;
pub(crate) mod error;
mod eval;
pub(crate) mod lexer;
mod lower;
pub(crate) mod operand;
pub(crate) mod print;
mod selectors;
pub(crate) mod syntax;
pub(crate) mod vocabulary;

pub use compiled::{Compiled, Target, Warning};
pub use error::DslError;
pub use print::to_dsl;
pub use syntax::Expr;
pub use vocabulary::Selectors;

use syntax::Parser;
use vocabulary::Vocabulary;

use crate::pattern::{ErrorKind, Pattern};

/// Parses a rule of the plain language (field tests, no selectors) without compiling it,
/// e.g. to [evaluate](Expr::evaluate) it directly.
///
/// ```
/// assert!(evpattern::dsl::parse("detail.x == (").is_err());
/// assert!(evpattern::dsl::parse("detail.x == 1").is_ok());
/// ```
pub fn parse(source: &str) -> Result<Expr, DslError> {
    parse_with(source, Selectors::NONE)
}

/// [`parse`] with the selector words of `selectors` (SaaSus's: `evpattern::saasus::parse`).
///
/// ```
/// use evpattern::dsl::{parse_with, Selectors};
///
/// assert!(parse_with("api CreateTenant", evpattern::saasus::SELECTORS).is_ok());
/// assert!(parse_with("api CreateTenant", Selectors::NONE).is_err());
/// ```
pub fn parse_with(source: &str, selectors: Selectors) -> Result<Expr, DslError> {
    Ok(parse_with_warnings(source, selectors.vocabulary())?.0)
}

fn parse_with_warnings(
    source: &str,
    vocabulary: &dyn Vocabulary,
) -> Result<(Expr, Vec<Warning>), DslError> {
    let mut parser = Parser::new(source, vocabulary)?;
    let expr = parser.parse_rule()?;
    Ok((expr, std::mem::take(&mut parser.warnings)))
}

/// Compiles a rule of the plain language (field tests, no selectors) to an EventBridge
/// pattern for `target`. Rules with SaaSus's `api` and `status` selectors go through
/// `evpattern::saasus::compile`, or [`compile_with`] and `evpattern::saasus::SELECTORS`.
///
/// ```
/// use evpattern::dsl::{compile, Target};
///
/// let compiled = compile(r#"detail.event_type in ["create_tenant", "delete_tenant"]"#, Target::Local).unwrap();
/// assert!(compiled.warnings.is_empty());
/// assert_eq!(compiled.pattern.root().conditions()[0].path(), "detail.event_type");
/// ```
pub fn compile(source: &str, target: Target) -> Result<Compiled, DslError> {
    compile_with(source, target, Selectors::NONE)
}

/// [`compile`] with the selector words of `selectors`.
///
/// ```
/// use evpattern::dsl::{compile_with, Target};
///
/// let compiled = compile_with("api CreateTenant", Target::Local, evpattern::saasus::SELECTORS).unwrap();
/// assert!(compiled.pattern.to_json().contains(r#""uri":["/v1/auth/tenants"]"#));
/// ```
pub fn compile_with(
    source: &str,
    target: Target,
    selectors: Selectors,
) -> Result<Compiled, DslError> {
    compile_in(source, target, selectors.vocabulary())
}

/// [`compile`] with the selectors of `vocabulary`.
pub(crate) fn compile_in(
    source: &str,
    target: Target,
    vocabulary: &dyn Vocabulary,
) -> Result<Compiled, DslError> {
    let (expr, parse_warnings) = parse_with_warnings(source, vocabulary)?;
    // Locally, selectors first exclude every path their wildcards would wrongly match; when
    // that makes the rule too complex for EventBridge's wildcard limit, they are compiled
    // again without the exclusions, which are then named in warnings instead.
    let attempts: &[bool] = match target {
        Target::Local => &[true, false],
        Target::EventBridge => &[false],
    };
    let mut outcome = Err((
        DslError::at(source, expr.span, "internal: nothing compiled"),
        None,
    ));
    for &exclude_confused in attempts {
        let mut warnings = parse_warnings.clone();
        let resolved = selectors::resolve(
            source,
            expr.clone(),
            target,
            vocabulary,
            exclude_confused,
            &mut warnings,
        )?;
        outcome = finish(source, &resolved, target, warnings);
        let too_complex = matches!(&outcome, Err((_, Some(ErrorKind::TooComplex))));
        if !too_complex {
            break;
        }
    }
    outcome.map_err(|(error, _)| error)
}

/// Lowers a rule free of selectors and checks the pattern with the pattern parser, which has
/// the last word on what AWS accepts (wildcard complexity, for instance).
fn finish(
    source: &str,
    expr: &Expr,
    target: Target,
    mut warnings: Vec<Warning>,
) -> Result<Compiled, (DslError, Option<ErrorKind>)> {
    let root = lower::lower(source, expr).map_err(|e| (e, None))?;
    // A field both beside a `$or` and inside it is an `and` in the AST, but not in pattern
    // JSON: there, in each combination, the occurrence written last replaces the other
    // (event-ruler's rule overriding). SaaSus selectors compiled for the local matcher use
    // such `and`s (a path wildcard and the exclusion of its deeper paths), so locally the AST
    // is kept as built; for EventBridge no pattern says it, and the rule is refused.
    if crate::pattern::or_paths_collide(&root) {
        if target == Target::EventBridge {
            return Err((
                DslError::at(
                    source,
                    expr.span,
                    "this rule tests a field both beside an `or` group and inside it; EventBridge keeps only the test written last, so no pattern means this `and`",
                )
                .with_help("test each field in one place, e.g. merge the outside test into every alternative"),
                None,
            ));
        }
        let pattern = Pattern::from_clause(root);
        // The parser's other checks (wildcard complexity, limits) still apply.
        if let Err(refused) = Pattern::parse(&pattern.to_json()) {
            return Err(refusal(source, expr.span, &refused));
        }
        return Ok(Compiled { pattern, warnings });
    }
    let json = Pattern::from_clause(root).to_json();
    // The pattern read back from its JSON is the canonical one: equal to what a user who
    // deploys the printed JSON and parses it again gets.
    let pattern = match Pattern::parse(&json) {
        Ok(pattern) => pattern,
        Err(refused) => {
            return Err(refusal(source, expr.span, &refused));
        }
    };
    if target == Target::EventBridge && json.len() > crate::pattern::AWS_MAX_PATTERN_LENGTH {
        warnings.push(Warning::new(format!(
            "the pattern is {} characters long; EventBridge refuses patterns longer than {}",
            json.len(),
            crate::pattern::AWS_MAX_PATTERN_LENGTH
        )));
    }
    Ok(Compiled { pattern, warnings })
}

/// The error for a compiled pattern that EventBridge's own parser refuses, with the help for a
/// too-complex wildcard, and the kind of refusal (which decides whether to retry simpler).
fn refusal(
    source: &str,
    span: lexer::Span,
    refused: &crate::pattern::PatternError,
) -> (DslError, Option<ErrorKind>) {
    let error = DslError::at(
        source,
        span,
        format!(
            "EventBridge would refuse the pattern of this rule: {}",
            refused.reason()
        ),
    );
    let error = match refused.kind() {
        ErrorKind::TooComplex => error.with_help(operand::TOO_COMPLEX_HELP),
        _ => error,
    };
    (error, Some(refused.kind()))
}
