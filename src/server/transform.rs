//! What a target receives: the event itself, a constant `Input`, the part of the event an
//! `InputPath` selects, or an `InputTransformer`'s template filled from the event, rendered as
//! AWS renders them.
//!
//! `InputTransformer` rendering, as AWS documents it:
//!
//! - A template that is JSON (it starts, after white space, with `{`, `[` or `"`) gets each
//!   value as JSON: outside a string, a string value is inserted quoted and escaped, any other
//!   value as its JSON text, a path that selects nothing as `null`; inside a string, the value's
//!   text is inserted escaped for that string (no quotes added), nothing for a missing path.
//! - Any other template is plain text: a string value is inserted as it is, any other value as
//!   its JSON text, a missing path as nothing.
//! - `<aws.events.rule-name>`, `<aws.events.rule-arn>` and `<aws.events.event.ingestion-time>`
//!   are strings; `<aws.events.event>` (the event without `detail`) and
//!   `<aws.events.event.json>` (the whole event) are JSON objects, inserted unescaped outside a
//!   string.
//! - A `<name>` that is neither in `InputPathsMap` nor predefined stays as written.
//!
//! JSON paths are AWS's subset: `$`, `.name`, `['name']`, `[N]` and the wildcards `.*` and
//! `[*]` (a path with a wildcard selects the array of every value it reaches).

use crate::json::JsonNode;

/// The most variables an `InputPathsMap` may define.
pub const MAX_INPUT_PATHS: usize = 100;
/// The longest `InputTemplate`, in characters.
pub const MAX_TEMPLATE_LENGTH: usize = 8192;

const RULE_NAME: &str = "aws.events.rule-name";
const RULE_ARN: &str = "aws.events.rule-arn";
const INGESTION_TIME: &str = "aws.events.event.ingestion-time";
const EVENT: &str = "aws.events.event";
const EVENT_JSON: &str = "aws.events.event.json";

/// A JSON path of AWS's subset, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPath {
    steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    Any,
}

impl JsonPath {
    /// Parses `$.detail.items[0].name` and the like.
    ///
    /// ```
    /// use evpattern::server::transform::JsonPath;
    /// assert!(JsonPath::parse("$.detail['event-type'][0]").is_ok());
    /// assert!(JsonPath::parse("detail").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let invalid = || format!("{text} is not a valid JSON path");
        let rest = text.strip_prefix('$').ok_or_else(invalid)?;
        let mut steps = Vec::new();
        let mut chars = rest;
        while !chars.is_empty() {
            if let Some(after) = chars.strip_prefix('.') {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                let name = &after[..end];
                if name.is_empty() {
                    return Err(invalid());
                }
                steps.push(if name == "*" {
                    Step::Any
                } else {
                    Step::Key(name.to_owned())
                });
                chars = &after[end..];
            } else if let Some(after) = chars.strip_prefix('[') {
                let end = after.find(']').ok_or_else(invalid)?;
                let inside = &after[..end];
                let step = if inside == "*" {
                    Step::Any
                } else if let Some(quoted) = inside
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .or_else(|| inside.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                {
                    Step::Key(quoted.to_owned())
                } else {
                    Step::Index(inside.parse().map_err(|_| invalid())?)
                };
                steps.push(step);
                chars = &after[end + 1..];
            } else {
                return Err(invalid());
            }
        }
        Ok(JsonPath { steps })
    }

    fn has_wildcard(&self) -> bool {
        self.steps.contains(&Step::Any)
    }

