//! Validation of the parts of an event no rule uses: the JSON grammar and the depth limit are
//! checked, nothing is built or reported.

use super::error::{EventError, EventErrorKind as K};
use super::lex::{literal, skip_number, skip_string, skip_ws};

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
