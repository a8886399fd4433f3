//! `evpattern serve`: a local EventBridge that AWS's own clients (boto3, the AWS CLI, every
//! SDK) talk to, routing events through this crate's [`Matcher`](crate::Matcher) to local
//! targets.
//!
//! - [`protocol`]: the wire protocol (AWS JSON 1.1) and dispatch to operations.
//! - [`operations`]: buses, rules, targets, `TestEventPattern`.
//! - [`put_events`]: `PutEvents`: limits, events as EventBridge builds them, matching.
//! - [`state`]: the model and its state file.
//! - [`journal`]: what makes an accepted event durable, and delivery exactly-once into logs.
//! - [`delivery`]: targets: log-group files, HTTP, commands; retries and the dead-letter file.
//! - [`transform`]: `Input`, `InputPath`, `InputTransformer`.
//! - [`arn`]: the ARNs of buses and rules, and the target ARNs delivery routes by.
//!
//! Every rule of a bus lives in one compiled matcher, shared as a
//! [`SharedMatcher`](crate::SharedMatcher): a rule change is made on a copy no match can
//! see, then swapped in, so matching never waits.
//!
//! This module is behind the `server` feature; without it the crate has no async runtime.

pub mod arn;
pub mod delivery;
mod error;
pub mod journal;
pub mod operations;
pub mod protocol;
pub mod put_events;
pub mod state;
pub mod transform;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

pub use delivery::{Endpoints, RetryPolicy};
pub use error::ApiError;
pub use protocol::WireLimits;

use delivery::Deliverer;
use journal::Journal;
use state::{State, Store};

/// How a server is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// The address to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// Where the state, the journal, the log-group files and the dead-letter file live.
    pub data_dir: PathBuf,
    /// The account id events and ARNs carry.
    pub account: String,
    /// Where targets other than log groups are delivered.
    pub endpoints: Endpoints,
    /// Retries of a failing delivery.
    pub retry: RetryPolicy,
    /// Bounds on each request.
    pub limits: WireLimits,
}

impl Config {
    /// A configuration with defaults: account [`arn::DEFAULT_ACCOUNT`], no endpoints.
    pub fn new(bind: SocketAddr, data_dir: impl Into<PathBuf>) -> Config {
        Config {
            bind,
            data_dir: data_dir.into(),
            account: arn::DEFAULT_ACCOUNT.to_owned(),
            endpoints: Endpoints::default(),
            retry: RetryPolicy::default(),
            limits: WireLimits::default(),
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub struct ServerError(String);

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServerError {}

/// A running server's shared state: what every request handler and delivery task sees.
#[derive(Debug)]
pub struct Server {
    state: RwLock<State>,
    control: Mutex<()>,
    store: Store,
    journal: Arc<Journal>,
    deliverer: Arc<Deliverer>,
    account: String,
}

impl Server {
    /// Opens the data directory: loads the state, recovers the journal, and resumes the
    /// deliveries still owed. Call from inside a tokio runtime.
    pub fn open(config: &Config) -> Result<Arc<Server>, ServerError> {
        let io = |what: &str, e: std::io::Error| ServerError(format!("{what}: {e}"));
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| io(&config.data_dir.display().to_string(), e))?;
        let store = Store::new(&config.data_dir);
        let state = store.load().map_err(|e| ServerError(e.to_string()))?;
        let (journal, recovered) = Journal::open(&config.data_dir).map_err(|e| io("journal", e))?;
        let journal = Arc::new(journal);
        let deliverer = Deliverer::start(journal.clone(), config.endpoints.clone(), config.retry)
            .map_err(|e| io("delivery", e))?;
        deliverer.dispatch(recovered.pending);
        Ok(Arc::new(Server {
            state: RwLock::new(state),
            control: Mutex::new(()),
            store,
            journal,
            deliverer,
            account: config.account.clone(),
        }))
    }
}

/// Binds, opens the data directory, calls `ready` with the bound address, and serves until
/// the process ends. Call from inside a tokio runtime.
pub async fn serve(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServerError> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| ServerError(format!("cannot listen on {}: {e}", config.bind)))?;
    let address = listener
        .local_addr()
        .map_err(|e| ServerError(e.to_string()))?;
    let server = Server::open(&config)?;
    ready(address);
    protocol::accept(listener, server, config.limits).await;
    Ok(())
}

/// [`serve`] on a runtime of its own, until Ctrl-C or SIGTERM.
pub fn run(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServerError(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .map_err(|e| ServerError(e.to_string()))?;
        tokio::select! {
            served = serve(config, ready) => served,
            _ = tokio::signal::ctrl_c() => Ok(()),
            _ = terminate.recv() => Ok(()),
        }
    })
}

fn now_seconds() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The current time as EventBridge writes an event's `time`: RFC 3339, UTC, whole seconds.
fn now_rfc3339() -> String {
    rfc3339_from_epoch(now_seconds() as f64).unwrap_or_default()
}

/// Seconds since the epoch (as AWS's JSON protocol sends timestamps) in RFC 3339, whole
/// seconds, UTC.
fn rfc3339_from_epoch(seconds: f64) -> Option<String> {
    if !seconds.is_finite() {
        return None;
    }
    let time = time::OffsetDateTime::from_unix_timestamp(seconds.floor() as i64).ok()?;
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time.format(&format).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_whole_seconds_in_utc() {
        assert_eq!(
            super::rfc3339_from_epoch(1_779_157_378.75).as_deref(),
            Some("2026-05-19T02:22:58Z")
        );
        assert_eq!(super::rfc3339_from_epoch(f64::NAN), None);
        assert_eq!(super::rfc3339_from_epoch(1e300), None);
    }
}
