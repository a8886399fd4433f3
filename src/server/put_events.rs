//! `PutEvents`: AWS's limits and per-entry checks, the event as EventBridge builds it, one
//! pass of each bus's matcher, and the journal write that makes an accepted entry durable.

use serde_json::{json, Value};

use crate::json::JsonNode;

use super::arn::{bus_name, rule_arn};
use super::error::ApiError;
use super::journal::Delivery;
use super::state::DEFAULT_BUS;
use super::transform::{render, write_json, EventContext};
use super::{now_rfc3339, Server};

/// The most entries one `PutEvents` call may carry.
pub const MAX_ENTRIES: usize = 10;
/// The most bytes the entries of one call may add up to, counted as [`entry_size`] does.
pub const MAX_REQUEST_SIZE: usize = 256 * 1024;
/// How deep an event's `Detail` may nest.
pub const MAX_DETAIL_DEPTH: usize = 128;

/// An entry's size as AWS counts it toward [`MAX_REQUEST_SIZE`]: 14 bytes for a `Time`, plus
/// the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each of `Resources`.
///
/// ```
/// use evpattern::server::put_events::entry_size;
/// use serde_json::json;
///
/// let entry = json!({"Source": "s", "DetailType": "dt", "Detail": "{}", "Time": 1,
///                    "Resources": ["r1", "é"]});
/// assert_eq!(entry_size(&entry), 14 + 1 + 2 + 2 + 2 + 2);
/// ```
pub fn entry_size(entry: &Value) -> usize {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).map_or(0, str::len);
    let time = if entry.get("Time").is_some_and(|t| !t.is_null()) {
        14
    } else {
        0
    };
    let resources: usize = entry
        .get("Resources")
        .and_then(Value::as_array)
        .map_or(0, |r| {
            r.iter().filter_map(Value::as_str).map(str::len).sum()
        });
    time + text("Source") + text("DetailType") + text("Detail") + resources
}

/// A per-entry failure, as AWS answers it inside `Entries`.
fn entry_error(code: &str, message: impl Into<String>) -> Value {
    json!({"ErrorCode": code, "ErrorMessage": message.into()})
}

/// An entry that passed the checks, as the event EventBridge makes of it.
struct Built {
    id: String,
    bus: String,
    text: String,
}

