//! JSON strings: validation (control characters, escapes, surrogate pairs), the kind of
//! escapes a string holds, and unescaping.

use super::portable::{plain_run_end, special_bytes, word_at};
use crate::scan::error::{EventError, EventErrorKind as K};

/// Validates the string starting with the quote at `pos`; returns the position after its
/// closing quote and whether it contains escapes.
#[inline]
fn scan_string(bytes: &[u8], pos: usize) -> Result<(usize, bool), EventError> {
    let mut i = pos + 1;
    let mut escaped = false;
    loop {
        i = plain_run_end(bytes, i);
        let Some(&b) = bytes.get(i) else {
            return Err(EventError::new(bytes.len(), K::UnexpectedEnd));
        };
        match b {
            b'"' => return Ok((i + 1, escaped)),
            b'\\' => {
                escaped = true;
                i = check_escape(bytes, i)?;
            }
            0..=0x1f => return Err(EventError::new(i, K::ControlCharacterInString)),
            _ => i += 1,
        }
    }
}

/// What escapes a string holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Escapes {
    None,
    /// Only `\"` and `\\`.
    Simple,
    /// Some other escape.
    Other,
}

/// Validates the string starting with the quote at `pos`, like [`scan_string`]; returns the
/// position after its closing quote and what escapes it holds. Kept apart from
/// [`scan_string`], which skips most strings: with the classification in it, city-lots EXACT
/// and CIDR took 4–6% more instructions per event.
pub(crate) fn scan_simple_escapes(
    bytes: &[u8],
    pos: usize,
) -> Result<(usize, Escapes), EventError> {
    let mut i = pos + 1;
    let mut escapes = Escapes::None;
    loop {
        i = plain_run_end(bytes, i);
        let Some(&b) = bytes.get(i) else {
            return Err(EventError::new(bytes.len(), K::UnexpectedEnd));
        };
        match b {
            b'"' => return Ok((i + 1, escapes)),
            b'\\' => {
                if let Some(b'"' | b'\\') = bytes.get(i + 1) {
                    if escapes == Escapes::None {
                        escapes = Escapes::Simple;
                    }
                    i += 2;
                } else {
                    escapes = Escapes::Other;
                    i = check_escape(bytes, i)?;
                }
            }
            0..=0x1f => return Err(EventError::new(i, K::ControlCharacterInString)),
            _ => i += 1,
        }
    }
}

pub(crate) fn skip_string(bytes: &[u8], pos: usize) -> Result<usize, EventError> {
    scan_string(bytes, pos).map(|(end, _)| end)
}

/// Validates the escape whose backslash is at `pos`; returns the position after it.
fn check_escape(bytes: &[u8], pos: usize) -> Result<usize, EventError> {
    match bytes.get(pos + 1) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(pos + 2),
        Some(b'u') => {
            let unit = hex4(bytes, pos + 2)?;
            match unit {
                0xD800..=0xDBFF => {
                    if bytes.get(pos + 6) == Some(&b'\\') && bytes.get(pos + 7) == Some(&b'u') {
                        let low = hex4(bytes, pos + 8)?;
                        if (0xDC00..=0xDFFF).contains(&low) {
                            return Ok(pos + 12);
                        }
                    }
                    Err(EventError::new(pos, K::LoneSurrogate))
                }
                0xDC00..=0xDFFF => Err(EventError::new(pos, K::LoneSurrogate)),
                _ => Ok(pos + 6),
            }
        }
        Some(_) => Err(EventError::new(pos, K::InvalidEscape)),
        None => Err(EventError::new(pos + 1, K::UnexpectedEnd)),
    }
}

fn hex4(bytes: &[u8], pos: usize) -> Result<u32, EventError> {
    let mut value = 0u32;
    for i in pos..pos + 4 {
        let digit = match bytes.get(i) {
            Some(&b) => (b as char).to_digit(16),
            None => return Err(EventError::new(i, K::UnexpectedEnd)),
        };
        match digit {
            Some(d) => value = value * 16 + d,
            None => return Err(EventError::new(i, K::InvalidEscape)),
        }
    }
    Ok(value)
}

