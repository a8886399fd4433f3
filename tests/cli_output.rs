//! Every command's output when standard output cannot take it: a reader that has gone
//! (`| head -1`) ends the command quietly with status 0; any other write error (`> /dev/full`)
//! is `cannot write output: <reason>` on stderr and status 2. Never a panic (status 101).

use std::io::Write;
use std::process::{Command, Stdio};

const EVENT: &str = r#"{"id":"1","account":"1","source":"s","time":"t","region":"r","detail-type":"d","detail":{"x":1}}"#;

/// Each command with an answer to print, reading one input from standard input (so that it
/// writes only after the test has closed the output), and that input.
fn commands() -> Vec<(Vec<&'static str>, String)> {
    vec![
        (vec!["dsl", "-"], "detail.x == 1".to_owned()),
        (
            vec!["dsl", "--from-pattern", "-"],
            r#"{"detail":{"x":[1]}}"#.to_owned(),
        ),
        (
            vec![
                "test",
                "--event-pattern",
                r#"{"detail":{"x":[1]}}"#,
                "--event",
                "-",
            ],
            EVENT.to_owned(),
        ),
        (
            vec![
                "test",
                "--explain",
                "--rule",
                "detail.x == 2",
                "--event",
                "-",
            ],
            EVENT.to_owned(),
        ),
        (
            vec!["match", "--rule", "x=detail.x == 1", "--jobs", "1"],
            format!("{EVENT}\n").repeat(10_000),
        ),
        (
            vec![
                "match",
                "--rule",
                "x=detail.x == 1",
                "--jobs",
                "3",
                "--count",
            ],
            format!("{EVENT}\n").repeat(10_000),
        ),
    ]
}

/// Runs `args` with `stdin`, its standard output going to `stdout`; returns the status code
/// and standard error.
fn run_into(args: &[&str], stdin: &str, stdout: Stdio) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_evpattern"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_full_device_is_an_error_with_its_reason() {
    for (args, stdin) in commands() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full exists on the systems the tests run on");
        let (code, stderr) = run_into(&args, &stdin, Stdio::from(full));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write output: No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_reader_that_has_gone_ends_the_command_quietly() {
    for (args, stdin) in commands() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_evpattern"))
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes before the command has its input, so before it writes anything.
        drop(child.stdout.take());
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin.as_bytes());
        drop(input);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("cannot write output"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn help_to_a_full_device_is_an_error_too() {
    for args in [vec!["--help"], vec!["match", "--help"], vec!["--version"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let (code, stderr) = run_into(&args, "", Stdio::from(full));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write output"), "{args:?}: {stderr}");
    }
}

/// `evpattern serve` on a free loopback port with a fresh data directory, its standard
/// output going to `stdout`.
#[cfg(feature = "server")]
fn serve(stdout: Stdio) -> std::process::Child {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let data = std::env::temp_dir().join(format!(
        "evpattern-cli-output-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    Command::new(env!("CARGO_BIN_EXE_evpattern"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The child's status once it has exited, waiting at most 30 s (then it is killed).
#[cfg(feature = "server")]
fn exit_within(child: &mut std::process::Child) -> Option<i32> {
    for _ in 0..300 {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("still running after 30 s");
}

#[cfg(feature = "server")]
#[test]
fn serve_and_send_saasus_write_their_output_as_every_command_does() {
    use std::io::{BufRead, Read};
    // serve's address line to a full device: an error, and the server does not start.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut child = serve(Stdio::from(full));
    assert_eq!(exit_within(&mut child), Some(2));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("evpattern serve: cannot write output: No space left on device"),
        "{stderr}"
    );

    // A reader that has gone does not stop the server: it goes on to listen.
    let mut child = serve(Stdio::piped());
    drop(child.stdout.take());
    let mut said = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    assert!(
        said.starts_with("evpattern serve: listening on http://127.0.0.1:"),
        "{said}"
    );
    assert_eq!(child.try_wait().unwrap(), None, "the server runs on");
    child.kill().unwrap();
    child.wait().unwrap();

    // send-saasus against a running server: PutEvents' answer (entries fail: no such bus).
    let mut server = serve(Stdio::piped());
    let mut url = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let args = [
        "send-saasus",
        "--endpoint-url",
        url.trim(),
        "--bus",
        "aws.partner/saasus.io/x/event",
        "--sample",
        "1",
    ];
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let (code, stderr) = run_into(&args, "", Stdio::from(full));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("evpattern send-saasus: cannot write output: No space left on device"),
        "{stderr}"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_evpattern"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    server.kill().unwrap();
    server.wait().unwrap();
}
