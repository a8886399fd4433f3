//! The control-plane operations: buses, rules, targets and `TestEventPattern`, with AWS's
//! parameters, answers and errors. Each takes the request's JSON and returns the answer's.
//!
//! Changes are serialized by one lock and saved (see [`super::state`]) before they are
//! answered. A rule change edits the in-memory state under a short write lock, then changes the
//! bus's matcher one rule at a time ([`crate::SharedMatcher::replace_rule`] and
//! `remove_rule`, each costing the rule, never a copy of the rule set), so `PutEvents` keeps
//! matching against the previous rule set meanwhile and never waits for a recompilation or a
//! disk write.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::matcher::SharedMatcher;
use crate::pattern::{Limits, Pattern, AWS_MAX_PATTERN_LENGTH};

use super::arn::{bus_arn, bus_name, rule_arn};
use super::error::ApiError;
use super::state::{serialize, Bus, Rule, State, Target, DEFAULT_BUS, DISABLED, ENABLED};
use super::transform::InputForm;
use super::{now_seconds, Server};

/// The most targets a rule may have, as on AWS.
pub const MAX_TARGETS_PER_RULE: usize = 5;
/// The most targets one `PutTargets` or `RemoveTargets` call may name.
pub const MAX_TARGETS_PER_CALL: usize = 10;
/// The most results a list operation answers at once, and its default.
pub const MAX_LIST_LIMIT: usize = 100;

/// A change to a bus's matcher, applied after the state is edited.
struct MatcherEdit {
    matcher: Arc<SharedMatcher<String>>,
    rule: String,
    /// The rule's pattern after the change; `None` takes the rule out.
    pattern: Option<String>,
}

fn str_param<'a>(input: &'a Value, key: &str) -> Option<&'a str> {
    input.get(key).and_then(Value::as_str)
}

fn required<'a>(input: &'a Value, key: &str, member: &str) -> Result<&'a str, ApiError> {
    str_param(input, key).ok_or_else(|| {
        ApiError::validation(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    })
}

fn check_name(value: &str, member: &str, max: usize, extra: &[u8]) -> Result<(), ApiError> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"._-".contains(&b) || extra.contains(&b);
    if value.is_empty() || value.len() > max || !value.bytes().all(allowed) {
        let pattern = if extra.is_empty() {
            r"[\.\-_A-Za-z0-9]+"
        } else {
            r"[/\.\-_A-Za-z0-9]+"
        };
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern} and have length between 1 and {max}"
        )));
    }
    Ok(())
}

fn bus_param(input: &Value) -> &str {
    str_param(input, "EventBusName").map_or(DEFAULT_BUS, bus_name)
}

fn no_bus(bus: &str) -> ApiError {
    ApiError::not_found(format!("Event bus {bus} does not exist."))
}

fn no_rule(rule: &str, bus: &str) -> ApiError {
    ApiError::not_found(format!("Rule {rule} does not exist on EventBus {bus}."))
}

fn limit_param(input: &Value) -> Result<usize, ApiError> {
    match input.get("Limit").and_then(Value::as_u64) {
        None => Ok(MAX_LIST_LIMIT),
        Some(n) if (1..=MAX_LIST_LIMIT as u64).contains(&n) => Ok(n as usize),
        Some(n) => Err(ApiError::validation(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {MAX_LIST_LIMIT}"
        ))),
    }
}

/// One page of `names` (sorted) after `NextToken`: the page and the next token.
fn page<'a>(
    names: impl Iterator<Item = &'a String>,
    input: &Value,
) -> Result<(Vec<&'a String>, Option<String>), ApiError> {
    let limit = limit_param(input)?;
    let after = str_param(input, "NextToken");
    let mut rest: Vec<&String> = names
        .filter(|n| after.is_none_or(|token| n.as_str() > token))
        .collect();
    let next = (rest.len() > limit).then(|| rest[limit - 1].clone());
    rest.truncate(limit);
    Ok((rest, next))
}

