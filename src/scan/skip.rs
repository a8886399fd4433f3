//! Skipping the parts of an event no rule uses. By default they are validated (the JSON
//! grammar and the depth limit are checked, nothing is built or reported); in trusted-input
//! mode ([`crate::Matcher::set_trusted_input`]) they are passed over by
//! [`skip_value_trusted`] and [`skip_rest_trusted`], which look only at string quotes and
//! escapes and at brackets.

use super::error::{EventError, EventErrorKind as K};
use super::lex::{literal, skip_number, skip_string, skip_ws, structural_run_end};

use memchr::memchr2;

/// Validates the value at `pos` of `bytes`, which sits `base_depth` containers deep; returns
/// the position after it. `stack` is scratch space.
pub(super) fn skip_value(
    bytes: &[u8],
    mut pos: usize,
    base_depth: usize,
    max_depth: usize,
    stack: &mut Vec<bool>,
) -> Result<usize, EventError> {
    stack.clear();
    loop {
        // A value at `pos`.
        let Some(&b) = bytes.get(pos) else {
            return Err(EventError::new(pos, K::UnexpectedEnd));
        };
        match b {
            b'"' => pos = skip_string(bytes, pos)?,
            b'{' | b'[' => {
                if base_depth + stack.len() >= max_depth {
                    return Err(EventError::new(pos, K::TooDeep(max_depth)));
                }
                let is_array = b == b'[';
                pos = skip_ws(bytes, pos + 1);
                let closing = if is_array { b']' } else { b'}' };
                if bytes.get(pos) == Some(&closing) {
                    pos += 1;
                } else {
                    stack.push(is_array);
                    if !is_array {
                        pos = skip_key(bytes, pos)?;
                    }
                    continue;
                }
            }
            b'-' | b'0'..=b'9' => {
                pos = skip_number(bytes, pos)?;
                // Arrays of numbers (coordinates, series) are most of what is skipped: their
                // next numbers are read here rather than through the loop's dispatch.
                if stack.last() == Some(&true) {
                    while bytes.get(pos) == Some(&b',') {
                        let next = skip_ws(bytes, pos + 1);
                        if !matches!(bytes.get(next), Some(b'-' | b'0'..=b'9')) {
                            break;
                        }
                        pos = skip_number(bytes, next)?;
                    }
                }
            }
            _ => pos = literal(bytes, pos)?.0,
        }
        // After a value.
        loop {
            pos = skip_ws(bytes, pos);
            let Some(&is_array) = stack.last() else {
                return Ok(pos);
            };
            match (is_array, bytes.get(pos)) {
                (true, Some(b',')) => {
                    pos = skip_ws(bytes, pos + 1);
                    break;
                }
                (false, Some(b',')) => {
                    pos = skip_key(bytes, pos + 1)?;
                    break;
                }
                (true, Some(b']')) | (false, Some(b'}')) => {
                    pos += 1;
                    stack.pop();
                }
                (_, None) => return Err(EventError::new(pos, K::UnexpectedEnd)),
                (true, _) => return Err(EventError::new(pos, K::ExpectedCommaOrArrayEnd)),
                (false, _) => return Err(EventError::new(pos, K::ExpectedCommaOrObjectEnd)),
            }
        }
    }
}

/// Validates `"key" :` at `pos` (whitespace allowed around); returns the value's position.
pub(super) fn skip_key(bytes: &[u8], pos: usize) -> Result<usize, EventError> {
    let pos = skip_ws(bytes, pos);
    match bytes.get(pos) {
        Some(b'"') => {}
        Some(_) => return Err(EventError::new(pos, K::ExpectedKey)),
        None => return Err(EventError::new(pos, K::UnexpectedEnd)),
    }
    let pos = skip_ws(bytes, skip_string(bytes, pos)?);
    match bytes.get(pos) {
        Some(b':') => Ok(skip_ws(bytes, pos + 1)),
        Some(_) => Err(EventError::new(pos, K::ExpectedColon)),
        None => Err(EventError::new(pos, K::UnexpectedEnd)),
    }
}

/// Passes over the value at `pos` of text trusted to be valid JSON; returns the position after
/// it (at most `bytes.len()`, and never before `pos`).
///
/// Nothing is checked: a string ends at its first unescaped quote, a container at the bracket
/// that brings the count of open ones (of either kind) back to zero, anything else at the next
/// `,`, `]`, `}` or whitespace. On other text it still ends, in one pass and without memory:
/// whatever it returns, the caller reads on from there with its own checks.
pub(super) fn skip_value_trusted(bytes: &[u8], pos: usize) -> usize {
    match bytes.get(pos) {
        Some(b'"') => skip_string_trusted(bytes, pos + 1),
        Some(b'{' | b'[') => skip_rest_trusted(bytes, pos + 1),
        Some(_) => {
            let rest = bytes.get(pos..).unwrap_or(&[]);
            pos + rest
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(rest.len())
        }
        None => pos,
    }
}

/// Passes over the rest of a container whose opening bracket is just before `pos`, in text
/// trusted to be valid JSON; returns the position after its closing bracket (or the end of
/// `bytes`). See [`skip_value_trusted`].
pub(super) fn skip_rest_trusted(bytes: &[u8], mut pos: usize) -> usize {
    // Brackets of both kinds count alike: in valid JSON they nest properly, so the count
    // alone finds the end.
    let mut open = 1usize;
    loop {
        pos = structural_run_end(bytes, pos);
        let Some(&b) = bytes.get(pos) else {
            return bytes.len();
        };
        pos += 1;
        match b {
            b'"' => pos = skip_string_trusted(bytes, pos),
            b'{' | b'[' => open += 1,
            b'}' | b']' => {
                open -= 1;
                if open == 0 {
                    return pos;
                }
            }
            _ => {}
        }
    }
}

/// The position after the closing quote of a string whose content starts at `pos`, trusting
/// it to be valid: the first quote not escaped by a backslash (or the end of `bytes`).
fn skip_string_trusted(bytes: &[u8], mut pos: usize) -> usize {
    loop {
        let rest = bytes.get(pos..).unwrap_or(&[]);
        match memchr2(b'"', b'\\', rest) {
            // A backslash escapes the byte after it (the rest of `\uXXXX` is plain).
            Some(i) if rest.get(i) == Some(&b'\\') => pos += i + 2,
            Some(i) => return pos + i + 1,
            None => return bytes.len(),
        }
    }
}
