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

/// The most characters of one line of a diagnostic that are shown: an error can echo a
/// pattern or a rule back, and a megabyte of it helps no one.
pub const MAX_SHOWN_LINE: usize = 500;

/// Writes one line to standard error, its lines cut by [`shorten`], ignoring a failure to
/// write it.
pub fn report_line(line: std::fmt::Arguments<'_>) {
    report_text(&format!("{line}\n"));
}

/// Writes `text` to standard error, its lines cut by [`shorten`], ignoring a failure to
/// write it.
pub fn report_text(text: &str) {
    let _ = io::stderr().lock().write_all(shorten(text).as_bytes());
}

/// `text` with every line longer than [`MAX_SHOWN_LINE`] characters cut there, an ellipsis
/// and the number of characters left out in its place.
pub fn shorten(text: &str) -> String {
    let mut shown = String::with_capacity(text.len().min(64 * 1024));
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        match body.char_indices().nth(MAX_SHOWN_LINE) {
            Some((cut, _)) => {
                let left_out = body.get(cut..).map_or(0, |rest| rest.chars().count());
                shown.push_str(body.get(..cut).unwrap_or(body));
                shown.push_str(&format!("… ({left_out} more characters)"));
            }
            None => shown.push_str(body),
        }
        shown.push_str(end);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_and_short_ones_kept() {
        assert_eq!(shorten("a\nbc\n"), "a\nbc\n");
        assert_eq!(shorten(""), "");
        let long = format!("{}\nend", "é".repeat(MAX_SHOWN_LINE + 5));
        assert_eq!(
            shorten(&long),
            format!("{}… (5 more characters)\nend", "é".repeat(MAX_SHOWN_LINE))
        );
        let exact = "x".repeat(MAX_SHOWN_LINE);
        assert_eq!(shorten(&exact), exact);
    }
}
