//! The `api` and `status` selectors: their grammar, their resolution against the catalogue,
//! and the pattern conditions they stand for on each target.

use super::{closest, Operation, OPERATIONS};
use crate::dsl::{escape_wildcard, wildcard_operand, ExprKind, OperandError};
use crate::dsl::{DslError, Expr, Parser, Span, Target, Tok, Warning};
use crate::pattern::{AnythingBut, Condition, Literal, Predicate};

/// Paths of the SaaSus event that selectors test.
pub(crate) const EVENT: &str = "detail.event";
pub(crate) const EVENT_TYPE: &str = "detail.event_type";
pub(crate) const METHOD: &str = "detail.event.request_method";
pub(crate) const URI: &str = "detail.event.uri";
pub(crate) const STATUS: &str = "detail.event.http_status";

/// What a selector asks of one API call. Selectors joined by `and` merge into one filter.
#[derive(Clone, Debug, PartialEq)]
pub struct CallFilter {
    label: String,
    method: Option<String>,
    uri: Option<UriMatch>,
    status: Option<StatusMatch>,
    /// The confirmed `detail.event_type` of the selected operation, if any.
    event_type: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq)]
enum UriMatch {
    /// A concrete path.
    Exact(String),
    /// A path with `{...}` segments, each standing for one segment: the catalogue's
    /// template, or a path given with some of its parameters filled in.
    Template {
        path: String,
        /// The catalogue template the path belongs to.
        template: &'static str,
    },
    /// Every path of a module: `/v1/auth/`.
    Prefix(String),
}

#[derive(Clone, Debug, PartialEq)]
enum StatusMatch {
    /// `201`.
    Exact(String),
    /// `2xx` → `2`, `20x` → `20`.
    Class(String),
}

/// The fields of one API call event that selectors look at.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Call {
    pub event_type: Option<String>,
    pub method: Option<String>,
    pub uri: Option<String>,
    pub status: Option<String>,
}

impl CallFilter {
    /// Whether a call satisfies the filter, by the selector's own meaning (`{param}` is one
    /// path segment), independent of how it is written as a pattern.
    pub(crate) fn accepts(&self, call: &Call) -> bool {
        let field_is = |field: &Option<String>, wanted: &str| field.as_deref() == Some(wanted);
        if let Some(event_type) = self.event_type {
            if !field_is(&call.event_type, event_type) {
                return false;
            }
        }
        if let Some(method) = &self.method {
            if !field_is(&call.method, method) {
                return false;
            }
        }
        if let Some(uri) = &self.uri {
            let Some(actual) = call.uri.as_deref() else {
                return false;
            };
            let ok = match uri {
                UriMatch::Exact(path) => actual == path,
                UriMatch::Prefix(prefix) => actual.starts_with(prefix.as_str()),
                UriMatch::Template { path, template } => {
                    instance_of(actual, path)
                        && !routes_elsewhere(actual, template, self.method.as_deref())
                }
            };
            if !ok {
                return false;
            }
        }
        match (&self.status, call.status.as_deref()) {
            (None, _) => true,
            (Some(StatusMatch::Exact(code)), Some(actual)) => actual == code,
            (Some(StatusMatch::Class(prefix)), Some(actual)) => actual.starts_with(prefix.as_str()),
            (Some(_), None) => false,
        }
    }

    /// Both filters at once, or why one call cannot satisfy both.
    pub(crate) fn merge(&self, other: &CallFilter) -> Result<CallFilter, String> {
        fn one<T: Clone + PartialEq>(
            a: &Option<T>,
            b: &Option<T>,
            what: &str,
            la: &str,
            lb: &str,
        ) -> Result<Option<T>, String> {
            match (a, b) {
                (Some(x), Some(y)) if x != y => Err(format!(
                    "`{la}` and `{lb}` ask for two different {what}s, and a call has only one"
                )),
                (Some(x), _) | (None, Some(x)) => Ok(Some(x.clone())),
                (None, None) => Ok(None),
            }
        }
        Ok(CallFilter {
            label: format!("{} and {}", self.label, other.label),
            method: one(
                &self.method,
                &other.method,
                "method",
                &self.label,
                &other.label,
            )?,
            uri: one(&self.uri, &other.uri, "path", &self.label, &other.label)?,
            status: one(
                &self.status,
                &other.status,
                "status",
                &self.label,
                &other.label,
            )?,
            event_type: one(
                &self.event_type,
                &other.event_type,
                "operation",
                &self.label,
                &other.label,
            )?,
        })
    }
}

