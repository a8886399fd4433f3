//! The `api` and `status` selectors: their grammar, and their resolution against the
//! catalogue into a [`CallFilter`], with its own meaning ([`CallFilter::accepts`]). How a
//! filter is written as pattern conditions is [`super::lowering`]'s job.

use super::paths::{beats, instance_of, is_param, routes_elsewhere};
use super::{closest, Operation, OPERATIONS};
use crate::dsl::compiled::Warning;
use crate::dsl::error::DslError;
use crate::dsl::lexer::{Span, Tok};
use crate::dsl::syntax::Parser;

/// What a selector asks of one API call. Selectors joined by `and` merge into one filter.
#[derive(Clone, Debug, PartialEq)]
pub struct CallFilter {
    /// How the rule wrote it, for messages.
    pub(super) label: String,
    pub(super) method: Option<String>,
    pub(super) uri: Option<UriMatch>,
    pub(super) status: Option<StatusMatch>,
    /// The confirmed `detail.event_type` of the selected operation, if any.
    pub(super) event_type: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum UriMatch {
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
pub(super) enum StatusMatch {
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
        .filter(|o| o.operation_id == name && module.is_none_or(|m| o.module == m))
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
