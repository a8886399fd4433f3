//! `evpattern lint`: the findings of [`evpattern::lint`] over a rule set, one per line.

use std::path::PathBuf;
use std::process::ExitCode;

use evpattern::lint::{lint, Severity};
use evpattern::ruleset::RuleSet;

use super::output::{output_failed, print};
use super::{EXIT_INVALID, EXIT_NO_MATCH};

/// Arguments of `evpattern lint`.
#[derive(clap::Args)]
#[command(group(
    clap::ArgGroup::new("rule_sources")
        .args(["rules", "rule"])
        .required(true)
        .multiple(true)
))]
#[command(after_help = "\
Reads rules as `evpattern match` does (--rules FILE or DIR, --rule NAME=EXPR) and prints one
line per finding on standard output:
  SEVERITY: WHERE: rule \"NAME\"[: PATH]: MESSAGE [CHECK]

Checks: unsatisfiable (error; a field both absent and present, or a dead $or branch as a
warning), duplicate (two rules of the same meaning), saasus-string (a test inside SaaSus's
detail.event, which EventBridge sees as a string), saasus-field (a field no SaaSus event
carries, in a rule about SaaSus events), near-limit (pattern size or $or combinations near
EventBridge's limits).

Exit status: 0 no finding, 1 warnings only, 2 an error finding or an invalid rule set.")]
pub struct Args {
    /// Rules: a JSON file of named patterns, or a directory of *.json and *.evp files.
    #[arg(long, value_name = "RULES")]
    rules: Option<PathBuf>,
    /// A rule in the filter language, named NAME (repeatable).
    #[arg(long, value_name = "NAME=EXPR")]
    rule: Vec<String>,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let mut rules = RuleSet::new();
    let loaded = args
        .rules
        .iter()
        .try_for_each(|path| rules.add_path(path))
        .and_then(|()| args.rule.iter().try_for_each(|rule| rules.add_inline(rule)));
    if let Err(error) = loaded {
        report!("evpattern lint: {error}");
        return ExitCode::from(EXIT_INVALID);
    }
    for warning in rules.warnings() {
        report!("warning: {warning}");
    }
    let findings = lint(&rules);
    let text: String = findings.iter().map(|f| format!("{f}\n")).collect();
    if let Err(error) = print(&text) {
        return output_failed("lint", &error);
    }
    match findings.iter().map(|f| f.severity).max() {
        None => ExitCode::SUCCESS,
        Some(Severity::Warning) => ExitCode::from(EXIT_NO_MATCH),
        Some(Severity::Error) => ExitCode::from(EXIT_INVALID),
    }
}
