//! `evpattern match`: a set of named rules against a stream of NDJSON events.
//!
//! I/O and formatting only: rules are read and handed to [`evpattern::Matcher`]; events are
//! read in batches of lines ([`super::lines`]), answered by `--jobs` threads sharing the
//! matcher, and written in input order through a buffered writer. Memory stays flat on inputs
//! of any size: the batches in flight are bounded and their buffers reused.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{mpsc, Mutex};

use evpattern::json::JsonNode;
use evpattern::matcher::MatchScratch;
use evpattern::Matcher;

use super::limits::EventLimits;
use super::lines::{Batch, LineSource, StreamInput};
use super::{load_rules, EXIT_INVALID, EXIT_MATCH};

/// The most threads `--jobs` may ask for: more than any machine's CPUs today, and few enough
/// that the batches in flight (two per thread) stay small and the system can start them.
const MAX_JOBS: usize = 1024;

/// Arguments of `evpattern match`.
#[derive(clap::Args)]
#[command(group(
    clap::ArgGroup::new("rule_sources")
        .args(["rules", "rule"])
        .required(true)
        .multiple(true)
))]
#[command(after_help = "\
RULES
  --rules FILE: a JSON object {\"rule name\": pattern, ...}; a pattern is a JSON object, or a
  string holding pattern JSON.
  --rules DIR: every *.json file holds one pattern, every *.evp file one rule in the filter
  language (see `evpattern dsl --help`; compiled for the local target); the rule is named by
  the file name without its extension. Other files are ignored.
  --rule NAME=EXPR: one rule in the filter language, given inline; repeatable.
  --rules and --rule may be combined; a rule name defined twice is an error.

EVENTS
  Each line is one JSON event. It is matched as it is: the fields AWS requires of a
  TestEventPattern event (id, source, ...) are not required, and a line that is valid JSON
  but not an object has no fields (it matches only rules satisfied by absent fields).

OUTPUT
  One line per input line: the JSON array of the names of the rules the event matches,
  sorted by name (byte order), e.g. [\"r1\",\"r7\"], or [] when none does.
  A line that is not valid UTF-8 JSON, nests deeper than --max-depth or is longer than
  --max-event-size, gives
  {\"error\":\"<reason>\",\"line\":N} in its place
  (N counts from 1) and a message on standard error; processing continues.
  A blank line (empty or only whitespace) gives an empty output line, so that output line N
  always answers input line N; it is not an error.
  With --count: instead, after all lines are read, one line per rule (also those that
  matched nothing), sorted by name: NAME<TAB>COUNT, the number of events the rule matched;
  blank and malformed lines count for no rule. Names are printed as they are.

THREADS AND LIVE STREAMS
  Lines are read in batches of about 64 KiB and matched by --jobs threads; answers are
  written in input order. Memory holds up to 2 batches per thread (a line longer than a
  batch is a batch of its own). When the input has nothing more to read at once (a live
  stream, e.g. `tail -f app.log | evpattern match ...`), the lines read so far are matched
  and their answers written and flushed without waiting for a full batch.

EXIT STATUS
  0  every line was read and matched
  2  a rule is invalid (nothing is matched then), the rules or events cannot be read,
     or at least one event line is malformed (reported after processing every line)")]
pub struct Args {
    /// Rules: a JSON file holding an object {"rule name": pattern, ...}, or a directory of
    /// *.json patterns and *.evp filter-language rules, each named by its file stem.
    #[arg(long, value_name = "RULES")]
    rules: Option<PathBuf>,

    /// A rule in the filter language, named NAME (repeatable), e.g.
    /// --rule 'tenants=api CreateTenant and status 2xx'.
    #[arg(long, value_name = "NAME=EXPR")]
    rule: Vec<String>,

    /// Decode SaaSus's JSON-in-a-string fields (detail.event and its request and response
    /// bodies) before matching, so that rules can address detail.event.uri. AWS never does
    /// this.
    #[arg(long)]
    saasus: bool,

    /// Trust the events to be valid JSON without duplicate keys (as EventBridge and SaaSus
    /// deliver them), for speed: parts no rule uses are not checked, and reading an event
    /// stops once nothing left in it can change the answer. On such events the output is
    /// exactly that without this flag; on any other line it is unspecified (a malformed line
    /// may be answered rather than reported), but every line still gets an answer.
    #[arg(long)]
    trusted_input: bool,

    /// Newline-delimited JSON events, one per line; "-" for standard input.
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    events: String,

    /// Print how many events each rule matched instead of one line per event.
    #[arg(long)]
    count: bool,

    #[command(flatten)]
    limits: EventLimits,

    /// Threads matching events, at most 1024; 0 (the default): one per CPU. Output is in
    /// input order whatever the number.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u16).range(0..=MAX_JOBS as i64))]
    jobs: u16,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    match execute(&args) {
        Ok(Outcome::AllMatched) => ExitCode::from(EXIT_MATCH),
        Ok(Outcome::SomeLinesFailed) => ExitCode::from(EXIT_INVALID),
        Err(message) => {
            report!("evpattern match: {message}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}

enum Outcome {
    AllMatched,
    SomeLinesFailed,
}

fn execute(args: &Args) -> Result<Outcome, String> {
    let rules = load_rules(args.rules.as_deref(), &args.rule)?;
    let names: Vec<String> = rules.rules().iter().map(|r| r.name().to_owned()).collect();
    let mut matcher: Matcher<u32> = Matcher::new();
    args.limits.apply(&mut matcher);
    if args.saasus {
        matcher.set_embedded_json(evpattern::saasus::embedded_json());
    }
    matcher.set_trusted_input(args.trusted_input);
    // The rule set is sorted by name, so the matcher reports its indexes sorted by name.
    rules.add_to(&mut matcher);

    let source: Box<dyn Read + Send> = if args.events == "-" {
        Box::new(io::stdin())
    } else {
        let cannot = |e: &dyn fmt::Display| format!("cannot read events from {}: {e}", args.events);
        let file = File::open(&args.events).map_err(|e| cannot(&e))?;
        // A directory opens on some systems and fails on the first read.
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(cannot(
                &"it is a directory (--events takes an NDJSON file or -)",
            ));
        }
        Box::new(file)
    };
    let input = StreamInput::spawn(source).map_err(|e| Failure::Thread(e).to_string())?;
    let stdout = io::stdout();
    let mut output = BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = match_lines(args, &matcher, &names, input, &mut output);
    let flushed = output.flush();
    let malformed = match result {
        Ok(malformed) => malformed,
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(Outcome::AllMatched)
        }
        Err(Failure::Input(e)) if args.events != "-" => {
            return Err(format!("cannot read events from {}: {e}", args.events))
        }
        Err(e) => return Err(e.to_string()),
    };
    if let Err(e) = flushed {
        if e.kind() != io::ErrorKind::BrokenPipe {
            return Err(Failure::Output(e).to_string());
        }
    }
    Ok(if malformed > 0 {
        // Each was reported where it was; this says how many after many screens of them.
        match malformed {
            1 => report!("evpattern match: 1 line was malformed"),
            n => report!("evpattern match: {n} lines were malformed"),
        }
        Outcome::SomeLinesFailed
    } else {
        Outcome::AllMatched
    })
}

enum Failure {
    Input(io::Error),
    Output(io::Error),
    /// A matching thread could not be started (the system's limits).
    Thread(io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Input(e) => write!(f, "cannot read events from standard input: {e}"),
            Failure::Output(e) => write!(f, "cannot write output: {e}"),
            Failure::Thread(e) => write!(
                f,
                "cannot start a matching thread: {e} (try a smaller --jobs)"
            ),
        }
    }
}

/// What one thread keeps while answering batches.
struct Worker<'m> {
    matcher: &'m Matcher<u32>,
    /// The rule names as JSON strings, by rule id.
    quoted_names: &'m [String],
    count: bool,
    scratch: MatchScratch,
    matched: Vec<u32>,
    /// With `--count`: per rule, the events it matched.
    counts: Vec<u64>,
}

/// The answers to one batch, as they are to be written.
#[derive(Default)]
struct Answers {
    /// Standard output's lines.
    output: Vec<u8>,
    /// Standard error's lines.
    errors: Vec<String>,
    /// Lines that were not a JSON event within the limits.
    malformed: u64,
}

impl<'m> Worker<'m> {
    fn new(matcher: &'m Matcher<u32>, quoted_names: &'m [String], count: bool) -> Worker<'m> {
        Worker {
            matcher,
            quoted_names,
            count,
            scratch: MatchScratch::new(),
            matched: Vec::new(),
            counts: vec![0; quoted_names.len()],
        }
    }

    /// Answers every line of `batch` into `answers` (emptied first).
    fn answer(&mut self, batch: &Batch, answers: &mut Answers) {
        answers.output.clear();
        answers.errors.clear();
        answers.malformed = 0;
        for (line_number, event) in batch.lines() {
            if event.iter().all(u8::is_ascii_whitespace) {
                if !self.count {
                    answers.output.push(b'\n');
                }
                continue;
            }
            self.matched.clear();
            let result = self
                .matcher
                .matches_into(event, &mut self.scratch, &mut self.matched);
            if result.is_ok() && self.scratch.undecoded_texts() > 0 {
                answers
                    .errors
                    .push(undecoded_report(self.matcher, line_number, event));
            }
            match result {
                Ok(()) if self.count => {
                    for &id in &self.matched {
                        if let Some(count) = self.counts.get_mut(id as usize) {
                            *count += 1;
                        }
                    }
                }
                Ok(()) => {
                    let output = &mut answers.output;
                    output.push(b'[');
                    for (i, &id) in self.matched.iter().enumerate() {
                        if i > 0 {
                            output.push(b',');
                        }
                        let name = self.quoted_names.get(id as usize).map_or("\"\"", |n| n);
                        output.extend_from_slice(name.as_bytes());
                    }
                    output.extend_from_slice(b"]\n");
                }
                Err(e) => {
                    answers.malformed += 1;
                    answers
                        .errors
                        .push(format!("evpattern match: line {line_number}: {e}"));
                    if !self.count {
                        let record = format!(
                            "{{\"error\":{},\"line\":{line_number}}}\n",
                            quote(&e.to_string())
                        );
                        answers.output.extend_from_slice(record.as_bytes());
                    }
                }
            }
        }
    }
}

/// The warning for a line some of whose embedded JSON (`--saasus`) could not be decoded:
/// which strings, and why. Only such lines are read a second time, into a tree, for it.
fn undecoded_report(matcher: &Matcher<u32>, line_number: u64, event: &[u8]) -> String {
    let failures = std::str::from_utf8(event)
        .ok()
        .and_then(|text| JsonNode::parse(text, matcher.max_depth()).ok())
        .map(|event| {
            matcher
                .embedded_json()
                .failures(&event, matcher.max_depth())
        })
        .unwrap_or_default();
    let said: Vec<String> = failures.iter().map(ToString::to_string).collect();
    let said = if said.is_empty() {
        String::from("JSON text inside a string could not be decoded, so it stays a string")
    } else {
        said.join("; ")
    };
    format!("evpattern match: line {line_number}: warning: {said}")
}

/// Writes one batch's answers; returns how many lines were malformed.
fn write_answers(answers: &Answers, output: &mut impl Write) -> Result<u64, Failure> {
    for error in &answers.errors {
        report!("{error}");
    }
    output.write_all(&answers.output).map_err(Failure::Output)?;
    Ok(answers.malformed)
}

/// Matches every line, writing the answers in input order; returns how many were malformed.
fn match_lines(
    args: &Args,
    matcher: &Matcher<u32>,
    names: &[String],
    mut input: StreamInput,
    output: &mut impl Write,
) -> Result<u64, Failure> {
    // A line longer than the limit is an error whatever follows in it: keep one byte beyond
    // the limit (after the line end's two), so that the matcher reports it.
    let keep = matcher.max_event_size().saturating_add(3);
    let jobs = match args.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_JOBS)),
        n => usize::from(n),
    };
    // Quoted once here, not once per match.
    let quoted: Vec<String> = names.iter().map(|name| quote(name)).collect();
    let (malformed, counts) = if jobs == 1 {
        match_here(args, matcher, &quoted, &mut input, output, keep)?
    } else {
        match_in_threads(args, matcher, &quoted, &mut input, output, keep, jobs)?
    };
    write_counts(args, names, &counts, output)?;
    Ok(malformed)
}

