//! A [`CallFilter`] as pattern conditions on each [`Target`]: on the decoded call locally,
//! as one wildcard on the `detail.event` string for EventBridge (see the [module
//! docs](super)).

use super::paths::{confusable, exclusions, template_wildcard, Confusion};
use super::selector::{CallFilter, StatusMatch, UriMatch};
use super::{Operation, OPERATIONS};
use crate::dsl::compiled::{Target, Warning};
use crate::dsl::lexer::Span;
use crate::dsl::operand::{escape_wildcard, wildcard as wildcard_operand, OperandError};
use crate::dsl::syntax::{Expr, ExprKind};
use crate::pattern::{AnythingBut, Condition, Literal, Predicate};

/// Paths of the SaaSus event that selectors test.
pub(crate) const EVENT: &str = "detail.event";
pub(crate) const EVENT_TYPE: &str = "detail.event_type";
pub(crate) const METHOD: &str = "detail.event.request_method";
pub(crate) const URI: &str = "detail.event.uri";
pub(crate) const STATUS: &str = "detail.event.http_status";

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
