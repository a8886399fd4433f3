//! The literals `true`, `false` and `null`.

use crate::scan::error::{EventError, EventErrorKind as K};
use crate::scan::Leaf;

/// Reads `true`, `false` or `null` at `pos`.
pub(crate) fn literal(bytes: &[u8], pos: usize) -> Result<(usize, Leaf<'static>), EventError> {
    let (text, leaf): (&[u8], Leaf<'_>) = match bytes.get(pos) {
        Some(b't') => (b"true", Leaf::Bool(true)),
        Some(b'f') => (b"false", Leaf::Bool(false)),
        Some(b'n') => (b"null", Leaf::Null),
        Some(_) => return Err(EventError::new(pos, K::ExpectedValue)),
        None => return Err(EventError::new(pos, K::UnexpectedEnd)),
    };
    match bytes.get(pos..pos + text.len()) {
        Some(found) if found == text => Ok((pos + text.len(), leaf)),
        Some(_) => Err(EventError::new(pos, K::ExpectedValue)),
        None => {
            // Report the end when the input is a truncated literal, else the wrong byte.
            let available = bytes.get(pos..).unwrap_or(&[]);
            if text.starts_with(available) {
                Err(EventError::new(bytes.len(), K::UnexpectedEnd))
            } else {
                Err(EventError::new(pos, K::ExpectedValue))
            }
        }
    }
}
