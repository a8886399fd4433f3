//! `evpattern serve`: a local EventBridge on loopback, and `evpattern send-saasus`, which
//! sends SaaSus's test events to it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use evpattern::saasus::OPERATIONS;
use evpattern::server::{self, Config, Endpoints, RetryPolicy, WireLimits};
use serde_json::{json, Value};

use super::output::{output_failed, print};
use super::{EXIT_INVALID, EXIT_NO_MATCH};

/// The four sample events SaaSus publishes, one per line.
const SAMPLE_EVENTS: &str = include_str!("../../tests/data/saasus/sample-events.ndjson");

/// Arguments of `evpattern serve`.
#[derive(clap::Args)]
#[command(after_help = "\
Speaks EventBridge's own protocol (AWS JSON 1.1), so boto3, the AWS CLI and the SDKs work
against it with --endpoint-url / endpoint_url. Any credentials are accepted; the region is the
one the client signs for.

Targets, chosen by ARN:
  arn:aws:logs:REGION:ACCOUNT:log-group:NAME   one JSON line per event in DATA/logs/NAME.jsonl
                                               ('/' and '#' in NAME written as %2F and %23)
  an ARN given with --target-url ARN=URL       the input POSTed to URL
  an ARN given with --target-command ARN=CMD   the input on CMD's standard input (sh -c)
Deliveries that fail after every retry go to DATA/dead-letter.jsonl.

An event PutEvents answers with an EventId is on disk (DATA/journal.jsonl) before the answer
is sent: after a crash its deliveries resume, and land in log-group files exactly once.

Prints the URL it listens on to standard output once it is ready.

Example:
  evpattern serve --data-dir ./eb-data &
  aws --endpoint-url http://127.0.0.1:4010 events list-event-buses")]
pub struct Args {
    /// The address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:4010")]
    bind: SocketAddr,
    /// Where state, journal, log-group files and the dead-letter file are kept.
    #[arg(long, value_name = "DIR", default_value = "evpattern-data")]
    data_dir: PathBuf,
    /// The account id in events and ARNs.
    #[arg(long, default_value = server::arn::DEFAULT_ACCOUNT)]
    account: String,
    /// Deliver to target ARN (a Lambda function, an API destination...) by POSTing to URL.
    #[arg(long = "target-url", value_name = "ARN=URL")]
    target_urls: Vec<String>,
    /// Deliver to target ARN by running COMMAND (with sh -c) with the input on its stdin.
    #[arg(long = "target-command", value_name = "ARN=COMMAND")]
    target_commands: Vec<String>,
    /// Retries of a failing delivery before it goes to the dead-letter file.
    #[arg(long, default_value_t = 8)]
    retries: usize,
    /// The first wait before a retry, in milliseconds; it doubles each time.
    #[arg(long, default_value_t = 200)]
    retry_delay_ms: u64,
    /// The longest wait between retries, in milliseconds.
    #[arg(long, default_value_t = 30_000)]
    retry_max_delay_ms: u64,
    /// Seconds a client may take to send a request's headers, and then its body.
    #[arg(long, default_value_t = 10)]
    request_timeout: u64,
}

fn pairs(values: &[String], flag: &str) -> Result<HashMap<String, String>, String> {
    values
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .filter(|(arn, to)| !arn.is_empty() && !to.is_empty())
                .map(|(arn, to)| (arn.to_owned(), to.to_owned()))
                .ok_or_else(|| format!("{flag} wants ARN=VALUE, got {pair:?}"))
        })
        .collect()
}

