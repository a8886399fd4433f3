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

    /// The SaaSus Platform preset: `detail.event` and, inside it, `request_body` and
    /// `response_body`, which SaaSus sends as JSON-encoded strings.
    ///
    /// ```
    /// use evpattern::embedded::EmbeddedJson;
    ///
    /// assert!(EmbeddedJson::saasus().decodes("detail.event.request_body"));
    /// ```
    pub fn saasus() -> EmbeddedJson {
        crate::saasus::EMBEDDED_JSON_FIELDS
            .iter()
            .fold(EmbeddedJson::none(), |decode, path| decode.with_path(*path))
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
}
