//! Where a command's text comes from: inline, `file://PATH` (as the AWS CLI accepts), or `-`
//! for standard input.

use std::io::{self, Read};

/// Reads an argument that is inline text, `file://PATH`, or `-` (standard input).
///
/// `what` names the argument in error messages.
pub fn read_argument(value: &str, what: &str) -> Result<String, String> {
    if value == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read {what} from standard input: {e}"))?;
        Ok(text)
    } else if let Some(path) = value.strip_prefix("file://") {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} from {path}: {e}"))
    } else {
        Ok(value.to_owned())
    }
}

/// [`read_argument`] of at most `limit` bytes: longer text is an error, and no more than one
/// byte beyond the limit is read from a file or standard input.
pub fn read_argument_limited(value: &str, what: &str, limit: usize) -> Result<String, String> {
    let too_long = || format!("{what} is longer than --max-event-size ({limit} bytes)");
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let (bytes, source) = if value == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {what} from standard input: {e}"))?;
        (bytes, String::from("standard input"))
    } else if let Some(path) = value.strip_prefix("file://") {
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(cap).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read {what} from {path}: {e}"))?;
        (bytes, path.to_owned())
    } else {
        if value.len() > limit {
            return Err(too_long());
        }
        return Ok(value.to_owned());
    };
    if bytes.len() > limit {
        return Err(too_long());
    }
    String::from_utf8(bytes).map_err(|e| format!("cannot read {what} from {source}: {e}"))
}
