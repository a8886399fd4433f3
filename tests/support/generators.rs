//! Generators of patterns and events as JSON text, shared by the property tests: one small
//! vocabulary, so that matches are frequent (every operator, nesting, dotted keys, `$or`;
//! events with nested objects, arrays, numbers in several spellings, unicode, null).
//!
//! The vocabulary reaches the corners AWS's engine decides (issue 16): IPv4 addresses with
//! leading zeros and IPv4-mapped or dotted-tail IPv6 ones, Unicode case pairs that Java's case
//! mapping treats asymmetrically (`ß`/`SS`/`ẞ`, `ı`/`I`, `ς`/`Σ`, `ﬀ`/`FF`, the Kelvin sign),
//! numbers a double cannot hold exactly, and (the keys being few, `a` and `a.b` among them)
//! paths repeated beside and inside `$or`s.

use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Vocabulary.

pub const KEYS: &[&str] = &["a", "b", "a.b", "c"];
pub const STRINGS: &[&str] = &[
    "",
    "x",
    "xy",
    "yx",
    "X",
    "XY",
    "ab",
    "Ab",
    "AB",
    "a*b",
    "a/b",
    "é",
    "É",
    "ÉCOLE",
    "école",
    "10.0.0.1",
    "10.0.1.1",
    "::ffff:10.0.0.7",
    "2001:db8::1",
    "1",
    "300",
    "null",
    "x\"y",
    "ß",
    "abcdefghijAklmnop/xy",
    // Address spellings event-ruler reads its own way.
    "010.0.0.1",
    "10.000.0.01",
    "::ffff:a00:1",
    "::FFFF:A00:7",
    "2001:db8::0.0.0.1",
    "2001:DB8:0::1",
    // Case pairs Java maps asymmetrically.
    "SS",
    "ss",
    "ẞ",
    "ı",
    "I",
    "i",
    "ς",
    "Σ",
    "σ",
    "ﬀ",
    "FF",
    "\u{212A}",
    "k",
];
pub const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "1",
    "1.0",
    "1e0",
    "10",
    "2.5",
    "25e-1",
    "-3",
    "300",
    "3e2",
    "300.000",
    "1E2",
    "1e999",
    "12345678901234567890",
    "9007199254740993",
    "0.1",
    "-0.5e-7",
    "1e-400",
    // Beyond what a double holds exactly, or printed by Java with two digits.
    "1.0000000000000001",
    "123456789012345678901234567890",
    "5e-324",
    "4.9e-324",
    "9007199254740992",
];

pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

pub fn pick(items: &'static [&'static str]) -> prop::sample::Select<&'static str> {
    prop::sample::select(items)
}

// ---------------------------------------------------------------------------------------------
// Patterns as JSON text.

pub fn string_operand() -> impl Strategy<Value = String> {
    pick(&[
        "", "x", "X", "y", "ab", "a", "é", "É", "x\"", "10.", "ß", "SS", "ı", "I", "ς", "Σ", "ﬀ",
        "k",
    ])
    .prop_map(quoted)
}

pub fn string_list() -> impl Strategy<Value = String> {
    prop_oneof![
        string_operand(),
        prop::collection::vec(string_operand(), 1..3).prop_map(|v| format!("[{}]", v.join(","))),
    ]
}

pub fn wildcard_operand() -> impl Strategy<Value = String> {
    pick(&[
        "x*", "*y", "a*b", "*", "x*y*z", "*x*", "X*", "*b", "a\\\\*b", "", "xy", "*é*", "a*/b",
    ])
    .prop_map(|w| format!("\"{w}\""))
}

