//! What this crate knows about SaaSus Platform events: the API catalogue, and the `api` /
//! `status` selectors of the rule language that pick API-call events by operation, path,
//! module or HTTP status.
//!
//! SaaSus sends one EventBridge event per API call that changes something (never for `GET`).
//! The call is described in `detail.event`: `request_method`, `uri`, `http_status` (a
//! string) and more. On the wire `detail.event` is a JSON-encoded *string*, which EventBridge
//! never looks into; older events carried it as an object.
//!
//! How selectors compile, per [`crate::dsl::Target`]:
//!
//! - `Local` (a matcher that sees `detail.event` decoded): `detail.event.request_method ==
//!   "POST"`, `detail.event.uri` exact, `like` with `*` for each `{param}` segment, or
//!   `starts with "/v1/<module>/"`, and `detail.event.http_status` `==` a code or
//!   `starts with` its class digit(s). A `*` also matches `/`, so a template's wildcard would
//!   match deeper paths and literal siblings (`/tenants/all/users` is not
//!   `/tenants/{tenant_id}/users`); those are excluded with `not like`, which EventBridge can
//!   only AND with the wildcard on the same field inside a `$or`, hence the exclusion
//!   appears as a `$or` of two identical alternatives.
//! - `EventBridge`: one `wildcard` on the `detail.event` string, with the pieces in SaaSus's
//!   field order (`"http_status":"201"`, then `"uri":"…","ip_address":"`, then
//!   `"request_method":"POST"`); this relies on that order and on `/` being written
//!   unescaped, as in every published sample, and the compiler says so in a warning.
//! - `detail.event_type` (a snake_case operation name) is used only where SaaSus is known
//!   to send it: `create_tenant` for `CreateTenant` and `create_saas_user` for
//!   `CreateSaasUser`. The other names are probably the operation ids in snake_case, but
//!   that is unconfirmed, so selectors never rely on them.
//!
//! This module knows the SaaSus API and event shape, and nothing about matching.

pub mod catalogue;
mod lowering;
mod paths;
mod selector;
mod vocabulary;

use crate::dsl::{self, Compiled, DslError, Expr, Selectors, Target};
use crate::embedded::EmbeddedJson;

pub use catalogue::{Operation, OPERATIONS};

/// SaaSus's selector words for the filter language, `api` and `status`: what
/// [`compile`] and [`parse`] use, and what to hand to [`dsl::compile_with`].
pub const SELECTORS: Selectors = Selectors::new(&vocabulary::SaasusVocabulary);

/// Compiles a rule of the filter language with SaaSus's `api` and `status` selectors
/// ([`dsl::compile_with`] with [`SELECTORS`]).
///
/// ```
/// use evpattern::dsl::Target;
///
/// let compiled = evpattern::saasus::compile("api CreateTenantUser and status 201", Target::Local).unwrap();
/// assert!(compiled.pattern.to_json().contains(r#""http_status":["201"]"#));
/// // Plain field tests work as in `dsl::compile`.
/// assert!(evpattern::saasus::compile("detail.x == 1", Target::Local).is_ok());
/// ```
pub fn compile(source: &str, target: Target) -> Result<Compiled, DslError> {
    dsl::compile_with(source, target, SELECTORS)
}

/// Parses a rule of the filter language with SaaSus's selectors, e.g. to
/// [evaluate](Expr::evaluate) it directly ([`dsl::parse_with`] with [`SELECTORS`]).
///
/// ```
/// assert!(evpattern::saasus::parse("api CreateTenantUser").is_ok());
/// assert!(evpattern::saasus::parse("api CreateTenantUsr").is_err());
/// ```
pub fn parse(source: &str) -> Result<Expr, DslError> {
    dsl::parse_with(source, SELECTORS)
}