    /// What the path selects in `root`: one value, the array of every value for a path with
    /// a wildcard, or `None`.
    fn select(&self, root: &JsonNode) -> Option<Selected> {
        let mut current = vec![root];
        for step in &self.steps {
            let mut next = Vec::new();
            for node in current {
                match (step, node) {
                    (Step::Key(key), JsonNode::Object(members)) => {
                        // Duplicate keys: the last one, as a JSON reader that builds a map keeps.
                        if let Some((_, v)) = members.iter().rev().find(|(k, _)| k == key) {
                            next.push(v);
                        }
                    }
                    (Step::Index(i), JsonNode::Array(items)) => next.extend(items.get(*i)),
                    (Step::Any, JsonNode::Array(items)) => next.extend(items.iter()),
                    (Step::Any, JsonNode::Object(members)) => {
                        next.extend(members.iter().map(|(_, v)| v))
                    }
                    _ => {}
                }
            }
            current = next;
        }
        if self.has_wildcard() {
            let mut text = String::from("[");
            for (i, node) in current.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                write_json(node, &mut text);
            }
            text.push(']');
            Some(Selected::Json(text))
        } else {
            current.first().map(|node| Selected::from_node(node))
        }
    }
}

/// A selected value: a string (kept unquoted) or any other JSON value as its text.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Selected {
    String(String),
    Json(String),
}

impl Selected {
    fn from_node(node: &JsonNode) -> Selected {
        match node {
            JsonNode::String(s) => Selected::String(s.clone()),
            other => {
                let mut text = String::new();
                write_json(other, &mut text);
                Selected::Json(text)
            }
        }
    }
}

/// How a target's input is formed, checked when the target is put.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputForm {
    /// The matched event, whole.
    Event,
    /// `Input`: this JSON text, always.
    Constant(String),
    /// `InputPath`: the part of the event this path selects.
    Path(JsonPath),
    /// `InputTransformer`.
    Transformer {
        /// `InputPathsMap`, in order.
        paths: Vec<(String, JsonPath)>,
        /// `InputTemplate`.
        template: String,
    },
}

impl InputForm {
    /// Reads the input fields of a `PutTargets` target (`Input`, `InputPath`,
    /// `InputTransformer`), at most one of them, as AWS allows.
    ///
    /// ```
    /// use evpattern::server::transform::InputForm;
    /// use serde_json::json;
    ///
    /// assert_eq!(InputForm::from_target(&json!({"Id": "1"})), Ok(InputForm::Event));
    /// assert!(InputForm::from_target(&json!({"Input": "{\"a\":1}", "InputPath": "$"})).is_err());
    /// assert!(InputForm::from_target(&json!({"Input": "not json"})).is_err());
    /// ```
    pub fn from_target(target: &serde_json::Value) -> Result<InputForm, String> {
        let input = target.get("Input").and_then(|v| v.as_str());
        let path = target.get("InputPath").and_then(|v| v.as_str());
        let transformer = target.get("InputTransformer").filter(|v| !v.is_null());
        let given = [input.is_some(), path.is_some(), transformer.is_some()];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(
                "Only one of Input, InputPath, or InputTransformer must be provided.".to_owned(),
            );
        }
        if let Some(input) = input {
            serde_json::from_str::<serde::de::IgnoredAny>(input)
                .map_err(|_| "Input is not valid JSON text.".to_owned())?;
            return Ok(InputForm::Constant(input.to_owned()));
        }
        if let Some(path) = path {
            return Ok(InputForm::Path(JsonPath::parse(path)?));
        }
        let Some(transformer) = transformer else {
            return Ok(InputForm::Event);
        };
        let template = transformer
            .get("InputTemplate")
            .and_then(|t| t.as_str())
            .ok_or("InputTransformer requires an InputTemplate.")?;
        if template.is_empty() || template.chars().count() > MAX_TEMPLATE_LENGTH {
            return Err(format!(
                "InputTemplate must be 1 to {MAX_TEMPLATE_LENGTH} characters long."
            ));
        }
        let mut paths = Vec::new();
        if let Some(map) = transformer.get("InputPathsMap").and_then(|m| m.as_object()) {
            if map.len() > MAX_INPUT_PATHS {
                return Err(format!(
                    "InputPathsMap may define at most {MAX_INPUT_PATHS} variables."
                ));
            }
            for (name, path) in map {
                if name.to_ascii_lowercase().starts_with("aws.") {
                    return Err(format!(
                        "InputPathsMap key {name} is reserved: keys cannot start with aws."
                    ));
                }
                if name.is_empty()
                    || !name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                {
                    return Err(format!("InputPathsMap key {name} is not valid."));
                }
                let path = path
                    .as_str()
                    .ok_or_else(|| format!("InputPathsMap value of {name} must be a string."))?;
                paths.push((name.clone(), JsonPath::parse(path)?));
            }
        }
        Ok(InputForm::Transformer {
            paths,
            template: template.to_owned(),
        })
    }
}