fn parse_pattern(pattern: &str) -> Result<Pattern, ApiError> {
    if pattern.encode_utf16().count() > AWS_MAX_PATTERN_LENGTH {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{pattern}' at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to {AWS_MAX_PATTERN_LENGTH}"
        )));
    }
    Pattern::parse_with(pattern, &Limits::aws())
        .map_err(|e| ApiError::invalid_pattern(e.to_string()))
}

impl Server {
    /// Runs a change: edits the state, updates matchers, saves, all under the control lock.
    fn change<T>(
        &self,
        region: &str,
        edit: impl FnOnce(&mut State) -> Result<(T, Vec<MatcherEdit>), ApiError>,
    ) -> Result<T, ApiError> {
        let _control = self.control.lock().unwrap_or_else(|p| p.into_inner());
        let (answer, edits) = {
            let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
            state.region_mut(region, now_seconds());
            edit(&mut state)?
        };
        // One rule at a time: each change costs the rule, not a copy of the bus's matcher.
        for edit in edits {
            match &edit.pattern {
                Some(pattern) => edit
                    .matcher
                    .replace_rule(edit.rule.clone(), pattern)
                    .map(|_| ())
                    .map_err(|e| ApiError::internal(e.to_string()))?,
                None => {
                    edit.matcher.remove_rule(&edit.rule);
                }
            }
        }
        let bytes = serialize(&self.state.read().unwrap_or_else(|p| p.into_inner()));
        self.store
            .save(&bytes)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(answer)
    }

    /// Reads the state; the region's default bus is there even if nothing was created yet.
    fn read<T>(&self, region: &str, view: impl FnOnce(&State) -> T) -> T {
        {
            let state = self.state.read().unwrap_or_else(|p| p.into_inner());
            if state.bus(region, DEFAULT_BUS).is_some() {
                return view(&state);
            }
        }
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        state.region_mut(region, now_seconds());
        view(&state)
    }

    /// `TestEventPattern`.
    pub fn test_event_pattern(&self, input: &Value) -> Result<Value, ApiError> {
        let event = required(input, "Event", "event")?;
        let pattern = required(input, "EventPattern", "eventPattern")?;
        match crate::aws::test_event_pattern(event, pattern) {
            Ok(result) => Ok(json!({ "Result": result })),
            Err(e) if e.code() == crate::aws::INVALID_EVENT_PATTERN => {
                Err(ApiError::invalid_pattern(e.message()))
            }
            Err(e) => Err(ApiError::validation(e.message())),
        }
    }

    /// `CreateEventBus`; a partner bus (`aws.partner/…`) must name its `EventSourceName`.
    pub fn create_event_bus(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = required(input, "Name", "name")?;
        check_name(name, "name", 256, b"/")?;
        let source = str_param(input, "EventSourceName");
        if name.starts_with("aws.partner/") {
            if source != Some(name) {
                return Err(ApiError::validation(format!(
                    "Event source {} does not match the event bus name {name}.",
                    source.unwrap_or("(none)")
                )));
            }
        } else if name.contains('/') {
            return Err(ApiError::validation(format!(
                "Event bus name {name} is not valid: only partner event buses (aws.partner/...) may contain '/'."
            )));
        } else if source.is_some() {
            return Err(ApiError::validation(
                "EventSourceName is only for partner event buses, whose name is the event source's.",
            ));
        }
        let account = self.account.clone();
        self.change(region, |state| {
            let buses = &mut state.region_mut(region, now_seconds()).buses;
            if buses.contains_key(name) {
                return Err(ApiError::already_exists(format!(
                    "Event bus {name} already exists."
                )));
            }
            let mut bus = Bus::new(name, now_seconds());
            bus.description = str_param(input, "Description").map(str::to_owned);
            bus.event_source_name = source.map(str::to_owned);
            buses.insert(name.to_owned(), bus);
            Ok((
                json!({ "EventBusArn": bus_arn(region, &account, name) }),
                Vec::new(),
            ))
        })
    }

    /// `DeleteEventBus`: the bus and its rules go; an unknown bus is not an error.
    pub fn delete_event_bus(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = bus_name(required(input, "Name", "name")?);
        if name == DEFAULT_BUS {
            return Err(ApiError::validation("Cannot delete event bus default."));
        }
        self.change(region, |state| {
            state.region_mut(region, now_seconds()).buses.remove(name);
            Ok((json!({}), Vec::new()))
        })
    }

