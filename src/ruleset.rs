//! Named rule sets as users keep them on disk: loading, naming and compiling them.
//!
//! Every front end (the command line's `match`, the local server, the Python package, lint and
//! coverage) loads rules one way, through [`RuleSet`]:
//!
//! - a **rules file**: a JSON object `{"rule name": pattern, ...}`, where a pattern is a JSON
//!   object or a string holding pattern JSON;
//! - a **rules directory**: every `*.json` file holds one pattern and every `*.evp` file one rule
//!   in the filter language ([`crate::dsl`], compiled for [`Target::Local`]), each named by its
//!   file name without the extension; other files and subdirectories are ignored;
//! - **inline rules** in the filter language, `NAME=EXPR` as the command line's `--rule` takes
//!   them.
//!
//! Rules come out sorted by name (byte order), and a name defined twice is an error. Warnings
//! (from the filter language, or an empty rule set) are returned, never printed: this module
//! does no I/O beyond reading the files it is pointed at.
//!
//! ```
//! use evpattern::ruleset::RuleSet;
//!
//! let mut rules = RuleSet::new();
//! rules.add_json_object(r#"{"ec2": {"source": ["aws.ec2"]}, "s3": "{\"source\": [\"aws.s3\"]}"}"#)?;
//! rules.add_inline("running=detail.state == \"running\"")?;
//! let names: Vec<&str> = rules.rules().iter().map(|rule| rule.name()).collect();
//! assert_eq!(names, ["ec2", "running", "s3"]);
//!
//! let matcher = rules.to_matcher();
//! assert_eq!(matcher.matches(br#"{"source": "aws.s3"}"#)?, [2]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::dsl::{DslError, Target};
use crate::matcher::Matcher;
use crate::pattern::{Pattern, PatternError};

/// Where a rule was defined, for messages that point the user back to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A member of a rules file (a JSON object of named patterns).
    File(PathBuf),
    /// One file of a rules directory.
    DirectoryEntry(PathBuf),
    /// A JSON object of named patterns given as text, not read from a file.
    Text,
    /// An inline filter-language rule (`NAME=EXPR`).
    Inline,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) | Origin::DirectoryEntry(path) => write!(f, "{}", path.display()),
            Origin::Text => f.write_str("the rules text"),
            Origin::Inline => f.write_str("--rule"),
        }
    }
}

/// The language a rule was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// EventBridge event-pattern JSON.
    Pattern,
    /// The filter language of [`crate::dsl`].
    Filter,
}

/// One named, compiled rule of a [`RuleSet`].
#[derive(Clone, Debug)]
pub struct Rule {
    name: String,
    pattern: Pattern,
    language: Language,
    source: String,
    origin: Origin,
}

impl Rule {
    /// The rule's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The compiled pattern.
    pub fn pattern(&self) -> &Pattern {
        &self.pattern
    }

    /// The language the rule was written in.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The rule's text as written (pattern JSON or filter-language text).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Where the rule was defined.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// Something worth telling the user about a rule set that still loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleWarning {
    /// The rule it concerns, or `None` for the set as a whole.
    pub rule: Option<String>,
    /// What to tell the user.
    pub message: String,
}

impl fmt::Display for RuleWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(name) => write!(f, "rule {}: {}", quote(name), self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a rule set could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum RuleSetError {
    /// A rules file or directory could not be read.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        error: std::io::Error,
    },
    /// A rules file or text is not a JSON object of rule name to pattern.
    NotAnObject {
        /// The file, or the rules text.
        origin: Origin,
        /// serde_json's reason.
        reason: String,
    },
    /// A rule file's name is not UTF-8, so it cannot name a rule.
    NameNotUtf8(PathBuf),
    /// An inline rule is not `NAME=EXPR`.
    InlineSyntax(String),
    /// A rule's pattern is invalid.
    Pattern {
        /// The rule's name.
        rule: String,
        /// Where it was defined.
        origin: Origin,
        /// AWS's reason.
        error: PatternError,
    },
    /// A rule's filter-language text is invalid.
    Filter {
        /// The rule's name.
        rule: String,
        /// Where it was defined.
        origin: Origin,
        /// The filter language's reason (boxed: it is much larger than the other variants).
        error: Box<DslError>,
    },
    /// A rules file holds a pattern string that is not a JSON string.
    BadPatternString {
        /// The rule's name.
        rule: String,
        /// serde_json's reason.
        reason: String,
    },
    /// Two rules have the same name.
    Duplicate {
        /// The name.
        rule: String,
        /// Where the first was defined.
        first: Origin,
        /// Where the second was defined.
        second: Origin,
    },
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleSetError::Io { path, error } => {
                write!(f, "cannot read rules from {}: {error}", path.display())
            }
            RuleSetError::NotAnObject { origin, reason } => write!(
                f,
                "cannot read rules from {origin}: expected a JSON object of rule name to pattern: {reason}"
            ),
            RuleSetError::NameNotUtf8(path) => {
                write!(f, "rule file name is not UTF-8: {}", path.display())
            }
            RuleSetError::InlineSyntax(argument) => write!(
                f,
                "--rule {}: expected NAME=EXPR, a rule name, '=' and the rule in the filter language",
                quote(argument)
            ),
            RuleSetError::Pattern { rule, error, .. } => write!(f, "rule {}: {error}", quote(rule)),
            RuleSetError::Filter { rule, error, .. } => write!(f, "rule {}: {error}", quote(rule)),
            RuleSetError::BadPatternString { rule, reason } => {
                write!(f, "rule {}: {reason}", quote(rule))
            }
            RuleSetError::Duplicate {
                rule,
                first,
                second,
            } => {
                let place = if first == second {
                    first.to_string()
                } else {
                    format!("{first} and {second}")
                };
                write!(f, "rule {} is defined more than once in {place}", quote(rule))
            }
        }
    }
}