/// The event a target input is rendered from, and what the predefined variables hold.
#[derive(Clone, Copy, Debug)]
pub struct EventContext<'a> {
    /// The event as delivered, JSON text.
    pub event_json: &'a str,
    /// The event as a tree, for paths.
    pub event: &'a JsonNode,
    /// The name of the rule that matched.
    pub rule_name: &'a str,
    /// Its ARN.
    pub rule_arn: &'a str,
    /// When the event was accepted, ISO 8601.
    pub ingestion_time: &'a str,
}

/// The input a target receives for this event, as text.
///
/// ```
/// use evpattern::json::JsonNode;
/// use evpattern::server::transform::{render, EventContext, InputForm};
/// use serde_json::json;
///
/// let text = r#"{"source":"s","detail":{"instance":"i-1","state":"running"}}"#;
/// let event = JsonNode::parse(text, 64).unwrap();
/// let ctx = EventContext { event_json: text, event: &event, rule_name: "r",
///     rule_arn: "arn:aws:events:us-east-1:1:rule/r", ingestion_time: "2026-01-01T00:00:00Z" };
/// let form = InputForm::from_target(&json!({"InputTransformer": {
///     "InputPathsMap": {"instance": "$.detail.instance", "state": "$.detail.state"},
///     "InputTemplate": "{\"i\": <instance>, \"text\": \"<instance> is <state>\"}"}})).unwrap();
/// assert_eq!(render(&form, &ctx), r#"{"i": "i-1", "text": "i-1 is running"}"#);
/// ```
pub fn render(form: &InputForm, ctx: &EventContext<'_>) -> String {
    match form {
        InputForm::Event => ctx.event_json.to_owned(),
        InputForm::Constant(text) => text.clone(),
        // A path that selects nothing: AWS's answer is not recorded; the target gets `null`
        // rather than nothing, so that it still receives valid JSON.
        InputForm::Path(path) => match path.select(ctx.event) {
            Some(Selected::String(s)) => json_string(&s),
            Some(Selected::Json(text)) => text,
            None => "null".to_owned(),
        },
        InputForm::Transformer { paths, template } => fill_template(template, paths, ctx),
    }
}

/// What a placeholder stands for.
enum Value {
    Selected(Option<Selected>),
    /// A JSON object inserted unescaped (the event).
    Raw(String),
}

fn fill_template(template: &str, paths: &[(String, JsonPath)], ctx: &EventContext<'_>) -> String {
    let json_template = matches!(template.trim_start().chars().next(), Some('{' | '[' | '"'));
    let mut out = String::with_capacity(template.len() + 64);
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some((name, after)) = placeholder(rest) {
                if let Some(value) = resolve(name, paths, ctx) {
                    insert(&mut out, value, json_template, in_string);
                    rest = after;
                    continue;
                }
            }
        }
        if json_template {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == '"' {
                in_string = true;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `<name>` at the start of `text`: the name and the text after the `>`.
fn placeholder(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('<')?;
    let end = inner.find('>')?;
    let name = &inner[..end];
    let plausible = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
    plausible.then(|| (name, &inner[end + 1..]))
}

fn resolve(name: &str, paths: &[(String, JsonPath)], ctx: &EventContext<'_>) -> Option<Value> {
    let text = |s: &str| Value::Selected(Some(Selected::String(s.to_owned())));
    match name {
        RULE_NAME => Some(text(ctx.rule_name)),
        RULE_ARN => Some(text(ctx.rule_arn)),
        INGESTION_TIME => Some(text(ctx.ingestion_time)),
        EVENT => Some(Value::Raw(event_without_detail(ctx.event))),
        EVENT_JSON => Some(Value::Raw(ctx.event_json.to_owned())),
        _ => paths
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, path)| Value::Selected(path.select(ctx.event))),
    }
}