/// Checks one entry and builds its event, or answers why not.
fn build(entry: &Value, region: &str, account: &str, server: &Server) -> Result<Built, Value> {
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let Some(source) = text("Source") else {
        return Err(entry_error(
            "InvalidArgument",
            "Parameter Source is not valid. Reason: Source is a required argument.",
        ));
    };
    let Some(detail_type) = text("DetailType") else {
        return Err(entry_error(
            "InvalidArgument",
            "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
        ));
    };
    let Some(detail) = text("Detail") else {
        return Err(entry_error(
            "InvalidArgument",
            "Parameter Detail is not valid. Reason: Detail is a required argument.",
        ));
    };
    let detail = match JsonNode::parse(detail, MAX_DETAIL_DEPTH) {
        Ok(node @ JsonNode::Object(_)) => node,
        _ => return Err(entry_error("MalformedDetail", "Detail is malformed.")),
    };
    let bus = entry
        .get("EventBusName")
        .and_then(Value::as_str)
        .map_or(DEFAULT_BUS, bus_name);
    let partner_bus = server.read_bus(region, bus, |b| b.event_source_name.clone());
    let Some(partner_source) = partner_bus else {
        return Err(entry_error(
            "ResourceNotFoundException",
            format!("Event bus {bus} does not exist."),
        ));
    };
    // `aws.` sources are AWS's own; the one exception here is a partner's source sent to
    // that partner's bus, which is how a local run stands in for the partner (send-saasus).
    if source.starts_with("aws.") && partner_source.as_deref() != Some(source) {
        return Err(entry_error(
            "NotAuthorizedForSourceException",
            "Not authorized for the source.",
        ));
    }
    let time = match entry.get("Time") {
        None | Some(Value::Null) => now_rfc3339(),
        Some(Value::Number(n)) => match n.as_f64().and_then(super::rfc3339_from_epoch) {
            Some(time) => time,
            None => {
                return Err(entry_error(
                    "InvalidArgument",
                    "Parameter Time is not valid.",
                ))
            }
        },
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(entry_error(
                "InvalidArgument",
                "Parameter Time is not valid.",
            ))
        }
    };
    let resources: Vec<&str> = entry
        .get("Resources")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let id = uuid::Uuid::new_v4().to_string();
    let mut event = String::with_capacity(256 + detail_type.len() + source.len());
    event.push_str(r#"{"version":"0","id":"#);
    event.push_str(&json!(id).to_string());
    event.push_str(r#","detail-type":"#);
    event.push_str(&json!(detail_type).to_string());
    event.push_str(r#","source":"#);
    event.push_str(&json!(source).to_string());
    event.push_str(r#","account":"#);
    event.push_str(&json!(account).to_string());
    event.push_str(r#","time":"#);
    event.push_str(&json!(time).to_string());
    event.push_str(r#","region":"#);
    event.push_str(&json!(region).to_string());
    event.push_str(r#","resources":"#);
    event.push_str(&json!(resources).to_string());
    event.push_str(r#","detail":"#);
    write_json(&detail, &mut event);
    event.push('}');
    Ok(Built {
        id,
        bus: bus.to_owned(),
        text: event,
    })
}

impl Server {
    fn read_bus<T>(
        &self,
        region: &str,
        bus: &str,
        view: impl FnOnce(&super::state::Bus) -> T,
    ) -> Option<T> {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        if bus == DEFAULT_BUS && state.bus(region, bus).is_none() {
            // The default bus of a region nobody has used yet: no rules, no partner.
            return Some(view(&super::state::Bus::new(DEFAULT_BUS, 0)));
        }
        state.bus(region, bus).map(view)
    }

    /// The deliveries `event` owes: one per target of each enabled rule of `bus` it matches.
    fn deliveries(&self, region: &str, built: &Built) -> Vec<Delivery> {
        let matcher = {
            let state = self.state.read().unwrap_or_else(|p| p.into_inner());
            match state.bus(region, &built.bus) {
                Some(bus) => bus.matcher.snapshot(),
                None => return Vec::new(),
            }
        };
        // The event was built from checked parts; the matcher cannot refuse it.
        let Ok(mut matched) = matcher.matches(built.text.as_bytes()) else {
            return Vec::new();
        };
        if matched.is_empty() {
            return Vec::new();
        }
        matched.sort();
        let Ok(event) = JsonNode::parse(&built.text, MAX_DETAIL_DEPTH + 2) else {
            return Vec::new();
        };
        let ingestion_time = now_rfc3339();
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        let Some(bus) = state.bus(region, &built.bus) else {
            return Vec::new();
        };
        let mut deliveries = Vec::new();
        for name in matched {
            let Some(rule) = bus.rules.get(&name).filter(|r| r.enabled()) else {
                continue;
            };
            let arn = rule_arn(region, &self.account, &built.bus, &rule.name);
            let ctx = EventContext {
                event_json: &built.text,
                event: &event,
                rule_name: &rule.name,
                rule_arn: &arn,
                ingestion_time: &ingestion_time,
            };
            for target in &rule.targets {
                deliveries.push(Delivery {
                    seq: 0,
                    index: 0,
                    event_id: built.id.clone(),
                    rule: rule.name.clone(),
                    target_id: target.id().to_owned(),
                    arn: target.arn().to_owned(),
                    payload: render(&target.form, &ctx),
                });
            }
        }
        deliveries
    }

    /// `PutEvents`. Blocks on the journal's flush to disk; run it off the async threads.
    pub fn put_events(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let entries = input
            .get("Entries")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ApiError::validation(
                    "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
                )
            })?;
        if entries.is_empty() {
            return Err(ApiError::validation(
                "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
            ));
        }
        if entries.len() > MAX_ENTRIES {
            return Err(ApiError::validation(format!(
                "1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to {MAX_ENTRIES}"
            )));
        }
        if entries.iter().map(entry_size).sum::<usize>() > MAX_REQUEST_SIZE {
            return Err(ApiError::validation(
                "Total size of the entries in the request is over the limit.",
            ));
        }
        let mut answers = Vec::with_capacity(entries.len());
        let mut owed = Vec::new();
        for entry in entries {
            match build(entry, region, &self.account, self) {
                Ok(built) => {
                    owed.push(self.deliveries(region, &built));
                    answers.push(json!({ "EventId": built.id }));
                }
                Err(error) => answers.push(error),
            }
        }
        let journaled = self
            .journal
            .append(owed)
            .map_err(|e| ApiError::internal(format!("The events could not be journaled: {e}")))?;
        self.deliverer.dispatch(journaled);
        let failed = answers
            .iter()
            .filter(|a| a.get("ErrorCode").is_some())
            .count();
        Ok(json!({ "FailedEntryCount": failed, "Entries": answers }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_count_bytes_not_characters() {
        assert_eq!(entry_size(&json!({})), 0);
        assert_eq!(entry_size(&json!({"Source": "日本"})), 6);
        assert_eq!(entry_size(&json!({"Time": null, "Detail": "{}"})), 2);
        assert_eq!(
            entry_size(&json!({"EventBusName": "long-name-not-counted"})),
            0
        );
    }

    #[test]
    fn a_request_at_the_limit_is_within_it() {
        let detail = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_REQUEST_SIZE - 8 - 2));
        let entry = json!({"Source": "s", "DetailType": "d", "Detail": detail});
        assert_eq!(entry_size(&entry), MAX_REQUEST_SIZE);
    }
}
