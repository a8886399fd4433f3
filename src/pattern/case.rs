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

use smallvec::SmallVec;

/// A case form of one character: at most three characters (Unicode's longest mapping).
#[derive(Clone, Copy, PartialEq)]
struct Form {
    chars: [char; 3],
    len: usize,
}

impl Form {
    fn of(mapping: impl Iterator<Item = char>) -> Form {
        let mut form = Form {
            chars: ['\0'; 3],
            len: 0,
        };
        for c in mapping {
            if let Some(slot) = form.chars.get_mut(form.len) {
                *slot = c;
                form.len += 1;
            }
        }
        form
    }

    fn chars(&self) -> &[char] {
        self.chars.get(..self.len).unwrap_or(&[])
    }

    fn utf8_len(&self) -> usize {
        self.chars().iter().map(|c| c.len_utf8()).sum()
    }
}

/// The texts the event may hold where the pattern has `c`: itself, its lower and its upper
/// case forms.
fn forms(c: char) -> [Form; 3] {
    [
        Form::of(std::iter::once(c)),
        Form::of(c.to_lowercase()),
        Form::of(c.to_uppercase()),
    ]
}

/// Where `form` ends when it is written in `text` at byte `offset` (forwards), or where it
/// starts when it is written right before `offset` (backwards).
fn step(text: &str, offset: usize, form: &Form, backwards: bool) -> Option<usize> {
    let len = form.utf8_len();
    if backwards {
        let start = offset.checked_sub(len)?;
        let piece = text.get(start..offset)?;
        piece
            .chars()
            .eq(form.chars().iter().copied())
            .then_some(start)
    } else {
        let end = offset.checked_add(len)?;
        let piece = text.get(offset..end)?;
        piece
            .chars()
            .eq(form.chars().iter().copied())
            .then_some(end)
    }
}

/// Whether a match of `pattern`'s characters can be read in `text` from its start (or, when
/// `backwards`, back from its end), and, with `whole`, end exactly at the other end. The
/// reachable offsets are few (each character has at most three forms), so they live on the
/// stack: the compiled matcher calls this while matching, where it must not allocate.
fn reads(pattern: &str, text: &str, backwards: bool, whole: bool) -> bool {
    if pattern.is_ascii() {
        return reads_ascii(pattern.as_bytes(), text.as_bytes(), backwards, whole);
    }
    let mut at: SmallVec<[usize; 8]> = SmallVec::new();
    at.push(if backwards { text.len() } else { 0 });
    let mut next: SmallVec<[usize; 8]> = SmallVec::new();
    let mut walk = |c: char, at: &mut SmallVec<[usize; 8]>| {
        next.clear();
        for &offset in at.iter() {
            for form in &forms(c) {
                if let Some(end) = step(text, offset, form, backwards) {
                    if !next.contains(&end) {
                        next.push(end);
                    }
                }
            }
        }
        std::mem::swap(at, &mut next);
        !at.is_empty()
    };
    let alive = if backwards {
        pattern.chars().rev().all(|c| walk(c, &mut at))
    } else {
        pattern.chars().all(|c| walk(c, &mut at))
    };
    let goal = if backwards { 0 } else { text.len() };
    alive && (!whole || at.contains(&goal))
}

/// [`reads`] for an ASCII pattern, the common case, without the per-character mapping: every
/// form of an ASCII character is that character in one of its two ASCII cases, so the text
/// must hold exactly the pattern's length in ASCII bytes that equal it ignoring ASCII case
/// (a UTF-8 continuation byte is never ASCII, so the match also ends on a character boundary).
fn reads_ascii(pattern: &[u8], text: &[u8], backwards: bool, whole: bool) -> bool {
    if whole && text.len() != pattern.len() {
        return false;
    }
    let piece = if backwards {
        text.len()
            .checked_sub(pattern.len())
            .and_then(|start| text.get(start..))
    } else {
        text.get(..pattern.len())
    };
    piece.is_some_and(|piece| piece.eq_ignore_ascii_case(pattern))
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
    reads(pattern, text, false, true)
}

/// Whether `text` starts with `pattern` ignoring case (`{"prefix": {"equals-ignore-case"}}`).
///
/// ```
/// assert!(evpattern::pattern::starts_with_ignore_case("ß", "SSx"));
/// ```
pub fn starts_with_ignore_case(pattern: &str, text: &str) -> bool {
    reads(pattern, text, false, false)
}

/// Whether `text` ends with `pattern` ignoring case (`{"suffix": {"equals-ignore-case"}}`).
///
/// ```
/// assert!(evpattern::pattern::ends_with_ignore_case("ς", "ΟΔΟΣ"));
/// ```
pub fn ends_with_ignore_case(pattern: &str, text: &str) -> bool {
    reads(pattern, text, true, false)
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
                let form: String = form.chars().iter().collect();
                if case_key(&form) != key {
                    bad.push(c);
                }
            }
        }
        assert!(bad.is_empty(), "{bad:?}");
    }

    /// The ASCII shortcut answers as the per-character walk does, on texts that mix ASCII
    /// with characters whose case forms are ASCII (`K` Kelvin, `ſ` long s, `ı` dotless i).
    #[test]
    fn ascii_shortcut_agrees_with_the_walk() {
        // The walk alone: a character that maps only to itself (U+3000) at both ends makes
        // the pattern non-ASCII, so `reads` takes the general path.
        let walk_equals = |pattern: &str, text: &str| {
            reads(
                &format!("\u{3000}{pattern}\u{3000}"),
                &format!("\u{3000}{text}\u{3000}"),
                false,
                true,
            )
        };
        let alphabet = [
            "a", "A", "k", "K", "s", "S", "i", "I", "\u{212A}", "\u{17F}", "\u{131}", "é", "ß", "1",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        texts.sort();
        texts.dedup();
        let boundaries = |t: &str| {
            (0..=t.len())
                .filter(|&i| t.is_char_boundary(i))
                .collect::<Vec<_>>()
        };
        for p in texts.iter().filter(|t| t.is_ascii() && t.len() <= 2) {
            for t in &texts {
                let starts = boundaries(t).into_iter().any(|i| walk_equals(p, &t[..i]));
                let ends = boundaries(t).into_iter().any(|i| walk_equals(p, &t[i..]));
                assert_eq!(
                    equals_ignore_case(p, t),
                    walk_equals(p, t),
                    "equals {p:?} {t:?}"
                );
                assert_eq!(starts_with_ignore_case(p, t), starts, "prefix {p:?} {t:?}");
                assert_eq!(ends_with_ignore_case(p, t), ends, "suffix {p:?} {t:?}");
            }
        }
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
        assert!(!ends_with_ignore_case("SS", "xß"));
        assert!(ends_with_ignore_case("ß", "xSS"));
    }
}