/// Whether a path of `template` belongs to another operation of that method (any method when
/// `None`) whose template has a literal where `template` has a parameter: literal segments
/// win, so `/v1/pricing/plans/used` is not a `/v1/pricing/plans/{plan_id}`.
fn routes_elsewhere(uri: &str, template: &str, method: Option<&str>) -> bool {
    OPERATIONS.iter().any(|o| {
        o.sends_events()
            && method.map_or(true, |m| m == o.method)
            && o.path != template
            && beats(o.path, template)
            && instance_of(uri, o.path)
    })
}

/// Whether `uri` is an instance of `template`: same segments, `{...}` standing for any one
/// non-empty segment.
fn instance_of(uri: &str, template: &str) -> bool {
    let actual: Vec<&str> = uri.split('/').collect();
    let wanted: Vec<&str> = template.split('/').collect();
    actual.len() == wanted.len()
        && actual
            .iter()
            .zip(&wanted)
            .all(|(a, w)| a == w || (is_param(w) && !a.is_empty()))
}

fn is_param(segment: &str) -> bool {
    segment.len() >= 2 && segment.starts_with('{') && segment.ends_with('}')
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

const API_HELP: &str = "after `api` write an operation id (CreateTenantUser), module.OperationId, module.*, [METHOD] /v1/path, or in [Op1, Op2]";

/// `api …`, after the keyword. Several filters are alternatives.
pub(crate) fn parse_api_selector(
    parser: &mut Parser<'_>,
    start: Span,
) -> Result<(Vec<CallFilter>, Vec<Warning>), DslError> {
    let mut warnings = Vec::new();
    let filters = match parser.peek_token().clone() {
        Tok::Ident(word) if word == "in" => {
            parser.next_token();
            expect(parser, Tok::LBrack, "after `api in`")?;
            let mut filters = vec![parse_operation_name(parser, &mut warnings)?];
            loop {
                match parser.peek_token() {
                    Tok::Comma => {
                        parser.next_token();
                        filters.push(parse_operation_name(parser, &mut warnings)?);
                    }
                    Tok::RBrack => {
                        parser.next_token();
                        break;
                    }
                    other => {
                        let found = other.describe();
                        return Err(parser.error_at(
                            parser.next_span(),
                            format!("expected `,` or `]`, found {found}"),
                        ));
                    }
                }
            }
            filters
        }
        Tok::Ident(word)
            if METHODS.contains(&word.as_str())
                && matches!(parser.peek_second(), Tok::UriPath(_) | Tok::Str(_)) =>
        {
            let method_span = parser.next_token().span;
            let path_token = parser.next_token();
            let path = match path_token.tok {
                Tok::UriPath(p) | Tok::Str(p) => p,
                _ => String::new(),
            };
            vec![resolve_path(
                parser,
                Some((&word, method_span)),
                &path,
                path_token.span,
                &mut warnings,
            )?]
        }
        Tok::UriPath(path) | Tok::Str(path) => {
            let span = parser.next_token().span;
            vec![resolve_path(parser, None, &path, span, &mut warnings)?]
        }
        Tok::Ident(word)
            if METHODS.contains(&word.to_ascii_uppercase().as_str())
                && matches!(parser.peek_second(), Tok::UriPath(_) | Tok::Str(_)) =>
        {
            let upper = word.to_ascii_uppercase();
            return Err(parser
                .error_at(
                    parser.next_span(),
                    format!("HTTP methods are written in capitals: `{upper}`"),
                )
                .with_help(format!("api {upper} /v1/...")));
        }
        Tok::Ident(_) => vec![parse_operation_name(parser, &mut warnings)?],
        other => {
            let found = other.describe();
            return Err(parser
                .error_at(
                    start.to(parser.next_span()),
                    format!("expected an operation after `api`, found {found}"),
                )
                .with_help(API_HELP));
        }
    };
    Ok((filters, warnings))
}

fn expect(parser: &mut Parser<'_>, wanted: Tok, context: &str) -> Result<(), DslError> {
    if *parser.peek_token() == wanted {
        parser.next_token();
        Ok(())
    } else {
        let found = parser.peek_token().describe();
        Err(parser.error_at(
            parser.next_span(),
            format!("expected {} {context}, found {found}", wanted.describe()),
        ))
    }
}

/// `CreateTenantUser`, `auth.CreateTenantUser` or `auth.*`.
fn parse_operation_name(
    parser: &mut Parser<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<CallFilter, DslError> {
    let first = parser.next_token();
    let Tok::Ident(first_name) = first.tok else {
        return Err(parser
            .error_at(
                first.span,
                format!("expected an operation id, found {}", first.tok.describe()),
            )
            .with_help(API_HELP));
    };
    if *parser.peek_token() != Tok::Dot {
        return resolve_name(parser, None, &first_name, first.span, warnings);
    }
    parser.next_token();
    let second = parser.next_token();
    let span = first.span.to(second.span);
    match second.tok {
        Tok::Star => resolve_module(parser, &first_name, span),
        Tok::Ident(name) => resolve_name(parser, Some(&first_name), &name, span, warnings),
        other => Err(parser
            .error_at(
                second.span,
                format!(
                    "expected an operation id or `*` after `{first_name}.`, found {}",
                    other.describe()
                ),
            )
            .with_help(API_HELP)),
    }
}

fn modules() -> Vec<&'static str> {
    let mut modules: Vec<&str> = OPERATIONS.iter().map(|o| o.module).collect();
    modules.dedup();
    modules.sort_unstable();
    modules.dedup();
    modules
}

fn resolve_module(parser: &Parser<'_>, module: &str, span: Span) -> Result<CallFilter, DslError> {
    let known = modules();
    if !known.contains(&module) {
        return Err(unknown(
            parser,
            span,
            &format!("module `{module}`"),
            module,
            known.iter().copied(),
            |m| format!("{m}.*"),
            known.join(", "),
        ));
    }
    Ok(CallFilter {
        label: format!("api {module}.*"),
        method: None,
        uri: Some(UriMatch::Prefix(format!("/v1/{module}/"))),
        status: None,
        event_type: None,
    })
}

fn unknown<'a>(
    parser: &Parser<'_>,
    span: Span,
    what: &str,
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    shown_as: impl Fn(&str) -> String,
    fallback: String,
) -> DslError {
    let suggestions = closest(wanted, candidates);
    let error = parser.error_at(span, format!("{what} is not in the SaaSus API catalogue"));
    if suggestions.is_empty() {
        error.with_help(fallback)
    } else {
        error.with_help(format!(
            "did you mean {}?",
            suggestions
                .iter()
                .map(|s| format!("`{}`", shown_as(s)))
                .collect::<Vec<_>>()
                .join(" or ")
        ))
    }
}

