//! Where a command's text comes from: inline, `file://PATH` (as the AWS CLI accepts), or `-`
//! for standard input.

use std::io::Read;

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
