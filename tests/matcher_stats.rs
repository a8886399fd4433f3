//! `Matcher::stats().bytes` is an estimate of the matcher's heap, so it must stay close to
//! what the matcher really holds: a byte-counting global allocator (this test binary only,
//! which has a single test so that nothing else allocates meanwhile) measures the heap a
//! matcher retains and compares.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use evpattern::Matcher;

struct Counting;

/// Bytes allocated and not yet freed, by every thread.
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is a side
// effect only.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout` (all allocations go there).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: as for `dealloc`, and the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Rule `i` of a set mixing the kinds of predicate, on a few fields.
fn rule(i: usize) -> String {
    match i % 5 {
        0 => format!(r#"{{"detail": {{"event_type": ["event_{i}"]}}}}"#),
        1 => format!(r#"{{"source": [{{"prefix": "aws.partner/saasus.io/{i}"}}]}}"#),
        2 => format!(r#"{{"detail": {{"event": [{{"wildcard": "*\"uri\":\"/v1/{i}/*\"*"}}]}}}}"#),
        3 => format!(r#"{{"account": [{{"anything-but": ["{i}", "x{i}"]}}], "region": ["r{i}"]}}"#),
        _ => format!(
            r#"{{"detail": {{"size": [{{"numeric": [">", {i}, "<=", {}]}}]}}}}"#,
            i + 7
        ),
    }
}

#[test]
fn stats_bytes_are_close_to_the_heap_a_matcher_holds() {
    let rules: Vec<String> = (0..20_000).map(rule).collect();
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let mut matcher: Matcher<usize> = Matcher::new();
    for (key, rule) in rules.iter().enumerate() {
        matcher.add_rule(key, rule).unwrap();
    }
    let held = (LIVE_BYTES.load(Ordering::Relaxed) - before) as f64;
    let reported = matcher.stats().bytes as f64;
    let ratio = reported / held;
    assert!(
        (0.7..=1.4).contains(&ratio),
        "stats() reports {reported} bytes, the matcher holds {held} ({ratio:.2}x)"
    );
}
