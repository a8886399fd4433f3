//! The `cidr` operand and IP address text, read the way AWS's engine reads them (same checks,
//! same order, same reasons): the one definition of an address that the reference matcher,
//! the DSL evaluator and the compiled matcher use.
//!
//! event-ruler first asks whether text looks like an address (`[0-9]+(\.[0-9]+){3}` or
//! `[0-9a-fA-F:]*:[0-9a-fA-F:]*`), then hands it to Java's `InetAddress`. Two consequences
//! shape this module:
//!
//! - Java reads IPv4 octets with leading zeros as decimal (`010.0.0.1` is `10.0.0.1`), which
//!   `std::net::Ipv4Addr` refuses (on purpose: other readers take them as octal). So IPv4 text
//!   is read here octet by octet; IPv6 text, whose grammar Java and `std::net` share once the
//!   look check has passed, is read by `std::net::Ipv6Addr`.
//! - Java turns an IPv4-mapped IPv6 address written in hex (`::ffff:a00:1`) into the IPv4
//!   address, while the dotted forms (`::ffff:10.0.0.1`, `2001:db8::0.0.0.1`) fail the look
//!   check and are no address at all: plain strings, in no network.

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
    let ip = read_address(address).map_err(|e| e.into_pattern_error(address))?;
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

/// Why text is not an IP address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressError {
    /// It does not look like one (AWS: `Nonstandard IP address: X`).
    Nonstandard,
    /// It looks like one but does not parse (AWS: `Invalid IP address: X`).
    Invalid,
}

impl AddressError {
    fn into_pattern_error(self, text: &str) -> PatternError {
        match self {
            AddressError::Nonstandard => {
                PatternError::invalid(format!("Nonstandard IP address: {text}"))
            }
            AddressError::Invalid => PatternError::invalid(format!("Invalid IP address: {text}")),
        }
    }
}

/// Reads IP address text as AWS's engine does, in patterns and events alike: IPv4 octets in
/// decimal even with leading zeros, IPv6 in any hex case with zero compression, an
/// IPv4-mapped IPv6 address in hex as the IPv4 address, and no dotted IPv6 forms.
///
/// ```
/// use evpattern::pattern::{read_address, AddressError};
/// use std::net::IpAddr;
///
/// let ten: IpAddr = "10.0.0.1".parse().unwrap();
/// assert_eq!(read_address("010.000.0.01"), Ok(ten));
/// assert_eq!(read_address("::FFFF:a00:1"), Ok(ten));
/// assert_eq!(read_address("::ffff:10.0.0.1"), Err(AddressError::Nonstandard));
/// assert_eq!(read_address("10.0.0.256"), Err(AddressError::Invalid));
/// ```
pub fn read_address(text: &str) -> Result<IpAddr, AddressError> {
    if let Some(octets) = ipv4_octets(text) {
        return octets
            .map(|o| IpAddr::V4(Ipv4Addr::from(o)))
            .ok_or(AddressError::Invalid);
    }
    let looks_v6 = text.contains(':') && text.bytes().all(|b| b == b':' || b.is_ascii_hexdigit());
    if !looks_v6 {
        return Err(AddressError::Nonstandard);
    }
    let v6: Ipv6Addr = text.parse().map_err(|_| AddressError::Invalid)?;
    Ok(match v6.to_ipv4_mapped() {
        Some(v4) => IpAddr::V4(v4),
        None => IpAddr::V6(v6),
    })
}

/// `None` when `text` does not look like IPv4 (four dot-separated runs of digits); else the
/// octets, `None` inside when one exceeds 255. Java reads each run in decimal, leading zeros
/// and all.
fn ipv4_octets(text: &str) -> Option<Option<[u8; 4]>> {
    let mut octets = [0u8; 4];
    let mut groups = text.split('.');
    let mut in_range = true;
    for octet in &mut octets {
        let group = groups.next()?;
        if group.is_empty() || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut value: u32 = 0;
        for b in group.bytes() {
            value = value * 10 + u32::from(b - b'0');
            if value > 255 {
                in_range = false;
                value = 255;
            }
        }
        *octet = value as u8;
    }
    if groups.next().is_some() {
        return None;
    }
    Some(in_range.then_some(octets))
}

impl Cidr {
    /// Whether string `text` is an address inside this network. Addresses of the other family
    /// are never inside, whatever the mask: event-ruler compares the hex digits of IPv4 and
    /// IPv6 addresses in one space, so a `/0` or `/1` range (and an IPv4 range against an
    /// IPv6 address with the same leading 32 bits) can catch the other family there; SPEC
    /// marks that *either*, and we keep the families apart.
    ///
    /// ```
    /// use evpattern::Pattern;
    /// use evpattern::pattern::Predicate;
    ///
    /// let p = Pattern::parse(r#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#).unwrap();
    /// let Predicate::Cidr(net) = &p.root().conditions()[0].predicates()[0] else { panic!() };
    /// assert!(net.contains("010.0.0.7"));
    /// assert!(!net.contains("::ffff:10.0.0.7"));
    /// assert!(!net.contains("10.0.1.7"));
    /// ```
    pub fn contains(&self, text: &str) -> bool {
        match (read_address(text), self.network) {
            (Ok(IpAddr::V4(a)), IpAddr::V4(n)) => {
                let mask = mask_bits_u32(u32::from(self.prefix_len));
                u32::from(a) & mask == u32::from(n) & mask
            }
            (Ok(IpAddr::V6(a)), IpAddr::V6(n)) => {
                let mask = mask_bits_u128(u32::from(self.prefix_len));
                u128::from(a) & mask == u128::from(n) & mask
            }
            _ => false,
        }
    }
}

/// Whether an exact string of a pattern matches string `text` of an event. Byte for byte, or,
/// when both read as IP addresses ([`read_address`]), as the same address: event-ruler
/// compiles a pattern string that is an address into a one-address range, so `["10.0.0.1"]`
/// matches `"010.0.0.1"` and `"::ffff:a00:1"`.
///
/// ```
/// use evpattern::pattern::exact_string_matches;
///
/// assert!(exact_string_matches("10.0.0.1", "10.000.0.1"));
/// assert!(exact_string_matches("2001:db8::1", "2001:DB8:0::1"));
/// assert!(!exact_string_matches("10.0.0.1", "::ffff:10.0.0.1"));
/// assert!(exact_string_matches("::ffff:10.0.0.1", "::ffff:10.0.0.1"));
/// ```
pub fn exact_string_matches(pattern: &str, text: &str) -> bool {
    pattern == text
        || match (read_address(pattern), read_address(text)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
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
        // to AWS at all. Leading zeros are decimal.
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
        assert_eq!(reason("10.0.0.0256/8"), "Invalid IP address: 10.0.0.0256");
        assert_eq!(
            reason("2001:db8::0.0.0.0/96"),
            "Nonstandard IP address: 2001:db8::0.0.0.0"
        );
        assert_eq!(
            parse_cidr("010.0.0.0/8").unwrap().network(),
            "10.0.0.0".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            parse_cidr("00.0.0.0/8").unwrap().network(),
            "0.0.0.0".parse::<IpAddr>().unwrap()
        );
        assert_eq!(reason("1:2:3/8"), "Invalid IP address: 1:2:3");
        assert_eq!(reason("10.0.0.0/32"), "IPv4 mask bits must be < 32");
        assert_eq!(reason("::/128"), "IPv6 mask bits must be < 128");
    }
}