fn resolve_name(
    parser: &Parser<'_>,
    module: Option<&str>,
    name: &str,
    span: Span,
    warnings: &mut Vec<Warning>,
) -> Result<CallFilter, DslError> {
    if let Some(module) = module {
        if !modules().contains(&module) {
            return Err(unknown(
                parser,
                span,
                &format!("module `{module}`"),
                module,
                modules(),
                |s| s.to_owned(),
                modules().join(", "),
            ));
        }
    }
    let found: Vec<&Operation> = OPERATIONS
        .iter()
        .filter(|o| o.operation_id == name && module.map_or(true, |m| o.module == m))
        .collect();
    let op = match found.as_slice() {
        [op] => *op,
        [] => {
            let qualified: Vec<String> = OPERATIONS.iter().map(Operation::qualified_name).collect();
            let (wanted, candidates): (String, Vec<&str>) = match module {
                Some(m) => (
                    format!("{m}.{name}"),
                    qualified.iter().map(String::as_str).collect(),
                ),
                None => (
                    name.to_owned(),
                    OPERATIONS.iter().map(|o| o.operation_id).collect(),
                ),
            };
            return Err(unknown(
                parser,
                span,
                &format!("operation `{wanted}`"),
                &wanted,
                candidates,
                |s| s.to_owned(),
                "operation ids are written as in the API reference, e.g. CreateTenantUser"
                    .to_owned(),
            ));
        }
        several => {
            let choices: Vec<String> = several
                .iter()
                .map(|o| format!("`api {}` ({} {})", o.qualified_name(), o.method, o.path))
                .collect();
            return Err(parser
                .error_at(
                    span,
                    format!(
                        "`{name}` names {} operations in different modules",
                        several.len()
                    ),
                )
                .with_help(format!("name the module: {}", choices.join(" or "))));
        }
    };
    Ok(operation_filter(
        op,
        format!(
            "api {}",
            if module.is_some() {
                op.qualified_name()
            } else {
                name.to_owned()
            }
        ),
        warnings,
    ))
}