pub fn numeric_operand() -> impl Strategy<Value = String> {
    let bound = pick(&[
        "0",
        "1",
        "2.5",
        "-3",
        "300",
        "10",
        "1e2",
        "-0.5e-7",
        "4.9e-324",
        "9007199254740992",
    ]);
    prop_oneof![
        (pick(&["<", "<=", ">", ">=", "="]), bound.clone())
            .prop_map(|(op, n)| format!("[\"{op}\", {n}]")),
        (pick(&[">", ">="]), pick(&["<", "<="]), 0usize..4, 4usize..8).prop_map(
            |(lo_op, hi_op, lo, hi)| {
                let bounds = ["-3", "0", "1", "2.5", "10", "300", "1000", "1e6"];
                format!("[\"{lo_op}\", {}, \"{hi_op}\", {}]", bounds[lo], bounds[hi])
            }
        ),
    ]
}

pub fn anything_but_operand() -> impl Strategy<Value = String> {
    prop_oneof![
        string_list(),
        pick(&["1", "300", "0", "3e2", "1e999", "[1, 300]", "[0, 2.5, -3]"]).prop_map(String::from),
        string_list().prop_map(|s| format!("{{\"prefix\": {s}}}")),
        string_list().prop_map(|s| format!("{{\"suffix\": {s}}}")),
        string_list().prop_map(|s| format!("{{\"equals-ignore-case\": {s}}}")),
        wildcard_operand().prop_map(|w| format!("{{\"wildcard\": {w}}}")),
        prop::collection::vec(wildcard_operand(), 1..3)
            .prop_map(|v| format!("{{\"wildcard\": [{}]}}", v.join(","))),
    ]
}

pub fn predicate() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(STRINGS).prop_map(quoted),
        3 => pick(NUMBERS).prop_map(String::from),
        1 => pick(&["true", "false", "null"]).prop_map(String::from),
        1 => string_operand().prop_map(|s| format!("{{\"prefix\": {s}}}")),
        1 => string_operand().prop_map(|s| format!("{{\"suffix\": {s}}}")),
        1 => string_operand().prop_map(|s| format!("{{\"prefix\": {{\"equals-ignore-case\": {s}}}}}")),
        1 => string_operand().prop_map(|s| format!("{{\"suffix\": {{\"equals-ignore-case\": {s}}}}}")),
        1 => string_operand().prop_map(|s| format!("{{\"equals-ignore-case\": {s}}}")),
        2 => wildcard_operand().prop_map(|w| format!("{{\"wildcard\": {w}}}")),
        4 => anything_but_operand().prop_map(|x| format!("{{\"anything-but\": {x}}}")),
        2 => numeric_operand().prop_map(|n| format!("{{\"numeric\": {n}}}")),
        5 => any::<bool>().prop_map(|b| format!("{{\"exists\": {b}}}")),
        1 => pick(&["10.0.0.0/24", "10.0.0.0/8", "2001:db8::/32", "::ffff:0:0/96", "10.0.0.1/31", "010.0.0.0/8", "::ffff:a00:0/104", "0.0.0.0/0", "::/0"])
            .prop_map(|c| format!("{{\"cidr\": \"{c}\"}}")),
    ]
}

pub fn predicate_list() -> impl Strategy<Value = String> {
    prop::collection::vec(predicate(), 1..5).prop_map(|v| format!("[{}]", v.join(", ")))
}

/// A pattern object: fields holding predicate lists or nested objects, maybe a `$or`.
pub fn pattern_object() -> impl Strategy<Value = String> {
    let leaf_fields = prop::collection::vec((pick(KEYS), predicate_list()), 1..3);
    leaf_fields
        .prop_map(|fields| object_text(&fields))
        .prop_recursive(2, 6, 2, |inner| {
            (
                prop::collection::vec(
                    (
                        pick(KEYS),
                        prop_oneof![3 => predicate_list(), 1 => inner.clone()],
                    ),
                    1..3,
                ),
                prop::option::weighted(0.25, prop::collection::vec(inner, 2..3)),
            )
                .prop_map(|(mut fields, or)| {
                    if let Some(alternatives) = or {
                        fields.push(("$or", format!("[{}]", alternatives.join(", "))));
                    }
                    object_text(&fields)
                })
        })
}