/// Validates the string starting with the quote at `pos` of `bytes` and, when it has escapes,
/// writes its unescaped body to `out` in the same pass (`out` is left alone otherwise).
/// Returns the position after its closing quote and whether it has escapes. Errors are those
/// of [`scan_string`].
#[inline]
pub(crate) fn read_string_into(
    bytes: &[u8],
    pos: usize,
    out: &mut Vec<u8>,
) -> Result<(usize, bool), EventError> {
    let mut i = pos + 1;
    loop {
        i = plain_run_end(bytes, i);
        match bytes.get(i) {
            Some(b'"') => return Ok((i + 1, false)),
            Some(b'\\') => break,
            Some(0..=0x1f) => return Err(EventError::new(i, K::ControlCharacterInString)),
            Some(_) => i += 1,
            None => return Err(EventError::new(bytes.len(), K::UnexpectedEnd)),
        }
    }
    out.clear();
    out.extend_from_slice(bytes.get(pos + 1..i).unwrap_or(&[]));
    unescape_rest(bytes, i, out).map(|end| (end, true))
}

/// Unescapes the rest of a string from the backslash at `i` onwards, appending to `out`;
/// returns the position after the closing quote.
///
/// Escaped strings are mostly JSON text embedded in a string (`{\"uri\":\"/v1/…`): runs of a
/// few plain bytes between escapes. So each word is stored to `out` before it is checked, and
/// the written length then advances past just its plain bytes: no call to copy a short run,
/// and each byte is read once. `out` is kept longer than what is written for that, and cut
/// to it at the end. The escapes of embedded JSON (`\"`, `\\`, `\/`) are decoded without
/// leaving the word loop; the others, and the last bytes (fewer than a word), one at a time.
fn unescape_rest(bytes: &[u8], mut i: usize, out: &mut Vec<u8>) -> Result<usize, EventError> {
    let mut len = out.len();
    loop {
        while let Some(word) = word_at(bytes, i) {
            if let Ok(to) = <&mut [u8; 8]>::try_from(room(out, len, 8)) {
                *to = word.to_le_bytes();
            }
            let special = special_bytes(word);
            if special == 0 {
                i += 8;
                len += 8;
                continue;
            }
            let plain = (special.trailing_zeros() / 8) as usize;
            i += plain;
            len += plain;
            // The escapes of JSON embedded in strings, without leaving the loop.
            match bytes.get(i..i + 2) {
                Some(&[b'\\', c @ (b'"' | b'\\' | b'/')]) => {
                    if let Some(to) = room(out, len, 1).first_mut() {
                        *to = c;
                    }
                    i += 2;
                    len += 1;
                }
                _ => break,
            }
        }
        let Some(&b) = bytes.get(i) else {
            return Err(EventError::new(bytes.len(), K::UnexpectedEnd));
        };
        match b {
            b'"' => {
                out.truncate(len);
                return Ok(i + 1);
            }
            b'\\' => {
                let (c, end) = decode_escape(bytes, i)?;
                if let Ok(to) = <&mut [u8; 4]>::try_from(room(out, len, 4)) {
                    c.encode_utf8(to);
                }
                i = end;
                len += c.len_utf8();
            }
            0..=0x1f => return Err(EventError::new(i, K::ControlCharacterInString)),
            // Fewer than eight bytes are left: one at a time, as they are.
            _ => {
                if let Some(to) = room(out, len, 1).first_mut() {
                    *to = b;
                }
                i += 1;
                len += 1;
            }
        }
    }
}

/// `out[len..len + n]`, first making `out` long enough.
#[inline]
fn room(out: &mut Vec<u8>, len: usize, n: usize) -> &mut [u8] {
    if out.len() < len + n {
        out.resize((len + n).max(2 * out.len()).max(64), 0);
    }
    out.get_mut(len..len + n).unwrap_or_default()
}

/// Validates the escape whose backslash is at `pos`, like [`check_escape`]; returns the
/// character it stands for and the position after it.
fn decode_escape(bytes: &[u8], pos: usize) -> Result<(char, usize), EventError> {
    let end = check_escape(bytes, pos)?;
    let decoded = match bytes.get(pos + 1) {
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let high = hex4(bytes, pos + 2)?;
            let code = if end == pos + 12 {
                // A valid surrogate pair (checked above).
                let low = hex4(bytes, pos + 8)?;
                0x10000 + (high.wrapping_sub(0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
            } else {
                high
            };
            char::from_u32(code).unwrap_or('\u{FFFD}')
        }
        Some(&other) => other as char,
        None => return Err(EventError::new(pos + 1, K::UnexpectedEnd)),
    };
    Ok((decoded, end))
}
