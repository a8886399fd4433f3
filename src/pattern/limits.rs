//! The bounds a pattern must stay within, so that no pattern can make parsing or matching
//! unreasonably expensive.

/// Bounds checked by [`Pattern::parse_with`](super::Pattern::parse_with). Build one with
/// the `with_*` setters:
///
/// ```
/// use evpattern::pattern::{ErrorKind, Limits};
/// use evpattern::Pattern;
///
/// let tight = Limits::default().with_max_depth(3);
/// let err = Pattern::parse_with(r#"{"a": {"b": {"c": ["x"]}}}"#, &tight).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::TooDeep);
/// ```
///
/// | limit | `Limits::default()` | `Limits::aws()` | why |
/// | --- | --- | --- | --- |
/// | [`max_length`](Limits::max_length) | none | 4096 | AWS's `EventPattern` length constraint; an embedded matcher has no reason to impose it |
/// | [`max_depth`](Limits::max_depth) | 256 ([`DEFAULT_MAX_DEPTH`](crate::DEFAULT_MAX_DEPTH)) | 256 | bounds the recursion of reading the JSON, see below |
/// | [`max_or_combinations`](Limits::max_or_combinations) | 1000 | 1000 | AWS refuses `$or`s that expand to more than 1000 alternatives (SPEC §3) |
/// | [`max_wildcard_complexity`](Limits::max_wildcard_complexity) | 10 | 10 | see below |
///
/// **Depth** is the one place we knowingly refuse patterns AWS accepts: AWS's bound is its
/// JSON library's (Jackson, 1000 levels), which within 4096 characters allows about 800
/// nested objects. Reading the JSON recurses once per level, and 256 levels keep that well
/// inside the 2 MiB stack of a spawned thread even in debug builds. No real pattern comes
/// near: they nest a handful of levels.
///
/// **Wildcard complexity** is event-ruler's notion (its `MachineComplexityEvaluator`): build
/// the byte automaton of all wildcard operands used at one field path, and find the input
/// that keeps the most *weighted* states alive at once, where a state weighs one per
/// wildcard operand still reachable from it, plus the star states one byte away that are not
/// yet alive. The search is a subset construction that stops as soon as the bound is
/// exceeded. AWS does not publish its bound; under this measure the recorded cases put it
/// between 7 (`/Users/*/dir/dir/dir/dir/dir/doc.txt`, accepted) and 10
/// (`*:*:*:*:*:event-bus/*` reaches 11, rejected). We take the largest value consistent with
/// the recordings, 10, so that we never refuse a pattern AWS is known to accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    max_length: Option<usize>,
    max_depth: usize,
    max_or_combinations: u64,
    max_wildcard_complexity: usize,
}

/// The AWS `TestEventPattern` / `PutRule` bound on pattern length.
pub const AWS_MAX_PATTERN_LENGTH: usize = 4096;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_length: None,
            max_depth: crate::DEFAULT_MAX_DEPTH,
            max_or_combinations: 1000,
            max_wildcard_complexity: 10,
        }
    }
}

impl Limits {
    /// The limits AWS applies to a pattern given to its API: the defaults plus a length cap
    /// of [`AWS_MAX_PATTERN_LENGTH`].
    pub fn aws() -> Limits {
        Limits::default().with_max_length(Some(AWS_MAX_PATTERN_LENGTH))
    }

    /// Sets the maximum pattern length, counted as AWS counts it: in UTF-16 code units
    /// (equal to characters for text outside the astral planes). `None`: no cap.
    pub fn with_max_length(mut self, max_length: Option<usize>) -> Limits {
        self.max_length = max_length;
        self
    }

    /// Sets how deep arrays and objects may nest in the pattern text.
    pub fn with_max_depth(mut self, max_depth: usize) -> Limits {
        self.max_depth = max_depth;
        self
    }

    /// Sets how many alternatives the pattern's `$or`s may expand to in total.
    pub fn with_max_or_combinations(mut self, max_or_combinations: u64) -> Limits {
        self.max_or_combinations = max_or_combinations;
        self
    }

    /// Sets the wildcard complexity bound (see the type's documentation).
    pub fn with_max_wildcard_complexity(mut self, max_wildcard_complexity: usize) -> Limits {
        self.max_wildcard_complexity = max_wildcard_complexity;
        self
    }

    /// The maximum length in UTF-16 code units, if any.
    pub fn max_length(&self) -> Option<usize> {
        self.max_length
    }

    /// The maximum nesting depth of arrays and objects.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The maximum number of `$or` alternatives after expansion.
    pub fn max_or_combinations(&self) -> u64 {
        self.max_or_combinations
    }

    /// The maximum wildcard complexity of one field.
    pub fn max_wildcard_complexity(&self) -> usize {
        self.max_wildcard_complexity
    }
}
