//! A map from `u64` keys to `u32` values for per-event bookkeeping of the walk: emptied in
//! constant time between events, and cheaper per operation than a general hash map.
//!
//! The walk's keys pack two dense per-event numbers (a state or transition and an array
//! element, a field and an element): a multiplicative hash spreads them well enough for linear
//! probing, and stamping each slot with the generation that wrote it makes clearing a counter
//! increment instead of a pass over the table.

/// Open addressing, linear probing, power-of-two capacity, at most half full.
#[derive(Debug)]
pub(crate) struct StampedMap {
    slots: Vec<Slot>,
    /// The generation of live slots; slots with another stamp are empty.
    generation: u32,
    len: usize,
}

#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: u64,
    value: u32,
    generation: u32,
}

const INITIAL_CAPACITY: usize = 64;

impl Default for StampedMap {
    fn default() -> StampedMap {
        StampedMap {
            slots: Vec::new(),
            generation: 1,
            len: 0,
        }
    }
}

impl StampedMap {
    /// Removes every entry.
    pub(crate) fn clear(&mut self) {
        if self.len == 0 {
            return;
        }
        self.len = 0;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Stamps of the first generation could read as live again: forget them all.
            self.slots.iter_mut().for_each(|s| s.generation = 0);
            self.generation = 1;
        }
    }

    /// The first slot to probe for `key`.
    fn home(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        // Fibonacci hashing: the high bits of the product depend on every bit of the key.
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// The value of `key`, if present.
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let slot = self.slots.get(at)?;
            if slot.generation != self.generation {
                return None;
            }
            if slot.key == key {
                return Some(slot.value);
            }
            at = (at + 1) & mask;
        }
    }

    /// The value of `key`, inserting `value` first when absent; and whether it was absent.
    #[inline]
    pub(crate) fn get_or_insert(&mut self, key: u64, value: u32) -> (u32, bool) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let generation = self.generation;
        let mut at = self.home(key);
        loop {
            let Some(slot) = self.slots.get_mut(at) else {
                return (value, true);
            };
            if slot.generation != generation {
                *slot = Slot {
                    key,
                    value,
                    generation,
                };
                self.len += 1;
                return (value, true);
            }
            if slot.key == key {
                return (slot.value, false);
            }
            at = (at + 1) & mask;
        }
    }

    /// Inserts `key` (with value 0) when absent; whether it was absent.
    #[inline]
    pub(crate) fn insert(&mut self, key: u64) -> bool {
        self.get_or_insert(key, 0).1
    }

    // Rare (the table keeps its size across events): kept out of the inlined probe loop.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let capacity = (self.slots.len() * 2).max(INITIAL_CAPACITY);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); capacity]);
        let generation = self.generation;
        self.len = 0;
        // Fresh slots carry stamp 0, which no generation uses.
        for slot in old.into_iter().filter(|s| s.generation == generation) {
            self.get_or_insert(slot.key, slot.value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StampedMap;
    use std::collections::HashMap;

    #[test]
    fn behaves_as_a_map_across_clears_and_growth() {
        let mut map = StampedMap::default();
        let mut model = HashMap::new();
        let mut x: u64 = 1;
        for round in 0..50u32 {
            for i in 0..(round * 7 % 300) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Few distinct keys, so that repeats happen.
                let key = ((x >> 40) % 500) | (u64::from(i % 3) << 32);
                let expected_new = !model.contains_key(&key);
                let value = model.entry(key).or_insert(i);
                assert_eq!(map.get_or_insert(key, i), (*value, expected_new));
            }
            for (&key, &value) in &model {
                assert_eq!(map.get(key), Some(value));
            }
            for key in 0..600u64 {
                assert_eq!(map.get(key), model.get(&key).copied());
            }
            map.clear();
            model.clear();
            assert_eq!(map.get(x >> 40), None);
        }
    }

    #[test]
    fn generation_wrap_forgets_old_entries() {
        let mut map = StampedMap::default();
        assert!(map.insert(7));
        map.generation = u32::MAX;
        assert!(map.insert(8));
        map.clear();
        assert_eq!(map.generation, 1);
        assert_eq!(map.get(7), None);
        assert_eq!(map.get(8), None);
        assert!(map.insert(7));
        assert!(!map.insert(7));
    }
}
