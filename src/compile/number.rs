//! Numbers as the automaton compares them: an order-preserving integer key for doubles, so
//! that numeric equality is a hash lookup and numeric ranges are integer intervals, and a
//! fast reading of event number text that gives the same answer as
//! [`Number::parse`](crate::pattern::Number::parse).

/// A double as an unsigned integer that sorts in the same order as the doubles themselves
/// (`-0` is read as `0`). NaN never reaches here: pattern and event numbers are finite.
pub(crate) fn ordered_key(value: f64) -> u64 {
    let value = if value == 0.0 { 0.0 } else { value };
    let bits = value.to_bits();
    if bits >> 63 == 0 {
        bits | (1 << 63)
    } else {
        !bits
    }
}

/// What the matcher needs to know about one event number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct EventNumber {
    /// The value when event-ruler can compare the number (see
    /// [`crate::pattern::Number::value`]): exact matches compare by value then, otherwise by
    /// text, and only such a number can be in a numeric range.
    pub exact: Option<f64>,
}

/// Reads valid JSON number text as [`crate::pattern::Number::parse`] would, without allocating.
///
/// A decimal with at most 15 significant digits whose magnitude lies well inside the normal
/// double range always round-trips (15 is `DBL_DIG`: two such decimals never read as the same
/// double, so the shortest form of the double is the decimal itself). Other numbers are
/// compared with the double's shortest form, printed into a stack buffer.
pub(crate) fn read_event_number(text: &str) -> EventNumber {
    if let Some(value) = fast_round_trip(text) {
        return EventNumber { exact: Some(value) };
    }
    let exact = approx_number(text).filter(|&v| same_decimal(text, ShortestForm::of(v).as_str()));
    EventNumber { exact }
}

/// The nearest double to number text: `None` outside the double range, `-0` read as `0`.
fn approx_number(text: &str) -> Option<f64> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| if v == 0.0 { 0.0 } else { v })
}

/// The decimal Java's `Double.toString` prints for a double, as `{:e}` text in a stack buffer:
/// the shortest that reads back, but two digits where that would be one (see
/// [`crate::pattern::java_double_text`]).
struct ShortestForm {
    buf: [u8; 40],
    len: usize,
}

impl ShortestForm {
    fn of(v: f64) -> ShortestForm {
        use std::fmt::Write;
        let mut form = ShortestForm {
            buf: [0; 40],
            len: 0,
        };
        // `{:e}` of a finite double is at most 25 bytes, so this cannot fail.
        let _ = write!(form, "{v:e}");
        let mantissa_digits = form
            .as_str()
            .split('e')
            .next()
            .map_or(0, |m| m.bytes().filter(u8::is_ascii_digit).count());
        if mantissa_digits == 1 {
            form.len = 0;
            let _ = write!(form, "{v:.1e}");
        }
        form
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(self.buf.get(..self.len).unwrap_or(&[])).unwrap_or("")
    }
}

impl std::fmt::Write for ShortestForm {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A decimal's sign, significant digits (at most 17 kept) and exponent, for comparing two
/// spellings by value without allocating.
#[derive(PartialEq)]
struct Significant {
    negative: bool,
    digits: [u8; 17],
    count: usize,
    /// Value = 0.digits × 10^exponent.
    exponent: i64,
}

/// Reads number text (JSON grammar, or `{:e}` output) into [`Significant`]; `None` when it
/// has more than 17 significant digits (no double's shortest form has) or is malformed.
fn significant(text: &str) -> Option<Significant> {
    let bytes = text.as_bytes();
    let negative = bytes.first() == Some(&b'-');
    let mut i = usize::from(negative);
    let mut out = Significant {
        negative,
        digits: [0; 17],
        count: 0,
        exponent: 0,
    };
    let mut seen_nonzero = false;
    let mut pending_zeros = 0usize;
    let mut int_digits: i64 = 0;
    let mut leading_zeros: i64 = 0;
    let mut in_fraction = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                if !in_fraction {
                    int_digits += 1;
                }
                if b == b'0' {
                    if seen_nonzero {
                        pending_zeros += 1;
                    } else {
                        leading_zeros += 1;
                    }
                } else {
                    seen_nonzero = true;
                    for _ in 0..pending_zeros {
                        *out.digits.get_mut(out.count)? = 0;
                        out.count += 1;
                    }
                    pending_zeros = 0;
                    *out.digits.get_mut(out.count)? = b - b'0';
                    out.count += 1;
                }
            }
            b'.' => in_fraction = true,
            b'e' | b'E' => break,
            _ => return None,
        }
        i += 1;
    }
    let mut exp: i64 = 0;
    if i < bytes.len() {
        let rest = bytes.get(i + 1..)?;
        let (exp_negative, digits) = match rest.first() {
            Some(b'-') => (true, rest.get(1..)?),
            Some(b'+') => (false, rest.get(1..)?),
            _ => (false, rest),
        };
        for &d in digits {
            exp = exp
                .saturating_mul(10)
                .saturating_add(i64::from(d.wrapping_sub(b'0')));
        }
        if exp_negative {
            exp = -exp;
        }
    }
    if !seen_nonzero {
        out.negative = false;
        return Some(out);
    }
    out.exponent = (int_digits - leading_zeros).saturating_add(exp);
    Some(out)
}