/// [`match_lines`] in this thread alone. Returns how many lines were malformed, and the
/// counts.
fn match_here(
    args: &Args,
    matcher: &Matcher<u32>,
    quoted_names: &[String],
    input: &mut dyn LineSource,
    output: &mut impl Write,
    keep: usize,
) -> Result<(u64, Vec<Vec<u64>>), Failure> {
    let mut worker = Worker::new(matcher, quoted_names, args.count);
    let (mut batch, mut answers) = (Batch::default(), Answers::default());
    let mut malformed = 0;
    loop {
        let read = batch.fill(input, batch.next_line(), keep);
        worker.answer(&batch, &mut answers);
        malformed += write_answers(&answers, output)?;
        if batch.input_idle() {
            output.flush().map_err(Failure::Output)?;
        }
        read.map_err(Failure::Input)?;
        if batch.is_empty() {
            return Ok((malformed, vec![worker.counts]));
        }
    }
}

/// [`match_lines`] with `jobs` threads matching while this one reads and writes: batches go
/// out to the threads as they are read, and their answers are written as soon as every
/// earlier batch's are. Returns how many lines were malformed, and each thread's counts.
fn match_in_threads(
    args: &Args,
    matcher: &Matcher<u32>,
    quoted_names: &[String],
    input: &mut dyn LineSource,
    output: &mut impl Write,
    keep: usize,
    jobs: usize,
) -> Result<(u64, Vec<Vec<u64>>), Failure> {
    let in_flight_limit = 2 * jobs;
    let (work, work_queue) = mpsc::channel::<(u64, Batch, Answers)>();
    let work_queue = Mutex::new(work_queue);
    let (done, finished) = mpsc::channel::<(u64, Batch, Answers)>();
    std::thread::scope(|scope| {
        let workers = (0..jobs)
            .map(|_| {
                let (work_queue, done) = (&work_queue, done.clone());
                std::thread::Builder::new().spawn_scoped(scope, move || {
                    let mut worker = Worker::new(matcher, quoted_names, args.count);
                    loop {
                        // The lock is held only while waiting for the next batch.
                        let next = work_queue.lock().map_or(None, |queue| queue.recv().ok());
                        let Some((sequence, batch, mut answers)) = next else {
                            break;
                        };
                        let answered = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            worker.answer(&batch, &mut answers)
                        }));
                        if answered.is_err() {
                            // A bug (the hook has printed it): end as a panicking program
                            // ends, rather than leave the writer waiting for this batch.
                            std::process::exit(101);
                        }
                        if done.send((sequence, batch, answers)).is_err() {
                            break;
                        }
                    }
                    worker.counts
                })
            })
            .collect::<Result<Vec<_>, io::Error>>();
        drop(done);
        // On failure, the threads already started end when `work` is dropped on return.
        let workers = workers.map_err(Failure::Thread)?;

        let mut malformed = 0;
        let mut ready: BTreeMap<u64, (Batch, Answers)> = BTreeMap::new();
        let mut spare: Vec<(Batch, Answers)> = Vec::new();
        let (mut sent, mut written, mut next_line) = (0u64, 0u64, 1u64);
        let mut read_error = None;
        let mut input_ended = false;
        // The input went idle after the last batch sent: write every answer and flush
        // before waiting for more input.
        let mut idle = false;
        while !input_ended || written < sent {
            if input_ended || idle || sent - written >= in_flight_limit as u64 {
                // Wait for an answer: nothing more may be read now.
                let Ok((sequence, batch, answers)) = finished.recv() else {
                    break;
                };
                ready.insert(sequence, (batch, answers));
            } else {
                let (mut batch, answers) = spare.pop().unwrap_or_default();
                if let Err(e) = batch.fill(input, next_line, keep) {
                    read_error = Some(e);
                    input_ended = true;
                }
                if batch.is_empty() {
                    input_ended = true;
                    continue;
                }
                next_line = batch.next_line();
                idle = batch.input_idle();
                if work.send((sent, batch, answers)).is_err() {
                    break;
                }
                sent += 1;
            }
            while let Ok((sequence, batch, answers)) = finished.try_recv() {
                ready.insert(sequence, (batch, answers));
            }
            // The answers next in order, their buffers kept for reuse.
            while let Some(entry) = ready.first_entry().filter(|e| *e.key() == written) {
                let (batch, answers) = entry.remove();
                malformed += write_answers(&answers, output)?;
                spare.push((batch, answers));
                written += 1;
            }
            if idle && written == sent {
                output.flush().map_err(Failure::Output)?;
                idle = false;
            }
        }
        drop(work);
        if let Some(e) = read_error {
            return Err(Failure::Input(e));
        }
        let counts = workers
            .into_iter()
            .map(|worker| worker.join().unwrap_or_default())
            .collect();
        Ok((malformed, counts))
    })
}

/// With `--count`: one line per rule, its matches summed over `counts` (one list per thread).
fn write_counts(
    args: &Args,
    names: &[String],
    counts: &[Vec<u64>],
    output: &mut impl Write,
) -> Result<(), Failure> {
    if !args.count {
        return Ok(());
    }
    for (i, name) in names.iter().enumerate() {
        let count: u64 = counts.iter().filter_map(|c| c.get(i)).sum();
        writeln!(output, "{name}\t{count}").map_err(Failure::Output)?;
    }
    Ok(())
}

/// A string as JSON text.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}