/// Runs the server until it is stopped.
pub fn run(args: Args) -> ExitCode {
    let endpoints = match (
        pairs(&args.target_urls, "--target-url"),
        pairs(&args.target_commands, "--target-command"),
    ) {
        (Ok(urls), Ok(commands)) => Endpoints { urls, commands },
        (Err(e), _) | (_, Err(e)) => {
            report!("evpattern serve: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let mut config = Config::new(args.bind, &args.data_dir);
    config.account = args.account;
    config.endpoints = endpoints;
    config.retry = RetryPolicy {
        retries: args.retries,
        min_delay: Duration::from_millis(args.retry_delay_ms),
        max_delay: Duration::from_millis(args.retry_max_delay_ms.max(args.retry_delay_ms)),
    };
    config.limits = WireLimits {
        request_timeout: Duration::from_secs(args.request_timeout.max(1)),
        ..WireLimits::default()
    };
    let data_dir = args.data_dir.display().to_string();
    let served = server::run(config, |address| {
        // The address line is for a script that starts the server; one that stopped reading
        // does not stop the server. A device that cannot take it is an error, as anywhere.
        if let Err(error) = print(&format!("http://{address}\n")) {
            if error.kind() != std::io::ErrorKind::BrokenPipe {
                report!("evpattern serve: cannot write output: {error}");
                std::process::exit(i32::from(EXIT_INVALID));
            }
        }
        report!("evpattern serve: listening on http://{address}, data in {data_dir}");
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report!("evpattern serve: {e}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}

/// Arguments of `evpattern send-saasus`.
#[derive(clap::Args)]
#[command(after_help = "\
Sends, with PutEvents, what the SaaSus console's test button sends: the four published sample
events (default), one of them (--sample N), or an API-call event generated for one operation of
the SaaSus API catalogue (--operation), to a partner event bus of a local `evpattern serve`.
Prints PutEvents' answer. Exit status: 0 all accepted, 1 some entry failed, 2 error.

Examples:
  evpattern send-saasus --bus aws.partner/saasus.io/my-saas-1/event
  evpattern send-saasus --bus aws.partner/saasus.io/my-saas-1/event --operation CreateTenantUser")]
pub struct SendArgs {
    /// The server's URL.
    #[arg(long, default_value = "http://127.0.0.1:4010")]
    endpoint_url: String,
    /// The partner event bus (its name is also the events' source).
    #[arg(long)]
    bus: String,
    /// The region to send to (the region of the bus).
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Send only sample event N (1 to 4).
    #[arg(long, value_name = "N", conflicts_with = "operation")]
    sample: Option<usize>,
    /// Send a generated API-call event for this operation id (`CreateTenantUser`, or
    /// `module.OperationId` where ids repeat across modules).
    #[arg(long, value_name = "OPERATION_ID")]
    operation: Option<String>,
}

/// Sends the events and prints PutEvents' answer.
pub fn send(args: SendArgs) -> ExitCode {
    match send_events(&args) {
        Ok(answer) => {
            if let Err(error) = print(&format!("{answer}\n")) {
                return output_failed("send-saasus", &error);
            }
            if answer["FailedEntryCount"].as_u64() == Some(0) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_NO_MATCH)
            }
        }
        Err(e) => {
            report!("evpattern send-saasus: {e}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}

fn send_events(args: &SendArgs) -> Result<Value, String> {
    if !args.bus.starts_with("aws.partner/saasus.io/") {
        return Err(format!(
            "{} is not a SaaSus partner event bus (aws.partner/saasus.io/<id>/event)",
            args.bus
        ));
    }
    let details: Vec<(String, Value)> = match &args.operation {
        Some(operation) => vec![("api_call".to_owned(), api_call_detail(operation)?)],
        None => {
            let samples: Vec<Value> = SAMPLE_EVENTS
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(serde_json::from_str)
                .collect::<Result<_, _>>()
                .map_err(|e| format!("sample events: {e}"))?;
            let chosen: Vec<&Value> = match args.sample {
                Some(n) if (1..=samples.len()).contains(&n) => vec![&samples[n - 1]],
                Some(n) => {
                    return Err(format!("--sample {n}: there are {} samples", samples.len()))
                }
                None => samples.iter().collect(),
            };
            chosen
                .into_iter()
                .map(|e| {
                    let kind = e["detail-type"].as_str().unwrap_or("api_call").to_owned();
                    (kind, e["detail"].clone())
                })
                .collect()
        }
    };
    let entries: Vec<Value> = details
        .into_iter()
        .map(|(detail_type, detail)| {
            json!({
                "Source": args.bus,
                "DetailType": detail_type,
                "Detail": detail.to_string(),
                "EventBusName": args.bus,
                "Resources": [],
            })
        })
        .collect();
    let body = json!({ "Entries": entries }).to_string();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential=evpattern/20260101/{}/events/aws4_request, SignedHeaders=host, Signature=0",
        args.region
    );
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(&args.endpoint_url)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", "AWSEvents.PutEvents")
            .header("authorization", authorization)
            .body(body)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|e| format!("{}: {e}", args.endpoint_url))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("PutEvents: HTTP {status}: {text}"));
        }
        serde_json::from_str(&text).map_err(|e| format!("PutEvents answer: {e}"))
    })
}

/// The `detail` of an API-call event for `operation`, shaped as SaaSus's samples are: the
/// call record as a JSON-encoded string, its fields in SaaSus's order, path parameters filled
/// with fresh ids.
fn api_call_detail(operation: &str) -> Result<Value, String> {
    let (module, id) = match operation.split_once('.') {
        Some((module, id)) => (Some(module), id),
        None => (None, operation),
    };
    let found: Vec<_> = OPERATIONS
        .iter()
        .filter(|o| o.operation_id == id && module.is_none_or(|m| m == o.module))
        .collect();
    let op = match found.as_slice() {
        [one] => *one,
        [] => return Err(format!("{operation} is not an operation of the SaaSus API")),
        many => {
            let names: Vec<String> = many.iter().map(|o| o.qualified_name()).collect();
            return Err(format!("{operation} is ambiguous: {}", names.join(", ")));
        }
    };
    if !op.sends_events() {
        return Err(format!(
            "{operation} is a {} call: SaaSus sends no events for reads",
            op.method
        ));
    }
    let uri: String = op
        .path
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                uuid::Uuid::new_v4().to_string()
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let now = time::OffsetDateTime::now_utc();
    let stamp = |fmt: &[time::format_description::FormatItem<'_>], at: time::OffsetDateTime| {
        at.format(fmt).unwrap_or_default()
    };
    let full = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let day = time::macros::format_description!("[year]-[month]-[day]");
    let status = if op.method == "POST" { "201" } else { "200" };
    // Serialized by hand to keep SaaSus's field order, which EventBridge-side wildcards rely on.
    let field = |key: &str, value: &str| format!("{}:{}", json!(key), json!(value));
    let record = [
        field("log_id", &uuid::Uuid::new_v4().to_string()),
        field("date_time", &stamp(full, now)),
        field("date", &stamp(day, now)),
        field("ttl", &stamp(full, now + time::Duration::days(7 * 365))),
        field("http_status", status),
        field("uri", &uri),
        field("ip_address", "127.0.0.1:50000"),
        field("referer", ""),
        field("request_method", op.method),
        field("saas_id", "local_saas_id"),
        field("api_key", "local_api_key"),
        field("request_body", "{}"),
        field("response_body", "{}"),
    ]
    .join(",");
    let event_type = op
        .confirmed_event_type()
        .map_or_else(|| snake_case(op.operation_id), str::to_owned);
    Ok(json!({
        "event_type": event_type,
        "event": format!("{{{record}}}"),
        "trace_id": uuid::Uuid::new_v4().to_string(),
    }))
}

/// `CreateTenantUser` → `create_tenant_user` (SaaSus's naming for the confirmed types; for
/// the others it is the likely name, unconfirmed).
fn snake_case(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
