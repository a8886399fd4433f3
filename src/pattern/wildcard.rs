//! The `wildcard` operand: its grammar (with AWS's error positions) and its complexity, the
//! measure AWS uses to refuse wildcard sets that would make matching slow.

use super::ast::Wildcard;
use std::collections::HashSet;

use super::error::{ErrorKind, PatternError};

/// The reason AWS gives when a field's wildcards are too complex.
pub(crate) const TOO_COMPLEX: &str = "Rule is too complex - try using fewer wildcard characters \
     or fewer repeating character sequences after a wildcard character";

/// Reads a wildcard operand: `*` is any run of characters, `\*` a literal star, `\\` a
/// literal backslash; any other backslash and two adjacent stars are errors.
///
/// Positions in errors are UTF-8 byte offsets plus one, because AWS checks the operand with
/// its surrounding quote (`"a**"` → position 2).
pub(crate) fn parse_wildcard(source: &str) -> Result<Wildcard, PatternError> {
    let bytes = source.as_bytes();
    let mut pieces = Vec::new();
    let mut piece: Vec<u8> = Vec::new();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'*' => {
                if bytes.get(i + 1) == Some(&b'*') {
                    return Err(PatternError::invalid(format!(
                        "Consecutive wildcard characters at pos {}",
                        i + 1
                    )));
                }
                pieces.push(std::mem::take(&mut piece));
                i += 1;
            }
            b'\\' => match bytes.get(i + 1) {
                Some(&escaped @ (b'*' | b'\\')) => {
                    piece.push(escaped);
                    i += 2;
                }
                _ => {
                    return Err(PatternError::invalid(format!(
                        "Invalid escape character at pos {}",
                        i + 1
                    )))
                }
            },
            other => {
                piece.push(other);
                i += 1;
            }
        }
    }
    pieces.push(piece);
    // Only ASCII bytes were removed or split on, so every piece is still valid UTF-8.
    let pieces = pieces
        .into_iter()
        .map(|p| String::from_utf8(p).unwrap_or_default())
        .collect();
    Ok(Wildcard {
        source: source.to_owned(),
        pieces,
    })
}

/// A state of the wildcard automaton built from a set of operands. Each operand is a chain
/// of states, one per byte (its quotes included: AWS's automaton reads the value with them),
/// and a star becomes a state looping on every byte, entered from its predecessor on any
/// byte. The byte after a star is reached both from the star state and, for an empty run,
/// directly from the predecessor. So every state has at most one byte transition and one
/// every-byte transition, besides the loop of a star state.
#[derive(Clone, Copy)]
struct State {
    /// The byte transition, if any.
    byte: Option<(u8, u32)>,
    /// The every-byte transition into the next star state, if any.
    any: Option<u32>,
    /// Whether this is a star state (it loops on every byte).
    star: bool,
}

/// How many operand bytes at one path the check builds an automaton for. Beyond it the set
/// counts as too complex; AWS's own length limit (4096) keeps real patterns far below it.
const MAX_CHECKED_BYTES: usize = 1 << 20;

/// How many distinct sets of live states the check explores before it counts the operand set
/// as too complex, so that the check itself stays fast. Patterns within AWS's length limit
/// stay far below it.
const MAX_SUBSETS_VISITED: usize = 100_000;

/// Builds the automaton; returns its states and the start state of each operand.
fn build(wildcards: &[&Wildcard]) -> (Vec<State>, Vec<u32>) {
    let mut automaton = Automaton::default();
    let mut starts = Vec::with_capacity(wildcards.len());
    for wildcard in wildcards {
        let start = automaton.new_state(false);
        starts.push(start);
        let mut chain = Chain {
            current: start,
            before_star: None,
        };
        automaton.add_byte(&mut chain, b'"');
        for (i, piece) in wildcard.pieces().iter().enumerate() {
            if i > 0 {
                automaton.add_star(&mut chain);
            }
            for b in piece.bytes() {
                automaton.add_byte(&mut chain, b);
            }
        }
        automaton.add_byte(&mut chain, b'"');
    }
    (automaton.states, starts)
}

