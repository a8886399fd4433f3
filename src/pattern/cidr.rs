//! The `cidr` operand, read the way AWS reads it (same checks, same order, same reasons),
//! with the addresses themselves parsed by `std::net`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::ast::Cidr;
use super::error::PatternError;

/// Reads `a.b.c.d/n` or `x:y::z/n` into a network whose address is floored to the mask.
///
/// AWS's checks, in order: exactly one `/` (Java's `split`, which ignores trailing empty
/// parts), an integer mask, a non-negative mask, an address that looks like IPv4 or IPv6
/// and parses, then a mask below the address width (AWS refuses `/32` for IPv4 and `/128`
/// for IPv6). An IPv4-mapped IPv6 address is an IPv4 address, as in Java.
pub(crate) fn parse_cidr(source: &str) -> Result<Cidr, PatternError> {
    let mut parts: Vec<&str> = source.split('/').collect();
    while parts.last() == Some(&"") {
        parts.pop();
    }
    let (address, mask) = match parts.as_slice() {
        [address, mask] => (*address, *mask),
        _ => return Err(PatternError::invalid("Malformed CIDR, one '/' required")),
    };
    let mask: i32 = mask
        .parse()
        .map_err(|_| PatternError::invalid("Malformed CIDR, mask bits must be an integer"))?;
    if mask < 0 {
        return Err(PatternError::invalid(
            "Malformed CIDR, mask bits must not be negative",
        ));
    }
    let ip = parse_ip(address)?;
    let (network, prefix_len) = match ip {
        IpAddr::V4(v4) => {
            if mask > 31 {
                return Err(PatternError::invalid("IPv4 mask bits must be < 32"));
            }
            let bits = u32::from(v4) & mask_bits_u32(mask as u32);
            (IpAddr::V4(Ipv4Addr::from(bits)), mask as u8)
        }
        IpAddr::V6(v6) => {
            if mask > 127 {
                return Err(PatternError::invalid("IPv6 mask bits must be < 128"));
            }
            let bits = u128::from(v6) & mask_bits_u128(mask as u32);
            (IpAddr::V6(Ipv6Addr::from(bits)), mask as u8)
        }
    };
    Ok(Cidr {
        source: source.to_owned(),
        network,
        prefix_len,
    })
}

fn mask_bits_u32(len: u32) -> u32 {
    u32::MAX.checked_shl(32 - len).unwrap_or(0)
}

fn mask_bits_u128(len: u32) -> u128 {
    u128::MAX.checked_shl(128 - len).unwrap_or(0)
}

/// AWS first asks whether the text looks like an address (`[0-9]+(\.[0-9]+){3}` or
/// `[0-9a-fA-F:]*:[0-9a-fA-F:]*`); text that does not is "Nonstandard", text that does but
/// does not parse is "Invalid".
fn parse_ip(text: &str) -> Result<IpAddr, PatternError> {
    let looks_v4 = {
        let groups: Vec<&str> = text.split('.').collect();
        groups.len() == 4
            && groups
                .iter()
                .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
    };
    let looks_v6 = text.contains(':') && text.bytes().all(|b| b == b':' || b.is_ascii_hexdigit());
    if !looks_v4 && !looks_v6 {
        return Err(PatternError::invalid(format!(
            "Nonstandard IP address: {text}"
        )));
    }
    let invalid = || PatternError::invalid(format!("Invalid IP address: {text}"));
    if looks_v4 {
        return text
            .parse::<Ipv4Addr>()
            .map(IpAddr::V4)
            .map_err(|_| invalid());
    }
    let v6: Ipv6Addr = text.parse().map_err(|_| invalid())?;
    Ok(match v6.to_ipv4_mapped() {
        Some(v4) => IpAddr::V4(v4),
        None => IpAddr::V6(v6),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(s: &str) -> String {
        parse_cidr(s).unwrap_err().reason().to_owned()
    }

    #[test]
    fn floors_to_the_mask() {
        let c = parse_cidr("10.1.2.3/16").unwrap();
        assert_eq!(c.network(), "10.1.0.0".parse::<IpAddr>().unwrap());
        assert_eq!(c.prefix_len(), 16);
        assert_eq!(c.source(), "10.1.2.3/16");
        let c = parse_cidr("2001:db8:1234:1a00::1/64").unwrap();
        assert_eq!(
            c.network(),
            "2001:db8:1234:1a00::".parse::<IpAddr>().unwrap()
        );
        let c = parse_cidr("0.0.0.0/0").unwrap();
        assert_eq!(c.prefix_len(), 0);
        // Java reads an IPv4-mapped IPv6 address as IPv4; the dotted form is not an address
        // to AWS at all.
        let c = parse_cidr("::ffff:a00:1/8").unwrap();
        assert_eq!(c.network(), "10.0.0.0".parse::<IpAddr>().unwrap());
        assert_eq!(
            parse_cidr("::ffff:10.0.0.1/8").unwrap_err().reason(),
            "Nonstandard IP address: ::ffff:10.0.0.1"
        );
    }

    #[test]
    fn aws_reasons() {
        assert_eq!(reason("bad-filter"), "Malformed CIDR, one '/' required");
        assert_eq!(reason("10.0.0.0/"), "Malformed CIDR, one '/' required");
        assert_eq!(reason("10.0.0.0/8/8"), "Malformed CIDR, one '/' required");
        assert_eq!(
            reason("bad-/64filter"),
            "Malformed CIDR, mask bits must be an integer"
        );
        assert_eq!(
            reason("10.0.0.0/-1"),
            "Malformed CIDR, mask bits must not be negative"
        );
        assert_eq!(reason("xx.11.xx/8"), "Nonstandard IP address: xx.11.xx");
        assert_eq!(
            reason("xxxx:db8:1234:1a00::/64"),
            "Nonstandard IP address: xxxx:db8:1234:1a00::"
        );
        assert_eq!(reason("/8"), "Nonstandard IP address: ");
        assert_eq!(reason("1.2.3.256/8"), "Invalid IP address: 1.2.3.256");
        assert_eq!(reason("1:2:3/8"), "Invalid IP address: 1:2:3");
        assert_eq!(reason("10.0.0.0/32"), "IPv4 mask bits must be < 32");
        assert_eq!(reason("::/128"), "IPv6 mask bits must be < 128");
    }
}