pub fn object_text(fields: &[(&str, String)]) -> String {
    let members: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {v}", quoted(k)))
        .collect();
    format!("{{{}}}", members.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Events as JSON text (duplicate keys allowed).

pub fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(STRINGS).prop_map(quoted),
        1 => pick(&["\"\\u0078\"", "\"\\u00c9COLE\"", "\"a\\/b\"", "\"\\ud83d\\ude00\"", "\"abcdefghij\\u0041klmnop\\/xy\""]).prop_map(String::from),
        3 => pick(NUMBERS).prop_map(String::from),
        1 => pick(&["true", "false", "null"]).prop_map(String::from),
    ]
}

pub fn event_value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            2 => prop::collection::vec((pick(KEYS), inner.clone()), 0..5)
                .prop_map(|fields| object_text(&fields)),
            1 => prop::collection::vec(inner, 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        ]
    })
}

pub fn event() -> impl Strategy<Value = String> {
    prop::collection::vec((pick(KEYS), event_value()), 0..7).prop_map(|fields| object_text(&fields))
}

/// An event whose fields hold long arrays (up to 40 elements, past the point where the
/// scanner keeps the rest of an array of one field as text): scalars of every kind, nested
/// arrays of them, and objects whose keys patterns may use (which make the array one of
/// several fields again), under the vocabulary's keys and inside objects.
pub fn event_with_long_arrays() -> impl Strategy<Value = String> {
    let element = prop_oneof![
        6 => scalar(),
        1 => prop::collection::vec(scalar(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        1 => prop::collection::vec((pick(KEYS), scalar()), 0..3)
            .prop_map(|fields| object_text(&fields)),
    ];
    // Now and then nothing but empty arrays and objects: no value at all.
    let empty = prop_oneof![
        pick(&["[]", "[[]]", "{}", "[{}]"]).prop_map(String::from),
        prop::collection::vec((pick(KEYS), scalar()), 1..3).prop_map(|fields| object_text(&fields)),
    ];
    let long_array = prop_oneof![
        3 => prop::collection::vec(element, 12..40),
        1 => prop::collection::vec(empty, 12..40),
    ]
    .prop_map(|v| format!("[{}]", v.join(",")));
    let value = prop_oneof![
        3 => long_array.clone(),
        1 => event_value(),
        1 => prop::collection::vec((pick(KEYS), long_array), 1..3)
            .prop_map(|fields| object_text(&fields)),
    ];
    prop::collection::vec((pick(KEYS), value), 1..4).prop_map(|fields| object_text(&fields))
}

/// An event object none of whose objects repeats a key (the first of a repeated key is kept),
/// mixing the vocabulary's keys with keys no pattern uses, whose values hold quotes,
/// backslashes and brackets inside strings: what a trusted producer sends.
pub fn event_without_duplicate_keys() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        4 => scalar(),
        1 => pick(&["\"}]\\\"[{\"", "\"\\\\\"", "\"a\\u0022]\""]).prop_map(String::from),
    ]
    .prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            2 => prop::collection::vec((pick(UNIQUE_KEYS), inner.clone()), 0..5)
                .prop_map(|fields| unique_object_text(&fields)),
            1 => prop::collection::vec(inner, 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        ]
    });
    prop::collection::vec((pick(UNIQUE_KEYS), value), 0..8)
        .prop_map(|fields| unique_object_text(&fields))
}

/// The vocabulary's keys and some no pattern uses.
const UNIQUE_KEYS: &[&str] = &["a", "b", "a.b", "c", "z", "b.z", "unused"];

fn unique_object_text(fields: &[(&str, String)]) -> String {
    let mut seen = Vec::new();
    let fields: Vec<(&str, String)> = fields
        .iter()
        .filter(|(k, _)| {
            let fresh = !seen.contains(k);
            seen.push(*k);
            fresh
        })
        .cloned()
        .collect();
    object_text(&fields)
}
