//! `evpattern match` run as a process: rules from a file or a directory, events from a file
//! or standard input, output per line or counts, and every error path with its exit status.

mod support;

use std::path::PathBuf;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::{stderr, stdout};

fn scratch_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "evpattern-cli-match-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `evpattern match` with these arguments.
fn run_match(args: &[&str], stdin: &[u8]) -> Output {
    support::run(&[&["match"], args].concat(), stdin)
}

const RULES: &str = r#"{
    "r2": {"a": ["x"]},
    "r1": {"a": [{"prefix": "x"}]},
    "s": "{\"b\": [{\"numeric\": [\">\", 1]}]}",
    "never": {"zzz": [{"exists": true}]}
}"#;

const EVENTS: &str = "{\"a\":\"x\"}\n{\"a\":\"y\",\"b\":5}\n{\"a\":\"xz\",\"b\":[0,2]}\n{}\n";

#[test]
fn events_from_a_file_give_one_sorted_array_per_line() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let events = write(&dir, "events.ndjson", EVENTS);
    let out = run_match(
        &[
            "--rules",
            rules.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        stdout(&out),
        "[\"r1\",\"r2\"]\n[\"s\"]\n[\"r1\",\"s\"]\n[]\n"
    );
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn events_come_from_standard_input_by_default_or_with_a_dash() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let rules = rules.to_str().unwrap();
    // The last line has no newline; CRLF line ends are accepted.
    let input = b"{\"a\":\"x\"}\r\n{\"b\":1.5}";
    for args in [
        &["--rules", rules][..],
        &["--rules", rules, "--events", "-"][..],
    ] {
        let out = run_match(args, input);
        assert_eq!(stdout(&out), "[\"r1\",\"r2\"]\n[\"s\"]\n");
        assert_eq!(out.status.code(), Some(0));
    }
}

