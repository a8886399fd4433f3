//! Checks the operands EventBridge validates itself (wildcards, CIDR blocks, anything-but
//! lists) so that a bad one is reported at its place in the rule, not later as a whole-pattern
//! error.

use std::net::IpAddr;

use crate::pattern::{Cidr, Wildcard};

/// Reads a `wildcard` operand: `*` is any run of characters, `\*` a literal star, `\\` a
/// literal backslash. Errors are worded as AWS words them.
pub(crate) fn wildcard(source: &str) -> Result<Wildcard, String> {
    let mut pieces = vec![String::new()];
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '*' => {
                if matches!(chars.peek(), Some((_, '*'))) {
                    return Err(format!("Consecutive wildcard characters at pos {}", i + 1));
                }
                pieces.push(String::new());
            }
            '\\' => match chars.next() {
                Some((_, escaped @ ('*' | '\\'))) => push(&mut pieces, escaped),
                _ => return Err(format!("Invalid escape character at pos {}", i + 1)),
            },
            other => push(&mut pieces, other),
        }
    }
    Ok(Wildcard {
        source: source.to_owned(),
        pieces,
    })
}

fn push(pieces: &mut [String], c: char) {
    if let Some(last) = pieces.last_mut() {
        last.push(c);
    }
}

/// Escapes `*` and `\` so that `text` is matched literally inside a wildcard.
pub(crate) fn escape_wildcard(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '*' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Reads a `cidr` operand such as `10.0.0.0/24` or `2001:db8::/32`, flooring the address to
/// the network.
pub(crate) fn cidr(source: &str) -> Result<Cidr, String> {
    let mut parts = source.split('/');
    let (address, bits) = match (parts.next(), parts.next(), parts.next()) {
        (Some(address), Some(bits), None) => (address, bits),
        _ => return Err("Malformed CIDR, one '/' required".to_owned()),
    };
    let address: IpAddr = address
        .parse()
        .map_err(|_| format!("Nonstandard IP address: {address}"))?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix_len: u8 = bits
        .parse()
        .ok()
        .filter(|&n: &u8| n <= max && bits.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| format!("Malformed CIDR, mask bits must be between 0 and {max}"))?;
    let network = match address {
        IpAddr::V4(v4) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(prefix_len))
                .unwrap_or(0);
            IpAddr::from((u32::from(v4) & mask).to_be_bytes())
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(prefix_len))
                .unwrap_or(0);
            IpAddr::from((u128::from(v6) & mask).to_be_bytes())
        }
    };
    Ok(Cidr {
        source: source.to_owned(),
        network,
        prefix_len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_pieces_and_errors() {
        assert_eq!(wildcard("a*b\\*c*").unwrap().pieces(), ["a", "b*c", ""]);
        assert_eq!(wildcard("\\\\").unwrap().pieces(), ["\\"]);
        assert_eq!(
            wildcard("ab**").unwrap_err(),
            "Consecutive wildcard characters at pos 3"
        );
        assert_eq!(
            wildcard("a\\b").unwrap_err(),
            "Invalid escape character at pos 2"
        );
        assert_eq!(escape_wildcard("a*\\"), "a\\*\\\\");
        assert_eq!(
            wildcard(&escape_wildcard("a*\\")).unwrap().pieces(),
            ["a*\\"]
        );
    }

    #[test]
    fn cidr_is_floored_and_checked() {
        let c = cidr("10.1.2.3/8").unwrap();
        assert_eq!(c.network().to_string(), "10.0.0.0");
        assert_eq!(c.prefix_len(), 8);
        assert_eq!(cidr("0.0.0.0/0").unwrap().prefix_len(), 0);
        assert_eq!(
            cidr("2001:db8::1/32").unwrap().network().to_string(),
            "2001:db8::"
        );
        assert!(cidr("10.0.0.0").is_err());
        assert!(cidr("10.0.0.0/33").is_err());
        assert!(cidr("10.0.0/8").is_err());
        assert!(cidr("10.0.0.0/+8").is_err());
    }
}
