//! `evpattern coverage`: which rules fire on a corpus of events ([`evpattern::coverage`]).

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use evpattern::coverage::{Coverage, CoverageReport};
use evpattern::embedded::EmbeddedJson;
use evpattern::matcher::MatchScratch;
use evpattern::{Matcher, Pattern};
use serde_json::json;

use super::limits::EventLimits;
use super::lines::{Batch, StreamInput};
use super::output::{output_failed, print, report_text};
use super::{load_rules, EXIT_INVALID};

/// Files at least this large get a progress line on standard error, when it is a terminal.
const PROGRESS_MIN_BYTES: u64 = 16 << 20;

/// Arguments of `evpattern coverage`.
#[derive(clap::Args)]
#[command(group(
    clap::ArgGroup::new("rule_sources")
        .args(["rules", "rule"])
        .required(true)
        .multiple(true)
))]
#[command(after_help = "\
Reads rules as `evpattern match` does and a corpus of NDJSON events, and prints per rule how
many events it matched and the first of them (its id, or its line), the rules that never
fired with the condition that failed most often on the first 200 events, and the events no
rule matched. --json prints the same as one JSON object. The counts come from the compiled
matcher, one pass, with flat memory. Reading a file of 16 MiB or more, with standard error on
a terminal, shows the progress there.

Exit status: 0 the corpus was read (whatever it shows), 2 invalid rules or unreadable events.")]
pub struct Args {
    /// Rules: a JSON file of named patterns, or a directory of *.json and *.evp files.
    #[arg(long, value_name = "RULES")]
    rules: Option<PathBuf>,
    /// A rule in the filter language, named NAME (repeatable).
    #[arg(long, value_name = "NAME=EXPR")]
    rule: Vec<String>,
    /// Newline-delimited JSON events, one per line; "-" for standard input.
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    events: String,
    /// Decode SaaSus's JSON-in-a-string fields before matching, as `match --saasus`.
    #[arg(long)]
    saasus: bool,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    limits: EventLimits,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    match execute(&args) {
        Ok(report) => {
            let text = if args.json {
                format!("{}\n", json_report(&report))
            } else {
                table(&report)
            };
            match print(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => output_failed("coverage", &error),
            }
        }
        Err(message) => {
            report!("evpattern coverage: {message}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}

fn execute(args: &Args) -> Result<CoverageReport, String> {
    let rules = load_rules(args.rules.as_deref(), &args.rule)?;
    let decode = if args.saasus {
        evpattern::saasus::embedded_json()
    } else {
        EmbeddedJson::none()
    };
    let mut matcher: Matcher<u32> = Matcher::new();
    args.limits.apply(&mut matcher);
    matcher.set_embedded_json(decode.clone());
    rules.add_to(&mut matcher);
    let names = rules.rules().iter().map(|r| r.name().to_owned()).collect();
    let patterns: Vec<&Pattern> = rules.rules().iter().map(|r| r.pattern()).collect();

    let cannot =
        |e: &dyn std::fmt::Display| format!("cannot read events from {}: {e}", args.events);
    let source: Box<dyn Read + Send> = if args.events == "-" {
        Box::new(io::stdin())
    } else {
        let file = File::open(&args.events).map_err(|e| cannot(&e))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(cannot(&"it is a directory"));
        }
        Box::new(file)
    };
    // A progress line for a person waiting on a large file.
    let progress_total = (args.events != "-" && io::stderr().is_terminal())
        .then(|| std::fs::metadata(&args.events).map(|m| m.len()).ok())
        .flatten()
        .filter(|&bytes| bytes >= PROGRESS_MIN_BYTES);
    let (mut done, mut shown) = (0u64, 0u64);
    let mut input = StreamInput::spawn(source).map_err(|e| cannot(&e))?;
    let keep = matcher.max_event_size().saturating_add(3);
    let mut coverage = Coverage::new(names);
    let (mut batch, mut scratch, mut matched) = (Batch::default(), MatchScratch::new(), Vec::new());
    loop {
        let read = batch.fill(&mut input, batch.next_line(), keep);
        for (line, event) in batch.lines() {
            if event.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            matched.clear();
            match matcher.matches_into(event, &mut scratch, &mut matched) {
                Ok(()) => coverage.record(event, &format!("line {line}"), &matched),
                Err(_) => coverage.record_malformed(),
            }
        }
        if let Some(total) = progress_total {
            done += batch.bytes_read();
            let percent = done.saturating_mul(100) / total.max(1);
            if percent > shown {
                shown = percent;
                report_text(&format!(
                    "\revpattern coverage: {percent}% of {total} bytes"
                ));
            }
        }
        read.map_err(|e| cannot(&e))?;
        if batch.is_empty() {
            break;
        }
    }
    if progress_total.is_some() {
        // Erase the progress line.
        report_text("\r\x1b[K");
    }
    Ok(coverage.finish(&patterns, &decode))
}

/// The report for a person: one row per rule, then the rest.
fn table(report: &CoverageReport) -> String {
    let width = report
        .rules
        .iter()
        .map(|r| r.name.chars().count())
        .chain([4])
        .max()
        .unwrap_or(4);
    let mut text = format!("{:width$}  {:>9}  FIRST MATCHED\n", "RULE", "MATCHED");
    for rule in &report.rules {
        let first = rule.sample.as_deref().unwrap_or("-");
        text.push_str(&format!(
            "{:width$}  {:>9}  {first}\n",
            rule.name, rule.matched
        ));
    }
    let never: Vec<_> = report.rules.iter().filter(|r| r.matched == 0).collect();
    if !never.is_empty() {
        text.push_str(&format!("\nnever fired ({}):\n", never.len()));
        for rule in never {
            match &rule.most_failed {
                Some((condition, count)) => text.push_str(&format!(
                    "  {}: most often failed {condition} ({count} of {} sampled events)\n",
                    rule.name, report.sampled
                )),
                None => text.push_str(&format!("  {}\n", rule.name)),
            }
        }
    }
    text.push_str(&format!(
        "\n{} events, {} matched by no rule",
        report.events, report.unmatched
    ));
    if !report.unmatched_shown.is_empty() {
        text.push_str(&format!(" (first: {})", report.unmatched_shown.join(", ")));
    }
    if report.malformed > 0 {
        text.push_str(&format!(", {} malformed", report.malformed));
    }
    text.push('\n');
    text
}

/// The report for a machine.
fn json_report(report: &CoverageReport) -> serde_json::Value {
    json!({
        "events": report.events,
        "malformed": report.malformed,
        "unmatched": {"count": report.unmatched, "first": report.unmatched_shown},
        "sampled": report.sampled,
        "rules": report.rules.iter().map(|rule| json!({
            "name": rule.name,
            "matched": rule.matched,
            "first_matched": rule.sample,
            "most_failed": rule.most_failed.as_ref().map(|(condition, count)| json!({"condition": condition, "events": count})),
        })).collect::<Vec<_>>(),
    })
}
