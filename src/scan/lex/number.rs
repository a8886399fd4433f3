//! JSON number grammar.

use super::portable::digits_from;
use crate::scan::error::{EventError, EventErrorKind as K};

/// Validates JSON number grammar starting at `pos`; returns the position after the number.
#[inline]
pub(crate) fn skip_number(bytes: &[u8], pos: usize) -> Result<usize, EventError> {
    let mut i = pos;
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits_from(bytes, i + 1),
        Some(_) => return Err(EventError::new(i, K::InvalidNumber)),
        None => return Err(EventError::new(i, K::UnexpectedEnd)),
    }
    if bytes.get(i) == Some(&b'.') {
        if !digit(i + 1) {
            return Err(EventError::new(i + 1, K::InvalidNumber));
        }
        i = digits_from(bytes, i + 1);
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = bytes.get(i) {
            i += 1;
        }
        if !digit(i) {
            return Err(EventError::new(i, K::InvalidNumber));
        }
        i = digits_from(bytes, i);
    }
    Ok(i)
}
