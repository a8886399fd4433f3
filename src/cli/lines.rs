//! Input lines read in batches: what `evpattern match` hands to its matching threads.
//!
//! A batch holds whole lines, each cut to a most-kept length, so that a worker needs nothing
//! but the batch to answer it, and batches are answered and written in the order they were
//! read. Memory stays bounded by the batch size times the batches in flight (plus, for a
//! line longer than a batch, that line's kept bytes).

use std::io::{self, BufRead};
use std::ops::Range;

/// About this many bytes of lines make a batch (a longer line is a batch of its own).
pub const BATCH_BYTES: usize = 64 * 1024;

/// Consecutive input lines.
#[derive(Debug)]
pub struct Batch {
    /// The kept bytes of every line, line ends included, one after the other.
    text: Vec<u8>,
    /// Where each line's kept bytes are in `text`.
    lines: Vec<Range<usize>>,
    /// The number of the first line (from 1).
    first_line: u64,
}

impl Default for Batch {
    /// An empty batch before the input's first line, so that its [`Batch::next_line`] is 1.
    fn default() -> Batch {
        Batch {
            text: Vec::new(),
            lines: Vec::new(),
            first_line: 1,
        }
    }
}

impl Batch {
    /// The lines, numbered, without their `\n` or `\r\n`.
    pub fn lines(&self) -> impl Iterator<Item = (u64, &[u8])> {
        (self.first_line..).zip(
            self.lines
                .iter()
                .map(|range| trim_line_end(self.text.get(range.clone()).unwrap_or(&[]))),
        )
    }

    /// Whether the batch holds no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The number of the line after the batch's last: the next batch's first.
    pub fn next_line(&self) -> u64 {
        self.first_line + self.lines.len() as u64
    }

    /// Empties the batch and reads into it the lines from number `first_line` on, until it
    /// holds about [`BATCH_BYTES`] or the input ends. Keeps at most `keep` bytes of each
    /// line (the rest is read and dropped).
    ///
    /// On a read error the lines read before it stay in the batch, so that they can be
    /// answered before the error is reported.
    pub fn fill(
        &mut self,
        input: &mut dyn BufRead,
        first_line: u64,
        keep: usize,
    ) -> Result<(), io::Error> {
        self.text.clear();
        self.lines.clear();
        self.first_line = first_line;
        while self.text.len() < BATCH_BYTES {
            let start = self.text.len();
            if read_line_capped(input, &mut self.text, keep)? == 0 {
                break;
            }
            self.lines.push(start..self.text.len());
        }
        Ok(())
    }
}

/// Reads through the next `\n` (or to the end of the input), appending at most `keep` of
/// those bytes to `line` and dropping the rest; returns the number of bytes read (0: the
/// input has ended).
fn read_line_capped(input: &mut dyn BufRead, line: &mut Vec<u8>, keep: usize) -> io::Result<usize> {
    let mut read = 0;
    let mut kept = 0;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(read);
        }
        let (length, ends_line) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let room = keep.saturating_sub(kept).min(length);
        line.extend_from_slice(available.get(..room).unwrap_or(&[]));
        kept += room;
        input.consume(length);
        read += length;
        if ends_line {
            return Ok(read);
        }
    }
}

/// The line without its `\n` or `\r\n`.
fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batches(input: &[u8], keep: usize) -> Vec<Vec<(u64, Vec<u8>)>> {
        let mut input = io::BufReader::with_capacity(7, input);
        let mut batch = Batch::default();
        let mut out = Vec::new();
        loop {
            batch.fill(&mut input, batch.next_line(), keep).unwrap();
            if batch.is_empty() {
                return out;
            }
            let lines: Vec<(u64, Vec<u8>)> = batch.lines().map(|(n, l)| (n, l.to_vec())).collect();
            assert_eq!(batch.next_line(), lines.last().map_or(0, |l| l.0 + 1));
            out.push(lines);
        }
    }

    #[test]
    fn lines_are_numbered_trimmed_and_capped() {
        let got = batches(b"{\"a\":1}\r\n\n   \nabcdefghij\nlast", 4);
        let lines: Vec<(u64, &[u8])> = got
            .iter()
            .flatten()
            .map(|(n, l)| (*n, l.as_slice()))
            .collect();
        assert_eq!(
            lines,
            [
                (1, &b"{\"a\""[..]),
                (2, b""),
                (3, b"   "),
                (4, b"abcd"),
                (5, b"last"),
            ]
        );
    }

    #[test]
    fn batches_end_after_about_batch_bytes_and_lines_are_never_split() {
        let line = format!("{}\n", "x".repeat(999));
        let input = line.repeat(200);
        let got = batches(input.as_bytes(), usize::MAX);
        assert!(got.len() > 1, "200 kB of lines make several batches");
        let mut next = 1;
        for batch in &got {
            for (n, l) in batch {
                assert_eq!((*n, l.len()), (next, 999));
                next += 1;
            }
        }
        assert_eq!(next, 201);
        // A batch ends at the first line that takes it to BATCH_BYTES or beyond.
        assert_eq!(got[0].len(), BATCH_BYTES.div_ceil(1000));
    }
}