    fn bus_summary(&self, region: &str, bus: &Bus) -> Value {
        let mut summary = json!({
            "Name": bus.name,
            "Arn": bus_arn(region, &self.account, &bus.name),
            "CreationTime": bus.created,
            "LastModifiedTime": bus.created,
        });
        if let Some(description) = &bus.description {
            summary["Description"] = json!(description);
        }
        summary
    }

    /// `DescribeEventBus` (the default bus when no `Name` is given).
    pub fn describe_event_bus(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = str_param(input, "Name").map_or(DEFAULT_BUS, bus_name);
        self.read(region, |state| {
            state
                .bus(region, name)
                .map(|bus| self.bus_summary(region, bus))
                .ok_or_else(|| no_bus(name))
        })
    }

    /// `ListEventBuses`, with `NamePrefix` and paging.
    pub fn list_event_buses(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let prefix = str_param(input, "NamePrefix").unwrap_or("");
        self.read(region, |state| {
            let buses = &state.regions[region].buses;
            let (names, next) = page(buses.keys().filter(|n| n.starts_with(prefix)), input)?;
            let listed: Vec<Value> = names
                .into_iter()
                .map(|n| self.bus_summary(region, &buses[n]))
                .collect();
            let mut answer = json!({ "EventBuses": listed });
            if let Some(next) = next {
                answer["NextToken"] = json!(next);
            }
            Ok(answer)
        })
    }

    /// `PutRule`: creates or replaces a rule; its pattern is checked as AWS checks it.
    pub fn put_rule(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = required(input, "Name", "name")?;
        check_name(name, "name", 64, b"")?;
        let bus = bus_param(input).to_owned();
        if input
            .get("ScheduleExpression")
            .is_some_and(|s| !s.is_null())
        {
            return Err(ApiError::validation(
                "ScheduleExpression is not supported by evpattern serve: it routes events, it runs no schedules.",
            ));
        }
        let pattern = str_param(input, "EventPattern").ok_or_else(|| {
            ApiError::validation(
                "Parameter(s) EventPattern or ScheduleExpression must be specified.",
            )
        })?;
        parse_pattern(pattern)?;
        let state_param = str_param(input, "State").unwrap_or(ENABLED);
        if state_param != ENABLED && state_param != DISABLED {
            return Err(ApiError::validation(format!(
                "1 validation error detected: Value '{state_param}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"
            )));
        }
        let arn = rule_arn(region, &self.account, &bus, name);
        self.change(region, |state| {
            let bus_state = state
                .region_mut(region, now_seconds())
                .buses
                .get_mut(&bus)
                .ok_or_else(|| no_bus(&bus))?;
            let targets = bus_state
                .rules
                .remove(name)
                .map(|old| old.targets)
                .unwrap_or_default();
            let rule = Rule {
                name: name.to_owned(),
                pattern: pattern.to_owned(),
                state: state_param.to_owned(),
                description: str_param(input, "Description").map(str::to_owned),
                role_arn: str_param(input, "RoleArn").map(str::to_owned),
                targets,
            };
            let edit = MatcherEdit {
                matcher: bus_state.matcher.clone(),
                rule: name.to_owned(),
                pattern: rule.enabled().then(|| pattern.to_owned()),
            };
            bus_state.rules.insert(name.to_owned(), rule);
            Ok((json!({ "RuleArn": arn }), vec![edit]))
        })
    }

    fn rule_summary(&self, region: &str, bus: &str, rule: &Rule) -> Value {
        let mut summary = json!({
            "Name": rule.name,
            "Arn": rule_arn(region, &self.account, bus, &rule.name),
            "EventPattern": rule.pattern,
            "State": rule.state,
            "EventBusName": bus,
        });
        if let Some(description) = &rule.description {
            summary["Description"] = json!(description);
        }
        if let Some(role) = &rule.role_arn {
            summary["RoleArn"] = json!(role);
        }
        summary
    }