fn operation_filter(op: &Operation, label: String, warnings: &mut Vec<Warning>) -> CallFilter {
    if !op.sends_events() {
        warnings.push(read_warning(&label, op));
    }
    CallFilter {
        label,
        method: Some(op.method.to_owned()),
        uri: Some(uri_of_template(op.path, op.path)),
        status: None,
        event_type: op.confirmed_event_type(),
    }
}

fn read_warning(label: &str, op: &Operation) -> Warning {
    Warning::new(format!(
        "`{label}` selects {} ({} {}), a read: SaaSus sends no events for GET calls, so this never matches",
        op.qualified_name(),
        op.method,
        op.path
    ))
}

/// `[METHOD] /v1/…`: a template or a concrete path, resolved with literal segments winning
/// over `{param}` ones.
fn resolve_path(
    parser: &Parser<'_>,
    method: Option<(&str, Span)>,
    path: &str,
    span: Span,
    warnings: &mut Vec<Warning>,
) -> Result<CallFilter, DslError> {
    let full_span = method.map_or(span, |(_, m)| m.to(span));
    if !path.starts_with('/') || path.contains(['?', '#', '*']) || path.contains("//") {
        return Err(parser
            .error_at(span, format!("`{path}` is not a SaaSus API path"))
            .with_help("write the path from the API reference, such as /v1/auth/tenants/{tenant_id}/users, without query string or wildcards"));
    }
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let given: Vec<&str> = path.split('/').collect();
    let matching: Vec<&Operation> = OPERATIONS
        .iter()
        .filter(|o| path_fits(&given, o.path))
        .collect();
    // The most specific templates: no other matching template has a literal where they have a
    // parameter first.
    let best: Vec<&Operation> = matching
        .iter()
        .filter(|o| !matching.iter().any(|other| beats(other.path, o.path)))
        .copied()
        .collect();
    if best.is_empty() {
        let templates: Vec<&str> = OPERATIONS.iter().map(|o| o.path).collect();
        return Err(unknown(
            parser,
            span,
            &format!("path `{path}`"),
            path,
            templates,
            |s| s.to_owned(),
            "paths start with /v1/<module>/; see the SaaSus API reference".to_owned(),
        ));
    }
    let template = best[0].path;
    let concrete = given
        .iter()
        .zip(template.split('/'))
        .any(|(g, t)| is_param(t) && !is_param(g));
    let uri = if !concrete {
        uri_of_template(template, template)
    } else if given.iter().any(|g| is_param(g)) {
        uri_of_template(path, template)
    } else {
        UriMatch::Exact(path.to_owned())
    };
    match method {
        Some((method, method_span)) => {
            let Some(op) = best.iter().find(|o| o.method == method) else {
                let takes: Vec<String> = best
                    .iter()
                    .map(|o| format!("{} ({})", o.method, o.operation_id))
                    .collect();
                return Err(parser
                    .error_at(
                        method_span.to(span),
                        format!("SaaSus has no {method} {template}"),
                    )
                    .with_help(format!("that path takes {}", takes.join(", "))));
            };
            let label = format!("api {method} {path}");
            if !op.sends_events() {
                warnings.push(read_warning(&label, op));
            }
            Ok(CallFilter {
                label,
                method: Some(method.to_owned()),
                event_type: if concrete {
                    None
                } else {
                    op.confirmed_event_type()
                },
                uri: Some(uri),
                status: None,
            })
        }
        None => {
            if best.iter().all(|o| !o.sends_events()) {
                warnings.push(Warning::new(format!(
                    "`api {path}` only has GET operations ({}); SaaSus sends no events for reads, so this never matches",
                    best.iter().map(|o| o.operation_id).collect::<Vec<_>>().join(", ")
                )));
            }
            let _ = full_span;
            Ok(CallFilter {
                label: format!("api {path}"),
                method: None,
                uri: Some(uri),
                status: None,
                event_type: None,
            })
        }
    }
}

/// A path with parameters matches its instances; one without is a single path.
fn uri_of_template(path: &str, template: &'static str) -> UriMatch {
    if path.split('/').any(is_param) {
        UriMatch::Template {
            path: path.to_owned(),
            template,
        }
    } else {
        UriMatch::Exact(path.to_owned())
    }
}

/// Whether the given path (split on `/`) fits `template`: literal segments equal, a template
/// parameter taking any non-empty segment, a given `{param}` only a template parameter.
fn path_fits(given: &[&str], template: &str) -> bool {
    let wanted: Vec<&str> = template.split('/').collect();
    given.len() == wanted.len()
        && given.iter().zip(&wanted).all(|(g, w)| {
            if is_param(g) {
                is_param(w)
            } else {
                g == w || (is_param(w) && !g.is_empty())
            }
        })
}

