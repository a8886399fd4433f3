//! Durability of accepted events: the journal of deliveries owed, the record of deliveries
//! made, and the dead-letter file.
//!
//! - `journal.jsonl`: one line per accepted event that matched at least one rule with targets,
//!   holding every delivery the event owes (target ARN, rendered input). A `PutEvents` request
//!   appends its lines in one write and flushes them to disk (`fdatasync`) before it answers,
//!   so an entry answered with an `EventId` is on disk.
//! - `progress.jsonl`: one line per batch of finished deliveries (delivered or dead-lettered),
//!   with the length of every log-group file after that batch. Log files are appended only by
//!   the one log writer, which flushes the log files before it records the batch. After a
//!   crash, a log file longer than its recorded length holds lines of deliveries that were
//!   never recorded as done: it is cut back to that length and those deliveries run again.
//!   So each delivery lands in its log file exactly once.
//! - `dead-letter.jsonl`: deliveries that still failed after every retry, with the reason.
//!
//! At start the journal and the progress record are compacted to what is still owed.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::state::sync_dir;

/// One delivery an accepted event owes to one target of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The event's sequence number in the journal.
    pub seq: u64,
    /// This delivery's index among the event's.
    pub index: u32,
    /// The event's id.
    pub event_id: String,
    /// The rule that matched.
    pub rule: String,
    /// The target's `Id`.
    pub target_id: String,
    /// The target's ARN.
    pub arn: String,
    /// What the target receives (the event, or its input as the target's form rendered it).
    pub payload: String,
}

impl Delivery {
    /// The delivery's key in the progress record.
    pub fn key(&self) -> (u64, u32) {
        (self.seq, self.index)
    }
}

#[derive(Serialize, Deserialize)]
struct JournalRecord {
    seq: u64,
    deliveries: Vec<Delivery>,
}

#[derive(Serialize, Deserialize, Default)]
struct ProgressRecord {
    #[serde(default)]
    done: Vec<(u64, u32)>,
    /// Log file name → its length once this record's deliveries were written.
    #[serde(default)]
    logs: HashMap<String, u64>,
}

/// What the journal holds after a restart.
#[derive(Debug, Default)]
pub struct Recovered {
    /// Deliveries accepted but not yet finished, in journal order.
    pub pending: Vec<Delivery>,
    /// The length of every log file, as the last finished deliveries left it.
    pub log_lengths: HashMap<String, u64>,
}

/// The journal and the progress record of one data directory.
#[derive(Debug)]
pub struct Journal {
    journal: Mutex<(File, u64)>,
    progress: Mutex<File>,
    dead_letter: Mutex<File>,
    logs_dir: PathBuf,
}

fn read_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> io::Result<Vec<T>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut records = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line?;
        // A line that does not parse is the torn tail of a write that a crash interrupted:
        // its request never got an answer, so nothing in it was accepted or recorded.
        match serde_json::from_str(&line) {
            Ok(record) => records.push(record),
            Err(_) => break,
        }
    }
    Ok(records)
}

fn write_atomically(dir: &Path, name: &str, text: &str) -> io::Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    let mut file = File::create(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, dir.join(name))?;
    sync_dir(dir)
}

