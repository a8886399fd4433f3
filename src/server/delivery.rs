//! Delivery of journaled events to their targets, chosen by ARN: a CloudWatch Logs log group
//! appends one JSON line to its file under `logs/`; an ARN configured with a URL (a Lambda
//! function, an API destination, anything) gets the input POSTed; an ARN configured with a
//! command gets it on the command's standard input.
//!
//! Delivery runs beside request handling: log groups on one writer thread that writes in
//! batches (see [`super::journal`] for why that makes log files exactly-once), the others as
//! tasks. Each is retried with exponential backoff; what still fails is written to the
//! dead-letter file. Either way the delivery is then recorded as finished.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use backon::{BlockingRetryable, ExponentialBuilder, Retryable};
use tokio::io::AsyncWriteExt;
use tokio::sync::{mpsc, Semaphore};

use crate::json::JsonNode;

use super::arn::{log_file_name, log_group};
use super::journal::{Delivery, Journal};
use super::transform::write_json;

/// Where targets that are not log groups are delivered, by target ARN.
#[derive(Clone, Debug, Default)]
pub struct Endpoints {
    /// ARN → URL to POST the input to.
    pub urls: HashMap<String, String>,
    /// ARN → shell command that reads the input on standard input.
    pub commands: HashMap<String, String>,
}

/// How often and how patiently a delivery is tried.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Retries after the first try.
    pub retries: usize,
    /// The first wait; each next one doubles, with jitter.
    pub min_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            retries: 8,
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.retries)
            .with_jitter()
    }
}

/// Longest wait for an HTTP target's answer or a command's exit.
const TARGET_TIMEOUT: Duration = Duration::from_secs(30);
/// Most HTTP and command deliveries in flight at once.
const MAX_IN_FLIGHT: usize = 64;
/// Most log deliveries written (and flushed) as one batch.
const MAX_LOG_BATCH: usize = 2048;

/// Hands journaled deliveries to their targets.
#[derive(Debug)]
pub struct Deliverer {
    journal: Arc<Journal>,
    endpoints: Endpoints,
    retry: RetryPolicy,
    logs: mpsc::UnboundedSender<Delivery>,
    http: reqwest::Client,
    in_flight: Arc<Semaphore>,
}

impl Deliverer {
    /// Starts the log writer thread; call from inside the server's runtime.
    pub fn start(
        journal: Arc<Journal>,
        endpoints: Endpoints,
        retry: RetryPolicy,
    ) -> std::io::Result<Arc<Deliverer>> {
        let (logs, receiver) = mpsc::unbounded_channel();
        let writer = LogWriter {
            journal: journal.clone(),
            files: HashMap::new(),
            lengths: HashMap::new(),
            retry,
        };
        std::thread::Builder::new()
            .name("evpattern-log-writer".into())
            .spawn(move || writer.run(receiver))?;
        let http = reqwest::Client::builder()
            .timeout(TARGET_TIMEOUT)
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Arc::new(Deliverer {
            journal,
            endpoints,
            retry,
            logs,
            http,
            in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        }))
    }

    /// Starts the delivery of each of `deliveries` (already journaled).
    pub fn dispatch(self: &Arc<Self>, deliveries: Vec<Delivery>) {
        for delivery in deliveries {
            if log_group(&delivery.arn).is_some() {
                // The writer thread lives as long as the process; a send cannot fail before.
                let _ = self.logs.send(delivery);
            } else {
                let me = Arc::clone(self);
                tokio::spawn(async move { me.deliver_elsewhere(delivery).await });
            }
        }
    }

    async fn deliver_elsewhere(self: Arc<Self>, delivery: Delivery) {
        let Ok(_permit) = self.in_flight.clone().acquire_owned().await else {
            return;
        };
        let attempts = std::sync::atomic::AtomicUsize::new(0);
        let outcome = if let Some(url) = self.endpoints.urls.get(&delivery.arn) {
            (|| async {
                attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                post(&self.http, url, &delivery.payload).await
            })
            .retry(self.retry.backoff())
            .await
        } else if let Some(command) = self.endpoints.commands.get(&delivery.arn) {
            (|| async {
                attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                run_command(command, &delivery).await
            })
            .retry(self.retry.backoff())
            .await
        } else {
            // Nothing to retry: no endpoint will appear while the server runs.
            Err(format!(
                "no local endpoint is configured for {} (see `evpattern serve --help`)",
                delivery.arn
            ))
        };
        let journal = self.journal.clone();
        let _ = tokio::task::spawn_blocking(move || {
            if let Err(error) = outcome {
                let attempts = attempts.load(std::sync::atomic::Ordering::Relaxed);
                if let Err(e) = journal.dead_letter(&delivery, &error, attempts) {
                    eprintln!("evpattern serve: cannot write the dead-letter file: {e}");
                    return;
                }
            }
            if let Err(e) = journal.record_done(&[delivery.key()], HashMap::new()) {
                eprintln!("evpattern serve: cannot record a finished delivery: {e}");
            }
        })
        .await;
    }
}