impl std::error::Error for RuleSetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RuleSetError::Io { error, .. } => Some(error),
            RuleSetError::Pattern { error, .. } => Some(error),
            RuleSetError::Filter { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}

/// A set of named rules, each compiled to a [`Pattern`], sorted by name.
///
/// ```
/// use evpattern::ruleset::RuleSet;
///
/// let mut rules = RuleSet::new();
/// rules.add_inline("tenants=api CreateTenant and status 2xx")?;
/// assert_eq!(rules.len(), 1);
/// let error = rules.add_inline("tenants=detail.x == 1").unwrap_err();
/// assert_eq!(error.to_string(), r#"rule "tenants" is defined more than once in --rule"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    /// Sorted by name, names unique.
    rules: Vec<Rule>,
    warnings: Vec<RuleWarning>,
}

impl RuleSet {
    /// An empty rule set.
    pub fn new() -> RuleSet {
        RuleSet::default()
    }

    /// Loads a rules file, or a rules directory when `path` is one.
    ///
    /// ```
    /// let error = evpattern::ruleset::RuleSet::load("/no/such/rules.json").unwrap_err();
    /// assert!(error.to_string().starts_with("cannot read rules from /no/such/rules.json: "));
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<RuleSet, RuleSetError> {
        let mut set = RuleSet::new();
        set.add_path(path)?;
        Ok(set)
    }

    /// Adds the rules of a rules file, or of a rules directory when `path` is one.
    pub fn add_path(&mut self, path: impl AsRef<Path>) -> Result<(), RuleSetError> {
        let path = path.as_ref();
        if path.is_dir() {
            self.add_directory(path)
        } else {
            self.add_file(path)
        }
    }