#[derive(Default)]
struct Automaton {
    states: Vec<State>,
}

/// Where an operand's chain is being extended.
struct Chain {
    current: u32,
    /// The state before the last star, while the byte after it is still to come.
    before_star: Option<u32>,
}

impl Automaton {
    fn new_state(&mut self, star: bool) -> u32 {
        self.states.push(State {
            byte: None,
            any: None,
            star,
        });
        // MAX_CHECKED_BYTES keeps the count far below u32::MAX.
        (self.states.len() - 1) as u32
    }

    fn add_byte(&mut self, chain: &mut Chain, b: u8) {
        let next = self.new_state(false);
        for from in std::iter::once(chain.current).chain(chain.before_star.take()) {
            if let Some(s) = self.states.get_mut(from as usize) {
                s.byte = Some((b, next));
            }
        }
        chain.current = next;
    }

    fn add_star(&mut self, chain: &mut Chain) {
        let star = self.new_state(true);
        if let Some(s) = self.states.get_mut(chain.current as usize) {
            s.any = Some(star);
        }
        chain.before_star = Some(chain.current);
        chain.current = star;
    }
}

/// Checks that the wildcards used at one field path (`wildcards`, each its own operand)
/// cannot keep more than `limit` weighted states alive at once, as described on
/// [`Limits`](super::Limits): every state belongs to one operand and weighs one, so a set of
/// live states weighs its size plus the star states one byte away that are not yet in it.
///
/// The search is a subset construction over the inputs that matter (the bytes on the live
/// states' transitions, and one stand-in for every other byte) and stops at the first set
/// over the limit.
pub(crate) fn check_complexity(wildcards: &[&Wildcard], limit: usize) -> Result<(), PatternError> {
    let too_complex = || PatternError::new(ErrorKind::TooComplex, TOO_COMPLEX);
    if wildcards.iter().all(|w| w.pieces().len() < 2) {
        // No stars: a trie, which AWS never refuses.
        return Ok(());
    }
    let bytes: usize = wildcards.iter().map(|w| w.source().len() + 2).sum();
    if bytes > MAX_CHECKED_BYTES {
        return Err(too_complex());
    }
    let (states, starts) = build(wildcards);
    let state = |id: u32| states.get(id as usize);
    let weight = |set: &[u32]| -> usize {
        let stars_one_byte_away = set
            .iter()
            .filter_map(|&id| state(id).and_then(|s| s.any))
            .filter(|star| set.binary_search(star).is_err())
            .count();
        set.len() + stars_one_byte_away
    };

    let mut start = starts;
    start.sort_unstable();
    let mut seen: HashSet<Vec<u32>> = HashSet::new();
    seen.insert(start.clone());
    let mut pending = vec![start];
    let mut inputs: Vec<Option<u8>> = Vec::new();
    while let Some(live) = pending.pop() {
        // `None` stands for every byte no live state has a transition on.
        inputs.clear();
        inputs.push(None);
        inputs.extend(
            live.iter()
                .filter_map(|&id| state(id)?.byte.map(|(b, _)| Some(b))),
        );
        inputs.sort_unstable();
        inputs.dedup();
        for &input in &inputs {
            let mut next: Vec<u32> = Vec::new();
            for &id in &live {
                let Some(s) = state(id) else { continue };
                next.extend(s.any);
                if s.star {
                    next.push(id);
                }
                if let (Some((b, to)), Some(input)) = (s.byte, input) {
                    if b == input {
                        next.push(to);
                    }
                }
            }
            if next.is_empty() {
                continue;
            }
            next.sort_unstable();
            next.dedup();
            if weight(&next) > limit {
                return Err(too_complex());
            }
            if !seen.contains(&next) {
                if seen.len() >= MAX_SUBSETS_VISITED {
                    return Err(too_complex());
                }
                seen.insert(next.clone());
                pending.push(next);
            }
        }
    }
    Ok(())
}

