//! Matching from many threads while the rules change: every answer must be exactly right for
//! one complete rule set, the one the match saw.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use evpattern::matcher::{MatchScratch, SharedMatcher};
use evpattern::Matcher;

const RULES: u32 = 40;
const VERSIONS: u32 = 150;
/// Keys from here on mark the version of the rule set.
const VERSION_KEY: u32 = 1_000;

/// Whether rule `k` (matching events whose `n` holds `k`) is in version `v` of the rule set.
fn present(k: u32, v: u32) -> bool {
    (k * 7 + v * 13) % 5 < 3
}

fn rule(k: u32) -> String {
    format!(r#"{{"n": [{k}], "probe": [{{"exists": true}}]}}"#)
}

/// One event that matches every present rule and the version marker.
fn probe_event() -> String {
    let all: Vec<String> = (0..RULES).map(|k| k.to_string()).collect();
    format!(r#"{{"probe": true, "n": [{}]}}"#, all.join(", "))
}

/// Checks one answer: exactly one version marker, and exactly that version's rules.
fn check(answer: &[u32]) {
    let versions: Vec<u32> = answer
        .iter()
        .filter(|&&k| k >= VERSION_KEY)
        .map(|k| k - VERSION_KEY)
        .collect();
    assert_eq!(versions.len(), 1, "not one version in {answer:?}");
    let v = versions[0];
    let mut rules: Vec<u32> = answer
        .iter()
        .copied()
        .filter(|&k| k < VERSION_KEY)
        .collect();
    rules.sort();
    let expected: Vec<u32> = (0..RULES).filter(|&k| present(k, v)).collect();
    assert_eq!(rules, expected, "version {v}");
}

#[test]
fn eight_threads_match_while_rules_are_added_and_removed() {
    let mut initial = Matcher::new();
    for k in (0..RULES).filter(|&k| present(k, 0)) {
        initial.add_rule(k, &rule(k)).unwrap();
    }
    initial
        .add_rule(VERSION_KEY, r#"{"probe": [true]}"#)
        .unwrap();
    let shared = Arc::new(SharedMatcher::from_matcher(initial));
    let done = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(AtomicUsize::new(0));
    let event = probe_event();

    let readers: Vec<_> = (0..8)
        .map(|thread| {
            let (shared, done, answers, event) =
                (shared.clone(), done.clone(), answers.clone(), event.clone());
            std::thread::spawn(move || {
                let mut scratch = MatchScratch::new();
                let mut out = Vec::new();
                let mut checked = 0;
                while !done.load(Ordering::Acquire) || checked < 50 {
                    if thread % 2 == 0 {
                        check(&shared.matches(event.as_bytes()).unwrap());
                    } else {
                        out.clear();
                        shared
                            .snapshot()
                            .matches_into(event.as_bytes(), &mut scratch, &mut out)
                            .unwrap();
                        check(&out);
                    }
                    checked += 1;
                }
                answers.fetch_add(checked, Ordering::Relaxed);
            })
        })
        .collect();

    for v in 1..VERSIONS {
        shared
            .update(|m| -> Result<(), evpattern::PatternError> {
                assert!(m.remove_rule(&(VERSION_KEY + v - 1)));
                for k in 0..RULES {
                    match (present(k, v - 1), present(k, v)) {
                        (false, true) => m.add_rule(k, &rule(k))?,
                        (true, false) => assert!(m.remove_rule(&k)),
                        _ => {}
                    }
                }
                m.add_rule(VERSION_KEY + v, r#"{"probe": [true]}"#)
            })
            .unwrap();
        std::thread::yield_now();
    }
    done.store(true, Ordering::Release);
    for reader in readers {
        reader.join().unwrap();
    }
    assert!(answers.load(Ordering::Relaxed) >= 8 * 50);
    check(&shared.matches(event.as_bytes()).unwrap());
    assert_eq!(
        shared.snapshot().len() as u32,
        1 + (0..RULES).filter(|&k| present(k, VERSIONS - 1)).count() as u32
    );
}

#[test]
fn a_failed_update_changes_nothing() {
    let shared: SharedMatcher<&str> = SharedMatcher::new();
    shared.add_rule("a", r#"{"x": [1]}"#).unwrap();
    let result = shared.update(|m| {
        m.remove_rule(&"a");
        m.add_rule("b", r#"{"x": 1}"#)
    });
    assert!(result.is_err());
    assert_eq!(shared.matches(br#"{"x": 1}"#).unwrap(), vec!["a"]);
    assert!(shared.remove_rule(&"a"));
    assert!(!shared.remove_rule(&"a"));
    assert!(shared.snapshot().is_empty());
}

#[test]
fn matchers_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Matcher<String>>();
    assert_send_sync::<SharedMatcher<String>>();
    assert_send_sync::<MatchScratch>();
}

/// Single changes reuse the matcher the previous change replaced (replaying that change on
/// it) rather than copying the current one; a snapshot held across changes forces the copy
/// instead. Either way every change must leave exactly the rule set a plain `Matcher` given
/// the same changes has, enough changes to trigger the rebuild that drops removed rules, and
/// the held snapshot must keep its own rule set.
#[test]
fn single_changes_agree_with_a_plain_matcher_whether_or_not_a_snapshot_is_held() {
    let shared: SharedMatcher<u32> = SharedMatcher::new();
    let mut plain: Matcher<u32> = Matcher::new();
    let event = probe_event();
    let mut held = None;
    for step in 0..400u32 {
        let k = (step * 17) % RULES;
        if step % 3 == 2 {
            assert_eq!(shared.remove_rule(&k), plain.remove_rule(&k), "step {step}");
        } else if step % 7 == 3 {
            let existed = plain.remove_rule(&k);
            plain.add_rule(k, &rule(k)).unwrap();
            assert_eq!(
                shared.replace_rule(k, &rule(k)).unwrap(),
                existed,
                "step {step}"
            );
        } else {
            shared.add_rule(k, &rule(k)).unwrap();
            plain.add_rule(k, &rule(k)).unwrap();
        }
        if step % 50 == 0 {
            // Held across the next changes, then released.
            held = Some((shared.snapshot(), plain.matches(event.as_bytes()).unwrap()));
        } else if step % 50 == 7 {
            let (snapshot, then) = held.take().expect("taken at a multiple of 50");
            assert_eq!(snapshot.matches(event.as_bytes()).unwrap(), then);
        }
        assert_eq!(
            shared.matches(event.as_bytes()).unwrap(),
            plain.matches(event.as_bytes()).unwrap(),
            "step {step}"
        );
        assert_eq!(shared.snapshot().len(), plain.len(), "step {step}");
    }
    // An update in between (not replayable) and more single changes.
    shared
        .update::<(), ()>(|m| {
            m.remove_rule(&0);
            Ok(())
        })
        .unwrap();
    plain.remove_rule(&0);
    for k in 0..RULES {
        shared.add_rule(k + RULES, &rule(k)).unwrap();
        plain.add_rule(k + RULES, &rule(k)).unwrap();
        assert_eq!(
            shared.matches(event.as_bytes()).unwrap(),
            plain.matches(event.as_bytes()).unwrap()
        );
    }
}