    /// `DescribeRule`.
    pub fn describe_rule(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = required(input, "Name", "name")?;
        let bus = bus_param(input);
        self.read(region, |state| {
            let bus_state = state.bus(region, bus).ok_or_else(|| no_bus(bus))?;
            let rule = bus_state
                .rules
                .get(name)
                .ok_or_else(|| no_rule(name, bus))?;
            let mut summary = self.rule_summary(region, bus, rule);
            summary["CreatedBy"] = json!(self.account);
            Ok(summary)
        })
    }

    /// `ListRules`, with `NamePrefix` and paging.
    pub fn list_rules(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let prefix = str_param(input, "NamePrefix").unwrap_or("");
        let bus = bus_param(input);
        self.read(region, |state| {
            let bus_state = state.bus(region, bus).ok_or_else(|| no_bus(bus))?;
            let (names, next) = page(
                bus_state.rules.keys().filter(|n| n.starts_with(prefix)),
                input,
            )?;
            let rules: Vec<Value> = names
                .into_iter()
                .map(|n| self.rule_summary(region, bus, &bus_state.rules[n]))
                .collect();
            let mut answer = json!({ "Rules": rules });
            if let Some(next) = next {
                answer["NextToken"] = json!(next);
            }
            Ok(answer)
        })
    }

    /// `DeleteRule`: refused while the rule has targets (unless `Force`); an unknown rule is
    /// not an error, as on AWS.
    pub fn delete_rule(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = required(input, "Name", "name")?;
        let bus = bus_param(input).to_owned();
        let force = input.get("Force").and_then(Value::as_bool).unwrap_or(false);
        self.change(region, |state| {
            let bus_state = state
                .region_mut(region, now_seconds())
                .buses
                .get_mut(&bus)
                .ok_or_else(|| no_bus(&bus))?;
            let Some(rule) = bus_state.rules.get(name) else {
                return Ok((json!({}), Vec::new()));
            };
            if !rule.targets.is_empty() && !force {
                return Err(ApiError::validation(
                    "Rule can't be deleted since it has targets.",
                ));
            }
            bus_state.rules.remove(name);
            let edit = MatcherEdit {
                matcher: bus_state.matcher.clone(),
                rule: name.to_owned(),
                pattern: None,
            };
            Ok((json!({}), vec![edit]))
        })
    }

    /// `EnableRule` / `DisableRule`.
    pub fn set_rule_state(
        &self,
        region: &str,
        input: &Value,
        enabled: bool,
    ) -> Result<Value, ApiError> {
        let name = required(input, "Name", "name")?;
        let bus = bus_param(input).to_owned();
        self.change(region, |state| {
            let bus_state = state
                .region_mut(region, now_seconds())
                .buses
                .get_mut(&bus)
                .ok_or_else(|| no_bus(&bus))?;
            let rule = bus_state
                .rules
                .get_mut(name)
                .ok_or_else(|| no_rule(name, &bus))?;
            rule.state = if enabled { ENABLED } else { DISABLED }.to_owned();
            let edit = MatcherEdit {
                matcher: bus_state.matcher.clone(),
                rule: name.to_owned(),
                pattern: enabled.then(|| rule.pattern.clone()),
            };
            Ok((json!({}), vec![edit]))
        })
    }

