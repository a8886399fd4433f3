//! A global allocator that counts live and peak heap bytes, so compile memory is measured the
//! same way for every engine (their own size estimates are not comparable with each other).
//!
//! It delegates every call to the system allocator and only adds two relaxed atomic updates.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The counting allocator; install with `#[global_allocator]`.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so `System`'s
// guarantees are ours; the counters never influence what is returned.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours, forwarded.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours, forwarded.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours, forwarded.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as ours, forwarded.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

/// Heap bytes live right now.
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Forgets the peak so far; the next [`peak`] is the highest live count from now on.
pub fn reset_peak() {
    PEAK.store(live(), Ordering::Relaxed);
}

/// The highest live byte count since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// What building something cost: time, heap it keeps, and heap it needed at the worst moment.
#[derive(Clone, Copy, Debug)]
pub struct BuildCost {
    /// Wall time of the build.
    pub seconds: f64,
    /// Heap bytes still held once the build is done (the built thing's size).
    pub retained: usize,
    /// Highest heap use above the starting point during the build.
    pub peak: usize,
}

/// Builds `make()` once and measures it.
pub fn measure<T>(make: impl FnOnce() -> T) -> (T, BuildCost) {
    let before = live();
    reset_peak();
    let start = std::time::Instant::now();
    let built = make();
    let seconds = start.elapsed().as_secs_f64();
    let cost = BuildCost {
        seconds,
        retained: live().saturating_sub(before),
        peak: peak().saturating_sub(before),
    };
    (built, cost)
}
