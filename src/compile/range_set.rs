//! Inclusive intervals with targets: numeric ranges (as order-preserving keys) and CIDR
//! networks (as 128-bit numbers), found by binary search.

use super::targets::{push_target, Targets};

/// Inclusive intervals with targets; a point query reports every interval containing it.
#[derive(Clone, Debug)]
pub(super) struct RangeSet<T> {
    /// Sorted by (lower, upper) bound; one entry per distinct interval.
    intervals: Vec<(T, T, Targets)>,
    /// `max_upper[i]`: the largest upper bound among `intervals[..=i]`.
    max_upper: Vec<T>,
}

impl<T> Default for RangeSet<T> {
    fn default() -> Self {
        RangeSet {
            intervals: Vec::new(),
            max_upper: Vec::new(),
        }
    }
}

impl<T: Ord + Copy> RangeSet<T> {
    pub(super) fn add(&mut self, lo: T, hi: T, target: u32) {
        let at = match self
            .intervals
            .binary_search_by(|iv| (iv.0, iv.1).cmp(&(lo, hi)))
        {
            Ok(at) => {
                push_target(&mut self.intervals[at].2, target);
                return;
            }
            Err(at) => at,
        };
        self.intervals.insert(at, (lo, hi, vec![target]));
        self.max_upper.truncate(at);
        let mut max = at
            .checked_sub(1)
            .and_then(|i| self.max_upper.get(i).copied());
        for interval in &self.intervals[at..] {
            let m = match max {
                Some(m) if m >= interval.1 => m,
                _ => interval.1,
            };
            max = Some(m);
            self.max_upper.push(m);
        }
    }

    pub(super) fn query(&self, point: T, emit: &mut impl FnMut(&[u32])) {
        let end = self.intervals.partition_point(|iv| iv.0 <= point);
        for i in (0..end).rev() {
            if self.max_upper.get(i).is_some_and(|&m| m < point) {
                break;
            }
            if let Some((_, hi, targets)) = self.intervals.get(i) {
                if *hi >= point {
                    emit(targets);
                }
            }
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    pub(super) fn len(&self) -> usize {
        self.intervals.len()
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.intervals.capacity() * (2 * std::mem::size_of::<T>() + 24)
            + self
                .intervals
                .iter()
                .map(|iv| iv.2.capacity() * 4)
                .sum::<usize>()
            + self.max_upper.capacity() * std::mem::size_of::<T>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_find_every_containing_interval() {
        let mut set = RangeSet::default();
        set.add(1u64, 10, 0);
        set.add(5, 6, 1);
        set.add(2, 3, 2);
        set.add(8, 20, 3);
        let hits = |p: u64| {
            let mut out = Vec::new();
            set.query(p, &mut |t: &[u32]| out.extend_from_slice(t));
            out.sort();
            out
        };
        assert_eq!(hits(0), Vec::<u32>::new());
        assert_eq!(hits(5), vec![0, 1]);
        assert_eq!(hits(9), vec![0, 3]);
        assert_eq!(hits(15), vec![3]);
        assert_eq!(hits(3), vec![0, 2]);
    }
}
