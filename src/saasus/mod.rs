//! Knowledge of SaaSus Platform events (placeholder: the catalogue and selectors are being
//! written).

/// The fields of a SaaSus API-call event that carry JSON inside a string: the call record in
/// `detail.event`, and the request and response bodies inside it.
pub const EMBEDDED_JSON_FIELDS: &[&str] = &[
    "detail.event",
    "detail.event.request_body",
    "detail.event.response_body",
];
