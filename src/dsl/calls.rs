//! Replaces SaaSus selectors with the field tests they stand for on the chosen target.
//!
//! Selectors joined by `and` describe one call, so they are merged into one filter first
//! (`api CreateTenant and status 2xx` is one wildcard on the eventbridge target, not two
//! tests of `detail.event`); an `or` of selectors inside such an `and` is multiplied out.

use super::error::DslError;
use super::lexer::Span;
use super::lower::MAX_OR_COMBINATIONS;
use super::syntax::{Expr, ExprKind};
use super::{Target, Warning};
use crate::saasus::{filter_expr, CallFilter};

/// Replaces the selectors of `expr`. `exclude_confused`: see [`filter_expr`].
pub(crate) fn resolve(
    source: &str,
    expr: Expr,
    target: Target,
    exclude_confused: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Expr, DslError> {
    let resolver = Resolver {
        source,
        target,
        exclude_confused,
    };
    let resolved = resolver.resolve(expr, warnings)?;
    let mut seen = Vec::new();
    warnings.retain(|w| {
        let new = !seen.contains(w);
        if new {
            seen.push(w.clone());
        }
        new
    });
    Ok(resolved)
}

struct Resolver<'a> {
    source: &'a str,
    target: Target,
    exclude_confused: bool,
}

impl Resolver<'_> {
    fn resolve(&self, expr: Expr, warnings: &mut Vec<Warning>) -> Result<Expr, DslError> {
        let span = expr.span;
        match expr.kind {
            ExprKind::Test(condition) => {
                if self.target == Target::EventBridge
                    && condition.path().starts_with("detail.event.")
                {
                    return Err(DslError::at(
                        self.source,
                        span,
                        format!(
                            "on EventBridge, detail.event is a JSON-encoded string it never looks into, so {} cannot be tested",
                            super::print::path_text(condition.path())
                        ),
                    )
                    .with_help("use the selectors `api` and `status`, or a wildcard on the whole string: detail.event like \"*\\\"saas_id\\\":\\\"x\\\"*\"; or compile for --target local"));
                }
                Ok(Expr {
                    kind: ExprKind::Test(condition),
                    span,
                })
            }
            ExprKind::Call(filter) => self.lower_filters(vec![filter], span, warnings),
            ExprKind::Or(parts) => {
                let parts = parts
                    .into_iter()
                    .map(|p| self.resolve(p, warnings))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(flat(ExprKind::Or(parts), span))
            }
            ExprKind::And(parts) => {
                let (call_parts, others): (Vec<Expr>, Vec<Expr>) =
                    parts.into_iter().partition(is_pure_call);
                let mut resolved = others
                    .into_iter()
                    .map(|p| self.resolve(p, warnings))
                    .collect::<Result<Vec<_>, _>>()?;
                if !call_parts.is_empty() {
                    let calls_span = call_parts
                        .iter()
                        .map(|p| p.span)
                        .reduce(Span::to)
                        .unwrap_or(span);
                    let filters = self.multiply(&call_parts)?;
                    resolved.push(self.lower_filters(filters, calls_span, warnings)?);
                }
                Ok(flat(ExprKind::And(resolved), span))
            }
        }
    }

    /// Every way to pick one alternative of each selector part, merged into one filter.
    fn multiply(&self, parts: &[Expr]) -> Result<Vec<CallFilter>, DslError> {
        let mut combined: Vec<CallFilter> = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let alternatives = alternatives(part);
            if index == 0 {
                combined = alternatives;
                continue;
            }
            let mut next = Vec::new();
            for left in &combined {
                for right in &alternatives {
                    let merged = left.merge(right).map_err(|why| {
                        DslError::at(
                            self.source,
                            part.span,
                            format!("these selectors can never match together: {why}"),
                        )
                        .with_help("to accept either call, join the selectors with `or`")
                    })?;
                    next.push(merged);
                }
            }
            if next.len() as u64 > MAX_OR_COMBINATIONS {
                return Err(DslError::at(self.source, part.span, format!(
                    "these selectors combine into more than {MAX_OR_COMBINATIONS} alternatives, more than EventBridge allows"
                )));
            }
            combined = next;
        }
        Ok(combined)
    }

    fn lower_filters(
        &self,
        filters: Vec<CallFilter>,
        span: Span,
        warnings: &mut Vec<Warning>,
    ) -> Result<Expr, DslError> {
        let mut lowered = filters
            .iter()
            .map(|f| {
                filter_expr(f, self.target, self.exclude_confused, span, warnings)
                    .map_err(|e| e.at(self.source, span))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(if lowered.len() == 1 {
            lowered.remove(0)
        } else {
            flat(ExprKind::Or(lowered), span)
        })
    }
}

/// A selector, or an `or` of selectors only.
fn is_pure_call(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Call(_) => true,
        ExprKind::Or(parts) => parts.iter().all(|p| matches!(p.kind, ExprKind::Call(_))),
        _ => false,
    }
}

fn alternatives(expr: &Expr) -> Vec<CallFilter> {
    match &expr.kind {
        ExprKind::Call(filter) => vec![filter.clone()],
        ExprKind::Or(parts) => parts
            .iter()
            .filter_map(|p| match &p.kind {
                ExprKind::Call(filter) => Some(filter.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// An `and` or `or`, with parts of the same kind spliced in and a single part unwrapped.
fn flat(kind: ExprKind, span: Span) -> Expr {
    let (is_and, parts) = match kind {
        ExprKind::And(parts) => (true, parts),
        ExprKind::Or(parts) => (false, parts),
        other => return Expr { kind: other, span },
    };
    let mut out = Vec::new();
    for part in parts {
        match part.kind {
            ExprKind::And(inner) if is_and => out.extend(inner),
            ExprKind::Or(inner) if !is_and => out.extend(inner),
            kind => out.push(Expr {
                kind,
                span: part.span,
            }),
        }
    }
    if out.len() == 1 {
        out.remove(0)
    } else {
        Expr {
            kind: if is_and {
                ExprKind::And(out)
            } else {
                ExprKind::Or(out)
            },
            span,
        }
    }
}
