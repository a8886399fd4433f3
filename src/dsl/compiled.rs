//! What compiling a rule gives, and for where: the [`Target`], the [`Warning`]s and the
//! [`Compiled`] pattern.

use std::fmt;

use crate::pattern::Pattern;

/// Where the compiled pattern will run; it decides how selectors (SaaSus's) are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// A matcher that sees SaaSus's `detail.event` decoded (as an object): selectors test
    /// `detail.event.request_method`, `detail.event.uri` and `detail.event.http_status`.
    #[default]
    Local,
    /// Amazon EventBridge itself, where `detail.event` is a JSON-encoded string: selectors
    /// become a `wildcard` on that string (or `detail.event_type` where it is known).
    EventBridge,
}

/// Something worth knowing about a compiled rule that does not stop it from compiling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    message: String,
}

impl Warning {
    pub(crate) fn new(message: impl Into<String>) -> Warning {
        Warning {
            message: message.into(),
        }
    }

    /// The warning's text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A compiled rule: the pattern and what the compiler wants you to know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Compiled {
    /// The EventBridge pattern.
    pub pattern: Pattern,
    /// Warnings, in the order they arose; the library never prints them.
    pub warnings: Vec<Warning>,
}