/// The fields of a SaaSus API-call event that carry JSON inside a string: the call record in
/// `detail.event`, and the request and response bodies inside it. The matchers decode them
/// when asked to with [`embedded_json`].
pub const EMBEDDED_JSON_FIELDS: &[&str] = &[
    "detail.event",
    "detail.event.request_body",
    "detail.event.response_body",
];

/// The SaaSus Platform preset of [`EmbeddedJson`]: `detail.event` and, inside it,
/// `request_body` and `response_body`, which SaaSus sends as JSON-encoded strings. The
/// generic decoder knows nothing of SaaSus; this is where its SaaSus paths live.
///
/// ```
/// let decode = evpattern::saasus::embedded_json();
/// assert!(decode.decodes("detail.event.request_body"));
/// assert!(!decode.decodes("detail"));
/// ```
pub fn embedded_json() -> EmbeddedJson {
    EMBEDDED_JSON_FIELDS
        .iter()
        .fold(EmbeddedJson::none(), |decode, path| decode.with_path(*path))
}

/// The `detail.event_type` values SaaSus is known to send, by module and operation id.
pub const CONFIRMED_EVENT_TYPES: &[(&str, &str, &str)] = &[
    ("auth", "CreateTenant", "create_tenant"),
    ("auth", "CreateSaasUser", "create_saas_user"),
];

impl Operation {
    /// The `detail.event_type` SaaSus sends for this operation, where that is confirmed.
    ///
    /// ```
    /// use evpattern::saasus::OPERATIONS;
    ///
    /// let create = OPERATIONS.iter().find(|o| o.operation_id == "CreateTenant").unwrap();
    /// assert_eq!(create.confirmed_event_type(), Some("create_tenant"));
    /// let delete = OPERATIONS.iter().find(|o| o.operation_id == "DeleteTenant").unwrap();
    /// assert_eq!(delete.confirmed_event_type(), None);
    /// ```
    pub fn confirmed_event_type(&self) -> Option<&'static str> {
        CONFIRMED_EVENT_TYPES
            .iter()
            .find(|(module, id, _)| *module == self.module && *id == self.operation_id)
            .map(|(_, _, event_type)| *event_type)
    }

    /// Whether SaaSus sends events for this operation (it does not for reads).
    pub fn sends_events(&self) -> bool {
        self.method != "GET"
    }

    /// `module.OperationId`, unique across the catalogue.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.module, self.operation_id)
    }
}

/// Levenshtein distance over characters, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidates closest to `wanted` (ignoring case), best first, at most three, and only
/// those close enough to be plausible typos.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let wanted_length = wanted_lower.chars().count();
    let limit = (wanted_length / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        // The distance is at least the difference in length: a candidate that differs by
        // more than the limit is not scored, so a 100,000-character name costs nothing.
        .filter(|c| c.to_lowercase().chars().count().abs_diff(wanted_length) <= limit)
        .map(|c| (edit_distance(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let best = scored.first().map_or(0, |(d, _)| *d);
    scored
        .into_iter()
        .take_while(|(d, _)| *d <= best + 1)
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_every_operation() {
        assert_eq!(OPERATIONS.len(), 195);
        assert_eq!(OPERATIONS.iter().filter(|o| o.sends_events()).count(), 118);
        for op in OPERATIONS {
            assert!(
                op.path.starts_with(&format!("/v1/{}/", op.module)),
                "{op:?}"
            );
        }
        let names: std::collections::HashSet<String> =
            OPERATIONS.iter().map(Operation::qualified_name).collect();
        assert_eq!(names.len(), OPERATIONS.len());
    }

    #[test]
    fn suggestions_are_close_matches() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            closest("CreateTenantUsr", OPERATIONS.iter().map(|o| o.operation_id)),
            vec!["CreateTenantUser"]
        );
        assert_eq!(
            closest("createtenant", OPERATIONS.iter().map(|o| o.operation_id))[0],
            "CreateTenant"
        );
        assert!(closest("Nothing", ["CreateTenantUser"]).is_empty());
    }
}