async fn post(client: &reqwest::Client, url: &str, payload: &str) -> Result<(), String> {
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(payload.to_owned())
        .send()
        .await
        .map_err(|e| format!("POST {url}: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("POST {url}: HTTP {}", response.status()))
    }
}

async fn run_command(command: &str, delivery: &Delivery) -> Result<(), String> {
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("EVPATTERN_RULE", &delivery.rule)
        .env("EVPATTERN_TARGET_ID", &delivery.target_id)
        .env("EVPATTERN_EVENT_ID", &delivery.event_id)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("{command}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that exits without reading its input is judged by its exit status.
        let _ = stdin.write_all(delivery.payload.as_bytes()).await;
    }
    match tokio::time::timeout(TARGET_TIMEOUT, child.wait()).await {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(format!("{command}: {status}")),
        Ok(Err(e)) => Err(format!("{command}: {e}")),
        Err(_) => Err(format!("{command}: no exit within {TARGET_TIMEOUT:?}")),
    }
}

/// The line a log group's file gets for an input: the input as compact JSON when it is JSON,
/// else the input as a JSON string (a plain-text template's output).
///
/// ```
/// use evpattern::server::delivery::log_line;
/// assert_eq!(log_line("{ \"a\" : [1, 2] }"), "{\"a\":[1,2]}\n");
/// assert_eq!(log_line("i-1 is running"), "\"i-1 is running\"\n");
/// ```
pub fn log_line(payload: &str) -> String {
    let mut line = String::with_capacity(payload.len() + 1);
    match JsonNode::parse(payload, 1024) {
        Ok(node) => write_json(&node, &mut line),
        Err(_) => line.push_str(&serde_json::Value::String(payload.to_owned()).to_string()),
    }
    line.push('\n');
    line
}

struct LogWriter {
    journal: Arc<Journal>,
    files: HashMap<String, File>,
    lengths: HashMap<String, u64>,
    retry: RetryPolicy,
}

impl LogWriter {
    fn run(mut self, mut receiver: mpsc::UnboundedReceiver<Delivery>) {
        while let Some(first) = receiver.blocking_recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_LOG_BATCH {
                match receiver.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            let attempts = std::cell::Cell::new(0usize);
            let backoff = self.retry.backoff();
            let written = (|| {
                attempts.set(attempts.get() + 1);
                self.write_batch(&batch)
            })
            .retry(backoff)
            .call();
            if let Err(error) = written {
                for delivery in &batch {
                    if let Err(e) = self.journal.dead_letter(delivery, &error, attempts.get()) {
                        eprintln!("evpattern serve: cannot write the dead-letter file: {e}");
                    }
                }
                let keys: Vec<(u64, u32)> = batch.iter().map(Delivery::key).collect();
                if let Err(e) = self.journal.record_done(&keys, HashMap::new()) {
                    eprintln!("evpattern serve: cannot record finished deliveries: {e}");
                }
            }
        }
    }

    /// Appends the batch's lines, flushes the files, then records the batch as done with the
    /// files' new lengths. On any error the touched files are cut back to where they were.
    fn write_batch(&mut self, batch: &[Delivery]) -> Result<(), String> {
        let mut before: HashMap<String, u64> = HashMap::new();
        let result = self.try_write_batch(batch, &mut before);
        if result.is_err() {
            for (name, length) in before {
                if let Some(file) = self.files.get(&name) {
                    let _ = file.set_len(length);
                }
                self.lengths.insert(name, length);
            }
        }
        result
    }

    fn try_write_batch(
        &mut self,
        batch: &[Delivery],
        before: &mut HashMap<String, u64>,
    ) -> Result<(), String> {
        for delivery in batch {
            let Some(group) = log_group(&delivery.arn) else {
                continue;
            };
            let name = log_file_name(group);
            if !self.files.contains_key(&name) {
                let path = self.journal.logs_dir().join(&name);
                let file = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let length = file.metadata().map_err(|e| e.to_string())?.len();
                self.lengths.insert(name.clone(), length);
                self.files.insert(name.clone(), file);
            }
            let length = self.lengths.get(&name).copied().unwrap_or(0);
            before.entry(name.clone()).or_insert(length);
            let line = log_line(&delivery.payload);
            if let Some(file) = self.files.get_mut(&name) {
                file.write_all(line.as_bytes())
                    .map_err(|e| format!("{name}: {e}"))?;
            }
            self.lengths.insert(name, length + line.len() as u64);
        }
        let mut touched = HashMap::new();
        for name in before.keys() {
            if let Some(file) = self.files.get(name) {
                file.sync_data().map_err(|e| format!("{name}: {e}"))?;
            }
            touched.insert(name.clone(), self.lengths[name]);
        }
        let keys: Vec<(u64, u32)> = batch.iter().map(Delivery::key).collect();
        self.journal
            .record_done(&keys, touched)
            .map_err(|e| format!("progress record: {e}"))
    }
}