fn event_without_detail(event: &JsonNode) -> String {
    let mut text = String::new();
    match event {
        JsonNode::Object(members) => {
            let kept: Vec<(String, JsonNode)> = members
                .iter()
                .filter(|(k, _)| k != "detail")
                .cloned()
                .collect();
            write_json(&JsonNode::Object(kept), &mut text);
        }
        other => write_json(other, &mut text),
    }
    text
}

fn insert(out: &mut String, value: Value, json_template: bool, in_string: bool) {
    let escaped_content = |s: &str| {
        let quoted = json_string(s);
        quoted[1..quoted.len() - 1].to_owned()
    };
    match (value, json_template, in_string) {
        (Value::Raw(text), true, true) => out.push_str(&escaped_content(&text)),
        (Value::Raw(text), _, _) => out.push_str(&text),
        (Value::Selected(None), true, false) => out.push_str("null"),
        (Value::Selected(None), _, _) => {}
        (Value::Selected(Some(Selected::String(s))), true, false) => out.push_str(&json_string(&s)),
        (Value::Selected(Some(Selected::String(s) | Selected::Json(s))), true, true) => {
            out.push_str(&escaped_content(&s))
        }
        (Value::Selected(Some(Selected::String(s) | Selected::Json(s))), _, _) => out.push_str(&s),
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// Writes `node` as compact JSON text, keys in their order, numbers as written.
///
/// ```
/// use evpattern::json::JsonNode;
/// use evpattern::server::transform::write_json;
///
/// let node = JsonNode::parse("{ \"b\" : [1.50, \"x\\u0041\"],\n \"a\": null }", 64).unwrap();
/// let mut text = String::new();
/// write_json(&node, &mut text);
/// assert_eq!(text, r#"{"b":[1.50,"xA"],"a":null}"#);
/// ```
pub fn write_json(node: &JsonNode, out: &mut String) {
    match node {
        JsonNode::Null => out.push_str("null"),
        JsonNode::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JsonNode::Number(text) => out.push_str(text),
        JsonNode::String(s) => out.push_str(&json_string(s)),
        JsonNode::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        JsonNode::Object(members) => {
            out.push('{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(key));
                out.push(':');
                write_json(value, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const EVENT: &str = r#"{"version":"0","id":"e1","detail-type":"EC2 State","source":"aws.ec2","account":"1","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":["r1"],"detail":{"instance":"i-0123","state":"RUNNING","count":3,"tags":["a","b"],"nested":{"k":"v \"q\""}}}"#;

    fn run(target: serde_json::Value) -> String {
        let event = JsonNode::parse(EVENT, 64).unwrap();
        let ctx = EventContext {
            event_json: EVENT,
            event: &event,
            rule_name: "my-rule",
            rule_arn: "arn:aws:events:us-east-1:1:rule/my-rule",
            ingestion_time: "2026-01-01T00:00:01Z",
        };
        render(&InputForm::from_target(&target).unwrap(), &ctx)
    }

    fn transformer(template: &str) -> serde_json::Value {
        json!({"InputTransformer": {
            "InputPathsMap": {"instance": "$.detail.instance", "state": "$.detail.state",
                "count": "$.detail.count", "tags": "$.detail.tags", "nested": "$.detail.nested",
                "missing": "$.detail.nope", "first": "$.detail.tags[0]", "all": "$.detail.tags[*]"},
            "InputTemplate": template}})
    }

    #[test]
    fn whole_event_constant_and_path() {
        assert_eq!(run(json!({})), EVENT);
        assert_eq!(
            run(json!({"Input": "{\"fixed\": true}"})),
            "{\"fixed\": true}"
        );
        assert_eq!(run(json!({"InputPath": "$.detail.instance"})), "\"i-0123\"");
        assert_eq!(run(json!({"InputPath": "$.detail.count"})), "3");
        assert_eq!(
            run(json!({"InputPath": "$.detail.nested"})),
            r#"{"k":"v \"q\""}"#
        );
        assert_eq!(run(json!({"InputPath": "$.detail.nope"})), "null");
        assert_eq!(run(json!({"InputPath": "$"})), EVENT);
    }

    #[test]
    fn plain_text_templates_insert_values_as_they_are() {
        assert_eq!(
            run(transformer("instance <instance> is in <state>")),
            "instance i-0123 is in RUNNING"
        );
        assert_eq!(
            run(transformer("<count> <tags> [<missing>]")),
            r#"3 ["a","b"] []"#
        );
        assert_eq!(run(transformer("<nested>")), r#"{"k":"v \"q\""}"#);
    }

    #[test]
    fn quoted_string_templates_escape() {
        assert_eq!(
            run(transformer("\"instance <instance> is in <state>\"")),
            "\"instance i-0123 is in RUNNING\""
        );
        assert_eq!(
            run(transformer("\"<nested>\"")),
            r#""{\"k\":\"v \\\"q\\\"\"}""#
        );
    }

    #[test]
    fn json_templates_quote_strings_outside_quotes_only() {
        let out = run(transformer(
            r#"{"i": <instance>, "n": <count>, "t": <tags>, "m": <missing>, "s": "<instance> has <count> \"<state>\"", "e": "<missing>"}"#,
        ));
        assert_eq!(
            out,
            r#"{"i": "i-0123", "n": 3, "t": ["a","b"], "m": null, "s": "i-0123 has 3 \"RUNNING\"", "e": ""}"#
        );
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }

    #[test]
    fn predefined_variables() {
        let out = run(transformer(
            r#"{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>, "event": <aws.events.event>}"#,
        ));
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["rule"], "my-rule");
        assert_eq!(value["arn"], "arn:aws:events:us-east-1:1:rule/my-rule");
        assert_eq!(value["at"], "2026-01-01T00:00:01Z");
        assert_eq!(value["event"]["id"], "e1");
        assert!(value["event"].get("detail").is_none());
        let whole = run(transformer(r#"{"all": <aws.events.event.json>}"#));
        assert_eq!(whole, format!(r#"{{"all": {EVENT}}}"#));
        let in_string = run(transformer(r#"{"s": "<aws.events.event.json>"}"#));
        let value: serde_json::Value = serde_json::from_str(&in_string).unwrap();
        assert_eq!(value["s"], EVENT);
    }

    #[test]
    fn unknown_placeholders_stay_and_wildcards_collect() {
        assert_eq!(run(transformer("<unknown> <first>")), "<unknown> a");
        assert_eq!(run(transformer(r#"{"x": <all>}"#)), r#"{"x": ["a","b"]}"#);
        assert_eq!(run(transformer("a < b > c")), "a < b > c");
    }

    #[test]
    fn target_input_checks() {
        let bad = [
            json!({"InputPath": "detail"}),
            json!({"InputPath": "$.a[x]"}),
            json!({"InputTransformer": {"InputTemplate": ""}}),
            json!({"InputTransformer": {"InputPathsMap": {"aws.x": "$"}, "InputTemplate": "x"}}),
            json!({"InputTransformer": {"InputPathsMap": {"a b": "$"}, "InputTemplate": "x"}}),
            json!({"InputTransformer": {"InputPathsMap": {"a": 1}, "InputTemplate": "x"}}),
            json!({"InputTransformer": {"InputPathsMap": {}}}),
            json!({"Input": "{", }),
        ];
        for target in bad {
            assert!(InputForm::from_target(&target).is_err(), "{target}");
        }
        let many: serde_json::Map<String, serde_json::Value> =
            (0..101).map(|i| (format!("v{i}"), json!("$"))).collect();
        assert!(InputForm::from_target(
            &json!({"InputTransformer": {"InputPathsMap": many, "InputTemplate": "x"}})
        )
        .is_err());
    }
}
