//! Long arrays of one field, kept as their text rather than as one leaf per element.
//!
//! An array at a used path whose elements lead to no other used path (each element is a leaf
//! of that one field, an array of such, or an object nothing uses) is where an event can hold
//! millions of values: a series, a list of ids, coordinates. Array consistency cannot
//! distinguish its elements, since no other field's leaf sits in any of them, so nothing needs
//! them one by one. The scanner reports the first [`ELEMENTS_ONE_BY_ONE`] elements as leaves,
//! then validates the rest and reports it as one [`Leaf::Elements`] text, all in one array
//! element of its own; matching reads the values back from that text with
//! [`for_each_element`]. So such an array costs the memory of a few leaves, whatever its
//! length, and short arrays (nearly all of them) are read exactly as before.

use super::lex::{literal, read_string_into, skip_number, skip_ws};
use super::skip::skip_value_trusted;
use super::Leaf;

/// The elements of an array of one field reported one by one (counted together with those
/// of the arrays nested in it), before the rest of the array is reported as one text.
pub(crate) const ELEMENTS_ONE_BY_ONE: u32 = 16;

/// Calls `each` with every scalar in `text`, the rest of an array as
/// [`Leaf::Elements`] gives it: values separated by commas, nested arrays entered (their
/// values are elements at the same path), objects passed over. Strings are unescaped into
/// `buffer` when they need it.
///
/// The scanner validated the text, so it is read without checks; should it not be valid
/// JSON after all, reading stops at the first byte that does not fit, without a panic.
pub(crate) fn for_each_element(text: &str, buffer: &mut Vec<u8>, mut each: impl FnMut(Leaf<'_>)) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    while let Some(start) = next_scalar(bytes, pos) {
        let end = match bytes.get(start) {
            Some(b'"') => {
                let Ok((end, escaped)) = read_string_into(bytes, start, buffer) else {
                    return;
                };
                let value = if escaped {
                    simdutf8::basic::from_utf8(buffer).unwrap_or("")
                } else {
                    text.get(start + 1..end - 1).unwrap_or("")
                };
                each(Leaf::Str(value));
                end
            }
            Some(b'-' | b'0'..=b'9') => {
                let Ok(end) = skip_number(bytes, start) else {
                    return;
                };
                each(Leaf::Number(text.get(start..end).unwrap_or("0")));
                end
            }
            _ => {
                let Ok((end, leaf)) = literal(bytes, start) else {
                    return;
                };
                each(leaf);
                end
            }
        };
        if end <= start {
            // Not expected of valid text; never loop on it.
            return;
        }
        pos = end;
    }
}

/// Whether `text` (as for [`for_each_element`]) holds a value at all: arrays that are empty
/// all the way down and objects are not values of the field (`exists: false` holds on them).
pub(crate) fn holds_a_value(text: &str) -> bool {
    next_scalar(text.as_bytes(), 0).is_some()
}

/// Where the next scalar starts from `pos` on, past whitespace, commas, brackets and
/// objects; `None` at the end (or where an object does not end).
fn next_scalar(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        pos = skip_ws(bytes, pos);
        match bytes.get(pos)? {
            b',' | b'[' | b']' => pos += 1,
            b'{' => {
                let end = skip_value_trusted(bytes, pos);
                if end <= pos {
                    return None;
                }
                pos = end;
            }
            _ => return Some(pos),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut buffer = Vec::new();
        for_each_element(text, &mut buffer, |leaf| out.push(format!("{leaf:?}")));
        out
    }

    #[test]
    fn reads_every_kind_of_element() {
        let text = r#"1, -2.5e3 ,"a","\u00e9\"x" , true,false,null, [3, [4]], {"k": [5, "}"]}, []"#;
        assert_eq!(
            elements(text),
            [
                r#"Number("1")"#,
                r#"Number("-2.5e3")"#,
                r#"Str("a")"#,
                r#"Str("é\"x")"#,
                "Bool(true)",
                "Bool(false)",
                "Null",
                r#"Number("3")"#,
                r#"Number("4")"#,
            ]
        );
    }

    #[test]
    fn only_scalars_are_values() {
        assert!(!holds_a_value(r#" [], [[ ]] , {"a": [1]}, [{}]"#));
        assert!(holds_a_value(r#"[], [[ ]] , {"a": 1}, [null]"#));
        assert!(holds_a_value("\"\""));
        assert!(!holds_a_value(""));
    }

    #[test]
    fn stops_on_text_that_is_not_json() {
        assert_eq!(elements(r#"1, "open"#), [r#"Number("1")"#]);
        assert_eq!(elements("1, tru"), [r#"Number("1")"#]);
        assert_eq!(elements("1, -"), [r#"Number("1")"#]);
        assert!(elements("").is_empty());
        assert!(elements("{").is_empty());
    }
}
