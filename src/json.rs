//! JSON text to a plain tree that keeps what `serde_json::Value` loses: duplicate object keys
//! (in order) and the exact text of numbers.
//!
//! The pattern parser needs both (duplicate keys: last wins; number literals that do not
//! round-trip through a double match only their own text) and so does the reference matcher
//! (every value of a duplicated event key counts). Tokenising, unescaping and UTF-8 checks are
//! serde_json's: each value is first taken as a [`RawValue`], then its own level is read
//! with a small visitor. That reads nested text once per level, which is fine for the
//! pattern parser and the reference matcher, neither of which is on a hot path.
//!
//! Depth is bounded by an explicit limit, checked before descending, so no input can
//! overflow the stack.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// A JSON value with duplicate keys and number text preserved.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonNode {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, exactly as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<JsonNode>),
    /// An object's members in document order, duplicates kept.
    Object(Vec<(String, JsonNode)>),
}

/// Why text could not be read as a [`JsonNode`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// The text is not JSON; the message is serde_json's.
    Syntax(String),
    /// Nesting deeper than the given limit.
    TooDeep(usize),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax(message) => f.write_str(message),
            JsonError::TooDeep(limit) => write!(f, "nesting deeper than {limit} levels"),
        }
    }
}

impl std::error::Error for JsonError {}

impl JsonNode {
    /// Reads one JSON document (surrounding whitespace allowed), nested at most `max_depth`
    /// arrays and objects deep. Text that nests too deep is refused in one pass, before it is
    /// read, so it is [`JsonError::TooDeep`] even where it is also not JSON.
    ///
    /// ```
    /// use evpattern::json::JsonNode;
    ///
    /// let node = JsonNode::parse(r#"{"a": 1.50, "a": 2}"#, 64).unwrap();
    /// assert_eq!(
    ///     node,
    ///     JsonNode::Object(vec![
    ///         ("a".into(), JsonNode::Number("1.50".into())),
    ///         ("a".into(), JsonNode::Number("2".into())),
    ///     ])
    /// );
    /// ```
    pub fn parse(text: &str, max_depth: usize) -> Result<JsonNode, JsonError> {
        // serde_json's own recursion guard would stop at 128 levels even for our shallow
        // per-level reads of deep documents; the raw read skips nested text without recursing.
        if nests_deeper_than(text, max_depth) {
            return Err(JsonError::TooDeep(max_depth));
        }
        let raw: Box<RawValue> = serde_json::from_str(text).map_err(syntax)?;
        node_of(&raw, max_depth, max_depth)
    }

    /// A short name of the node's JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            JsonNode::Null => "null",
            JsonNode::Bool(_) => "boolean",
            JsonNode::Number(_) => "number",
            JsonNode::String(_) => "string",
            JsonNode::Array(_) => "array",
            JsonNode::Object(_) => "object",
        }
    }
}

/// Compact JSON text: numbers as written, strings escaped, duplicate keys kept.
///
/// ```
/// use evpattern::json::JsonNode;
///
/// let text = r#"{"a":[1.50,"x\"y",null],"a":true}"#;
/// assert_eq!(JsonNode::parse(text, 8).unwrap().to_string(), text);
/// ```
impl fmt::Display for JsonNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonNode::Null => f.write_str("null"),
            JsonNode::Bool(b) => write!(f, "{b}"),
            JsonNode::Number(text) => f.write_str(text),
            JsonNode::String(s) => write_json_string(f, s),
            JsonNode::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            JsonNode::Object(members) => {
                f.write_str("{")?;
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_json_string(f, key)?;
                    write!(f, ":{value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_json_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    // serde_json's escaping of a plain &str cannot fail.
    f.write_str(&serde_json::to_string(s).map_err(|_| fmt::Error)?)
}

/// Whether arrays and objects in `text` nest deeper than `max`, by one linear scan.
///
/// The tree is built by reading the text once per level, so on deep input that would spend
/// depth × length before noticing; this answers in one pass first. The scan does not
/// validate: on text that is not JSON it may answer either way, and the JSON reader then
/// reports the syntax error.
fn nests_deeper_than(text: &str, max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in text.as_bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

fn syntax(e: serde_json::Error) -> JsonError {
    JsonError::Syntax(e.to_string())
}

fn node_of(raw: &RawValue, depth_left: usize, limit: usize) -> Result<JsonNode, JsonError> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'{') | Some(b'[') => {
            if depth_left == 0 {
                return Err(JsonError::TooDeep(limit));
            }
            let level: Level = serde_json::from_str(text).map_err(syntax)?;
            match level {
                Level::Array(items) => items
                    .into_iter()
                    .map(|item| node_of(item, depth_left - 1, limit))
                    .collect::<Result<Vec<_>, _>>()
                    .map(JsonNode::Array),
                Level::Object(members) => members
                    .into_iter()
                    .map(|(k, v)| Ok((k, node_of(v, depth_left - 1, limit)?)))
                    .collect::<Result<Vec<_>, _>>()
                    .map(JsonNode::Object),
            }
        }
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(JsonNode::String)
            .map_err(syntax),
        Some(b't') => Ok(JsonNode::Bool(true)),
        Some(b'f') => Ok(JsonNode::Bool(false)),
        Some(b'n') => Ok(JsonNode::Null),
        _ => Ok(JsonNode::Number(text.to_owned())),
    }
}

/// One level of an array or object, its children left as raw text.
enum Level<'a> {
    Array(Vec<&'a RawValue>),
    Object(Vec<(String, &'a RawValue)>),
}

impl<'de: 'a, 'a> de::Deserialize<'de> for Level<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LevelVisitor(std::marker::PhantomData))
    }
}

struct LevelVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for LevelVisitor<'a> {
    type Value = Level<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array or an object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            items.push(item);
        }
        Ok(Level::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
            members.push((key, value));
        }
        Ok(Level::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_duplicates_and_number_text() {
        let node = JsonNode::parse(r#"[1e999, -0, 1.0, {"k": [], "k": null}]"#, 8).unwrap();
        assert_eq!(
            node,
            JsonNode::Array(vec![
                JsonNode::Number("1e999".into()),
                JsonNode::Number("-0".into()),
                JsonNode::Number("1.0".into()),
                JsonNode::Object(vec![
                    ("k".into(), JsonNode::Array(vec![])),
                    ("k".into(), JsonNode::Null),
                ]),
            ])
        );
    }

    #[test]
    fn unescapes_strings_and_rejects_lone_surrogates() {
        assert_eq!(
            JsonNode::parse(r#""\u0041\n""#, 1).unwrap(),
            JsonNode::String("A\n".into())
        );
        assert!(JsonNode::parse(r#""\ud800""#, 1).is_err());
        assert!(JsonNode::parse(r#"{"\udc00": 1}"#, 1).is_err());
    }

    #[test]
    fn rejects_bad_text() {
        for bad in ["", "{", "[1,]", "{'a': 1}", "nul", "1 2", "{\"a\" 1}", "01"] {
            assert!(
                matches!(JsonNode::parse(bad, 8), Err(JsonError::Syntax(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn depth_is_bounded_without_overflowing_the_stack() {
        let deep = "[".repeat(1_000_000) + &"]".repeat(1_000_000);
        assert!(matches!(
            JsonNode::parse(&deep, 100),
            Err(JsonError::TooDeep(_))
        ));
        let ok = "[".repeat(100) + &"]".repeat(100);
        assert!(JsonNode::parse(&ok, 100).is_ok());
        assert!(JsonNode::parse(&ok, 99).is_err());
    }
}