    /// `PutTargets`: adds or replaces targets by `Id`; a target that cannot be used is
    /// answered in `FailedEntries`, the others are put.
    pub fn put_targets(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = required(input, "Rule", "rule")?;
        let bus = bus_param(input).to_owned();
        let targets = input
            .get("Targets")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ApiError::validation(
                    "1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null",
                )
            })?;
        if targets.is_empty() || targets.len() > MAX_TARGETS_PER_CALL {
            return Err(ApiError::validation(format!(
                "1 validation error detected: Value '[Target]' at 'targets' failed to satisfy constraint: Member must have length between 1 and {MAX_TARGETS_PER_CALL}"
            )));
        }
        let mut checked = Vec::new();
        let mut failed = Vec::new();
        for target in targets {
            let id = target.get("Id").and_then(Value::as_str).unwrap_or("");
            let fail = |code: &str, message: String| json!({"TargetId": id, "ErrorCode": code, "ErrorMessage": message});
            if check_name(id, "id", 64, b"").is_err() {
                failed.push(fail(
                    "ValidationException",
                    format!("Target Id {id} is not valid."),
                ));
                continue;
            }
            if target
                .get("Arn")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                failed.push(fail(
                    "ValidationException",
                    "Target Arn is required.".into(),
                ));
                continue;
            }
            match InputForm::from_target(target) {
                Ok(form) => checked.push(Target {
                    definition: target.clone(),
                    form,
                }),
                Err(message) => failed.push(fail("ValidationException", message)),
            }
        }
        self.change(region, |state| {
            let bus_state = state
                .region_mut(region, now_seconds())
                .buses
                .get_mut(&bus)
                .ok_or_else(|| no_bus(&bus))?;
            let rule = bus_state
                .rules
                .get_mut(name)
                .ok_or_else(|| no_rule(name, &bus))?;
            let mut next = rule.targets.clone();
            for target in checked {
                match next.iter_mut().find(|t| t.id() == target.id()) {
                    Some(existing) => *existing = target,
                    None => next.push(target),
                }
            }
            if next.len() > MAX_TARGETS_PER_RULE {
                return Err(ApiError::limit_exceeded(format!(
                    "The requested resource exceeds the maximum number allowed: a rule has at most {MAX_TARGETS_PER_RULE} targets."
                )));
            }
            rule.targets = next;
            Ok((
                json!({"FailedEntryCount": failed.len(), "FailedEntries": failed}),
                Vec::new(),
            ))
        })
    }

    /// `ListTargetsByRule`.
    pub fn list_targets_by_rule(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = required(input, "Rule", "rule")?;
        let bus = bus_param(input);
        self.read(region, |state| {
            let bus_state = state.bus(region, bus).ok_or_else(|| no_bus(bus))?;
            let rule = bus_state
                .rules
                .get(name)
                .ok_or_else(|| no_rule(name, bus))?;
            let ids: Vec<String> = rule.targets.iter().map(|t| t.id().to_owned()).collect();
            let mut sorted = ids.clone();
            sorted.sort();
            let (page_ids, next) = page(sorted.iter(), input)?;
            let targets: Vec<&Value> = rule
                .targets
                .iter()
                .filter(|t| page_ids.iter().any(|id| id.as_str() == t.id()))
                .map(|t| &t.definition)
                .collect();
            let mut answer = json!({ "Targets": targets });
            if let Some(next) = next {
                answer["NextToken"] = json!(next);
            }
            Ok(answer)
        })
    }

    /// `RemoveTargets`: an `Id` the rule does not have is answered in `FailedEntries` (AWS's
    /// answer there is not recorded), the others are removed.
    pub fn remove_targets(&self, region: &str, input: &Value) -> Result<Value, ApiError> {
        let name = required(input, "Rule", "rule")?;
        let bus = bus_param(input).to_owned();
        let ids: Vec<&str> = input
            .get("Ids")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if ids.is_empty() || ids.len() > MAX_TARGETS_PER_CALL {
            return Err(ApiError::validation(format!(
                "1 validation error detected: Value '{ids:?}' at 'ids' failed to satisfy constraint: Member must have length between 1 and {MAX_TARGETS_PER_CALL}"
            )));
        }
        self.change(region, |state| {
            let bus_state = state
                .region_mut(region, now_seconds())
                .buses
                .get_mut(&bus)
                .ok_or_else(|| no_bus(&bus))?;
            let rule = bus_state
                .rules
                .get_mut(name)
                .ok_or_else(|| no_rule(name, &bus))?;
            let mut failed = Vec::new();
            for id in ids {
                match rule.targets.iter().position(|t| t.id() == id) {
                    Some(at) => {
                        rule.targets.remove(at);
                    }
                    None => failed.push(json!({
                        "TargetId": id,
                        "ErrorCode": "ResourceNotFoundException",
                        "ErrorMessage": format!("Target {id} does not exist on rule {name}."),
                    })),
                }
            }
            Ok((
                json!({"FailedEntryCount": failed.len(), "FailedEntries": failed}),
                Vec::new(),
            ))
        })
    }
}
