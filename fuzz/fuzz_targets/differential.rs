//! Differential: the compiled matcher against the reference matcher, on patterns and events
//! built from the fuzzer's bytes.
//!
//! Two ways to read the input:
//!
//! - **Text**: an input starting with `{` is `pattern JSON`, a NUL byte, `event bytes`. Seeds
//!   made from the conformance corpus have this form, so mutations stay close to real cases.
//! - **Structured**: anything else is read with `arbitrary` as up to four patterns and one
//!   event over a small vocabulary (few keys, strings with case-folding traps, numbers at
//!   the edges of doubles), rendered to JSON text and optionally corrupted by one byte.
//!
//! Checks: every pattern the parser accepts is compiled into one matcher; the matcher refuses
//! the event exactly when `JsonNode::parse` (or UTF-8 validation) refuses it, and otherwise
//! returns exactly the patterns `reference::matches` says match.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use evpattern::{Matcher, Pattern};
use libfuzzer_sys::fuzz_target;

#[path = "../common/agree.rs"]
mod agree;

fuzz_target!(|data: &[u8]| {
    let (patterns, event) = if data.first() == Some(&b'{') {
        let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
        let Ok(pattern) = std::str::from_utf8(&data[..split]) else {
            return;
        };
        let event = data.get(split + 1..).unwrap_or_default().to_vec();
        (vec![pattern.to_owned()], event)
    } else {
        let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
            return;
        };
        input.render()
    };
    check(&patterns, &event);
});

fn check(pattern_texts: &[String], event: &[u8]) {
    let patterns: Vec<Pattern> = pattern_texts
        .iter()
        .filter_map(|text| Pattern::parse(text).ok())
        .collect();
    if patterns.is_empty() {
        return;
    }
    let mut matcher = Matcher::new();
    for (i, pattern) in patterns.iter().enumerate() {
        matcher.add_pattern(i, pattern.clone());
    }
    agree::assert_agree(&matcher, &patterns, event);
}

// ---------------------------------------------------------------------------------------------
// The structured input.

#[derive(Arbitrary, Debug)]
struct Input {
    first: PatObject,
    more: Vec<PatObject>,
    event: EvObject,
    corruption: Option<Corruption>,
}

impl Input {
    fn render(&self) -> (Vec<String>, Vec<u8>) {
        let mut patterns = vec![self.first.render()];
        patterns.extend(self.more.iter().take(3).map(PatObject::render));
        let mut event = self.event.render().into_bytes();
        if let Some(corruption) = &self.corruption {
            corruption.apply(&mut event);
        }
        (patterns, event)
    }
}

/// One byte of the event text replaced, inserted, or the text cut short.
#[derive(Arbitrary, Debug)]
enum Corruption {
    Replace(u16, u8),
    Insert(u16, u8),
    Truncate(u16),
}

impl Corruption {
    fn apply(&self, text: &mut Vec<u8>) {
        let at = |i: u16, len: usize| if len == 0 { 0 } else { i as usize % len };
        match *self {
            Corruption::Replace(i, b) => {
                let i = at(i, text.len());
                if let Some(slot) = text.get_mut(i) {
                    *slot = b;
                }
            }
            Corruption::Insert(i, b) => {
                let i = at(i, text.len() + 1);
                text.insert(i, b);
            }
            Corruption::Truncate(i) => text.truncate(at(i, text.len())),
        }
    }
}

/// Field names: few, so that patterns and events meet; dotted ones to test path joining.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Key {
    A,
    B,
    C,
    AB,
    Empty,
    Or,
    Dot,
}

impl Key {
    fn text(self) -> &'static str {
        match self {
            Key::A => "a",
            Key::B => "b",
            Key::C => "c",
            Key::AB => "a.b",
            Key::Empty => "",
            Key::Or => "$or",
            Key::Dot => ".",
        }
    }
}

/// A short string over characters that trip case folding, wildcards and prefixes.
#[derive(Arbitrary, Debug)]
struct Text(Vec<Char>);

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Char {
    LowerA,
    UpperA,
    LowerB,
    Star,
    Backslash,
    Slash,
    Dot,
    Colon,
    Digit1,
    Space,
    Quote,
    EAcute,
    UpperEAcute,
    SharpS,
    CapitalSharpS,
    DottedCapitalI,
    DotlessI,
    KelvinSign,
    SigmaUpper,
    SigmaFinal,
    DzTitle,
    Emoji,
    Nul,
}

