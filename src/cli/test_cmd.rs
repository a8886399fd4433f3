//! `evpattern test`: one event against one pattern, as `aws events test-event-pattern`.

use std::process::ExitCode;

use evpattern::aws::{
    explain_event_pattern_with, test_event_pattern_with, MANDATORY_EVENT_FIELDS, VALIDATION,
};
use evpattern::embedded::EmbeddedJson;
use evpattern::json::JsonNode;
use evpattern::{EventErrorKind, DEFAULT_MAX_DEPTH};

use super::input::{read_argument, read_argument_limited};
use super::limits::EventLimits;
use super::output::{output_failed, print, report_text};
use super::{compile_rule, TargetArg, EXIT_INVALID, EXIT_MATCH, EXIT_NO_MATCH};

/// Arguments of `evpattern test`.
#[derive(clap::Args)]
#[command(group(
    clap::ArgGroup::new("pattern_source")
        .args(["event_pattern", "rule"])
        .required(true)
))]
#[command(after_help = "\
Each of PATTERN, RULE and EVENT is inline text, file://PATH, or - for standard input (at most
one of them).

Prints {\"Result\": true} or {\"Result\": false} as `aws events test-event-pattern` does, and
checks what that API checks: the pattern's validity and its 4096-character limit, and that the
event is a JSON object with id, account, source, time, region and detail-type. A --rule is
compiled to a pattern first, which then goes through the same checks.

With --explain, stderr also says which conditions failed and what the event holds there, and
for an event AWS calls not valid, why (where its JSON breaks, or which envelope fields lack).

The event is refused (status 2) when it is longer than --max-event-size or nests deeper than
--max-depth, as `evpattern match` refuses such a line.

Exit status: 0 match, 1 no match, 2 invalid pattern, event or arguments (error on stderr, e.g.
`InvalidEventPatternException: Event pattern is not valid. Reason: ...`).

Examples:
  evpattern test --event-pattern '{\"source\":[\"aws.ec2\"]}' --event file://event.json
  evpattern test --saasus --rule 'api CreateTenant and status 2xx' --event file://event.json")]
pub struct Args {
    /// The event pattern: inline JSON, file://PATH, or - for stdin.
    #[arg(
        long = "event-pattern",
        value_name = "PATTERN",
        conflicts_with = "rule"
    )]
    event_pattern: Option<String>,
    /// A rule in the filter language instead of a pattern (see `evpattern dsl --help`).
    #[arg(long, value_name = "RULE")]
    rule: Option<String>,
    /// Where the --rule will run; `local` addresses SaaSus's decoded detail.event.
    #[arg(long, value_enum)]
    target: Option<TargetArg>,
    /// The event: inline JSON, file://PATH, or - for stdin.
    #[arg(long, value_name = "EVENT")]
    event: String,
    /// Decode SaaSus's JSON-in-a-string fields (detail.event and its request and response
    /// bodies) before matching. AWS never does this; it lets local rules address
    /// detail.event.uri.
    #[arg(long)]
    saasus: bool,
    /// Also explain on stderr which conditions the event satisfies and which it does not.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    limits: EventLimits,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let (pattern, event) = match inputs(&args) {
        Ok(inputs) => inputs,
        Err(message) => {
            report!("evpattern test: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let decode = if args.saasus {
        evpattern::saasus::embedded_json()
    } else {
        EmbeddedJson::none()
    };
    if args.saasus && !args.explain {
        // --explain says the same in its notes.
        if let Ok(tree) = JsonNode::parse(&event, DEFAULT_MAX_DEPTH) {
            for failure in decode.failures(&tree, DEFAULT_MAX_DEPTH) {
                report!("warning: {failure}");
            }
        }
    }
    let verdict = if args.explain {
        explain_event_pattern_with(&event, &pattern, &decode).map(|why| {
            report_text(&why.to_string());
            why.matched()
        })
    } else {
        test_event_pattern_with(&event, &pattern, &decode)
    };
    match verdict {
        Ok(matched) => {
            if let Err(error) = print(&format!("{{\"Result\": {matched}}}\n")) {
                return output_failed("test", &error);
            }
            ExitCode::from(if matched { EXIT_MATCH } else { EXIT_NO_MATCH })
        }
        Err(error) => {
            report!("{}: {}", error.code(), error.message());
            if args.explain && error.code() == VALIDATION {
                report!("reason: {}", event_fault(&event, &args.limits));
            }
            ExitCode::from(EXIT_INVALID)
        }
    }
}

/// The pattern JSON (compiled from the rule when one is given) and the event text.
fn inputs(args: &Args) -> Result<(String, String), String> {
    let sources = [
        args.event_pattern.as_deref(),
        args.rule.as_deref(),
        Some(&args.event),
    ];
    if args.target.is_some() && args.rule.is_none() {
        // Checked here: clap's `requires` lets it through beside --event-pattern.
        return Err(
            "--target says where a --rule will run; a --event-pattern is tested as it is".into(),
        );
    }
    if sources.iter().filter(|s| **s == Some("-")).count() > 1 {
        return Err("only one of the inputs can be - (stdin)".into());
    }
    let pattern = match (&args.event_pattern, &args.rule) {
        (Some(pattern), _) => read_argument(pattern, "the event pattern")?,
        (None, Some(rule)) => compile_rule(
            &read_argument(rule, "the rule")?,
            args.target.unwrap_or_default(),
        )?
        .to_json(),
        (None, None) => return Err("give --event-pattern or --rule".into()),
    };
    let event = read_argument_limited(&args.event, "the event", args.limits.max_event_size())?;
    // The limits are this tool's, not AWS's: an event beyond them is refused in their words.
    // Any other fault of the event is left for AWS's checks to word.
    if let Err(error) = args.limits.check(event.as_bytes()) {
        match error.kind() {
            EventErrorKind::TooDeep(_) => {
                return Err(format!("the event is refused by --max-depth: {error}"))
            }
            EventErrorKind::TooLarge(_) => {
                return Err(format!("the event is refused by --max-event-size: {error}"))
            }
            _ => {}
        }
    }
    Ok((pattern, event))
}

/// Why AWS would call `event` not valid, which AWS does not say: where its JSON breaks, or
/// what it lacks of the envelope `TestEventPattern` requires.
fn event_fault(event: &str, limits: &EventLimits) -> String {
    if let Err(error) = limits.check(event.as_bytes()) {
        return format!("the event is not valid JSON: {error}");
    }
    match serde_json::from_str::<serde_json::Value>(event) {
        Ok(serde_json::Value::Object(fields)) => {
            let missing: Vec<&str> = MANDATORY_EVENT_FIELDS
                .iter()
                .copied()
                .filter(|field| !fields.contains_key(*field))
                .collect();
            if missing.is_empty() {
                String::from("the event is not valid as AWS reads it")
            } else {
                format!(
                    "the event lacks {} (TestEventPattern requires {})",
                    missing.join(", "),
                    MANDATORY_EVENT_FIELDS.join(", ")
                )
            }
        }
        Ok(_) => String::from("the event is not a JSON object"),
        Err(error) => format!("the event is not valid JSON: {error}"),
    }
}
