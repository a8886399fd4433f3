//! `Matcher::matches_into` allocates nothing per event once its scratch is warm: the hot path
//! of a service matching a stream of events. A counting global allocator (this test binary
//! only) checks it on events that exercise every part of the engine: arrays of objects with
//! array consistency, escaped strings, wildcards, numbers, anything-but, case folding,
//! `exists: false`, `$or`, and decoded embedded JSON.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use evpattern::{EmbeddedJson, MatchScratch, Matcher};

struct Counting;

thread_local! {
    /// Allocations made by this thread (tests run on several threads at once).
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

fn count_one() {
    // `try_with`: the allocator may be called while the thread is being torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is a side
// effect only.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (all allocations go there).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: as for `dealloc`, and the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const RULES: &[&str] = &[
    r#"{"geometry": {"coordinates": {"x": [{"numeric": ["<", -122.41]}], "y": [{"numeric": [">", 37.7]}]}}}"#,
    r#"{"geometry": {"type": ["Polygon"], "coordinates": {"z": [0]}}}"#,
    r#"{"detail": {"event": [{"wildcard": "*\"uri\":\"/v1/auth/*/users\"*"}]}}"#,
    r#"{"detail": {"event_type": [{"anything-but": {"prefix": "sign_"}}], "trace_id": [{"exists": true}]}}"#,
    r#"{"detail": {"event_type": [{"equals-ignore-case": "CREATE_TENANT"}]}}"#,
    r#"{"resources": [{"exists": false}], "source": [{"prefix": "aws.partner/"}]}"#,
    r#"{"$or": [{"region": ["ap-northeast-1"]}, {"account": [{"suffix": "005"}]}]}"#,
    r#"{"inner": {"k": ["v"], "n": [{"numeric": [">=", 1]}]}}"#,
];

const EVENTS: &[&str] = &[
    r#"{"geometry": {"type": "Polygon", "coordinates": [[{"x": -122.42, "y": 37.78, "z": 0.0},
        {"x": -122.40, "y": 37.71, "z": 1}, {"x": -122.45, "y": 37.75, "z": 0}]]}}"#,
    r#"{"source": "aws.partner/saasus.io/x", "region": "ap-northeast-1", "account": "899411123005",
        "detail": {"event_type": "create_Tenant", "trace_id": null,
        "event": "{\"uri\":\"/v1/auth/tenants/users\",\"s\":\"\\u00e9\\ud83d\\ude00\"}"}}"#,
    r#"{"detail": {"event_type": "sign_in", "event": "no \"uri\" here"}, "resources": ["r"]}"#,
    r#"{"inner": "{\"k\": \"v\", \"n\": [0, 2, 3.5e1]}", "source": "other"}"#,
    r#"{"geometry": {"coordinates": [[{"x": 1}], [{"y": 2}], []]}, "a.b": [[[]]]}"#,
];

#[test]
fn matching_allocates_nothing_once_warm() {
    let mut matcher: Matcher<usize> = Matcher::new();
    for (i, rule) in RULES.iter().enumerate() {
        matcher.add_rule(i, rule).unwrap();
    }
    matcher.set_embedded_json(EmbeddedJson::none().with_path("inner"));
    let mut scratch = MatchScratch::new();
    let mut out = Vec::with_capacity(RULES.len() * EVENTS.len());
    // Warm up: buffers grow to what these events need.
    for _ in 0..3 {
        for event in EVENTS {
            matcher
                .matches_into(event.as_bytes(), &mut scratch, &mut out)
                .unwrap();
        }
        out.clear();
    }
    let before = allocations();
    let mut matched = 0;
    for _ in 0..100 {
        for event in EVENTS {
            matcher
                .matches_into(event.as_bytes(), &mut scratch, &mut out)
                .unwrap();
            matched += out.len();
            out.clear();
        }
    }
    let allocations = allocations() - before;
    assert_eq!(allocations, 0, "allocations while matching warm");
    // The events do match (the test measures real work): per round, rules 0 and 1 on the
    // first event; 2, 3, 4, 5 and 6 on the second; 7 on the fourth.
    assert_eq!(matched, 100 * 8);
}

#[test]
fn per_event_matches_are_the_expected_ones() {
    let mut matcher: Matcher<usize> = Matcher::new();
    for (i, rule) in RULES.iter().enumerate() {
        matcher.add_rule(i, rule).unwrap();
    }
    matcher.set_embedded_json(EmbeddedJson::none().with_path("inner"));
    let got: Vec<Vec<usize>> = EVENTS
        .iter()
        .map(|e| {
            let mut m = matcher.matches(e.as_bytes()).unwrap();
            m.sort();
            m
        })
        .collect();
    assert_eq!(
        got,
        vec![vec![0, 1], vec![2, 3, 4, 5, 6], vec![], vec![7], vec![]]
    );
}