fn append_file(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

impl Journal {
    /// Opens the journal of data directory `dir`: recovers what is still owed, cuts log files
    /// back to their recorded lengths, and compacts the journal to the pending deliveries.
    pub fn open(dir: &Path) -> io::Result<(Journal, Recovered)> {
        let logs_dir = dir.join("logs");
        fs::create_dir_all(&logs_dir)?;
        let journal_path = dir.join("journal.jsonl");
        let progress_path = dir.join("progress.jsonl");
        let records: Vec<JournalRecord> = read_lines(&journal_path)?;
        let progress: Vec<ProgressRecord> = read_lines(&progress_path)?;
        let mut done = HashSet::new();
        let mut log_lengths = HashMap::new();
        for record in progress {
            done.extend(record.done);
            log_lengths.extend(record.logs);
        }
        for entry in fs::read_dir(&logs_dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let recorded = log_lengths.get(&name).copied().unwrap_or(0);
            if entry.metadata()?.len() > recorded {
                let file = OpenOptions::new().write(true).open(entry.path())?;
                file.set_len(recorded)?;
                file.sync_all()?;
            }
        }
        let next_seq = records.last().map_or(0, |r| r.seq + 1);
        let mut pending = Vec::new();
        let mut journal_text = String::new();
        let mut still_done = Vec::new();
        for record in records {
            let owed: Vec<&Delivery> = record
                .deliveries
                .iter()
                .filter(|d| !done.contains(&d.key()))
                .collect();
            if owed.is_empty() {
                continue;
            }
            pending.extend(owed.into_iter().cloned());
            still_done.extend(
                record
                    .deliveries
                    .iter()
                    .map(Delivery::key)
                    .filter(|k| done.contains(k)),
            );
            journal_text.push_str(&serde_json::to_string(&record).map_err(io::Error::other)?);
            journal_text.push('\n');
        }
        let progress_text = serde_json::to_string(&ProgressRecord {
            done: still_done,
            logs: log_lengths.clone(),
        })
        .map_err(io::Error::other)?;
        // Progress first: if a crash falls between the two renames, the new progress record
        // names only deliveries that the old journal also holds, and nothing is lost.
        write_atomically(dir, "progress.jsonl", &(progress_text + "\n"))?;
        write_atomically(dir, "journal.jsonl", &journal_text)?;
        let journal = Journal {
            journal: Mutex::new((append_file(&journal_path)?, next_seq)),
            progress: Mutex::new(append_file(&progress_path)?),
            dead_letter: Mutex::new(append_file(&dir.join("dead-letter.jsonl"))?),
            logs_dir,
        };
        Ok((
            journal,
            Recovered {
                pending,
                log_lengths,
            },
        ))
    }

    /// The directory of the log-group files.
    pub fn logs_dir(&self) -> &Path {
        &self.logs_dir
    }

    /// Journals the deliveries of each event (one list per event; events without deliveries
    /// are skipped), flushed to disk before it returns; numbers them as it goes.
    pub fn append(&self, mut events: Vec<Vec<Delivery>>) -> io::Result<Vec<Delivery>> {
        let mut guard = self.journal.lock().unwrap_or_else(|p| p.into_inner());
        let (file, next_seq) = &mut *guard;
        let mut text = String::new();
        let mut seq = *next_seq;
        let mut all = Vec::new();
        for deliveries in &mut events {
            if deliveries.is_empty() {
                continue;
            }
            for (index, delivery) in deliveries.iter_mut().enumerate() {
                delivery.seq = seq;
                delivery.index = index as u32;
            }
            let record = JournalRecord {
                seq,
                deliveries: std::mem::take(deliveries),
            };
            text.push_str(&serde_json::to_string(&record).map_err(io::Error::other)?);
            text.push('\n');
            all.extend(record.deliveries);
            seq += 1;
        }
        if text.is_empty() {
            return Ok(all);
        }
        file.write_all(text.as_bytes())?;
        file.sync_data()?;
        *next_seq = seq;
        Ok(all)
    }

    /// Records deliveries as finished, with the log files' lengths after them, flushed.
    pub fn record_done(&self, done: &[(u64, u32)], logs: HashMap<String, u64>) -> io::Result<()> {
        let record = ProgressRecord {
            done: done.to_vec(),
            logs,
        };
        let mut line = serde_json::to_string(&record).map_err(io::Error::other)?;
        line.push('\n');
        let mut file = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }

    /// Appends a delivery that failed for good to the dead-letter file, flushed.
    pub fn dead_letter(&self, delivery: &Delivery, error: &str, attempts: usize) -> io::Result<()> {
        let mut line = serde_json::json!({
            "event_id": delivery.event_id,
            "rule": delivery.rule,
            "target_id": delivery.target_id,
            "arn": delivery.arn,
            "attempts": attempts,
            "error": error,
            "payload": delivery.payload,
        })
        .to_string();
        line.push('\n');
        let mut file = self.dead_letter.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(rule: &str) -> Delivery {
        Delivery {
            seq: 0,
            index: 0,
            event_id: "e".into(),
            rule: rule.into(),
            target_id: "t".into(),
            arn: "arn:aws:logs:r:1:log-group:g".into(),
            payload: "{}".into(),
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("evpattern-journal-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn pending_deliveries_survive_reopening_and_done_ones_do_not() {
        let dir = temp_dir("pending");
        {
            let (journal, recovered) = Journal::open(&dir).unwrap();
            assert!(recovered.pending.is_empty());
            let numbered = journal
                .append(vec![
                    vec![delivery("a"), delivery("b")],
                    vec![],
                    vec![delivery("c")],
                ])
                .unwrap();
            assert_eq!(
                numbered.iter().map(Delivery::key).collect::<Vec<_>>(),
                vec![(0, 0), (0, 1), (1, 0)]
            );
            journal.record_done(&[(0, 1)], HashMap::new()).unwrap();
        }
        let (journal, recovered) = Journal::open(&dir).unwrap();
        let rules: Vec<&str> = recovered.pending.iter().map(|d| d.rule.as_str()).collect();
        assert_eq!(rules, vec!["a", "c"]);
        // Numbering goes on after the last journaled event.
        let next = journal.append(vec![vec![delivery("d")]]).unwrap();
        assert_eq!(next[0].seq, 2);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn log_files_are_cut_back_to_their_recorded_length() {
        let dir = temp_dir("logs");
        {
            let (journal, _) = Journal::open(&dir).unwrap();
            fs::write(journal.logs_dir().join("g.jsonl"), "line1\nline2\n").unwrap();
            fs::write(journal.logs_dir().join("h.jsonl"), "never recorded\n").unwrap();
            journal
                .record_done(&[], HashMap::from([("g.jsonl".to_owned(), 6)]))
                .unwrap();
        }
        let (journal, recovered) = Journal::open(&dir).unwrap();
        assert_eq!(recovered.log_lengths["g.jsonl"], 6);
        assert_eq!(
            fs::read_to_string(journal.logs_dir().join("g.jsonl")).unwrap(),
            "line1\n"
        );
        assert_eq!(
            fs::read_to_string(journal.logs_dir().join("h.jsonl")).unwrap(),
            ""
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_torn_last_line_is_not_accepted() {
        let dir = temp_dir("torn");
        {
            let (journal, _) = Journal::open(&dir).unwrap();
            journal.append(vec![vec![delivery("a")]]).unwrap();
        }
        let mut file = append_file(&dir.join("journal.jsonl")).unwrap();
        file.write_all(b"{\"seq\":1,\"deliv").unwrap();
        let (_, recovered) = Journal::open(&dir).unwrap();
        assert_eq!(recovered.pending.len(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }
}
