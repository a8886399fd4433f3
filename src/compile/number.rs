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
/// Most event numbers are settled by their digits alone: a decimal with at most 15
/// significant digits whose magnitude lies well inside the normal double range always
/// round-trips (15 is `DBL_DIG`: two such decimals never read as the same double, so the
/// shortest form of the double is the decimal itself), and one with more than 17 never does
/// (no double's shortest form is that long). Only the rest are read as a double and compared
/// with its shortest form, printed into a stack buffer by `ryu`.
pub(crate) fn read_event_number(text: &str) -> EventNumber {
    let decimal = Decimal::of(text.as_bytes());
    if !decimal.is_zero() && decimal.significant > 17 {
        // The 18-digit coordinates of GeoJSON exports, say: never exact, and no parse needed.
        return EventNumber { exact: None };
    }
    let Some(value) = text.parse::<f64>().ok().filter(|v| v.is_finite()) else {
        return EventNumber { exact: None };
    };
    let value = if value == 0.0 { 0.0 } else { value };
    let always_round_trips = decimal.is_zero()
        || (decimal.significant <= 15 && (-290..=290).contains(&decimal.magnitude));
    let exact = always_round_trips || is_java_text_of(&decimal, text, value);
    EventNumber {
        exact: exact.then_some(value),
    }
}

/// Whether `decimal` (spelt `text`) has the value of the text Java's `Double.toString`
/// prints for `value`: its shortest form, but two digits where that would be one.
fn is_java_text_of(decimal: &Decimal<'_>, text: &str, value: f64) -> bool {
    let mut buffer = ryu::Buffer::new();
    let shortest = buffer.format_finite(value);
    // `None` in the usual case: the producer printed the shortest form too.
    let printed =
        (shortest.as_bytes() != text.as_bytes()).then(|| Decimal::of(shortest.as_bytes()));
    if printed.map_or(decimal.significant, |p| p.significant) <= 1 {
        // Java prints the nearest two-digit decimal here, which may be another value
        // (`5e-324` prints as `4.9E-324`); std's printer gives it, and the case is rare.
        return *decimal == Decimal::of(TwoDigitForm::of(value).as_bytes());
    }
    printed.is_none_or(|printed| *decimal == printed)
}

/// `{:.1e}` of a double, in a stack buffer.
struct TwoDigitForm {
    buf: [u8; 40],
    len: usize,
}

