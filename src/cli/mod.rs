//! The command line: argument parsing, I/O and formatting only. Every decision about patterns
//! and events is the library's.

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use evpattern::dsl::Target;
use evpattern::ruleset::RuleSet;
use evpattern::Pattern;

/// `eprintln!` that never panics: a line on standard error, dropped if it cannot be written.
macro_rules! report {
    ($($arg:tt)*) => {
        $crate::cli::output::report_line(format_args!($($arg)*))
    };
}

mod coverage_cmd;
mod dsl_cmd;
mod input;
mod limits;
mod lines;
mod lint_cmd;
mod match_cmd;
mod output;
#[cfg(feature = "server")]
mod serve_cmd;
mod test_cmd;

/// Exit status when the command ran and the answer is "yes" (a match).
pub const EXIT_MATCH: u8 = 0;
/// Exit status when the command ran and the answer is "no" (no match).
pub const EXIT_NO_MATCH: u8 = 1;
/// Exit status for invalid input: a bad pattern, event, rule file or argument.
pub const EXIT_INVALID: u8 = 2;

#[derive(Parser)]
#[command(
    name = "evpattern",
    version,
    about = "Amazon EventBridge event patterns: test, match at scale, and write them in a filter language",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Test one event against one pattern, as `aws events test-event-pattern` does.
    Test(test_cmd::Args),
    /// Match a stream of NDJSON events against a set of rules.
    Match(match_cmd::Args),
    /// Compile the filter language to a pattern, or print a pattern in the filter language.
    Dsl(dsl_cmd::Args),
    /// Report rules that can never do what their author meant.
    Lint(lint_cmd::Args),
    /// Which rules fire on a corpus of events, and why the others never do.
    Coverage(coverage_cmd::Args),
    /// Run a local EventBridge that AWS clients talk to, routing events to local targets.
    #[cfg(feature = "server")]
    Serve(serve_cmd::Args),
    /// Send SaaSus's test events (or a generated API-call event) to a local `evpattern serve`.
    #[cfg(feature = "server")]
    SendSaasus(serve_cmd::SendArgs),
}

/// Where a rule written in the filter language will run (`--target`).
#[derive(clap::ValueEnum, Clone, Copy, Default)]
pub enum TargetArg {
    /// A matcher that sees SaaSus's detail.event decoded (evpattern with --saasus).
    #[default]
    Local,
    /// Amazon EventBridge, where detail.event is a JSON-encoded string.
    Eventbridge,
}

impl From<TargetArg> for Target {
    fn from(target: TargetArg) -> Target {
        match target {
            TargetArg::Local => Target::Local,
            TargetArg::Eventbridge => Target::EventBridge,
        }
    }
}

/// The rules of `--rules` (when given) and of every `--rule`, as `match` and `coverage` read
/// them, with the rule set's warnings on standard error.
pub fn load_rules(path: Option<&Path>, inline: &[String]) -> Result<RuleSet, String> {
    let mut rules = RuleSet::new();
    if let Some(path) = path {
        rules.add_path(path).map_err(|e| e.to_string())?;
    }
    for rule in inline {
        rules.add_inline(rule).map_err(|e| e.to_string())?;
    }
    for warning in rules.warnings() {
        report!("warning: {warning}");
    }
    Ok(rules)
}

/// Compiles a rule in the filter language, its warnings on standard error.
pub fn compile_rule(text: &str, target: TargetArg) -> Result<Pattern, String> {
    let compiled = evpattern::saasus::compile(text, target.into()).map_err(|e| e.to_string())?;
    for warning in &compiled.warnings {
        report!("warning: {warning}");
    }
    Ok(compiled.pattern)
}

/// Parses the arguments and runs the chosen command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version go to standard output, whose failure is any output's.
            let printed = e.print();
            if !e.use_stderr() {
                if let Err(error) = printed {
                    return output::output_failed("--help", &error);
                }
                return ExitCode::SUCCESS;
            }
            return ExitCode::from(EXIT_INVALID);
        }
    };
    match cli.command {
        Command::Test(args) => test_cmd::run(args),
        Command::Match(args) => match_cmd::run(args),
        Command::Dsl(args) => dsl_cmd::run(args),
        Command::Lint(args) => lint_cmd::run(args),
        Command::Coverage(args) => coverage_cmd::run(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve_cmd::run(args),
        #[cfg(feature = "server")]
        Command::SendSaasus(args) => serve_cmd::send(args),
    }
}
