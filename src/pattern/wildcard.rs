//! The `wildcard` operand: its grammar (with AWS's error positions) and its complexity, the
//! measure AWS uses to refuse wildcard sets that would make matching slow.

use super::ast::Wildcard;
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

/// One token of a wildcard operand as the byte automaton sees it.
#[derive(Clone, Copy, PartialEq)]
enum Token {
    Byte(u8),
    Star,
}

/// The tokens of `wildcard` framed by the quote bytes AWS's automaton also reads.
fn tokens(wildcard: &Wildcard) -> Vec<Token> {
    let mut out = vec![Token::Byte(b'"')];
    for (i, piece) in wildcard.pieces().iter().enumerate() {
        if i > 0 {
            out.push(Token::Star);
        }
        out.extend(piece.bytes().map(Token::Byte));
    }
    out.push(Token::Byte(b'"'));
    out
}

/// A state of the wildcard automaton. A star becomes a state looping on every byte, entered
/// from its predecessor on any byte; the literal after a star is reached both from the star
/// state and, for an empty run, directly from the predecessor.
#[derive(Default)]
struct State {
    /// Byte transitions.
    on_byte: Vec<(u8, usize)>,
    /// Transitions taken on every byte (into a star state, or a star state's own loop).
    on_any: Vec<usize>,
}

/// Upper bound on the subsets visited, so that no operand set can make the check itself
/// slow; reaching it counts as too complex. Patterns AWS accepts stay far below it.
const MAX_SUBSETS_VISITED: usize = 100_000;

/// Checks that the wildcards used at one field path (`wildcards`, each its own operand)
/// cannot keep more than `limit` weighted states alive at once, as described on
/// [`Limits`](super::Limits). Every state belongs to one operand and weighs one, so a set's
/// weight is its size plus the star states one byte away that are not yet in it.
pub(crate) fn check_complexity(wildcards: &[&Wildcard], limit: usize) -> Result<(), PatternError> {
    let too_complex = || PatternError::new(ErrorKind::TooComplex, TOO_COMPLEX);
    if wildcards.iter().all(|w| w.pieces().len() < 2) {
        // No stars: a trie, at most one state alive per operand prefix; AWS never refuses it.
        return Ok(());
    }

    // State 0 is the shared start; each operand is a chain from it.
    let mut states = vec![State::default()];
    let mut alphabet: Vec<u8> = Vec::new();
    for wildcard in wildcards {
        let mut current = 0usize;
        // The state before the last star, from which the following literal is also reachable.
        let mut before_star: Option<usize> = None;
        for token in tokens(wildcard) {
            match token {
                Token::Star => {
                    let star = states.len();
                    states.push(State {
                        on_byte: Vec::new(),
                        on_any: vec![star],
                    });
                    if let Some(s) = states.get_mut(current) {
                        s.on_any.push(star);
                    }
                    before_star = Some(current);
                    current = star;
                }
                Token::Byte(b) => {
                    let next = states.len();
                    states.push(State::default());
                    if let Some(s) = states.get_mut(current) {
                        s.on_byte.push((b, next));
                    }
                    if let Some(pre) = before_star.take() {
                        if let Some(s) = states.get_mut(pre) {
                            s.on_byte.push((b, next));
                        }
                    }
                    if !alphabet.contains(&b) {
                        alphabet.push(b);
                    }
                    current = next;
                }
            }
        }
    }

    // Bytes not in any operand behave alike; `None` stands for all of them.
    let inputs: Vec<Option<u8>> = std::iter::once(None)
        .chain(alphabet.iter().copied().map(Some))
        .collect();
    let weight = |set: &[usize]| -> usize {
        let mut total = set.len();
        for &id in set {
            if let Some(state) = states.get(id) {
                total += state
                    .on_any
                    .iter()
                    .filter(|star| set.binary_search(star).is_err())
                    .count();
            }
        }
        total
    };

    let mut seen: std::collections::HashSet<Vec<usize>> = std::collections::HashSet::new();
    let mut pending: Vec<Vec<usize>> = vec![vec![0]];
    seen.insert(vec![0]);
    while let Some(active) = pending.pop() {
        for input in &inputs {
            let mut next: Vec<usize> = Vec::new();
            for &id in &active {
                let Some(state) = states.get(id) else {
                    continue;
                };
                next.extend(state.on_any.iter().copied());
                if let Some(b) = input {
                    next.extend(
                        state
                            .on_byte
                            .iter()
                            .filter(|(on, _)| on == b)
                            .map(|&(_, to)| to),
                    );
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
        assert_eq!(complexity(&["*:*:*:*:*:event-bus/*"]), 11);
        assert!(complexity(&["/Users/*/dir/dir/dir/dir/dir/doc.txt"]) <= 10);
        assert!(complexity(&["arn:aws:events:us-east-1:*:event-bus/*"]) <= 10);
        assert!(complexity(&["*/init/*", "*/dir/*"]) <= 10);
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
