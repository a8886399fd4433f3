//! The `api` and `status` selectors as a [`Vocabulary`] of the filter language (handed to it
//! as [`super::SELECTORS`]).

use std::any::Any;

use super::lowering::filter_expr;
use super::selector::{parse_api_selector, parse_status_selector, Call, CallFilter};
use crate::dsl::compiled::{Target, Warning};
use crate::dsl::error::DslError;
use crate::dsl::lexer::Span;
use crate::dsl::operand::OperandError;
use crate::dsl::syntax::{Expr, Parser};
use crate::dsl::vocabulary::{Selector, SelectorMeaning, Vocabulary};
use crate::json::JsonNode;

/// SaaSus's selectors.
pub(crate) struct SaasusVocabulary;

impl Vocabulary for SaasusVocabulary {
    fn name(&self) -> &'static str {
        "SaaSus"
    }

    fn keywords(&self) -> &'static [&'static str] {
        &["api", "status"]
    }

    fn parse_selector(
        &self,
        keyword: &str,
        parser: &mut Parser<'_>,
        start: Span,
    ) -> Result<Vec<Selector>, DslError> {
        let filters = if keyword == "api" {
            let (filters, warnings) = parse_api_selector(parser, start)?;
            parser.warnings.extend(warnings);
            filters
        } else {
            parse_status_selector(parser)?
        };
        Ok(filters.into_iter().map(Selector::new).collect())
    }

    fn refuses_test(&self, path: &str, target: Target) -> Option<(String, String)> {
        (target == Target::EventBridge && path.starts_with("detail.event.")).then(|| (
            format!(
                "on EventBridge, detail.event is a JSON-encoded string it never looks into, so {} cannot be tested",
                crate::dsl::print::path_text(path)
            ),
            "use the selectors `api` and `status`, or a wildcard on the whole string: detail.event like \"*\\\"saas_id\\\":\\\"x\\\"*\"; or compile for --target local".to_owned(),
        ))
    }

    fn negation_help(&self) -> &'static str {
        "name the calls you want instead, e.g. api in [CreateTenant, DeleteTenant]"
    }
}

impl SelectorMeaning for CallFilter {
    fn merge(&self, other: &Selector) -> Result<Selector, String> {
        match other.downcast_ref::<CallFilter>() {
            Some(other) => CallFilter::merge(self, other).map(Selector::new),
            None => Err(format!(
                "{} is a SaaSus selector and the other is not",
                self.label
            )),
        }
    }

    fn lower(
        &self,
        target: Target,
        exclude_confused: bool,
        span: Span,
        warnings: &mut Vec<Warning>,
    ) -> Result<Expr, OperandError> {
        filter_expr(self, target, exclude_confused, span, warnings)
    }

    fn holds(&self, event: &JsonNode) -> bool {
        call_of(event).is_some_and(|call| self.accepts(&call))
    }

    fn same_as(&self, other: &Selector) -> bool {
        other.downcast_ref::<CallFilter>() == Some(self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The fields of a SaaSus API call event, from `detail.event` as an object or decoded from
/// its JSON string.
fn call_of(event: &JsonNode) -> Option<Call> {
    let detail = member(event, "detail")?;
    let event_type = string_member(detail, "event_type");
    let decoded;
    let call = match member(detail, "event")? {
        JsonNode::String(text) => {
            decoded = JsonNode::parse(text, 64).ok()?;
            &decoded
        }
        object => object,
    };
    Some(Call {
        event_type,
        method: string_member(call, "request_method"),
        uri: string_member(call, "uri"),
        status: string_member(call, "http_status"),
    })
}

/// The last value of `key` in an object (duplicate keys: last wins, as JSON readers do).
fn member<'a>(node: &'a JsonNode, key: &str) -> Option<&'a JsonNode> {
    match node {
        JsonNode::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn string_member(node: &JsonNode, key: &str) -> Option<String> {
    match member(node, key)? {
        JsonNode::String(s) => Some(s.clone()),
        _ => None,
    }
}
