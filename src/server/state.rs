//! Buses, rules and targets: the model, its one compiled matcher per bus, and the state file
//! that keeps them across restarts.
//!
//! The state is one JSON document, `state.json` in the data directory, rewritten whole after
//! every change: written to `state.json.tmp`, flushed to disk, renamed over `state.json`, and
//! the directory flushed. A rename is atomic, so a crash leaves either the old state or the
//! new one, never a torn file. The state is small (buses, rules, targets; no events), changes
//! are rare next to events, and this needs no embedded database with its own file format.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::matcher::SharedMatcher;

use super::transform::InputForm;

/// The bus every region has.
pub const DEFAULT_BUS: &str = "default";
/// `ENABLED`.
pub const ENABLED: &str = "ENABLED";
/// `DISABLED`.
pub const DISABLED: &str = "DISABLED";

/// A rule's target as `PutTargets` gave it, with its input form read once.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Target {
    /// The target as given (`Id`, `Arn`, `Input`, …), answered back by `ListTargetsByRule`.
    pub definition: serde_json::Value,
    /// How its input is formed (derived from `definition`).
    #[serde(skip, default = "event_form")]
    pub form: InputForm,
}

fn event_form() -> InputForm {
    InputForm::Event
}

impl Target {
    /// The target's `Id`.
    pub fn id(&self) -> &str {
        self.definition["Id"].as_str().unwrap_or("")
    }

    /// The target's `Arn`.
    pub fn arn(&self) -> &str {
        self.definition["Arn"].as_str().unwrap_or("")
    }
}

/// A rule.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Rule {
    /// Its name.
    pub name: String,
    /// The event pattern, as given.
    pub pattern: String,
    /// [`ENABLED`] or [`DISABLED`].
    pub state: String,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `RoleArn`, kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Its targets, in the order they were first put.
    #[serde(default)]
    pub targets: Vec<Target>,
}

impl Rule {
    /// Whether the rule is enabled (then, and only then, it is in its bus's matcher).
    pub fn enabled(&self) -> bool {
        self.state == ENABLED
    }
}

/// An event bus.
#[derive(Debug, Serialize, Deserialize)]
pub struct Bus {
    /// Its name.
    pub name: String,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For a partner bus, the partner event source it receives from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_name: Option<String>,
    /// Creation time, seconds since the epoch.
    #[serde(default)]
    pub created: i64,
    /// The rules, by name.
    #[serde(default)]
    pub rules: BTreeMap<String, Rule>,
    /// Every enabled rule of the bus, compiled together (derived from `rules`).
    #[serde(skip)]
    pub matcher: Arc<SharedMatcher<String>>,
}

impl Bus {
    /// A new bus without rules.
    pub fn new(name: &str, created: i64) -> Bus {
        Bus {
            name: name.to_owned(),
            description: None,
            event_source_name: None,
            created,
            rules: BTreeMap::new(),
            matcher: Arc::default(),
        }
    }
}

/// What one region holds.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Region {
    /// The buses, by name; [`DEFAULT_BUS`] is created on first use.
    #[serde(default)]
    pub buses: BTreeMap<String, Bus>,
}

/// Everything the control plane knows.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// By region name.
    #[serde(default)]
    pub regions: BTreeMap<String, Region>,
}

impl State {
    /// The region, created (with its default bus) if it is new.
    pub fn region_mut(&mut self, region: &str, now: i64) -> &mut Region {
        let region = self.regions.entry(region.to_owned()).or_default();
        region
            .buses
            .entry(DEFAULT_BUS.to_owned())
            .or_insert_with(|| Bus::new(DEFAULT_BUS, now));
        region
    }

    /// The bus, if it exists (the default bus always does).
    pub fn bus(&self, region: &str, bus: &str) -> Option<&Bus> {
        self.regions.get(region).and_then(|r| r.buses.get(bus))
    }
}

/// Why the state file could not be read or written.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// The state file in the data directory.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store of data directory `dir`.
    pub fn new(dir: &Path) -> Store {
        Store {
            dir: dir.to_owned(),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    /// Loads the state (empty if there is no file yet) and rebuilds every bus's matcher and
    /// every target's input form.
    pub fn load(&self) -> Result<State, StoreError> {
        let path = self.path();
        let mut state: State = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| StoreError(format!("{}: {e}", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::default(),
            Err(e) => return Err(StoreError(format!("{}: {e}", path.display()))),
        };
        for region in state.regions.values_mut() {
            for bus in region.buses.values_mut() {
                for rule in bus.rules.values_mut() {
                    for target in &mut rule.targets {
                        target.form = InputForm::from_target(&target.definition)
                            .map_err(|e| StoreError(format!("rule {}: {e}", rule.name)))?;
                    }
                }
                let matcher = bus.matcher.clone();
                matcher
                    .update(|m| {
                        for rule in bus.rules.values().filter(|r| r.enabled()) {
                            m.add_rule(rule.name.clone(), &rule.pattern)?;
                        }
                        Ok::<(), crate::PatternError>(())
                    })
                    .map_err(|e| StoreError(format!("bus {}: {e}", bus.name)))?;
            }
        }
        Ok(state)
    }

    /// Writes the state's bytes (as [`serialize`] made them) atomically.
    pub fn save(&self, bytes: &[u8]) -> Result<(), StoreError> {
        let io = |e: std::io::Error| StoreError(format!("saving state: {e}"));
        let tmp = self.dir.join("state.json.tmp");
        let mut file = fs::File::create(&tmp).map_err(io)?;
        file.write_all(bytes).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        fs::rename(&tmp, self.path()).map_err(io)?;
        sync_dir(&self.dir).map_err(io)
    }
}

/// The state as the bytes of its file.
pub fn serialize(state: &State) -> Vec<u8> {
    // Serializing maps of strings and plain values cannot fail.
    serde_json::to_vec_pretty(state).unwrap_or_default()
}

/// Flushes a directory, so that a rename or a new file in it survives a crash.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}
