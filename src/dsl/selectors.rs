//! Replaces a vocabulary's selectors with the field tests they stand for on the chosen
//! target.
//!
//! Selectors joined by `and` are merged into one first, since a vocabulary may write them as
//! one test (SaaSus's `api CreateTenant and status 2xx` is one wildcard on the eventbridge
//! target, not two tests of `detail.event`); an `or` of selectors inside such an `and` is
//! multiplied out.

use super::compiled::{Target, Warning};
use super::error::DslError;
use super::lexer::Span;
use super::lower::MAX_OR_COMBINATIONS;
use super::syntax::{Expr, ExprKind};
use super::vocabulary::{Selector, Vocabulary};

/// Replaces the selectors of `expr`. `exclude_confused`: see
/// [`super::vocabulary::SelectorMeaning::lower`].
pub(crate) fn resolve(
    source: &str,
    expr: Expr,
    target: Target,
    vocabulary: &dyn Vocabulary,
    exclude_confused: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Expr, DslError> {
    let resolver = Resolver {
        source,
        target,
        vocabulary,
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
    vocabulary: &'a dyn Vocabulary,
    exclude_confused: bool,
}

impl Resolver<'_> {
    fn resolve(&self, expr: Expr, warnings: &mut Vec<Warning>) -> Result<Expr, DslError> {
        let span = expr.span;
        match expr.kind {
            ExprKind::Test(condition) => {
                if let Some((message, help)) =
                    self.vocabulary.refuses_test(condition.path(), self.target)
                {
                    return Err(DslError::at(self.source, span, message).with_help(help));
                }
                Ok(Expr {
                    kind: ExprKind::Test(condition),
                    span,
                })
            }
            ExprKind::Selector(selector) => self.lower_selectors(vec![selector], span, warnings),
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
                    resolved.push(self.lower_selectors(filters, calls_span, warnings)?);
                }
                Ok(flat(ExprKind::And(resolved), span))
            }
        }
    }

    /// Every way to pick one alternative of each selector part, merged into one filter.
    fn multiply(&self, parts: &[Expr]) -> Result<Vec<Selector>, DslError> {
        let mut combined: Vec<Selector> = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let alternatives = alternatives(part);
            if index == 0 {
                combined = alternatives;
                continue;
            }
            let mut next = Vec::new();
            for left in &combined {
                for right in &alternatives {
                    let merged = left.meaning().merge(right).map_err(|why| {
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

    fn lower_selectors(
        &self,
        selectors: Vec<Selector>,
        span: Span,
        warnings: &mut Vec<Warning>,
    ) -> Result<Expr, DslError> {
        let mut lowered = selectors
            .iter()
            .map(|selector| {
                selector
                    .meaning()
                    .lower(self.target, self.exclude_confused, span, warnings)
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
        ExprKind::Selector(_) => true,
        ExprKind::Or(parts) => parts
            .iter()
            .all(|p| matches!(p.kind, ExprKind::Selector(_))),
        _ => false,
    }
}

fn alternatives(expr: &Expr) -> Vec<Selector> {
    match &expr.kind {
        ExprKind::Selector(selector) => vec![selector.clone()],
        ExprKind::Or(parts) => parts
            .iter()
            .filter_map(|p| match &p.kind {
                ExprKind::Selector(selector) => Some(selector.clone()),
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