#[test]
fn malformed_lines_are_reported_in_place_and_processing_continues() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let input =
        b"{\"a\":\"x\"}\n{\"a\": tru}\n{\"a\":\"x\", \"unused\": [1,]}\n\xff\n{\"a\":\"xy\"}\n";
    let out = run_match(&["--rules", rules.to_str().unwrap()], input);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0], "[\"r1\",\"r2\"]");
    let error: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(error["line"], 2);
    assert_eq!(error["error"], "expected a value at byte 6");
    // Malformed JSON inside a field no rule uses is still an error.
    let error: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(error["line"], 3);
    let error: serde_json::Value = serde_json::from_str(lines[3]).unwrap();
    assert_eq!(error["line"], 4);
    assert_eq!(error["error"], "invalid UTF-8 at byte 0");
    assert_eq!(lines[4], "[\"r1\"]");
    assert!(stderr(&out).contains("line 2: expected a value at byte 6"));
    assert!(stderr(&out).contains("line 4: invalid UTF-8"));
    // After them all, how many there were.
    assert!(
        stderr(&out).ends_with("evpattern match: 3 lines were malformed\n"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn blank_lines_give_empty_output_lines() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let out = run_match(
        &["--rules", rules.to_str().unwrap()],
        b"\n  \n{\"a\":\"x\"}\n",
    );
    assert_eq!(stdout(&out), "\n\n[\"r1\",\"r2\"]\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn count_prints_every_rule_sorted_with_its_count() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let out = run_match(
        &["--rules", rules.to_str().unwrap(), "--count"],
        format!("{EVENTS}{{broken\n").as_bytes(),
    );
    assert_eq!(stdout(&out), "never\t0\nr1\t2\nr2\t1\ns\t2\n");
    assert!(stderr(&out).contains("line 5:"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_directory_of_json_files_names_rules_by_file_stem() {
    let dir = scratch_dir();
    let rules = dir.join("rules");
    std::fs::create_dir(&rules).unwrap();
    write(&rules, "ec2.json", r#"{"source": ["aws.ec2"]}"#);
    write(&rules, "any.json", r#"{"source": [{"exists": true}]}"#);
    write(&rules, "notes.txt", "not a rule");
    let out = run_match(
        &["--rules", rules.to_str().unwrap()],
        b"{\"source\":\"aws.ec2\"}\n{\"source\":\"aws.s3\"}\n",
    );
    assert_eq!(stdout(&out), "[\"any\",\"ec2\"]\n[\"any\"]\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_invalid_rule_stops_before_matching_and_is_named() {
    let dir = scratch_dir();
    let rules = write(
        &dir,
        "rules.json",
        r#"{"good": {"a": ["x"]}, "bad one": {"a": "x"}}"#,
    );
    let out = run_match(&["--rules", rules.to_str().unwrap()], b"{\"a\":\"x\"}\n");
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out).trim_end(),
        r#"evpattern match: rule "bad one": Event pattern is not valid. Reason: "a" must be an object or an array"#
    );
    assert_eq!(out.status.code(), Some(2));

    let rules_dir = dir.join("dir");
    std::fs::create_dir(&rules_dir).unwrap();
    write(&rules_dir, "broken.json", r#"{"a": []}"#);
    let out = run_match(&["--rules", rules_dir.to_str().unwrap()], b"{}\n");
    assert!(
        stderr(&out).contains("rule \"broken\": "),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("Empty arrays are not allowed"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreadable_or_malformed_rule_sources_are_errors() {
    let dir = scratch_dir();
    let missing = dir.join("missing.json");
    let out = run_match(&["--rules", missing.to_str().unwrap()], b"{}\n");
    assert!(stderr(&out).contains("cannot read rules from"));
    assert_eq!(out.status.code(), Some(2));

    for text in [
        "[1]",
        "{\"a\": {\"x\": [1]}} trailing",
        "{\"a\": {\"x\": [1]}, \"a\": {\"y\": [1]}}",
    ] {
        let rules = write(&dir, "rules.json", text);
        let out = run_match(&["--rules", rules.to_str().unwrap()], b"{}\n");
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert_eq!(stdout(&out), "", "{text}");
    }

    let rules = write(&dir, "ok.json", RULES);
    let out = run_match(
        &[
            "--rules",
            rules.to_str().unwrap(),
            "--events",
            dir.join("no-events").to_str().unwrap(),
        ],
        b"",
    );
    assert!(stderr(&out).contains("cannot read events from"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn depth_limit_is_configurable() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let out = run_match(
        &["--rules", rules.to_str().unwrap(), "--max-depth", "2"],
        b"{\"a\":[\"x\"]}\n{\"a\":[[\"x\"]]}\n",
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "[\"r1\",\"r2\"]");
    assert!(
        lines[1].contains("nesting deeper than 2 levels"),
        "{}",
        lines[1]
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_describes_output_and_exit_status() {
    let out = run_match(&["--help"], b"");
    let help = stdout(&out);
    for expected in [
        "--rules",
        "--events",
        "--count",
        "--max-depth",
        "--max-event-size",
        "--rule ",
        "--saasus",
        "*.evp",
        "EXIT STATUS",
        "blank line",
    ] {
        assert!(help.contains(expected), "{expected} missing from:\n{help}");
    }
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_directory_may_hold_filter_language_rules_beside_patterns() {
    let dir = scratch_dir();
    let rules = dir.join("rules");
    std::fs::create_dir(&rules).unwrap();
    write(&rules, "ec2.json", r#"{"source": ["aws.ec2"]}"#);
    write(
        &rules,
        "running.evp",
        "source == \"aws.ec2\"\nand detail.state in [\"running\", \"pending\"]\n",
    );
    write(&rules, "s3.evp", r#"source starts with "aws.s3""#);
    let out = run_match(
        &["--rules", rules.to_str().unwrap()],
        concat!(
            "{\"source\":\"aws.ec2\",\"detail\":{\"state\":\"running\"}}\n",
            "{\"source\":\"aws.ec2\",\"detail\":{\"state\":\"stopped\"}}\n",
            "{\"source\":\"aws.s3.x\"}\n",
        )
        .as_bytes(),
    );
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "[\"ec2\",\"running\"]\n[\"ec2\"]\n[\"s3\"]\n");
    assert_eq!(out.status.code(), Some(0));

    // A filter-language error names the rule and stops before matching.
    write(&rules, "broken.evp", "source ==");
    let out = run_match(&["--rules", rules.to_str().unwrap()], b"{}\n");
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).starts_with("evpattern match: rule \"broken\": "),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));

    // The same name as a .json and a .evp file is defined twice.
    std::fs::remove_file(rules.join("broken.evp")).unwrap();
    write(&rules, "ec2.evp", r#"source == "aws.ec2""#);
    let out = run_match(&["--rules", rules.to_str().unwrap()], b"{}\n");
    assert!(
        stderr(&out).contains("rule \"ec2\" is defined more than once"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn inline_rules_alone_or_with_a_rules_file() {
    let events = b"{\"a\":\"x\"}\n{\"a\":\"y\",\"b\":5}\n";
    let out = run_match(
        &[
            "--rule",
            "is-x=a == \"x\"",
            "--rule",
            "big = b > 1",
            "--rule",
            "eq=a == \"y\" and b == 5",
        ],
        events,
    );
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "[\"is-x\"]\n[\"big\",\"eq\"]\n");
    assert_eq!(out.status.code(), Some(0));

    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let out = run_match(
        &["--rules", rules.to_str().unwrap(), "--rule", "big=b > 1"],
        events,
    );
    assert_eq!(
        stdout(&out),
        "[\"r1\",\"r2\"]\n[\"big\",\"s\"]\n",
        "{}",
        stderr(&out)
    );

    // A name already in the rules file, twice inline, no '=' or no name: errors.
    for args in [
        vec!["--rules", rules.to_str().unwrap(), "--rule", "s=b > 1"],
        vec!["--rule", "x=a == 1", "--rule", "x=a == 2"],
        vec!["--rule", "a == 1"],
        vec!["--rule", "=a == 1"],
        vec!["--rule", "x=a =="],
    ] {
        let out = run_match(&args, events);
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(stderr(&out).starts_with("evpattern match: "), "{args:?}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = run_match(&["--rule", "x=a == 1", "--rule", "x=a == 2"], events);
    assert!(stderr(&out).contains("rule \"x\" is defined more than once in --rule"));

    // Without --rules or --rule there is nothing to match.
    let out = run_match(&[], events);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--rules"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--rule <NAME=EXPR>"),
        "{}",
        stderr(&out)
    );
    let out = run_match(&["--rule", "a == 1"], events);
    assert!(
        stderr(&out).contains("expected NAME=EXPR"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn saasus_decodes_the_string_form_of_detail_event() {
    let samples = support::shared_file(support::SAASUS_SAMPLES_ENV, support::SAASUS_SAMPLES_PATH);
    // The first two samples carry detail.event as a JSON-encoded string, the last two as
    // an object.
    let rules = [
        "--rule",
        "tenant=api CreateTenant and status 2xx",
        "--rule",
        "user=api CreateSaasUser",
        "--rule",
        "named=detail.event.request_body.name == \"AmazonEventBridgeTest\"",
    ];
    let out = run_match(&rules, samples.as_bytes());
    assert_eq!(
        stdout(&out),
        "[]\n[]\n[\"named\",\"tenant\"]\n[\"user\"]\n",
        "{}",
        stderr(&out)
    );
    let mut with_saasus = rules.to_vec();
    with_saasus.push("--saasus");
    let out = run_match(&with_saasus, samples.as_bytes());
    assert_eq!(
        stdout(&out),
        "[\"named\",\"tenant\"]\n[\"user\"]\n[\"named\",\"tenant\"]\n[\"user\"]\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn event_size_limit_is_configurable() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let long = format!("{{\"a\":\"x\",\"pad\":\"{}\"}}", "p".repeat(1_000_000));
    // The first line is exactly 11 bytes before its CRLF.
    let input = format!("{{\"a\": \"x\" }}\r\n{long}\n{{\"a\":\"xyzw\"}}\n{{\"a\":\"x\"}}");
    let out = run_match(
        &["--rules", rules.to_str().unwrap(), "--max-event-size", "11"],
        input.as_bytes(),
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{}", stdout(&out));
    assert_eq!(lines[0], "[\"r1\",\"r2\"]");
    assert_eq!(
        lines[1],
        "{\"error\":\"event longer than 11 bytes (it has more at byte 11)\",\"line\":2}"
    );
    assert!(lines[2].contains("longer than 11 bytes"), "{}", lines[2]);
    assert_eq!(lines[3], "[\"r1\",\"r2\"]");
    assert!(stderr(&out).contains("line 2: event longer than 11 bytes"));
    assert_eq!(out.status.code(), Some(2));

    // By default the long line is matched.
    let out = run_match(&["--rules", rules.to_str().unwrap()], input.as_bytes());
    assert_eq!(
        stdout(&out),
        "[\"r1\",\"r2\"]\n[\"r1\",\"r2\"]\n[\"r1\"]\n[\"r1\",\"r2\"]\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

/// Lines of every kind, many batches of them (batches are about 64 KiB): matches, misses,
/// malformed lines, blank lines, lines over the size limit, CRLF line ends.
fn mixed_lines(count: usize) -> Vec<u8> {
    let mut input = Vec::new();
    for i in 0..count {
        let line = match i % 9 {
            0 => format!("{{\"a\":\"x{i}\",\"pad\":\"{}\"}}\n", "p".repeat(i % 200)),
            1 => format!("{{\"a\":\"x\",\"b\":{i}}}\n"),
            2 => format!("{{\"a\": tru, \"n\": {i}}}\n"),
            3 => "\n".to_owned(),
            4 => format!("{{\"b\":[0,{i}]}}\r\n"),
            5 => format!("{{\"a\":\"{}\"}}\n", "y".repeat(300)),
            6 => "   \n".to_owned(),
            7 => format!("{{\"unused\": [1,], \"i\": {i}}}\n"),
            _ => format!("{{\"a\":\"y\",\"b\":{}}}\n", i % 3),
        };
        input.extend_from_slice(line.as_bytes());
    }
    input.extend_from_slice(b"{\"a\":\"x\"}"); // the last line has no line end
    input
}

#[test]
fn threads_change_nothing_but_speed() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let events = mixed_lines(20_000);
    assert!(events.len() > 8 * 64 * 1024, "several batches per thread");
    let file = dir.join("events.ndjson");
    std::fs::write(&file, &events).unwrap();
    let rules = rules.to_str().unwrap();
    for extra in [&[][..], &["--count"][..], &["--max-event-size", "250"][..]] {
        let run = |jobs: &str, from_stdin: bool| {
            let source = if from_stdin {
                "-"
            } else {
                file.to_str().unwrap()
            };
            let args = [
                &["--rules", rules, "--events", source, "--jobs", jobs][..],
                extra,
            ]
            .concat();
            run_match(&args, if from_stdin { &events } else { b"" })
        };
        let alone = run("1", false);
        assert_eq!(
            alone.status.code(),
            Some(2),
            "{extra:?}: malformed lines fail"
        );
        for (jobs, from_stdin) in [("2", false), ("3", true), ("8", false), ("0", true)] {
            let threaded = run(jobs, from_stdin);
            assert_eq!(stdout(&threaded), stdout(&alone), "--jobs {jobs} {extra:?}");
            assert_eq!(stderr(&threaded), stderr(&alone), "--jobs {jobs} {extra:?}");
            assert_eq!(threaded.status.code(), alone.status.code());
        }
        if extra.is_empty() {
            let text = stdout(&alone);
            assert_eq!(
                text.lines().count(),
                20_001,
                "one output line per input line"
            );
            assert_eq!(text.lines().nth(3), Some(""));
            assert!(stderr(&alone).contains("line 19992: expected a value"));
        }
    }
}

#[test]
fn output_that_stops_being_read_ends_the_threads() {
    // `evpattern match ... | head -1`: the pipe closes early; the command ends, successfully.
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let events = dir.join("events.ndjson");
    std::fs::write(&events, mixed_lines(50_000)).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_evpattern"))
        .args(["match", "--rules", rules.to_str().unwrap(), "--jobs", "4"])
        .args(["--events", events.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a closed pipe is not an error");
}

#[test]
fn too_many_jobs_are_refused_with_the_maximum() {
    // `--jobs 20000` used to abort (status 134, "failed to spawn thread").
    let out = run_match(&["--rule", "x=a == 1", "--jobs", "20000"], b"{\"a\":1}\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("20000 is not in 0..=1024"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    let out = run_match(&["--rule", "x=a == 1", "--jobs", "1024"], b"{\"a\":1}\n");
    assert_eq!(
        (stdout(&out).as_str(), out.status.code()),
        ("[\"x\"]\n", Some(0))
    );
}

#[test]
fn a_thread_the_system_cannot_start_is_an_error_not_an_abort() {
    // Threads get stacks of RUST_MIN_STACK bytes: a petabyte cannot be mapped.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_evpattern"))
        .args(["match", "--rule", "x=a == 1", "--jobs", "4"])
        .env("RUST_MIN_STACK", "1000000000000000")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("evpattern match: cannot start a matching thread: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_live_stream_is_answered_line_by_line() {
    // `tail -f app.log | evpattern match ...`: each answer must come while the input stays
    // open and before the next line is written, not after 64 KiB of input. The timeout is
    // generous against a loaded machine; the old behaviour never answers within it.
    use std::io::{BufRead, Write};
    use std::time::Duration;
    for jobs in ["1", "4"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_evpattern"))
            .args(["match", "--rule", "x=a == 1", "--jobs", jobs])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let output = std::io::BufReader::new(child.stdout.take().unwrap());
        let (send, answers) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in output.lines() {
                if send.send(line.unwrap()).is_err() {
                    return;
                }
            }
        });
        for (event, answer) in [
            ("{\"a\":1}", "[\"x\"]"),
            ("{\"a\":2}", "[]"),
            ("{\"a\"", ""),
        ] {
            input.write_all(format!("{event}\n").as_bytes()).unwrap();
            input.flush().unwrap();
            let got = answers.recv_timeout(Duration::from_secs(20));
            match got {
                Ok(got) if answer.is_empty() => assert!(got.contains("\"error\""), "{got}"),
                Ok(got) => assert_eq!(got, answer, "--jobs {jobs}"),
                Err(e) => {
                    panic!("--jobs {jobs}: no answer to {event} while the input is open: {e}")
                }
            }
        }
        drop(input);
        assert_eq!(
            child.wait().unwrap().code(),
            Some(2),
            "a malformed line was read"
        );
        reader.join().unwrap();
    }
}

#[test]
fn saasus_says_which_embedded_json_could_not_be_decoded_once_per_line() {
    let broken = r#"{"detail":{"event":"{\"uri\": \"/v1/x\",}","more":"{\"a\":"}}"#;
    let fine = r#"{"detail":{"event":"{\"uri\":\"/v1/x\",\"request_body\":\"201\"}"}}"#;
    let not_json = r#"{"detail":{"event":"plain text"}}"#;
    let input = format!("{broken}\n{fine}\n{not_json}\n{broken}\n");
    let out = run_match(
        &["--saasus", "--rule", "x=detail.event.uri == \"/v1/x\""],
        input.as_bytes(),
    );
    assert_eq!(stdout(&out), "[]\n[\"x\"]\n[]\n[]\n");
    // A warning, not a malformed line.
    assert_eq!(out.status.code(), Some(0));
    let warning = "warning: detail.event holds JSON text that cannot be decoded (trailing comma at line 1 column 17), so it stays a string";
    assert_eq!(
        stderr(&out),
        format!("evpattern match: line 1: {warning}\nevpattern match: line 4: {warning}\n")
    );
}

#[test]
fn events_that_cannot_be_read_name_their_path() {
    let dir = scratch_dir();
    let out = run_match(
        &["--rule", "x=a == 1", "--events", dir.to_str().unwrap()],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "evpattern match: cannot read events from {}: it is a directory (--events takes an NDJSON file or -)\n",
            dir.display()
        )
    );
    let missing = dir.join("missing.ndjson");
    let out = run_match(
        &["--rule", "x=a == 1", "--events", missing.to_str().unwrap()],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(&format!(
        "evpattern match: cannot read events from {}: ",
        missing.display()
    )));
}

#[test]
fn one_malformed_line_is_summed_up_in_the_singular() {
    let out = run_match(&["--rule", "x=a == 1", "--count"], b"{\"a\":1}\n{\n");
    assert_eq!(stdout(&out), "x\t1\n");
    assert_eq!(
        stderr(&out),
        "evpattern match: line 2: unexpected end of input at byte 1\nevpattern match: 1 line was malformed\n"
    );
    let out = run_match(&["--rule", "x=a == 1"], b"{\"a\":1}\n\n");
    assert_eq!((out.status.code(), stderr(&out).as_str()), (Some(0), ""));
}

#[test]
fn trusted_input_answers_valid_events_as_without_it_and_every_line_of_others() {
    let dir = scratch_dir();
    let rules = write(&dir, "rules.json", RULES);
    let rules = rules.to_str().unwrap();
    let plain = run_match(&["--rules", rules], EVENTS.as_bytes());
    let trusted = run_match(&["--rules", rules, "--trusted-input"], EVENTS.as_bytes());
    assert_eq!(trusted.status.code(), Some(0), "{}", stderr(&trusted));
    assert_eq!(stdout(&trusted), stdout(&plain));
    assert_eq!(
        stdout(&trusted),
        "[\"r1\",\"r2\"]\n[\"s\"]\n[\"r1\",\"s\"]\n[]\n"
    );
    // Malformed where no rule looks: unchecked, so answered; malformed where a rule looks:
    // still an error line. Either way one output line per input line.
    let hostile = "{\"a\":\"x\",\"c\":[1,2},\"b\":0}\n{\"a\":\"x\",\"b\":tru}\n{\"a\":\"x\n";
    let out = run_match(&["--rules", rules, "--trusted-input"], hostile.as_bytes());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], "[\"r1\",\"r2\"]");
    assert!(lines[1].starts_with("{\"error\""), "{}", lines[1]);
    let plain = run_match(&["--rules", rules], hostile.as_bytes());
    assert!(stdout(&plain)
        .lines()
        .next()
        .unwrap()
        .starts_with("{\"error\""));
}

#[test]
fn trusted_input_help_states_its_contract() {
    let out = run_match(&["--help"], b"");
    let help = stdout(&out);
    assert!(help.contains("--trusted-input"), "{help}");
    assert!(help.contains("without duplicate keys"), "{help}");
    assert!(help.contains("unspecified"), "{help}");
}