impl Wildcard {
    /// Whether string `text` matches: `*` is any run of characters (across `/` too), the
    /// first piece anchors the start and the last the end (not overlapping), and the pieces
    /// between appear in order in what is left. Taking each middle piece at its leftmost
    /// occurrence is enough: it leaves the most room for the rest. The one definition the
    /// reference matcher and the DSL evaluator use; the compiled matcher indexes wildcards
    /// by their anchors and is checked against it.
    ///
    /// ```
    /// use evpattern::Pattern;
    /// use evpattern::pattern::Predicate;
    ///
    /// let p = Pattern::parse(r#"{"k": [{"wildcard": "a*b*c"}]}"#).unwrap();
    /// let Predicate::Wildcard(w) = &p.root().conditions()[0].predicates()[0] else { panic!() };
    /// assert!(w.matches("a/x/b/c"));
    /// assert!(!w.matches("acb"));
    /// ```
    pub fn matches(&self, text: &str) -> bool {
        let pieces = self.pieces();
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
            return false;
        };
        if pieces.len() == 1 {
            // No star: the whole string.
            return text == first;
        }
        let Some(after_first) = text.strip_prefix(first.as_str()) else {
            return false;
        };
        let Some(mut middle) = after_first.strip_suffix(last.as_str()) else {
            return false;
        };
        for piece in pieces.get(1..pieces.len() - 1).unwrap_or(&[]) {
            match middle.find(piece.as_str()) {
                Some(at) => middle = &middle[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complexity_ok(sources: &[&str], limit: usize) -> bool {
        let parsed: Vec<Wildcard> = sources.iter().map(|s| parse_wildcard(s).unwrap()).collect();
        let refs: Vec<&Wildcard> = parsed.iter().collect();
        check_complexity(&refs, limit).is_ok()
    }

    /// The smallest limit a wildcard set passes.
    fn complexity(sources: &[&str]) -> usize {
        (0..100).find(|&l| complexity_ok(sources, l)).unwrap()
    }

    #[test]
    fn pieces_and_escapes() {
        let w = parse_wildcard(r"a*b\*c\\*").unwrap();
        assert_eq!(w.pieces(), ["a", r"b*c\", ""]);
        assert_eq!(parse_wildcard("").unwrap().pieces(), [""]);
        assert_eq!(parse_wildcard("*").unwrap().pieces(), ["", ""]);
    }

    #[test]
    fn errors_carry_aws_positions() {
        let reason = |s: &str| parse_wildcard(s).unwrap_err().reason().to_owned();
        assert_eq!(
            reason("arn:aws:events:us-east-1:**:event-bus/*"),
            "Consecutive wildcard characters at pos 26"
        );
        assert_eq!(reason("**"), "Consecutive wildcard characters at pos 1");
        assert_eq!(reason(r"a\b"), "Invalid escape character at pos 2");
        assert_eq!(reason(r"ab\"), "Invalid escape character at pos 3");
        // Positions count UTF-8 bytes.
        assert_eq!(reason("é**"), "Consecutive wildcard characters at pos 3");
    }

    #[test]
    fn complexity_of_recorded_cases() {
        // Refused by AWS.
        assert_eq!(complexity(&["*:*:*:*:*:event-bus/*"]), 11);
        // Accepted by AWS.
        assert_eq!(complexity(&["/Users/*/dir/dir/dir/dir/dir/doc.txt"]), 7);
        assert_eq!(complexity(&["arn:aws:events:us-east-1:*:event-bus/*"]), 3);
        assert_eq!(complexity(&["*/init/*", "*/dir/*"]), 7);
    }

    #[test]
    fn complexity_grows_with_stars_not_length() {
        assert!(complexity(&["a*"]) < complexity(&["a*b*c*"]));
        let long_literal = "x".repeat(3000) + "*";
        assert!(complexity(&[long_literal.as_str()]) <= 3);
        assert_eq!(complexity(&["abc"]), 0);
    }

    #[test]
    fn check_stops_early_on_huge_sets() {
        let many: Vec<String> = (0..2000).map(|i| format!("{i}*{i}*")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(!complexity_ok(&refs, 10));
    }
}