/// Whether two number spellings have the same decimal value (`None`-safe: false when either
/// cannot be read).
fn same_decimal(a: &str, b: &str) -> bool {
    match (significant(a), significant(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn fast_round_trip(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut significant = 0u32;
    let mut leading_zeros = true;
    let mut trailing_zeros = 0u32;
    // Position of the first significant digit relative to the decimal point, in digits.
    let mut int_digits_after_first: i32 = 0;
    let mut first_in_fraction_at: i32 = 0;
    let mut seen_point = false;
    let mut fraction_index: i32 = 0;
    let mut i = 0;
    if bytes.first() == Some(&b'-') {
        i = 1;
    }
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                if seen_point {
                    fraction_index += 1;
                }
                if b == b'0' && leading_zeros {
                    i += 1;
                    continue;
                }
                if leading_zeros {
                    leading_zeros = false;
                    first_in_fraction_at = if seen_point { fraction_index } else { 0 };
                }
                if !seen_point {
                    int_digits_after_first += 1;
                }
                significant += 1;
                if b == b'0' {
                    trailing_zeros += 1;
                } else {
                    trailing_zeros = 0;
                }
            }
            b'.' => seen_point = true,
            b'e' | b'E' => break,
            _ => return None,
        }
        i += 1;
    }
    let mut exponent: i32 = 0;
    if i < bytes.len() {
        // Exponent part: at most 4 digits keeps the arithmetic small; anything longer is rare.
        let rest = bytes.get(i + 1..)?;
        let (negative, digits) = match rest.first() {
            Some(b'-') => (true, rest.get(1..)?),
            Some(b'+') => (false, rest.get(1..)?),
            _ => (false, rest),
        };
        if digits.is_empty() || digits.len() > 4 {
            return None;
        }
        for &d in digits {
            exponent = exponent * 10 + i32::from(d.wrapping_sub(b'0'));
        }
        if negative {
            exponent = -exponent;
        }
    }
    let value: f64 = text.parse().ok()?;
    if leading_zeros {
        // All digits are zero.
        return Some(0.0);
    }
    if significant - trailing_zeros > 15 {
        return None;
    }
    // Decimal exponent of the leading digit: value = d.ddd × 10^magnitude.
    let magnitude = if int_digits_after_first > 0 {
        int_digits_after_first - 1 + exponent
    } else {
        -first_in_fraction_at + exponent
    };
    if !(-290..=290).contains(&magnitude) {
        return None;
    }
    Some(if value == 0.0 { 0.0 } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Number;

    #[test]
    fn ordered_key_preserves_order() {
        let values = [
            -f64::MAX,
            -1e10,
            -1.5,
            -f64::MIN_POSITIVE,
            0.0,
            f64::MIN_POSITIVE,
            1.0,
            1.5,
            1e300,
            f64::MAX,
        ];
        for pair in values.windows(2) {
            assert!(ordered_key(pair[0]) < ordered_key(pair[1]), "{pair:?}");
        }
        assert_eq!(ordered_key(-0.0), ordered_key(0.0));
    }

    #[test]
    fn event_numbers_read_like_number_parse() {
        let texts = [
            "0",
            "-0",
            "0.000",
            "300",
            "3e2",
            "3.00E+2",
            "0.1",
            "-0.5e-7",
            "123456789012345",
            "1234567890123456",
            "12345678901234567",
            "9007199254740993",
            "1.00000000000000000001",
            "1e999",
            "1e-999",
            "1e308",
            "1.7976931348623157e308",
            "2.2250738585072014e-308",
            "5e-324",
            "100000000000000000000000",
            "0.000000000000000000000000001",
            "1E+0004",
            "1e00001",
            "-12.5e-3",
        ];
        for text in texts {
            let expected = Number::parse(text).unwrap();
            let got = read_event_number(text);
            assert_eq!(got.exact, expected.value(), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_number_text_reads_like_number_parse(
            negative in proptest::bool::ANY,
            int in "(0|[1-9][0-9]{0,20})",
            frac in proptest::option::of("[0-9]{1,20}"),
            exp in proptest::option::of((proptest::sample::select(vec!["e", "E"]), proptest::sample::select(vec!["", "+", "-"]), 0u32..400)),
        ) {
            let mut text = String::new();
            if negative { text.push('-'); }
            text.push_str(&int);
            if let Some(f) = frac { text.push('.'); text.push_str(&f); }
            if let Some((e, sign, n)) = exp { text.push_str(&format!("{e}{sign}{n}")); }
            let expected = Number::parse(&text).unwrap();
            let got = read_event_number(&text);
            proptest::prop_assert_eq!(got.exact, expected.value(), "{}", text);
        }

        #[test]
        fn printed_doubles_round_trip(v in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL) {
            for text in [format!("{v}"), format!("{v:e}"), format!("{v:?}")] {
                let expected = Number::parse(&text).unwrap();
                let got = read_event_number(&text);
                proptest::prop_assert_eq!(got.exact, expected.value(), "{}", text);
            }
        }
    }
}
