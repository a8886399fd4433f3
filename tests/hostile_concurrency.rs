//! Concurrency under load: eight threads match through one `SharedMatcher` while a writer
//! swaps the rule set 1,000 times. Every answer must be exactly the answer of one complete
//! rule set, the one the thread saw (each rule's key carries its set's number), and no
//! thread may see an older set after a newer one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use evpattern::json::JsonNode;
use evpattern::matcher::SharedMatcher;
use evpattern::reference;
use evpattern::Pattern;

const SWAPS: u32 = 1_000;
const READERS: usize = 8;

/// A rule's key: (rule set, rule within the set).
type Key = (u32, u8);

/// The rules of set `n`. Every event has `kind`, so rule 0 always matches and every answer
/// names the set it came from; the others' answers depend on `n`. Odd sets have one rule
/// fewer, so the sets differ in shape too.
fn rule_set(n: u32) -> Vec<(Key, String)> {
    let mut rules = vec![
        ((n, 0), r#"{"kind": [{"exists": true}]}"#.to_owned()),
        ((n, 1), format!(r#"{{"v": [{{"numeric": [">=", {n}]}}]}}"#)),
        ((n, 2), format!(r#"{{"kind": ["k{}"]}}"#, n % 3)),
        ((n, 3), format!(r#"{{"s": [{{"prefix": "p{}"}}]}}"#, n % 10)),
        (
            (n, 4),
            format!(
                r#"{{"$or": [{{"v": [{}]}}, {{"e": {{"f": ["A"], "l": ["S{}"]}}}}]}}"#,
                n % 7,
                n % 2
            ),
        ),
    ];
    if n.is_multiple_of(2) {
        rules.push((
            (n, 5),
            r#"{"e": {"f": [{"anything-but": "A"}], "l": ["S0"]}}"#.to_owned(),
        ));
    }
    rules
}

const EVENTS: &[&str] = &[
    r#"{"kind": "k0", "v": 0, "s": "p0"}"#,
    r#"{"kind": "k1", "v": 250, "s": "p3x"}"#,
    r#"{"kind": "k2", "v": 500, "s": "p7"}"#,
    r#"{"kind": "k0", "v": 999, "e": [{"f": "A", "l": "S1"}, {"f": "B", "l": "S0"}]}"#,
    r#"{"kind": "k1", "v": 1000, "e": [{"f": "A", "l": "S0"}]}"#,
    r#"{"kind": "k2", "v": 3, "s": ["p1", "p9"], "e": {"f": "B", "l": "S0"}}"#,
];

/// `expected[n][e]`: the sorted keys set `n` matches for event `e`, from the reference
/// matcher.
fn expected_answers() -> Vec<Vec<Vec<Key>>> {
    let events: Vec<JsonNode> = EVENTS
        .iter()
        .map(|e| JsonNode::parse(e, 8).unwrap())
        .collect();
    (0..=SWAPS)
        .map(|n| {
            let rules: Vec<(Key, Pattern)> = rule_set(n)
                .into_iter()
                .map(|(key, text)| (key, Pattern::parse(&text).unwrap()))
                .collect();
            events
                .iter()
                .map(|event| {
                    rules
                        .iter()
                        .filter(|(_, pattern)| reference::matches(pattern, event))
                        .map(|(key, _)| *key)
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Checks one answer: all keys from one set, equal to that set's answer; returns the set.
fn check(expected: &[Vec<Vec<Key>>], event: usize, mut keys: Vec<Key>) -> u32 {
    let set = keys.first().expect("rule 0 always matches").0;
    assert!(
        keys.iter().all(|key| key.0 == set),
        "mixed rule sets: {keys:?}"
    );
    keys.sort_unstable();
    assert_eq!(
        keys, expected[set as usize][event],
        "set {set}, event {event}"
    );
    set
}

#[test]
fn readers_always_see_one_complete_rule_set_while_a_writer_swaps_1000_times() {
    let expected = Arc::new(expected_answers());
    // Sanity: the sets really differ in their answers.
    let distinct: std::collections::HashSet<Vec<Vec<u8>>> = expected
        .iter()
        .map(|per_event| {
            per_event
                .iter()
                .map(|keys| keys.iter().map(|k| k.1).collect())
                .collect()
        })
        .collect();
    assert!(distinct.len() > 20, "{} distinct answers", distinct.len());

    let shared = Arc::new(SharedMatcher::<Key>::new());
    shared
        .update(|m| {
            for (key, text) in rule_set(0) {
                m.add_rule(key, &text)?;
            }
            Ok::<(), evpattern::PatternError>(())
        })
        .unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(READERS + 1));
    let readers: Vec<_> = (0..READERS)
        .map(|reader| {
            let (shared, expected, done, start) = (
                Arc::clone(&shared),
                Arc::clone(&expected),
                Arc::clone(&done),
                Arc::clone(&start),
            );
            thread::spawn(move || {
                start.wait();
                let mut last_set = 0;
                let mut answers = 0u64;
                let mut sets_seen = std::collections::HashSet::new();
                let mut round = reader;
                loop {
                    let finished = done.load(Ordering::Acquire);
                    if reader % 2 == 0 {
                        // Through the shared handle, one event at a time.
                        for (event, text) in EVENTS.iter().enumerate() {
                            let keys = shared.matches(text.as_bytes()).unwrap();
                            let set = check(&expected, event, keys);
                            assert!(set >= last_set, "went back from set {last_set} to {set}");
                            last_set = set;
                            sets_seen.insert(set);
                            answers += 1;
                        }
                    } else {
                        // One snapshot for a round of events: all from the same set.
                        let snapshot = shared.snapshot();
                        let mut round_set = None;
                        for i in 0..EVENTS.len() {
                            let event = (i + round) % EVENTS.len();
                            let keys = snapshot.matches(EVENTS[event].as_bytes()).unwrap();
                            let set = check(&expected, event, keys);
                            assert_eq!(*round_set.get_or_insert(set), set);
                            assert!(set >= last_set);
                            last_set = set;
                            sets_seen.insert(set);
                            answers += 1;
                        }
                        round += 1;
                    }
                    if finished {
                        break;
                    }
                }
                assert_eq!(last_set, SWAPS, "the last round must see the last set");
                (answers, sets_seen.len())
            })
        })
        .collect();

    start.wait();
    for n in 1..=SWAPS {
        shared
            .update(|m| {
                for (key, _) in rule_set(n - 1) {
                    assert!(m.remove_rule(&key));
                }
                for (key, text) in rule_set(n) {
                    m.add_rule(key, &text)?;
                }
                Ok::<(), evpattern::PatternError>(())
            })
            .unwrap();
    }
    done.store(true, Ordering::Release);

    let mut total = 0;
    let mut most_sets = 0;
    for reader in readers {
        let (answers, sets) = reader.join().expect("a reader failed");
        total += answers;
        most_sets = most_sets.max(sets);
    }
    assert!(total >= (READERS * EVENTS.len()) as u64);
    // The readers ran during the swaps, not only after them.
    assert!(most_sets > 1, "no reader saw more than one rule set");
    assert_eq!(shared.snapshot().len(), rule_set(SWAPS).len());
}
