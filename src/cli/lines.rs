//! Input lines read in batches: what `evpattern match` hands to its matching threads.
//!
//! A batch holds whole lines, each cut to a most-kept length, so that a worker needs nothing
//! but the batch to answer it, and batches are answered and written in the order they were
//! read. Memory stays bounded by the batch size times the batches in flight (plus, for a
//! line longer than a batch, that line's kept bytes).
//!
//! A batch also ends early when the input goes idle: when nothing more has arrived by the
//! time a line is complete, so that a live stream (`tail -f | evpattern match`) is answered
//! line by line instead of after 64 KiB. Std cannot ask a pipe whether a read would wait, so
//! [`StreamInput`] reads on a thread of its own and hands over what each read returned;
//! "idle" is "no read result is waiting". A file keeps that thread ahead of the matching, so
//! its batches stay full.

use std::io::{self, BufRead, Read};
use std::ops::Range;
use std::sync::mpsc;

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
    /// Whether the batch ended because nothing more was readable at once.
    input_idle: bool,
    /// The bytes read for the batch's lines, line ends and dropped bytes included.
    bytes_read: u64,
}

impl Default for Batch {
    /// An empty batch before the input's first line, so that its [`Batch::next_line`] is 1.
    fn default() -> Batch {
        Batch {
            text: Vec::new(),
            lines: Vec::new(),
            first_line: 1,
            input_idle: false,
            bytes_read: 0,
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

    /// The bytes of input its lines took, line ends and the dropped part of long lines
    /// included.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Whether the batch ended because the input had nothing more at once: its answers
    /// are to be written and flushed before waiting for more.
    pub fn input_idle(&self) -> bool {
        self.input_idle
    }

    /// Empties the batch and reads into it the lines from number `first_line` on, until it
    /// holds about [`BATCH_BYTES`], the input ends, or the input has nothing more at once
    /// ([`LineSource::ready`]). Waits for the first line. Keeps at most `keep` bytes of each
    /// line (the rest is read and dropped).
    ///
    /// On a read error the lines read before it stay in the batch, so that they can be
    /// answered before the error is reported.
    pub fn fill(
        &mut self,
        input: &mut dyn LineSource,
        first_line: u64,
        keep: usize,
    ) -> Result<(), io::Error> {
        self.text.clear();
        self.lines.clear();
        self.first_line = first_line;
        self.input_idle = false;
        self.bytes_read = 0;
        while self.text.len() < BATCH_BYTES {
            let start = self.text.len();
            let read = read_line_capped(input, &mut self.text, keep)?;
            if read == 0 {
                break;
            }
            self.bytes_read += read as u64;
            self.lines.push(start..self.text.len());
            if !input.ready() {
                self.input_idle = true;
                break;
            }
        }
        Ok(())
    }
}

/// Lines' bytes, able to tell whether more can be read without waiting.
pub trait LineSource: BufRead {
    /// Whether reading now would not wait: bytes are buffered, or have arrived, or the input
    /// has ended.
    fn ready(&mut self) -> bool;
}

/// Bytes the reading thread hands over at a time, at most.
const CHUNK_BYTES: usize = 64 * 1024;

/// Read results the reading thread may hold ready: enough to keep a file's batches full,
/// few enough to keep memory small.
const CHUNKS_AHEAD: usize = 4;

/// An input read by a thread of its own (see the module documentation).
pub struct StreamInput {
    chunks: mpsc::Receiver<io::Result<Vec<u8>>>,
    /// A read result taken by [`LineSource::ready`] and not yet used.
    arrived: Option<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    consumed: usize,
    ended: bool,
}

impl StreamInput {
    /// Starts the thread reading `source`. It ends at the end of the input, at a read error
    /// (handed over), or when the [`StreamInput`] is dropped and its next read is done; it
    /// is not joined, since a read of a live stream may never return.
    pub fn spawn(mut source: Box<dyn Read + Send>) -> io::Result<StreamInput> {
        let (send, chunks) = mpsc::sync_channel(CHUNKS_AHEAD);
        std::thread::Builder::new()
            .name("input".into())
            .spawn(move || loop {
                let mut chunk = vec![0; CHUNK_BYTES];
                let result = match source.read(&mut chunk) {
                    Ok(0) => return,
                    Ok(read) => {
                        chunk.truncate(read);
                        Ok(chunk)
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => Err(e),
                };
                let failed = result.is_err();
                if send.send(result).is_err() || failed {
                    return;
                }
            })?;
        Ok(StreamInput {
            chunks,
            arrived: None,
            current: Vec::new(),
            consumed: 0,
            ended: false,
        })
    }
}

impl Read for StreamInput {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let length = available.len().min(buf.len());
        buf.get_mut(..length)
            .unwrap_or(&mut [])
            .copy_from_slice(available.get(..length).unwrap_or(&[]));
        self.consume(length);
        Ok(length)
    }
}

impl BufRead for StreamInput {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.consumed >= self.current.len() && !self.ended {
            let next = match self.arrived.take() {
                Some(next) => Some(next),
                None => self.chunks.recv().ok(),
            };
            match next {
                Some(Ok(chunk)) => {
                    self.current = chunk;
                    self.consumed = 0;
                }
                Some(Err(e)) => {
                    self.ended = true;
                    return Err(e);
                }
                None => self.ended = true,
            }
        }
        Ok(self.current.get(self.consumed..).unwrap_or(&[]))
    }

    fn consume(&mut self, amount: usize) {
        self.consumed = self.consumed.saturating_add(amount).min(self.current.len());
    }
}

impl LineSource for StreamInput {
    fn ready(&mut self) -> bool {
        if self.consumed < self.current.len() || self.ended || self.arrived.is_some() {
            return true;
        }
        match self.chunks.try_recv() {
            Ok(next) => {
                self.arrived = Some(next);
                true
            }
            Err(mpsc::TryRecvError::Disconnected) => true,
            Err(mpsc::TryRecvError::Empty) => false,
        }
    }
}

/// Reads through the next `\n` (or to the end of the input), appending at most `keep` of
/// those bytes to `line` and dropping the rest; returns the number of bytes read (0: the
/// input has ended).
fn read_line_capped(
    input: &mut dyn LineSource,
    line: &mut Vec<u8>,
    keep: usize,
) -> io::Result<usize> {
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

    /// A source whose bytes have all arrived.
    struct Arrived<R>(io::BufReader<R>);

    impl<R: Read> Read for Arrived<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0.read(buf)
        }
    }

    impl<R: Read> BufRead for Arrived<R> {
        fn fill_buf(&mut self) -> io::Result<&[u8]> {
            self.0.fill_buf()
        }
        fn consume(&mut self, amount: usize) {
            self.0.consume(amount)
        }
    }

    impl<R: Read> LineSource for Arrived<R> {
        fn ready(&mut self) -> bool {
            true
        }
    }

    fn batches(input: &[u8], keep: usize) -> Vec<Vec<(u64, Vec<u8>)>> {
        let mut input = Arrived(io::BufReader::with_capacity(7, input));
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

    #[test]
    fn a_stream_input_hands_over_every_byte_and_then_the_end() {
        let text: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut input = StreamInput::spawn(Box::new(io::Cursor::new(text.clone()))).unwrap();
        let mut read = Vec::new();
        input.read_to_end(&mut read).unwrap();
        assert_eq!(read, text);
        assert!(input.ready(), "the end is readable at once");
        assert_eq!(input.fill_buf().unwrap(), b"");
    }

    #[test]
    fn a_batch_ends_when_nothing_more_has_arrived() {
        let (reader, mut writer) = std::io::pipe().unwrap();
        let mut input = StreamInput::spawn(Box::new(reader)).unwrap();
        std::io::Write::write_all(&mut writer, b"{\"a\":1}\n{\"a\":2}\n").unwrap();
        let mut batch = Batch::default();
        batch.fill(&mut input, 1, usize::MAX).unwrap();
        // Both lines arrived in one read: one batch, ended because nothing more came.
        assert_eq!(batch.lines().count(), 2);
        assert!(batch.input_idle());
        std::io::Write::write_all(&mut writer, b"{\"a\":3}\n").unwrap();
        drop(writer);
        batch
            .fill(&mut input, batch.next_line(), usize::MAX)
            .unwrap();
        assert_eq!(batch.lines().collect::<Vec<_>>(), [(3, &b"{\"a\":3}"[..])]);
        batch
            .fill(&mut input, batch.next_line(), usize::MAX)
            .unwrap();
        assert!(batch.is_empty() && !batch.input_idle());
    }
}