    /// Adds the rules of a rules file: a JSON object `{"rule name": pattern, ...}`.
    pub fn add_file(&mut self, path: impl AsRef<Path>) -> Result<(), RuleSetError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| RuleSetError::Io {
            path: path.to_owned(),
            error,
        })?;
        self.add_members(&text, Origin::File(path.to_owned()))
    }

    /// Adds the rules of a JSON object `{"rule name": pattern, ...}` given as text.
    pub fn add_json_object(&mut self, text: &str) -> Result<(), RuleSetError> {
        self.add_members(text, Origin::Text)
    }

    /// Adds every `*.json` pattern and `*.evp` filter-language rule of a directory, each named
    /// by its file stem. Other files and subdirectories are ignored.
    pub fn add_directory(&mut self, dir: impl AsRef<Path>) -> Result<(), RuleSetError> {
        let dir = dir.as_ref();
        let io_error = |error| RuleSetError::Io {
            path: dir.to_owned(),
            error,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io_error)? {
            let path = entry.map_err(io_error)?.path();
            let language = match path.extension().and_then(|e| e.to_str()) {
                Some("json") => Language::Pattern,
                Some("evp") => Language::Filter,
                _ => continue,
            };
            if path.is_dir() {
                continue;
            }
            files.push((path, language));
        }
        // Read in name order, so which of two clashing files is "first" does not depend on
        // the order the file system lists them in.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, language) in files {
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                return Err(RuleSetError::NameNotUtf8(path));
            };
            let name = name.to_owned();
            let text = std::fs::read_to_string(&path).map_err(|error| RuleSetError::Io {
                path: path.clone(),
                error,
            })?;
            self.add_text(name, language, text, Origin::DirectoryEntry(path))?;
        }
        Ok(())
    }

    /// Adds one filter-language rule written `NAME=EXPR`, as the command line's `--rule`.
    pub fn add_inline(&mut self, argument: &str) -> Result<(), RuleSetError> {
        match argument.split_once('=') {
            // In `a == 1` the first '=' is the operator's: there is no name.
            Some((name, expr)) if !name.trim().is_empty() && !expr.starts_with('=') => self
                .add_text(
                    name.trim().to_owned(),
                    Language::Filter,
                    expr.to_owned(),
                    Origin::Inline,
                ),
            _ => Err(RuleSetError::InlineSyntax(argument.to_owned())),
        }
    }

    /// Adds one rule from its text in the given language.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        language: Language,
        text: impl Into<String>,
    ) -> Result<(), RuleSetError> {
        self.add_text(name.into(), language, text.into(), Origin::Text)
    }

    /// The rules, sorted by name.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule of that name.
    pub fn get(&self, name: &str) -> Option<&Rule> {
        self.position(name).ok().map(|i| &self.rules[i])
    }

    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// What the user should hear about the rules: the filter language's warnings, rule by
    /// rule in name order, and a warning when the set holds no rule at all.
    pub fn warnings(&self) -> Vec<RuleWarning> {
        let mut warnings = self.warnings.clone();
        warnings.sort_by(|a, b| a.rule.cmp(&b.rule));
        if self.rules.is_empty() {
            warnings.push(RuleWarning {
                rule: None,
                message: String::from("the rule set holds no rule: no event will match"),
            });
        }
        warnings
    }

    /// One matcher of every rule, keyed by the rule's index in [`RuleSet::rules`]; since the
    /// rules are sorted by name, the matcher's answers come out sorted by name too.
    pub fn to_matcher(&self) -> Matcher<u32> {
        let mut matcher = Matcher::new();
        self.add_to(&mut matcher);
        matcher
    }

    /// Adds every rule to `matcher`, keyed by its index in [`RuleSet::rules`].
    pub fn add_to(&self, matcher: &mut Matcher<u32>) {
        for (index, rule) in self.rules.iter().enumerate() {
            let key = u32::try_from(index).unwrap_or(u32::MAX);
            matcher.add_pattern(key, rule.pattern.clone());
        }
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.rules
            .binary_search_by(|rule| rule.name.as_str().cmp(name))
    }

    fn add_members(&mut self, text: &str, origin: Origin) -> Result<(), RuleSetError> {
        let RuleMembers(members) =
            serde_json::from_str(text).map_err(|e| RuleSetError::NotAnObject {
                origin: origin.clone(),
                reason: e.to_string(),
            })?;
        for (name, raw) in members {
            let raw = raw.get();
            let text = if raw.starts_with('"') {
                serde_json::from_str::<String>(raw).map_err(|e| RuleSetError::BadPatternString {
                    rule: name.clone(),
                    reason: e.to_string(),
                })?
            } else {
                raw.to_owned()
            };
            self.add_text(name, Language::Pattern, text, origin.clone())?;
        }
        Ok(())
    }

    fn add_text(
        &mut self,
        name: String,
        language: Language,
        source: String,
        origin: Origin,
    ) -> Result<(), RuleSetError> {
        let slot = match self.position(&name) {
            Ok(existing) => {
                return Err(RuleSetError::Duplicate {
                    rule: name,
                    first: self.rules[existing].origin.clone(),
                    second: origin,
                })
            }
            Err(slot) => slot,
        };
        let pattern = match language {
            Language::Pattern => {
                Pattern::parse(&source).map_err(|error| RuleSetError::Pattern {
                    rule: name.clone(),
                    origin: origin.clone(),
                    error,
                })?
            }
            Language::Filter => {
                let compiled = crate::saasus::compile(&source, Target::Local).map_err(|error| {
                    RuleSetError::Filter {
                        rule: name.clone(),
                        origin: origin.clone(),
                        error: Box::new(error),
                    }
                })?;
                self.warnings
                    .extend(compiled.warnings.iter().map(|warning| RuleWarning {
                        rule: Some(name.clone()),
                        message: warning.to_string(),
                    }));
                compiled.pattern
            }
        };
        self.rules.insert(
            slot,
            Rule {
                name,
                pattern,
                language,
                source,
                origin,
            },
        );
        Ok(())
    }
}

/// A string as JSON text.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

/// The members of the rules object in order, duplicates kept, values as raw JSON text.
struct RuleMembers(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for RuleMembers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(Members).map(RuleMembers)
    }
}

