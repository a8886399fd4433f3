//! `equals-ignore-case`, the way AWS's engine applies it: the one definition of the test that
//! the reference matcher, the DSL evaluator and (behind its hash prefilter) the compiled
//! matcher use.
//!
//! event-ruler does not fold both sides. It maps each character of the *pattern* to its
//! Java lower-case and upper-case forms (`toLowerCase`/`toUpperCase` with `Locale.ROOT`, one
//! character at a time, so a mapping may be several characters long) and accepts, at that
//! place in the event, either form exactly. So `ß` accepts `ß` and `SS` but not `ss` or `ẞ`;
//! `ı` accepts `ı` and `I`; `ς` accepts `ς` and `Σ`, while `Σ` accepts `σ` and `Σ`.
//! Rust's `char::to_lowercase`/`to_uppercase` are the same context-free mappings.
//!
//! Two *either* corners (SPEC §3), where we keep the sensible answer: a titlecase letter
//! (`ǅ`) also accepts itself (in event-ruler it does not, its forms being `ǆ` and `Ǆ`), and a
//! character outside the BMP is mapped as one code point (event-ruler maps each UTF-16 half
//! on its own, which its UTF-8 encoder turns into `?`).

/// The texts the event may hold where the pattern has `c`.
fn forms(c: char) -> [String; 3] {
    [
        c.to_string(),
        c.to_lowercase().collect(),
        c.to_uppercase().collect(),
    ]
}

/// The byte offsets of `text` at which a match of `pattern`'s characters (walked forwards,
/// or backwards from the end when `backwards`) can end.
fn reachable(pattern: &str, text: &str, backwards: bool) -> Vec<usize> {
    let mut at: Vec<usize> = vec![if backwards { text.len() } else { 0 }];
    let chars: Vec<char> = if backwards {
        pattern.chars().rev().collect()
    } else {
        pattern.chars().collect()
    };
    for c in chars {
        let forms = forms(c);
        let mut next = Vec::new();
        for &offset in &at {
            for form in &forms {
                let end = if backwards {
                    text.get(..offset)
                        .filter(|before| before.ends_with(form.as_str()))
                        .map(|_| offset - form.len())
                } else {
                    text.get(offset..)
                        .filter(|after| after.starts_with(form.as_str()))
                        .map(|_| offset + form.len())
                };
                if let Some(end) = end {
                    if !next.contains(&end) {
                        next.push(end);
                    }
                }
            }
        }
        if next.is_empty() {
            return next;
        }
        at = next;
    }
    at
}

/// Whether `text` is `pattern` ignoring case, as AWS's `equals-ignore-case` decides.
///
/// ```
/// use evpattern::pattern::equals_ignore_case;
///
/// assert!(equals_ignore_case("Straße", "STRASSE"));
/// assert!(equals_ignore_case("Straße", "straße"));
/// assert!(!equals_ignore_case("Straße", "strasse"));
/// assert!(!equals_ignore_case("ß", "ẞ"));
/// assert!(equals_ignore_case("ı", "I"));
/// assert!(!equals_ignore_case("I", "ı"));
/// ```
pub fn equals_ignore_case(pattern: &str, text: &str) -> bool {
    reachable(pattern, text, false).contains(&text.len())
}

/// Whether `text` starts with `pattern` ignoring case (`{"prefix": {"equals-ignore-case"}}`).
///
/// ```
/// assert!(evpattern::pattern::starts_with_ignore_case("ß", "SSx"));
/// ```
pub fn starts_with_ignore_case(pattern: &str, text: &str) -> bool {
    !reachable(pattern, text, false).is_empty()
}

/// Whether `text` ends with `pattern` ignoring case (`{"suffix": {"equals-ignore-case"}}`).
///
/// ```
/// assert!(evpattern::pattern::ends_with_ignore_case("ς", "ΟΔΟΣ"));
/// ```
pub fn ends_with_ignore_case(pattern: &str, text: &str) -> bool {
    !reachable(pattern, text, true).is_empty()
}

/// A key that every text [`equals_ignore_case`] accepts for a pattern shares with the
/// pattern (the converse does not hold): each character lower-cased, upper-cased, then
/// lower-cased again (once is not enough: `ẞ` lowers to `ß`, whose key is `ss`). The
/// compiled matcher indexes patterns by it and confirms a hit with the exact test. Per
/// character, so the key of a prefix is a prefix of the key.
///
/// ```
/// use evpattern::pattern::case_key;
///
/// assert_eq!(case_key("Straße"), case_key("STRASSE"));
/// assert_eq!(case_key("ı"), case_key("I"));
/// ```
pub fn case_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for lower in c.to_lowercase() {
            for upper in lower.to_uppercase() {
                out.extend(upper.to_lowercase());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefilter is sound: every form accepted for a character has the character's key.
    #[test]
    fn every_form_shares_the_key() {
        let mut bad = Vec::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let key = case_key(&c.to_string());
            for form in forms(c) {
                if case_key(&form) != key {
                    bad.push(c);
                }
            }
        }
        assert!(bad.is_empty(), "{bad:?}");
    }

    #[test]
    fn java_pairs() {
        assert!(equals_ignore_case("ß", "SS"));
        assert!(equals_ignore_case("ß", "ß"));
        assert!(!equals_ignore_case("ß", "ss"));
        assert!(!equals_ignore_case("ß", "ẞ"));
        assert!(equals_ignore_case("ς", "Σ"));
        assert!(!equals_ignore_case("Σ", "ς"));
        assert!(equals_ignore_case("ﬀ", "FF"));
        assert!(!equals_ignore_case("k", "\u{212A}"));
        // *either*: a titlecase letter matches itself here, not in event-ruler.
        assert!(equals_ignore_case("ǅ", "ǅ"));
        assert!(equals_ignore_case("ǅ", "Ǆ"));
        assert!(equals_ignore_case("", ""));
        assert!(!equals_ignore_case("a", ""));
        assert!(ends_with_ignore_case("SS", "xß") == false);
        assert!(ends_with_ignore_case("ß", "xSS"));
    }
}
