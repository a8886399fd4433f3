//! Opt-in decoding of JSON carried inside string fields.
//!
//! EventBridge never looks inside a string: `"detail": "{\"k\":\"v\"}"` does not match
//! `{"detail": {"k": ["v"]}}`, and that stays the default everywhere in this crate. Some
//! producers, SaaSus among them, put their payload in such a string, and local tooling often
//! wants to address it anyway (`detail.event.uri`). An [`EmbeddedJson`] lists the fields to
//! decode; the reference and the compiled matcher apply it identically:
//!
//! - A string leaf whose absolute dot-joined path is listed, and whose text is a JSON object
//!   or array, is replaced by that object or array before matching. The paths below it
//!   continue the field's path (`detail.event` + `uri` = `detail.event.uri`).
//! - Any other string at a listed path (not JSON, or a JSON scalar such as `"201"`) stays the
//!   string it was: a status code never turns into a number.
//! - Paths are applied after the decodings above them, so `detail.event.request_body` names a
//!   string inside the decoded `detail.event`.
//! - The decoded text counts towards the nesting-depth limit from the field's depth on.
//!
//! This is this project's extension; a pattern that relies on it will not match on AWS.

use std::fmt;

use crate::json::JsonNode;

/// Which string fields to decode as JSON before matching. The default decodes nothing.
///
/// ```
/// use evpattern::embedded::EmbeddedJson;
///
/// let decode = EmbeddedJson::none().with_path("detail.event");
/// assert!(decode.decodes("detail.event"));
/// assert!(!decode.decodes("detail"));
/// assert!(EmbeddedJson::none().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbeddedJson {
    paths: Vec<String>,
}

impl EmbeddedJson {
    /// Decodes nothing: AWS behaviour.
    pub fn none() -> EmbeddedJson {
        EmbeddedJson::default()
    }

    /// Also decodes the string field at `path` (absolute, dot-joined).
    pub fn with_path(mut self, path: impl Into<String>) -> EmbeddedJson {
        let path = path.into();
        if !self.paths.contains(&path) {
            self.paths.push(path);
        }
        self
    }

    /// Whether the string field at `path` is decoded.
    pub fn decodes(&self, path: &str) -> bool {
        self.paths.iter().any(|p| p == path)
    }

    /// The listed paths, in the order they were added.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Whether nothing is decoded.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The strings of `event` at listed paths whose text looks like JSON (it starts with `{`
    /// or `[`) but cannot be decoded, so stays a string, with why; decoded text nests at most
    /// `max_depth` levels in all, as in matching. Text that does not look like JSON (`"201"`,
    /// `"ok"`) is left a string by design and is not a failure.
    ///
    /// ```
    /// use evpattern::embedded::EmbeddedJson;
    /// use evpattern::json::JsonNode;
    ///
    /// let event = JsonNode::parse(r#"{"detail": {"event": "{\"uri\": \"/v1\","}}"#, 64).unwrap();
    /// let failures = evpattern::saasus::embedded_json().failures(&event, 64);
    /// assert_eq!(failures.len(), 1);
    /// assert_eq!(failures[0].path(), "detail.event");
    /// assert_eq!(
    ///     failures[0].to_string(),
    ///     "detail.event holds JSON text that cannot be decoded (EOF while parsing a value at line 1 column 14), so it stays a string"
    /// );
    /// ```
    pub fn failures(&self, event: &JsonNode, max_depth: usize) -> Vec<DecodeFailure> {
        let mut failures = Vec::new();
        if !self.is_empty() {
            self.find_failures(event, &mut Vec::new(), max_depth, &mut failures);
        }
        failures
    }

    /// [`EmbeddedJson::failures`] below `node`, at `path`, with `depth_left` levels left: the
    /// same walk as the reference's decoding.
    fn find_failures(
        &self,
        node: &JsonNode,
        path: &mut Vec<String>,
        depth_left: usize,
        failures: &mut Vec<DecodeFailure>,
    ) {
        match node {
            JsonNode::Object(members) => {
                for (key, child) in members {
                    path.push(key.clone());
                    self.find_failures(child, path, depth_left.saturating_sub(1), failures);
                    path.pop();
                }
            }
            JsonNode::Array(elements) => {
                for element in elements {
                    self.find_failures(element, path, depth_left.saturating_sub(1), failures);
                }
            }
            JsonNode::String(text) if !path.is_empty() && self.decodes(&path.join(".")) => {
                match JsonNode::parse(text, depth_left) {
                    Ok(inner @ (JsonNode::Object(_) | JsonNode::Array(_))) => {
                        self.find_failures(&inner, path, depth_left, failures)
                    }
                    Ok(_) => {}
                    Err(error) => {
                        if text.trim_start().starts_with(['{', '[']) {
                            failures.push(DecodeFailure {
                                path: path.join("."),
                                reason: error.to_string(),
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A string at a decoded path whose text looks like JSON but cannot be decoded: it is matched
/// as the string it is (see [`EmbeddedJson::failures`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeFailure {
    path: String,
    reason: String,
}

impl DecodeFailure {
    /// The string's path, dot-joined.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Why its text is not JSON, e.g. `EOF while parsing a value at line 1 column 14` (of the text).
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} holds JSON text that cannot be decoded ({}), so it stays a string",
            self.path, self.reason
        )
    }
}