impl Char {
    fn text(self) -> &'static str {
        match self {
            Char::LowerA => "a",
            Char::UpperA => "A",
            Char::LowerB => "b",
            Char::Star => "*",
            Char::Backslash => "\\",
            Char::Slash => "/",
            Char::Dot => ".",
            Char::Colon => ":",
            Char::Digit1 => "1",
            Char::Space => " ",
            Char::Quote => "\"",
            Char::EAcute => "é",
            Char::UpperEAcute => "É",
            Char::SharpS => "ß",
            Char::CapitalSharpS => "ẞ",
            Char::DottedCapitalI => "İ",
            Char::DotlessI => "ı",
            Char::KelvinSign => "\u{212A}",
            Char::SigmaUpper => "Σ",
            Char::SigmaFinal => "ς",
            Char::DzTitle => "ǅ",
            Char::Emoji => "😀",
            Char::Nul => "\u{0}",
        }
    }
}

impl Text {
    fn string(&self) -> String {
        self.0.iter().take(8).map(|c| c.text()).collect()
    }

    fn json(&self) -> String {
        json_string(&self.string())
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Number text at the edges of doubles, or an arbitrary integer or double.
#[derive(Arbitrary, Debug)]
enum Num {
    Fixed(u8),
    Int(i32),
    Float(f64),
}

const FIXED_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "1",
    "1.0",
    "1e0",
    "10",
    "1e1",
    "0.1",
    "5",
    "-5",
    "300",
    "3e2",
    "300.0",
    "1e999",
    "-1e999",
    "1e-400",
    "123456789012345678901234567890",
    "0.30000000000000004",
    "9007199254740993",
    "9007199254740992",
    "5e-324",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "2.5",
    "1E2",
    "100",
];

impl Num {
    fn text(&self) -> String {
        match self {
            Num::Fixed(i) => FIXED_NUMBERS[*i as usize % FIXED_NUMBERS.len()].to_owned(),
            Num::Int(i) => i.to_string(),
            Num::Float(f) if f.is_finite() => format!("{f:e}"),
            Num::Float(_) => "1e308".to_owned(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct PatObject(Vec<(Key, PatValue)>);

#[derive(Arbitrary, Debug)]
enum PatValue {
    Object(PatObject),
    Array(Vec<Elem>),
    Or(Vec<PatObject>),
}

#[derive(Arbitrary, Debug)]
enum Elem {
    Str(Text),
    Num(Num),
    True,
    False,
    Null,
    Prefix(Text),
    PrefixIgnoreCase(Text),
    Suffix(Text),
    SuffixIgnoreCase(Text),
    EqualsIgnoreCase(Text),
    Wildcard(Text),
    AnythingBut(AnythingBut),
    Numeric(NumOp, Num, Option<(NumOp, Num)>),
    Exists(bool),
    Cidr(u8),
}

#[derive(Arbitrary, Debug)]
enum AnythingBut {
    Str(Text),
    Num(Num),
    Strs(Vec<Text>),
    Nums(Vec<Num>),
    Prefix(Text),
    Suffix(Text),
    EqualsIgnoreCase(Vec<Text>),
    Wildcard(Vec<Text>),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum NumOp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl NumOp {
    fn text(self) -> &'static str {
        match self {
            NumOp::Eq => "=",
            NumOp::Lt => "<",
            NumOp::Le => "<=",
            NumOp::Gt => ">",
            NumOp::Ge => ">=",
        }
    }
}

const CIDRS: &[&str] = &[
    "10.0.0.0/8",
    "10.1.2.3/32",
    "0.0.0.0/0",
    "192.168.1.0/24",
    "2001:db8::/32",
    "::/0",
    "::ffff:10.0.0.0/104",
    "fe80::1/128",
];

/// Address-like strings for events (the CIDR predicates only look at strings).
const ADDRESSES: &[&str] = &[
    "10.1.2.3",
    "10.0.0.0",
    "11.0.0.1",
    "192.168.1.255",
    "2001:db8::1",
    "2001:DB8:0:0:0:0:0:1",
    "::ffff:10.1.2.3",
    "::1",
    "fe80::1",
    "010.1.2.3",
    "10.1.2",
];

fn list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.take(4).collect::<Vec<_>>().join(", "))
}

impl PatObject {
    fn render(&self) -> String {
        let members: Vec<String> = self
            .0
            .iter()
            .take(4)
            .map(|(key, value)| format!("{}: {}", json_string(key.text()), value.render()))
            .collect();
        format!("{{{}}}", members.join(", "))
    }
}

impl PatValue {
    fn render(&self) -> String {
        match self {
            PatValue::Object(object) => object.render(),
            PatValue::Array(elems) => list(elems.iter().map(Elem::render)),
            PatValue::Or(objects) => format!(
                "{{\"$or\": {}}}",
                list(objects.iter().map(PatObject::render))
            ),
        }
    }
}

impl Elem {
    fn render(&self) -> String {
        match self {
            Elem::Str(t) => t.json(),
            Elem::Num(n) => n.text(),
            Elem::True => "true".to_owned(),
            Elem::False => "false".to_owned(),
            Elem::Null => "null".to_owned(),
            Elem::Prefix(t) => format!("{{\"prefix\": {}}}", t.json()),
            Elem::PrefixIgnoreCase(t) => {
                format!("{{\"prefix\": {{\"equals-ignore-case\": {}}}}}", t.json())
            }
            Elem::Suffix(t) => format!("{{\"suffix\": {}}}", t.json()),
            Elem::SuffixIgnoreCase(t) => {
                format!("{{\"suffix\": {{\"equals-ignore-case\": {}}}}}", t.json())
            }
            Elem::EqualsIgnoreCase(t) => format!("{{\"equals-ignore-case\": {}}}", t.json()),
            Elem::Wildcard(t) => format!("{{\"wildcard\": {}}}", t.json()),
            Elem::AnythingBut(ab) => format!("{{\"anything-but\": {}}}", ab.render()),
            Elem::Numeric(op, n, second) => match second {
                None => format!("{{\"numeric\": [\"{}\", {}]}}", op.text(), n.text()),
                Some((op2, n2)) => format!(
                    "{{\"numeric\": [\"{}\", {}, \"{}\", {}]}}",
                    op.text(),
                    n.text(),
                    op2.text(),
                    n2.text()
                ),
            },
            Elem::Exists(b) => format!("{{\"exists\": {b}}}"),
            Elem::Cidr(i) => format!(
                "{{\"cidr\": {}}}",
                json_string(CIDRS[*i as usize % CIDRS.len()])
            ),
        }
    }
}

impl AnythingBut {
    fn render(&self) -> String {
        match self {
            AnythingBut::Str(t) => t.json(),
            AnythingBut::Num(n) => n.text(),
            AnythingBut::Strs(ts) => list(ts.iter().map(Text::json)),
            AnythingBut::Nums(ns) => list(ns.iter().map(Num::text)),
            AnythingBut::Prefix(t) => format!("{{\"prefix\": {}}}", t.json()),
            AnythingBut::Suffix(t) => format!("{{\"suffix\": {}}}", t.json()),
            AnythingBut::EqualsIgnoreCase(ts) => {
                format!(
                    "{{\"equals-ignore-case\": {}}}",
                    list(ts.iter().map(Text::json))
                )
            }
            AnythingBut::Wildcard(ts) => {
                format!("{{\"wildcard\": {}}}", list(ts.iter().map(Text::json)))
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
struct EvObject(Vec<(Key, EvValue)>);

#[derive(Arbitrary, Debug)]
enum EvValue {
    Str(Text),
    Address(u8),
    Num(Num),
    True,
    False,
    Null,
    Array(Vec<EvValue>),
    Object(EvObject),
}

impl EvObject {
    fn render(&self) -> String {
        let members: Vec<String> = self
            .0
            .iter()
            .take(6)
            .map(|(key, value)| format!("{}: {}", json_string(key.text()), value.render()))
            .collect();
        format!("{{{}}}", members.join(", "))
    }
}

impl EvValue {
    fn render(&self) -> String {
        match self {
            EvValue::Str(t) => t.json(),
            EvValue::Address(i) => json_string(ADDRESSES[*i as usize % ADDRESSES.len()]),
            EvValue::Num(n) => n.text(),
            EvValue::True => "true".to_owned(),
            EvValue::False => "false".to_owned(),
            EvValue::Null => "null".to_owned(),
            EvValue::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .take(4)
                    .map(EvValue::render)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            EvValue::Object(object) => object.render(),
        }
    }
}