/// Whether template `a` is more specific than `b` for the paths both fit: at the first
/// segment where one is literal and the other a parameter, `a` is the literal.
fn beats(a: &str, b: &str) -> bool {
    a.split('/')
        .zip(b.split('/'))
        .find(|(x, y)| is_param(x) != is_param(y))
        .is_some_and(|(x, _)| !is_param(x))
}

/// `status 201`, `status 2xx`, `status in [201, 4xx]`.
pub(crate) fn parse_status_selector(parser: &mut Parser<'_>) -> Result<Vec<CallFilter>, DslError> {
    if matches!(parser.peek_token(), Tok::Ident(w) if w == "in") {
        parser.next_token();
        expect(parser, Tok::LBrack, "after `status in`")?;
        let mut filters = vec![parse_status_code(parser)?];
        loop {
            match parser.peek_token() {
                Tok::Comma => {
                    parser.next_token();
                    filters.push(parse_status_code(parser)?);
                }
                Tok::RBrack => {
                    parser.next_token();
                    return Ok(filters);
                }
                other => {
                    let found = other.describe();
                    return Err(parser.error_at(
                        parser.next_span(),
                        format!("expected `,` or `]`, found {found}"),
                    ));
                }
            }
        }
    }
    Ok(vec![parse_status_code(parser)?])
}

fn parse_status_code(parser: &mut Parser<'_>) -> Result<CallFilter, DslError> {
    let token = parser.next_token();
    let text = match &token.tok {
        Tok::Num(t) | Tok::Word(t) | Tok::Str(t) => t.to_ascii_lowercase(),
        _ => String::new(),
    };
    let bytes = text.as_bytes();
    let valid = bytes.len() == 3
        && matches!(bytes[0], b'1'..=b'5')
        && match (bytes[1], bytes[2]) {
            (b'x', b'x') => true,
            (d, b'x') | (d, _) if d.is_ascii_digit() => {
                bytes[2] == b'x' || bytes[2].is_ascii_digit()
            }
            _ => false,
        };
    if !valid {
        return Err(parser
            .error_at(
                token.span,
                format!(
                    "expected an HTTP status such as 201, 2xx or 20x, found {}",
                    token.tok.describe()
                ),
            )
            .with_help("a status is three digits; trailing x's stand for any digit"));
    }
    let class = text.trim_end_matches('x');
    Ok(CallFilter {
        label: format!("status {text}"),
        method: None,
        uri: None,
        status: Some(if class.len() == 3 {
            StatusMatch::Exact(text.clone())
        } else {
            StatusMatch::Class(class.to_owned())
        }),
        event_type: None,
    })
}

