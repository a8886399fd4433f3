//! JSON text to a plain tree that keeps what `serde_json::Value` loses: duplicate object keys
//! (in order) and the exact text of numbers.
//!
//! The pattern parser needs both (duplicate keys: last wins; number literals that do not
//! round-trip through a double match only their own text) and so does the reference matcher
//! (every value of a duplicated event key counts). Tokenising, unescaping and UTF-8 checks are
//! serde_json's, in one pass. serde_json reads numbers as doubles (and refuses `1e999`), so
//! before that pass every number token is set aside and stood in for by `0` padded with
//! spaces to the same length: the text keeps its shape and its error positions, and the tree
//! gets the numbers back in document order.
//!
//! Depth is bounded by an explicit limit, checked in one pass before anything is built, so
//! no input can overflow the stack.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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
        if nests_deeper_than(text, max_depth) {
            return Err(JsonError::TooDeep(max_depth));
        }
        let (masked, numbers) = set_numbers_aside(text);
        let mut numbers = numbers.into_iter();
        let mut deserializer = serde_json::Deserializer::from_str(&masked);
        // The depth was checked above; serde_json's own guard would stop at 128 levels.
        deserializer.disable_recursion_limit();
        let node = NodeSeed {
            numbers: &mut numbers,
        }
        .deserialize(&mut deserializer)
        .map_err(syntax)?;
        deserializer.end().map_err(syntax)?;
        Ok(node)
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

/// `text` with every JSON number token outside strings replaced by `0` and spaces of the same
/// length, and the tokens in document order.
///
/// Only tokens that are JSON numbers are replaced, so the masked text is valid JSON exactly
/// when `text` is, with the same structure: a replaced number is still a number, followed by
/// whitespace. String boundaries are found as JSON defines them (a backslash escapes the next
/// byte); where that differs from serde_json's reading the text is not JSON and serde_json
/// refuses it either way, since masking touches neither quotes nor backslashes.
fn set_numbers_aside(text: &str) -> (String, Vec<String>) {
    let bytes = text.as_bytes();
    let mut masked = String::with_capacity(text.len());
    let mut numbers = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    let mut in_string = false;
    while let Some(&byte) = bytes.get(i) {
        if in_string {
            match byte {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                {
                    i += 1;
                }
                let token = &text[start..i];
                // IgnoredAny checks number grammar without converting, so `1e999` passes.
                if serde_json::from_str::<IgnoredAny>(token).is_ok() {
                    masked.push_str(&text[copied..start]);
                    masked.push('0');
                    masked.extend(std::iter::repeat_n(' ', token.len() - 1));
                    copied = i;
                    numbers.push(token.to_owned());
                }
            }
            _ => i += 1,
        }
    }
    masked.push_str(&text[copied..]);
    (masked, numbers)
}

/// Reads one value, taking the text of each number from the numbers set aside.
struct NodeSeed<'n> {
    numbers: &'n mut std::vec::IntoIter<String>,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = JsonNode;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<JsonNode, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl NodeSeed<'_> {
    /// The next number set aside. Every number serde_json reads is a stand-in `0`, so there
    /// always is one; running out would mean the masking and the reading disagree.
    fn number<E: de::Error>(self) -> Result<JsonNode, E> {
        self.numbers
            .next()
            .map(JsonNode::Number)
            .ok_or_else(|| E::custom("a number without its text"))
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = JsonNode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonNode, E> {
        Ok(JsonNode::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<JsonNode, E> {
        Ok(JsonNode::Bool(b))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<JsonNode, E> {
        self.number()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonNode, E> {
        self.number()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonNode, E> {
        self.number()
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<JsonNode, E> {
        Ok(JsonNode::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<JsonNode, E> {
        Ok(JsonNode::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(NodeSeed {
            numbers: &mut *self.numbers,
        })? {
            items.push(item);
        }
        Ok(JsonNode::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonNode, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(NodeSeed {
                numbers: &mut *self.numbers,
            })?;
            members.push((key, value));
        }
        Ok(JsonNode::Object(members))
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
    fn numbers_are_set_aside_only_outside_strings() {
        let text = r#"{"1e5": "-2 and 3.5", "n": [-0.5e-3, 12345678901234567890123, 1E+2]}"#;
        assert_eq!(
            JsonNode::parse(text, 8).unwrap().to_string(),
            r#"{"1e5":"-2 and 3.5","n":[-0.5e-3,12345678901234567890123,1E+2]}"#
        );
        let (masked, numbers) = set_numbers_aside(r#"["\"1", 10, "x\\", 2e9]"#);
        assert_eq!(masked, r#"["\"1", 0 , "x\\", 0  ]"#);
        assert_eq!(numbers, ["10", "2e9"]);
    }

    #[test]
    fn bad_numbers_stay_bad() {
        for bad in [
            "[01]", "[1.]", "[-]", "[1e]", "[+1]", "[.5]", "[1 2]", "[--1]", "[0x1]",
        ] {
            assert!(
                matches!(JsonNode::parse(bad, 8), Err(JsonError::Syntax(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_deep_document_around_a_large_string_is_read_once() {
        // Read level by level (as this reader once did), 200 levels around a 2 MB string
        // cost 400 MB of scanning, about 10 s in a debug build; in one pass it is read once.
        let big = "x".repeat(2 << 20);
        let text = format!("{}\"{big}\"{}", "[".repeat(200), "]".repeat(200));
        let mut node = JsonNode::parse(&text, 256).unwrap();
        for _ in 0..200 {
            let JsonNode::Array(mut items) = node else {
                panic!("an array")
            };
            node = items.pop().unwrap();
        }
        assert_eq!(node, JsonNode::String(big));
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
