//! `java_double_text` against text printed by Java's own `Double.toString`.
//!
//! event-ruler (which EventBridge runs) compares event numbers through the text Java prints
//! for a double, so ours must print the same decimal. The table was printed by a real JDK
//! (see its header and `tests/data/README.md`); it is data, so the test needs no Java. Where
//! Rust's std formatter and Java disagree (ties between two shortest decimals, the first 60
//! rows), Java wins: it is what AWS's engine sees.

use evpattern::pattern::java_double_text;

const TABLE: &str = include_str!("data/java/double-tostring.tsv");

/// The decimal a number text spells, as (negative, significant digits, exponent of the
/// last digit), so that `1.0E23`, `1e23` and `10000000000000000000000.0` compare equal.
fn decimal_value(text: &str) -> (bool, String, i64) {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().expect("exponent")),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits = format!("{whole}{fraction}");
    let mut exponent = exponent - fraction.len() as i64;
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
        exponent += 1;
    }
    let digits = digits.trim_start_matches('0').to_string();
    (negative, digits, exponent)
}

#[test]
fn java_double_text_prints_what_java_prints() {
    let mut rows = 0;
    let mut wrong = Vec::new();
    for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
        let (bits, java) = line.split_once('\t').expect("two columns");
        let value = f64::from_bits(u64::from_str_radix(bits, 16).expect("hex bits"));
        let ours = java_double_text(value);
        if decimal_value(&ours) != decimal_value(java) {
            wrong.push(format!("{bits}: Java {java}, ours {ours}"));
        }
        rows += 1;
    }
    assert_eq!(rows, 378, "the table lost rows");
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn ties_are_where_std_and_java_part() {
    // The case the property test found: 599948125481123.25 is exactly midway between
    // 599948125481123.2 and 599948125481123.3; Java prints the even one.
    // Written as text: the literal is exact, but clippy calls it overprecise.
    let tie: f64 = "599948125481123.25".parse().unwrap();
    assert_eq!(java_double_text(tie), "5.999481254811232e14");
    assert_eq!(format!("{tie:e}"), "5.999481254811233e14");
}

#[test]
fn the_comparison_itself_can_fail() {
    assert_ne!(decimal_value("4.9E-324"), decimal_value("5e-324"));
    assert_eq!(
        decimal_value("1.0E23"),
        decimal_value("100000000000000000000000")
    );
    assert_eq!(decimal_value("0.001"), decimal_value("1.0e-3"));
}
