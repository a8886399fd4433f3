//! Standard output and standard error as every command writes them, without panicking.
//!
//! `println!` and `eprintln!` panic when a write fails (`> /dev/full`, a closed pipe). A
//! command's answer goes through [`print`] instead, and its failure through
//! [`output_failed`]: a reader that stopped reading (`| head -1`) ends the command quietly
//! with status 0, as `match` always did; any other failure is an error, exit status 2.
//! Diagnostics go through `report!`, which drops what standard error cannot take: there is
//! nowhere left to say it.

use std::io::{self, Write};
use std::process::ExitCode;

use super::EXIT_INVALID;

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// The exit status after writing the output failed with `error`, which is reported unless
/// the reader has gone.
pub fn output_failed(command: &str, error: &io::Error) -> ExitCode {
    if error.kind() == io::ErrorKind::BrokenPipe {
        ExitCode::SUCCESS
    } else {
        report!("evpattern {command}: cannot write output: {error}");
        ExitCode::from(EXIT_INVALID)
    }
}

/// Writes one line to standard error, ignoring a failure to write it.
pub fn report_line(line: std::fmt::Arguments<'_>) {
    let mut stderr = io::stderr().lock();
    let _ = stderr
        .write_fmt(line)
        .and_then(|()| stderr.write_all(b"\n"));
}

/// Writes `text` to standard error as it is, ignoring a failure to write it.
pub fn report_text(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
