//! The target lists of the value indexes: which conditions (or entries) a value reaches.

/// The ids a value reaches, in the order added, without immediate repeats.
pub(crate) type Targets = Vec<u32>;

/// Adds `target` unless it is the last one added (one predicate adds its target once).
pub(crate) fn push_target(targets: &mut Targets, target: u32) {
    if targets.last() != Some(&target) {
        targets.push(target);
    }
}
