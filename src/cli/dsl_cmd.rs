//! `evpattern dsl`: a rule in the filter language to pattern JSON, or a pattern back to a rule.

use std::process::ExitCode;

use evpattern::dsl;
use evpattern::Pattern;

use super::input::read_argument;
use super::output::{output_failed, print};
use super::{compile_rule, TargetArg, EXIT_INVALID};

/// Arguments of `evpattern dsl`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  evpattern dsl 'source == \"aws.ec2\" and detail.state in [\"running\", \"stopped\"]'
  evpattern dsl --target eventbridge 'api CreateTenantUser and status 2xx'
  evpattern dsl file://rule.evp
  evpattern dsl --from-pattern file://pattern.json")]
pub struct Args {
    /// The rule: inline text, file://PATH, or - for standard input.
    #[arg(
        required_unless_present = "from_pattern",
        conflicts_with = "from_pattern"
    )]
    rule: Option<String>,

    /// Where the pattern will run: `local` sees SaaSus's detail.event decoded, `eventbridge`
    /// is AWS, where detail.event is a JSON string.
    #[arg(long, value_enum, default_value_t = TargetArg::Local)]
    target: TargetArg,

    /// Print this pattern (inline JSON, file://PATH or -) in the filter language instead.
    #[arg(long, value_name = "PATTERN")]
    from_pattern: Option<String>,
}

/// Runs the command: the result on standard output, warnings and errors on standard error.
pub fn run(args: Args) -> ExitCode {
    match execute(&args) {
        Ok(output) => match print(&format!("{output}\n")) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => output_failed("dsl", &error),
        },
        Err(message) => {
            report!("error: {message}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}

fn execute(args: &Args) -> Result<String, String> {
    if let Some(pattern) = &args.from_pattern {
        let text = read_argument(pattern, "the pattern")?;
        let pattern = Pattern::parse(&text).map_err(|e| e.to_string())?;
        return Ok(dsl::to_dsl(&pattern));
    }
    let rule = args.rule.as_deref().unwrap_or_default();
    let text = read_argument(rule, "the rule")?;
    Ok(compile_rule(&text, args.target)?.to_json())
}