/// The wildcard source matching the paths of `template`: literal segments escaped, each
/// `{param}` a `*`.
fn template_wildcard(template: &str) -> String {
    template
        .split('/')
        .map(|s| {
            if is_param(s) {
                "*".to_owned()
            } else {
                escape_wildcard(s)
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Wildcards for the paths the wildcard of `path` (of catalogue `template`) would also match
/// but which belong to other operations (see [`confusable`]), deduplicated.
fn exclusions(path: &str, template: &str, method: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for confusion in confusable(path, template, method) {
        if let Some(excluded) = confusion.exclusion {
            if !out.contains(&excluded) {
                out.push(excluded);
            }
        }
    }
    out
}

/// Another operation whose calls a template's wildcard could match.
struct Confusion {
    operation: &'static Operation,
    /// The wildcard excluding it; `None` when the confusion needs one of its parameters to
    /// spell a literal segment of the template (an env id `invitations`), which is not
    /// excluded, only warned about: the exclusion would cost more wildcard complexity than
    /// EventBridge allows, for calls that do not occur in practice.
    exclusion: Option<String>,
}

/// The operations the wildcard of `path` (catalogue `template`, or the same with some
/// parameters filled in) would also match: same-depth paths with a literal where the
/// template has a parameter (the literal wins: `/plans/used` is not `/plans/{plan_id}`), and
/// deeper paths, which a `*` reaches because it also matches `/`. Sub-resources of a path
/// ending in a parameter are all excluded by one wildcard, `<path>/*`. With a method, only
/// that method's operations can be confused; reads never send events.
fn confusable(path: &str, template: &str, method: Option<&str>) -> Vec<Confusion> {
    let wildcard = template_wildcard(path);
    let template_wildcard_text = template_wildcard(template);
    let depth = template.split('/').count();
    let ends_with_param = path.rsplit('/').next().is_some_and(is_param);
    let mut out = Vec::new();
    for op in OPERATIONS {
        if !op.sends_events() || method.is_some_and(|m| m != op.method) || op.path == template {
            continue;
        }
        let other = template_wildcard(op.path);
        let other_depth = op.path.split('/').count();
        let exclusion = if other_depth == depth {
            let sibling = template_compatible(template, op.path)
                && beats(op.path, template)
                && template_compatible(path, op.path);
            if !sibling {
                continue;
            }
            Some(other)
        } else if other_depth > depth && wildcards_intersect(&template_wildcard_text, &other, false)
        {
            // A sub-resource: the same segments (as far as the template goes), then more.
            Some(
                if ends_with_param && template_compatible(template, op.path) {
                    format!("{wildcard}/*")
                } else {
                    other
                },
            )
        } else if other_depth > depth && wildcards_intersect(&template_wildcard_text, &other, true)
        {
            None
        } else {
            continue;
        };
        out.push(Confusion {
            operation: op,
            exclusion,
        });
    }
    out
}

/// Whether two same-depth templates share a path: every segment pair equal or one a parameter.
fn template_compatible(a: &str, b: &str) -> bool {
    a.split('/')
        .zip(b.split('/'))
        .all(|(x, y)| x == y || is_param(x) || is_param(y))
}

/// Whether wildcard `a` matches some path of template wildcard `b`, whose stars stand for one
/// path segment each (no `/`) and, unless `params_may_spell_literals`, only for text that `a`
/// matches with a star too. Both come from templates, which hold no `*` or `\` of their own.
fn wildcards_intersect(a: &str, b: &str, params_may_spell_literals: bool) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // reachable[i][j]: the first i of a and first j of b can be matched against one string.
    let mut reachable = vec![vec![false; b.len() + 1]; a.len() + 1];
    reachable[0][0] = true;
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if !reachable[i][j] {
                continue;
            }
            let a_star = a.get(i) == Some(&'*');
            let b_star = b.get(j) == Some(&'*');
            if a_star {
                // The star matches nothing more, or also eats b's next character.
                reachable[i + 1][j] = true;
                if j < b.len() {
                    reachable[i][j + 1] = true;
                }
            }
            if b_star {
                reachable[i][j + 1] = true;
                if i < a.len() && a[i] != '/' && (params_may_spell_literals || a[i] == '*') {
                    reachable[i + 1][j] = true;
                }
            }
            if !a_star && !b_star && i < a.len() && j < b.len() && a[i] == b[j] {
                reachable[i + 1][j + 1] = true;
            }
        }
    }
    reachable[a.len()][b.len()]
}

/// A filter as the conditions of `target`, for the rule text at `span`.
///
/// With `exclude_confused` (local target only), the paths a template's wildcard would wrongly
/// match are excluded; without, they are named in a warning. Exclusions cost wildcard
/// complexity, which EventBridge limits per field, so the compiler retries without them
/// when a rule is too complex.
pub(crate) fn filter_expr(
    filter: &CallFilter,
    target: Target,
    exclude_confused: bool,
    span: Span,
    warnings: &mut Vec<Warning>,
) -> Result<Expr, OperandError> {
    let test = |path: &str, predicate: Predicate| Expr {
        kind: ExprKind::Test(Condition::new(path, vec![predicate])),
        span,
    };
    let string = |s: &str| Predicate::Exact(Literal::String(s.to_owned()));
    let wildcard = |source: &str| wildcard_operand(source).map(Predicate::Wildcard);
    let not_like = |sources: &[String]| -> Result<Predicate, OperandError> {
        Ok(Predicate::AnythingBut(AnythingBut::Wildcard(
            sources
                .iter()
                .map(|s| wildcard_operand(s))
                .collect::<Result<_, _>>()?,
        )))
    };
    // The field must satisfy both the wildcard and the exclusion; EventBridge can only say so
    // with the exclusion inside a `$or`, which needs two alternatives.
    let twice = |path: &str, predicate: Predicate| Expr {
        kind: ExprKind::Or(vec![test(path, predicate.clone()), test(path, predicate)]),
        span,
    };
    let mut parts = Vec::new();
    let covered_by_event_type = filter.event_type.is_some();
    if let Some(event_type) = filter.event_type {
        parts.push(test(EVENT_TYPE, string(event_type)));
    }
    match target {
        Target::Local => {
            if let Some(method) = &filter.method {
                parts.push(test(METHOD, string(method)));
            }
            match &filter.uri {
                Some(UriMatch::Exact(path)) => parts.push(test(URI, string(path))),
                Some(UriMatch::Prefix(prefix)) => {
                    parts.push(test(URI, Predicate::Prefix(prefix.clone())))
                }
                Some(UriMatch::Template { path, template }) => {
                    parts.push(test(URI, wildcard(&template_wildcard(path))?));
                    let method = filter.method.as_deref();
                    if exclude_confused {
                        let unexcluded: Vec<String> = confusable(path, template, method)
                            .into_iter()
                            .filter(|c| c.exclusion.is_none())
                            .map(|c| describe(c.operation))
                            .collect();
                        if !unexcluded.is_empty() {
                            warnings.push(Warning::new(format!(
                                "`{}` would also match calls of {} whose parameters spell segments of {path}; such calls are not excluded, as that would make the pattern too complex for EventBridge",
                                filter.label,
                                unexcluded.join(", ")
                            )));
                        }
                        let excluded = exclusions(path, template, method);
                        if !excluded.is_empty() {
                            parts.push(twice(URI, not_like(&excluded)?));
                        }
                    } else {
                        warn_unexcluded(filter, filter.method.as_deref(), path, template, warnings);
                    }
                }
                None => {}
            }
            match &filter.status {
                Some(StatusMatch::Exact(code)) => parts.push(test(STATUS, string(code))),
                Some(StatusMatch::Class(prefix)) => {
                    parts.push(test(STATUS, Predicate::Prefix(prefix.clone())))
                }
                None => {}
            }
        }
        Target::EventBridge => {
            let status = match &filter.status {
                Some(StatusMatch::Exact(code)) => Some(format!("http_status\":\"{code}\"")),
                Some(StatusMatch::Class(prefix)) => Some(format!("http_status\":\"{prefix}")),
                None => None,
            };
            let mut uri = None;
            let mut method = None;
            if !covered_by_event_type {
                // SaaSus sends no events for GET, so on a path with one other method the
                // path alone says which operation was called: one star fewer.
                let method_needed = filter
                    .method
                    .as_deref()
                    .filter(|m| !only_sender_on(m, filter.uri.as_ref()));
                uri = match &filter.uri {
                    Some(UriMatch::Exact(path)) => {
                        Some(format!("uri\":\"{}\"", escape_wildcard(path)))
                    }
                    Some(UriMatch::Prefix(prefix)) => {
                        Some(format!("uri\":\"{}", escape_wildcard(prefix)))
                    }
                    Some(UriMatch::Template { path, template }) => {
                        warn_unexcluded(filter, method_needed, path, template, warnings);
                        Some(format!(
                            "uri\":\"{}\",\"ip_address",
                            template_wildcard(path)
                        ))
                    }
                    None => None,
                };
                method = method_needed.map(|m| format!("request_method\":\"{m}\""));
            }
            // Pieces start with a letter rather than the key's opening quote: a `"` is so
            // frequent in the string that a piece starting with one keeps many automaton
            // states alive, which EventBridge limits (see pattern::Limits).
            let pieces: Vec<String> = status.into_iter().chain(uri).chain(method).collect();
            if !pieces.is_empty() {
                parts.push(test(EVENT, wildcard(&format!("*{}*", pieces.join("*")))?));
                warnings.push(Warning::new(EVENTBRIDGE_ASSUMPTION));
            }
        }
    }
    Ok(match parts.len() {
        1 => parts.remove(0),
        _ => Expr {
            kind: ExprKind::And(parts),
            span,
        },
    })
}

/// Whether `method` is the only method with events on the catalogue path of `uri`, and the
/// path's pattern matches no other operation's paths.
fn only_sender_on(method: &str, uri: Option<&UriMatch>) -> bool {
    let template = match uri {
        // Without the method, the wildcard must not reach other operations' paths either.
        Some(UriMatch::Template { path, template })
            if path == template
                && confusable(path, template, None)
                    .iter()
                    .all(|c| c.operation.method == method) =>
        {
            *template
        }
        Some(UriMatch::Exact(path)) => path.as_str(),
        _ => return false,
    };
    let mut senders = OPERATIONS
        .iter()
        .filter(|o| o.path == template && o.sends_events());
    senders.clone().count() > 0 && senders.all(|o| o.method == method)
}

/// Names the calls a template's wildcard matches although they belong to other operations.
fn warn_unexcluded(
    filter: &CallFilter,
    method: Option<&str>,
    path: &str,
    template: &str,
    warnings: &mut Vec<Warning>,
) {
    let (structural, coincidental): (Vec<Confusion>, Vec<Confusion>) =
        confusable(path, template, method)
            .into_iter()
            .partition(|c| c.exclusion.is_some());
    let names = |list: &[Confusion]| {
        list.iter()
            .map(|c| describe(c.operation))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !structural.is_empty() {
        warnings.push(Warning::new(format!(
            "`{}` also matches calls of {}: a `*` in a wildcard also matches `/`, and excluding those calls would make the pattern too complex for EventBridge",
            filter.label,
            names(&structural)
        )));
    }
    if !coincidental.is_empty() {
        warnings.push(Warning::new(format!(
            "`{}` would also match calls of {} whose parameters spell segments of {path}; such calls are not excluded, as that would make the pattern too complex for EventBridge",
            filter.label,
            names(&coincidental)
        )));
    }
}

/// `module.Operation (METHOD /path)`, for messages.
fn describe(op: &Operation) -> String {
    format!("{} ({} {})", op.qualified_name(), op.method, op.path)
}

/// What the eventbridge target relies on, said whenever it does. The piece `","ip_address`
/// after a template closes its last `*`, which could otherwise run on into later fields such
/// as the referer.
pub(crate) const EVENTBRIDGE_ASSUMPTION: &str = "the eventbridge target matches the call's method, path and status with a wildcard on the JSON string detail.event; it assumes SaaSus writes \"http_status\", \"uri\" (directly followed by \"ip_address\") and \"request_method\" in that order, with no spaces and `/` unescaped, as in its published sample events";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_beat_parameters() {
        assert!(beats(
            "/v1/auth/tenants/all/users",
            "/v1/auth/tenants/{tenant_id}/users"
        ));
        assert!(!beats(
            "/v1/auth/tenants/{tenant_id}/users",
            "/v1/auth/tenants/all/users"
        ));
        assert!(!beats("/a/{x}/y", "/a/x/{y}"));
    }

    #[test]
    fn wildcard_intersection() {
        let meet = |a, b| wildcards_intersect(a, b, false);
        let meet_if_params_spell_literals = |a, b| wildcards_intersect(a, b, true);
        assert!(meet("/a/*", "/a/*/b/*"));
        assert!(!meet("/a/*/c", "/a/*/b/*/d"));
        assert!(meet("/a/*/d/*", "/a/*/b/*/d/*"));
        assert!(meet("/a/*/users", "/a/all/users"));
        assert!(!meet("/a/*/users", "/a/*/roles"));
        assert!(!meet("/a/x", "/a/y"));
        // /a/P/b/c/d/R is in both, but only with the second's parameter spelling `c`.
        assert!(!meet("/a/*/c/*", "/a/*/b/*/d/*"));
        assert!(meet_if_params_spell_literals("/a/*/c/*", "/a/*/b/*/d/*"));
        assert!(!meet_if_params_spell_literals("/a/*/c", "/a/*/b/*/d"));
    }

    #[test]
    fn exclusions_keep_literal_siblings_and_deeper_paths_out() {
        assert_eq!(
            exclusions(
                "/v1/pricing/plans/{plan_id}",
                "/v1/pricing/plans/{plan_id}",
                Some("PATCH")
            ),
            vec!["/v1/pricing/plans/used"]
        );
        assert_eq!(
            exclusions(
                "/v1/auth/tenants/{tenant_id}",
                "/v1/auth/tenants/{tenant_id}",
                Some("DELETE")
            ),
            vec!["/v1/auth/tenants/*/*"]
        );
        assert_eq!(
            exclusions(
                "/v1/auth/tenants/{tenant_id}/users/{user_id}",
                "/v1/auth/tenants/{tenant_id}/users/{user_id}",
                None
            ),
            vec![
                "/v1/auth/tenants/all/users/count",
                "/v1/auth/tenants/*/users/*/*"
            ]
        );
        assert!(exclusions(
            "/v1/auth/tenants/{tenant_id}/users",
            "/v1/auth/tenants/{tenant_id}/users",
            Some("POST")
        )
        .is_empty());
        assert!(instance_of(
            "/v1/auth/tenants/t1/users",
            "/v1/auth/tenants/{tenant_id}/users"
        ));
        assert!(!instance_of(
            "/v1/auth/tenants/t1/x/users",
            "/v1/auth/tenants/{tenant_id}/users"
        ));
    }
}
