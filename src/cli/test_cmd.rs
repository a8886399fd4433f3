//! `evpattern test`: one event against one pattern, as `aws events test-event-pattern`.

use std::process::ExitCode;

use super::input::read_argument;
use super::{EXIT_INVALID, EXIT_MATCH, EXIT_NO_MATCH};

/// Arguments of `evpattern test`.
#[derive(clap::Args)]
#[command(after_help = "\
Each of PATTERN and EVENT is inline JSON, file://PATH, or - for standard input (at most one).

Prints {\"Result\": true} or {\"Result\": false} as `aws events test-event-pattern` does, and
checks what that API checks: the pattern's validity and its 4096-character limit, and that the
event is a JSON object with id, account, source, time, region and detail-type.

With --explain, stderr also says which conditions failed and what the event holds there.

Exit status: 0 match, 1 no match, 2 invalid pattern, event or arguments (error on stderr, e.g.
`InvalidEventPatternException: Event pattern is not valid. Reason: ...`).")]
pub struct Args {
    /// The event pattern: inline JSON, file://PATH, or - for stdin.
    #[arg(long = "event-pattern", value_name = "PATTERN")]
    event_pattern: String,
    /// The event: inline JSON, file://PATH, or - for stdin.
    #[arg(long, value_name = "EVENT")]
    event: String,
    /// Also explain on stderr which conditions the event satisfies and which it does not.
    #[arg(long)]
    explain: bool,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    if args.event_pattern == "-" && args.event == "-" {
        eprintln!("evpattern test: only one of --event-pattern and --event can be - (stdin)");
        return ExitCode::from(EXIT_INVALID);
    }
    let texts = read_argument(&args.event_pattern, "the event pattern")
        .and_then(|pattern| Ok((pattern, read_argument(&args.event, "the event")?)));
    let (pattern, event) = match texts {
        Ok(texts) => texts,
        Err(message) => {
            eprintln!("evpattern test: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let verdict = if args.explain {
        evpattern::aws::explain_event_pattern(&event, &pattern).map(|why| {
            eprint!("{why}");
            why.matched()
        })
    } else {
        evpattern::test_event_pattern(&event, &pattern)
    };
    match verdict {
        Ok(matched) => {
            println!("{{\"Result\": {matched}}}");
            ExitCode::from(if matched { EXIT_MATCH } else { EXIT_NO_MATCH })
        }
        Err(error) => {
            eprintln!("{}: {}", error.code(), error.message());
            ExitCode::from(EXIT_INVALID)
        }
    }
}