/// The members of a JSON object in order, duplicates kept, values as raw text.
struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<(String, Box<RawValue>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of rule name to pattern")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
            members.push(member);
        }
        Ok(members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("evpattern-ruleset-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_rules_file_keeps_names_and_sorts_them() {
        let dir = temp_dir("file");
        let file = dir.join("rules.json");
        std::fs::write(
            &file,
            r#"{"b": {"source": ["x"]}, "a": "{\"source\": [\"y\"]}"}"#,
        )
        .unwrap();
        let set = RuleSet::load(&file).unwrap();
        let names: Vec<&str> = set.rules().iter().map(Rule::name).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(
            set.get("a").unwrap().pattern().to_json(),
            r#"{"source":["y"]}"#
        );
        assert_eq!(set.get("b").unwrap().origin(), &Origin::File(file.clone()));
        assert!(set.warnings().is_empty());
    }

    #[test]
    fn a_duplicate_member_of_a_rules_file_is_an_error() {
        let mut set = RuleSet::new();
        let error = set
            .add_json_object(r#"{"a": {"x": [1]}, "a": {"x": [2]}}"#)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"rule "a" is defined more than once in the rules text"#
        );
    }

    #[test]
    fn a_rules_directory_reads_json_and_evp_and_ignores_the_rest() {
        let dir = temp_dir("dir");
        std::fs::write(dir.join("one.json"), r#"{"source": ["aws.ec2"]}"#).unwrap();
        std::fs::write(dir.join("two.evp"), "detail.n > 5").unwrap();
        std::fs::write(dir.join("notes.txt"), "not a rule").unwrap();
        std::fs::create_dir_all(dir.join("sub.json")).unwrap();
        let set = RuleSet::load(&dir).unwrap();
        let names: Vec<&str> = set.rules().iter().map(Rule::name).collect();
        assert_eq!(names, ["one", "two"]);
        assert_eq!(set.get("two").unwrap().language(), Language::Filter);
        let matcher = set.to_matcher();
        assert_eq!(
            matcher
                .matches(br#"{"source":"aws.ec2","detail":{"n":6}}"#)
                .unwrap(),
            [0, 1]
        );
    }

    #[test]
    fn a_json_and_an_evp_file_of_one_stem_clash() {
        let dir = temp_dir("clash");
        std::fs::write(dir.join("r.json"), r#"{"source": ["a"]}"#).unwrap();
        std::fs::write(dir.join("r.evp"), r#"source == "b""#).unwrap();
        let error = RuleSet::load(&dir).unwrap_err();
        let (first, second) = (dir.join("r.evp"), dir.join("r.json"));
        assert_eq!(
            error.to_string(),
            format!(
                "rule \"r\" is defined more than once in {} and {}",
                first.display(),
                second.display()
            )
        );
    }

    #[test]
    fn errors_name_the_rule_and_keep_aws_wording() {
        let mut set = RuleSet::new();
        let error = set.add_json_object(r#"{"bad": {"x": []}}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"rule "bad": Event pattern is not valid. Reason: Empty arrays are not allowed"#
        );
        assert!(matches!(error, RuleSetError::Pattern { .. }));
        let error = set.add_inline("f=detail.x == (").unwrap_err();
        assert!(matches!(error, RuleSetError::Filter { .. }), "{error}");
        assert!(error.to_string().starts_with(r#"rule "f": "#), "{error}");
        let error = set.add_json_object("[1]").unwrap_err();
        assert!(error
            .to_string()
            .starts_with("cannot read rules from the rules text: expected a JSON object"));
        // A failed rule leaves the set as it was.
        assert!(set.is_empty());
    }

    #[test]
    fn inline_rules_need_a_name() {
        let mut set = RuleSet::new();
        for argument in ["a == 1", "=x == 1", "  =x", "no equals sign"] {
            let error = set.add_inline(argument).unwrap_err();
            assert!(matches!(error, RuleSetError::InlineSyntax(_)), "{argument}");
        }
        set.add_inline(" spaced = detail.x == 1").unwrap();
        assert_eq!(set.rules()[0].name(), "spaced");
    }

    #[test]
    fn warnings_are_returned_not_printed() {
        let mut set = RuleSet::new();
        assert_eq!(
            set.warnings(),
            [RuleWarning {
                rule: None,
                message: String::from("the rule set holds no rule: no event will match"),
            }]
        );
        set.add("x", Language::Pattern, r#"{"a": [1]}"#).unwrap();
        assert!(set.warnings().is_empty());
    }
}