impl TwoDigitForm {
    fn of(v: f64) -> TwoDigitForm {
        use std::fmt::Write;
        let mut form = TwoDigitForm {
            buf: [0; 40],
            len: 0,
        };
        // `{:.1e}` of a finite double is at most 10 bytes, so this cannot fail.
        let _ = write!(form, "{v:.1e}");
        form
    }

    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

impl std::fmt::Write for TwoDigitForm {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Number text (JSON grammar, or a float printer's output) seen as a decimal value:
/// sign, significant digits and the power of ten of the first of them. Two spellings are
/// equal (`==`) exactly when their decimal values are.
#[derive(Clone, Copy, Debug)]
struct Decimal<'a> {
    negative: bool,
    /// The text between the sign and the exponent: digits, and at most one point.
    mantissa: &'a [u8],
    /// Where the significant digits start and end in `mantissa` (`first > last` for zero).
    first: usize,
    last: usize,
    /// Count of significant digits, the point not counted.
    significant: usize,
    /// Value = d.ddd × 10^magnitude, d the first significant digit.
    magnitude: i64,
}

impl<'a> Decimal<'a> {
    fn of(text: &'a [u8]) -> Decimal<'a> {
        let negative = text.first() == Some(&b'-');
        let unsigned = text.get(usize::from(negative)..).unwrap_or_default();
        // Separate passes, each a simple search, measured cheaper than one pass doing all.
        let exponent_at = memchr::memchr2(b'e', b'E', unsigned).unwrap_or(unsigned.len());
        let (mantissa, exponent_part) = unsigned.split_at(exponent_at);
        let is_significant = |&b: &u8| b != b'0' && b != b'.';
        let first = mantissa.iter().position(is_significant);
        let last = mantissa.iter().rposition(is_significant);
        let (Some(first), Some(last)) = (first, last) else {
            return Decimal {
                negative: false,
                mantissa,
                first: 1,
                last: 0,
                significant: 0,
                magnitude: 0,
            };
        };
        let exponent = exponent_value(exponent_part.get(1..).unwrap_or_default());
        let point = memchr::memchr(b'.', mantissa).unwrap_or(mantissa.len());
        let point_inside = first < point && point < last;
        let significant = last - first + 1 - usize::from(point_inside);
        // Digits before the point, counted from the first significant one; negative when it
        // sits after the point (`0.05`: the 5 is the second fraction digit, magnitude -2).
        let int_digits = if first < point {
            (point - first) as i64
        } else {
            -((first - point - 1) as i64)
        };
        Decimal {
            negative,
            mantissa,
            first,
            last,
            significant,
            magnitude: (int_digits - 1).saturating_add(exponent),
        }
    }

    fn is_zero(&self) -> bool {
        self.significant == 0
    }

    fn digits(&self) -> impl Iterator<Item = u8> + 'a {
        let mantissa: &'a [u8] = self.mantissa;
        mantissa
            .get(self.first..=self.last)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&b| b != b'.')
    }
}

impl PartialEq for Decimal<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.is_zero() || other.is_zero() {
            return self.is_zero() == other.is_zero();
        }
        self.negative == other.negative
            && self.magnitude == other.magnitude
            && self.significant == other.significant
            && self.digits().eq(other.digits())
    }
}

/// The value of an exponent's text (`+12`, `-7`, `0003`), saturating far beyond any double's
/// range so that absurd exponents stay absurd.
fn exponent_value(text: &[u8]) -> i64 {
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, text.get(1..).unwrap_or_default()),
        Some(b'+') => (false, text.get(1..).unwrap_or_default()),
        _ => (false, text),
    };
    let magnitude = digits.iter().fold(0i64, |acc, &d| {
        acc.saturating_mul(10)
            .saturating_add(i64::from(d.wrapping_sub(b'0')))
    });
    if negative {
        -magnitude
    } else {
        magnitude
    }
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
            // GeoJSON coordinates: 18 digits (never exact), 17 with a trailing zero, shortest.
            "-122.410880069177693",
            "-122.410657892901810",
            "-122.41065789290181",
            "37.7737224983128430000e0",
            "0.30000000000000004",
            "0.300000000000000040",
            "-0.0000000000000000000",
            "4.9e-324",
            "49e-325",
            "1e23",
            "9.999999999999999e22",
            // 599948125481123.25 is a tie between two 16-digit shortest forms: Java prints
            // ...232 (ties to even), so `.3` is not its text, `.2` is, and `.25` is not.
            "599948125481123.3",
            "599948125481123.2",
            "599948125481123.25",
            "1045291245596509.2",
            "1045291245596509.3",
        ];
        for text in texts {
            let expected = Number::parse(text).unwrap();
            let got = read_event_number(text);
            assert_eq!(got.exact, expected.value(), "{text}");
        }
    }

    #[test]
    fn ties_follow_java_not_std() {
        // Java's Double.toString (checked against a real JDK: tests/data/java) prints the
        // tie 599948125481123.25 as ...232; std's `{:e}` would say ...233. Java is what
        // event-ruler compares with, so `.2` is the exact text and `.3` is not.
        // Written as text: the literal is exact, but clippy calls it overprecise.
        let tie: f64 = "599948125481123.25".parse().unwrap();
        assert_eq!(read_event_number("599948125481123.2").exact, Some(tie));
        assert_eq!(read_event_number("599948125481123.3").exact, None);
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
