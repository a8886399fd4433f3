//! Memory per event: a long array under a field a rule uses costs the memory of its text,
//! not of its elements (issue 17: one 30 MB line took 660 MB to 2.4 GB). A counting global
//! allocator (this test binary only) records the peak of live heap bytes while one event is
//! matched with a fresh scratch, and the test bounds it by a fraction of the event's size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use evpattern::{MatchScratch, Matcher};

struct Measuring;

thread_local! {
    /// Heap bytes this thread holds, and the most it held since last reset (tests run on
    /// several threads at once; matching runs on the caller's). Bytes freed by another
    /// thread than the one that allocated them would skew these, but this binary does not
    /// pass allocations between threads.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add_live(bytes: isize) {
    // `try_with`: the allocator may be called while the thread is being torn down.
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are side
// effects only.
unsafe impl GlobalAlloc for Measuring {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add_live(layout.size() as isize);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add_live(-(layout.size() as isize));
        // SAFETY: `ptr` was allocated by `System` with `layout` (all allocations go there).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add_live(new_size as isize - layout.size() as isize);
        // SAFETY: as for `dealloc`, and the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Measuring = Measuring;

/// The most heap the match of `event` holds at once beyond what was live before it, with a
/// fresh scratch; and the rules it matched.
fn peak_while_matching(matcher: &Matcher<usize>, event: &str) -> (usize, Vec<usize>) {
    let mut out = Vec::with_capacity(16);
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let mut scratch = MatchScratch::new();
    matcher
        .matches_into(event.as_bytes(), &mut scratch, &mut out)
        .unwrap();
    let peak = (PEAK.with(Cell::get) - base) as usize;
    drop(scratch);
    out.sort();
    (peak, out)
}

/// The rules `event` matches, checking that matching it held under a tenth of its size.
fn matches_in_little_memory(matcher: &Matcher<usize>, event: &str) -> Vec<usize> {
    let (peak, matched) = peak_while_matching(matcher, event);
    assert!(
        peak < event.len() / 10,
        "{peak} bytes held for a {} byte event",
        event.len()
    );
    matched
}

fn matcher(rules: &[&str]) -> Matcher<usize> {
    let mut matcher = Matcher::new();
    for (i, rule) in rules.iter().enumerate() {
        matcher.add_rule(i, rule).unwrap();
    }
    matcher
}

#[test]
fn a_long_array_of_numbers_costs_no_memory_per_element() {
    // 1,000,000 elements, about 3 MB; before the fix about 70 bytes an element were held.
    let mut elements: Vec<String> = (0..1_000_000).map(|i| (10 + i % 90).to_string()).collect();
    elements.push("7".into());
    let event = format!(
        r#"{{"detail": {{"a": [{}]}}, "b": "x"}}"#,
        elements.join(",")
    );
    let matcher = matcher(&[
        r#"{"detail": {"a": [7]}}"#,
        r#"{"detail": {"a": [{"numeric": [">", 100]}]}}"#,
        r#"{"detail": {"a": [{"anything-but": [10]}]}, "b": ["x"]}"#,
        r#"{"detail": {"a": [{"exists": false}]}}"#,
    ]);
    assert_eq!(matches_in_little_memory(&matcher, &event), [0, 2]);
}

#[test]
fn a_long_array_of_strings_costs_no_memory_per_element() {
    // Escaped strings and a case-insensitive rule: each needs a decoded or folded copy, one
    // at a time.
    let mut elements: Vec<String> = (0..300_000)
        .map(|i| format!(r#""v\u00e9{}""#, i % 1000))
        .collect();
    elements.push(r#""LAST""#.into());
    let event = format!(r#"{{"a": [{}]}}"#, elements.join(","));
    let matcher = matcher(&[
        r#"{"a": [{"equals-ignore-case": "last"}]}"#,
        r#"{"a": ["vé999"]}"#,
        r#"{"a": [{"prefix": "w"}]}"#,
    ]);
    assert_eq!(matches_in_little_memory(&matcher, &event), [0, 1]);
}
