//! Opt-in decoding of JSON inside string fields: the reference matcher's rules, and the
//! compiled matcher agreeing with it (fixed cases, SaaSus's sample events, and a property
//! test over generated events with JSON text nested in strings).

mod support;

use evpattern::embedded::EmbeddedJson;
use evpattern::json::JsonNode;
use evpattern::matcher::EventErrorKind;
use evpattern::reference::{matches, matches_with};
use evpattern::{Matcher, Pattern};
use proptest::prelude::*;

/// A SaaSus API-call event in today's wire form: `detail.event` and the bodies inside it are
/// JSON-encoded strings.
const STRING_FORM: &str = r#"{"version":"0","id":"1","detail-type":"api_call","source":"aws.partner/saasus.io/x-1/event","account":"1","time":"t","region":"r","resources":[],"detail":{"event_type":"create_tenant","event":"{\"http_status\":\"201\",\"uri\":\"/v1/auth/tenants\",\"request_method\":\"POST\",\"request_body\":\"{\\\"name\\\":\\\"Acme\\\",\\\"tags\\\":[\\\"a\\\",\\\"b\\\"]}\",\"response_body\":\"not json\"}","trace_id":"t"}}"#;

/// The same call in the older object form.
const OBJECT_FORM: &str = r#"{"detail":{"event_type":"create_tenant","event":{"http_status":"201","uri":"/v1/auth/tenants","request_method":"POST","request_body":{"name":"Acme","tags":["a","b"]}}}}"#;

fn node(text: &str) -> JsonNode {
    JsonNode::parse(text, 64).expect("test event is JSON")
}

fn pattern(text: &str) -> Pattern {
    Pattern::parse(text).expect("test pattern is valid")
}

/// Whether the compiled matcher, decoding `decode`, matches `event` with `pattern`; asserts
/// that the reference answers the same and returns the answer.
fn agreed(pattern_text: &str, event: &str, decode: &EmbeddedJson) -> bool {
    let mut m = Matcher::new();
    m.add_rule((), pattern_text).expect("test pattern is valid");
    m.set_embedded_json(decode.clone());
    let compiled = !m
        .matches(event.as_bytes())
        .expect("test event is JSON")
        .is_empty();
    let event_node = JsonNode::parse(event, evpattern::DEFAULT_MAX_DEPTH).unwrap();
    let reference = matches_with(&pattern(pattern_text), &event_node, decode);
    assert_eq!(
        compiled, reference,
        "compiled vs reference\npattern {pattern_text}\nevent {event}\ndecode {decode:?}"
    );
    compiled
}

#[test]
fn off_by_default_as_on_aws() {
    let p = pattern(r#"{"detail":{"event":{"uri":["/v1/auth/tenants"]}}}"#);
    assert!(!matches(&p, &node(STRING_FORM)));
    assert!(!matches_with(&p, &node(STRING_FORM), &EmbeddedJson::none()));
    // The string itself is still a string to match against.
    let whole = pattern(r#"{"detail":{"event":[{"wildcard":"*\"uri\":\"/v1/auth/tenants\"*"}]}}"#);
    assert!(matches(&whole, &node(STRING_FORM)));
    assert!(!matches_with(
        &whole,
        &node(STRING_FORM),
        &evpattern::saasus::embedded_json()
    ));
}

#[test]
fn saasus_preset_reaches_the_call_record_and_bodies() {
    let decode = evpattern::saasus::embedded_json();
    for (text, form) in [(STRING_FORM, "string"), (OBJECT_FORM, "object")] {
        let event = node(text);
        for p in [
            r#"{"detail":{"event":{"uri":["/v1/auth/tenants"],"request_method":["POST"]}}}"#,
            r#"{"detail":{"event":{"http_status":[{"prefix":"2"}]}}}"#,
            r#"{"detail.event.request_body.name":["Acme"]}"#,
            r#"{"detail":{"event":{"request_body":{"tags":["b"]}}}}"#,
        ] {
            assert!(
                matches_with(&pattern(p), &event, &decode),
                "{form} form: {p}"
            );
        }
        assert!(!matches_with(
            &pattern(r#"{"detail":{"event":{"request_method":["DELETE"]}}}"#),
            &event,
            &decode
        ));
    }
}

#[test]
fn only_objects_and_arrays_are_decoded() {
    let decode = EmbeddedJson::none().with_path("a");
    // A JSON scalar in a string stays a string: "201" does not become a number.
    let event = node(r#"{"a":"201"}"#);
    assert!(matches_with(&pattern(r#"{"a":["201"]}"#), &event, &decode));
    assert!(!matches_with(&pattern(r#"{"a":[201]}"#), &event, &decode));
    // Text that is not JSON stays as it was.
    let event = node(r#"{"a":"{not json"}"#);
    assert!(matches_with(
        &pattern(r#"{"a":["{not json"]}"#),
        &event,
        &decode
    ));
    // An array is decoded and flattens like any other array.
    let event = node(r#"{"a":"[1, 2, {\"b\": true}]"}"#);
    assert!(matches_with(&pattern(r#"{"a":[2]}"#), &event, &decode));
    assert!(matches_with(
        &pattern(r#"{"a":{"b":[true]}}"#),
        &event,
        &decode
    ));
}

#[test]
fn only_listed_paths_are_decoded() {
    let decode = EmbeddedJson::none().with_path("x.y");
    let event = node(r#"{"x":{"y":"{\"k\":1}","z":"{\"k\":1}"}}"#);
    assert!(matches_with(
        &pattern(r#"{"x":{"y":{"k":[1]}}}"#),
        &event,
        &decode
    ));
    assert!(!matches_with(
        &pattern(r#"{"x":{"z":{"k":[1]}}}"#),
        &event,
        &decode
    ));
}

#[test]
fn decoding_is_depth_bounded() {
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let event = JsonNode::Object(vec![("a".into(), JsonNode::String(deep))]);
    let decode = EmbeddedJson::none().with_path("a");
    // Too deep to decode: it stays a string, and nothing overflows.
    assert!(matches_with(
        &pattern(r#"{"a":[{"prefix":"[["}]}"#),
        &event,
        &decode
    ));
}

// ---------------------------------------------------------------------------------------------
// The compiled matcher.

#[test]
fn matcher_decodes_nothing_by_default() {
    let mut m = Matcher::new();
    m.add_rule(
        "uri",
        r#"{"detail":{"event":{"uri":["/v1/auth/tenants"]}}}"#,
    )
    .unwrap();
    assert!(m.embedded_json().is_empty());
    assert!(m.matches(STRING_FORM.as_bytes()).unwrap().is_empty());
    m.set_embedded_json(evpattern::saasus::embedded_json());
    assert_eq!(m.embedded_json(), &evpattern::saasus::embedded_json());
    assert_eq!(m.matches(STRING_FORM.as_bytes()).unwrap(), vec!["uri"]);
    // Rules added after the option is set are decoded too, and it can be switched off.
    m.add_rule("name", r#"{"detail.event.request_body.name":["Acme"]}"#)
        .unwrap();
    assert_eq!(
        m.matches(STRING_FORM.as_bytes()).unwrap(),
        vec!["uri", "name"]
    );
    m.set_embedded_json(EmbeddedJson::none());
    assert!(m.matches(STRING_FORM.as_bytes()).unwrap().is_empty());
}

#[test]
fn matcher_agrees_with_the_reference_on_the_fixed_cases() {
    let saasus = evpattern::saasus::embedded_json();
    let none = EmbeddedJson::none();
    let whole = r#"{"detail":{"event":[{"wildcard":"*\"uri\":\"/v1/auth/tenants\"*"}]}}"#;
    assert!(agreed(whole, STRING_FORM, &none));
    assert!(!agreed(whole, STRING_FORM, &saasus));
    let uri = r#"{"detail":{"event":{"uri":["/v1/auth/tenants"]}}}"#;
    assert!(!agreed(uri, STRING_FORM, &none));
    for (text, form) in [(STRING_FORM, "string"), (OBJECT_FORM, "object")] {
        for p in [
            r#"{"detail":{"event":{"uri":["/v1/auth/tenants"],"request_method":["POST"]}}}"#,
            r#"{"detail":{"event":{"http_status":[{"prefix":"2"}]}}}"#,
            r#"{"detail.event.request_body.name":["Acme"]}"#,
            r#"{"detail":{"event":{"request_body":{"tags":["b"]}}}}"#,
        ] {
            assert!(agreed(p, text, &saasus), "{form} form: {p}");
        }
        assert!(!agreed(
            r#"{"detail":{"event":{"request_method":["DELETE"]}}}"#,
            text,
            &saasus
        ));
    }
    // A body that is not JSON stays a string; one that is JSON is no longer a string.
    assert!(agreed(
        r#"{"detail":{"event":{"response_body":["not json"]}}}"#,
        STRING_FORM,
        &saasus
    ));
    assert!(!agreed(
        r#"{"detail":{"event":{"request_body":[{"prefix":"{"}]}}}"#,
        STRING_FORM,
        &saasus
    ));
    assert!(agreed(
        r#"{"detail":{"event":{"request_body":[{"exists":false}]}}}"#,
        STRING_FORM,
        &saasus
    ));

    let a = EmbeddedJson::none().with_path("a");
    assert!(agreed(r#"{"a":["201"]}"#, r#"{"a":"201"}"#, &a));
    assert!(!agreed(r#"{"a":[201]}"#, r#"{"a":"201"}"#, &a));
    assert!(agreed(r#"{"a":["{not json"]}"#, r#"{"a":"{not json"}"#, &a));
    let array = r#"{"a":"[1, 2, {\"b\": true}]"}"#;
    assert!(agreed(r#"{"a":[2]}"#, array, &a));
    assert!(agreed(r#"{"a":{"b":[true]}}"#, array, &a));

    let xy = EmbeddedJson::none().with_path("x.y");
    let event = r#"{"x":{"y":"{\"k\":1}","z":"{\"k\":1}"}}"#;
    assert!(agreed(r#"{"x":{"y":{"k":[1]}}}"#, event, &xy));
    assert!(!agreed(r#"{"x":{"z":{"k":[1]}}}"#, event, &xy));
    // A dotted key reaches the listed path as well.
    assert!(agreed(
        r#"{"x":{"y":{"k":[1]}}}"#,
        r#"{"x.y":"{\"k\":1}"}"#,
        &xy
    ));
}

#[test]
fn matcher_keeps_arrays_inside_decoded_text_apart() {
    let a = EmbeddedJson::none().with_path("a");
    // Two elements of one decoded array: a match may not take fields from both.
    let event = r#"{"a":"[{\"f\":\"Anna\",\"l\":\"Smith\"},{\"f\":\"Peter\",\"l\":\"Jones\"}]"}"#;
    assert!(!agreed(r#"{"a":{"f":["Anna"],"l":["Jones"]}}"#, event, &a));
    assert!(agreed(r#"{"a":{"f":["Anna"],"l":["Smith"]}}"#, event, &a));
    // Strings in an outer array each decode into their own arrays, inside their element.
    let event = r#"{"a":["[{\"f\":\"Anna\"}]","[{\"l\":\"Jones\"}]"],"b":[1,2]}"#;
    assert!(!agreed(r#"{"a":{"f":["Anna"],"l":["Jones"]}}"#, event, &a));
    assert!(agreed(r#"{"a":{"f":["Anna"]},"b":[2]}"#, event, &a));
    // A decoded array's identity is not the outer event's first array.
    let event = r#"{"b":[{"x":1},{"x":2}],"a":"[{\"y\":1},{\"y\":2}]"}"#;
    assert!(agreed(r#"{"b":{"x":[1]},"a":{"y":[2]}}"#, event, &a));
}

#[test]
fn matcher_decodes_nested_text_and_text_in_decoded_arrays() {
    let decode = EmbeddedJson::none().with_path("a").with_path("a.b");
    let inner = serde_json::to_string(r#"{"c":"deep"}"#).unwrap();
    let middle = serde_json::to_string(&format!(r#"{{"b":{inner}}}"#)).unwrap();
    let event = format!(r#"{{"a":{middle}}}"#);
    assert!(agreed(r#"{"a":{"b":{"c":["deep"]}}}"#, &event, &decode));
    // Only `a` listed: `a.b` stays a string.
    let a = EmbeddedJson::none().with_path("a");
    assert!(!agreed(r#"{"a":{"b":{"c":["deep"]}}}"#, &event, &a));
    assert!(agreed(r#"{"a":{"b":[{"prefix":"{\"c\""}]}}"#, &event, &a));
    // Strings in a decoded array are at the same path, so they are decoded again.
    let nested = serde_json::to_string(&format!(
        "[{}]",
        serde_json::to_string(r#"{"k":"v"}"#).unwrap()
    ))
    .unwrap();
    let event = format!(r#"{{"a":{nested}}}"#);
    assert!(agreed(r#"{"a":{"k":["v"]}}"#, &event, &a));
}

#[test]
fn matcher_decodes_where_a_rule_uses_only_paths_below() {
    let a = EmbeddedJson::none().with_path("a.b");
    // No rule names `a.b` itself: the scanner still descends into `a` and decodes `a.b`.
    assert!(agreed(
        r#"{"a":{"b":{"c":{"d":[1]}}}}"#,
        r#"{"z":0,"a":{"y":"{}","b":"{\"c\":{\"d\":1}}"}}"#,
        &a
    ));
    // A rule on the listed path itself: an object there is no leaf.
    assert!(!agreed(
        r#"{"a":{"b":[{"exists":true}]}}"#,
        r#"{"a":{"b":"{\"c\":1}"}}"#,
        &a
    ));
    assert!(agreed(
        r#"{"a":{"b":[{"exists":false}]}}"#,
        r#"{"a":{"b":"{\"c\":1}"}}"#,
        &a
    ));
    assert!(agreed(
        r#"{"a":{"b":[3]}}"#,
        r#"{"a":{"b":"[1,[2,3]]"}}"#,
        &a
    ));
}

#[test]
fn matcher_leaves_invalid_text_a_string_and_the_event_valid() {
    let a = EmbeddedJson::none().with_path("a");
    for text in [
        r#"{"k":1,}"#,
        r#"{"k":01}"#,
        r#"[1 2]"#,
        r#"{"k":"\ud800"}"#,
        r#"{"k":"\udc00x"}"#,
        "{\"k\":\"tab\there\"}",
        r#"{"k":1} x"#,
        r#"{"k":tru}"#,
        r#"{"k":"\x"}"#,
        r#"["#,
        "",
        "   ",
        r#""{}""#,
        "null",
    ] {
        let event = format!(r#"{{"a":{}}}"#, serde_json::to_string(text).unwrap());
        let as_string = format!(r#"{{"a":[{}]}}"#, serde_json::to_string(text).unwrap());
        assert!(agreed(&as_string, &event, &a), "{text}");
        assert!(!agreed(r#"{"a":{"k":[{"exists":true}]}}"#, &event, &a));
    }
    // Valid text, whitespace around, surrogate pairs and escaped keys decode.
    let event = r#"{"a":" \n{\"k\\u0031\":\"\\ud83d\\ude00\"} \t"}"#;
    assert!(agreed(r#"{"a":{"k1":["😀"]}}"#, event, &a));
}

#[test]
fn matcher_decodes_within_the_depth_left_at_the_field() {
    let max = evpattern::DEFAULT_MAX_DEPTH;
    let a = EmbeddedJson::none().with_path("w.a");
    // `w.a` sits inside two containers: the root object and `w`.
    for levels in [max - 3, max - 2, max - 1] {
        let text = "[".repeat(levels) + "1" + &"]".repeat(levels);
        let event = format!(
            r#"{{"w":{{"a":{}}}}}"#,
            serde_json::to_string(&text).unwrap()
        );
        let decoded = agreed(r#"{"w":{"a":[1]}}"#, &event, &a);
        assert_eq!(decoded, levels <= max - 2, "{levels} levels");
        assert_eq!(
            agreed(r#"{"w":{"a":[{"prefix":"[["}]}}"#, &event, &a),
            !decoded
        );
    }
    // A smaller limit on the matcher leaves less room for decoded text.
    let mut m = Matcher::new();
    m.add_rule("one", r#"{"w":{"a":[1]}}"#).unwrap();
    m.set_embedded_json(a);
    m.set_max_depth(4);
    assert_eq!(m.matches(br#"{"w":{"a":"[[1]]"}}"#).unwrap(), vec!["one"]);
    assert!(m.matches(br#"{"w":{"a":"[[[1]]]"}}"#).unwrap().is_empty());
    let err = m.matches(br#"{"w":{"a":[[[1]]]}}"#).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooDeep(4));
    // Text far deeper than any limit is a string, and overflows nothing.
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let event = format!(r#"{{"w":{{"a":"{deep}"}}}}"#);
    assert!(agreed(
        r#"{"w":{"a":[{"prefix":"[["}]}}"#,
        &event,
        &EmbeddedJson::none().with_path("w.a")
    ));
}

#[test]
fn matcher_reports_event_errors_outside_decoded_text_only() {
    let mut m = Matcher::new();
    m.add_rule("r", r#"{"a":{"k":[1]}}"#).unwrap();
    m.set_embedded_json(EmbeddedJson::none().with_path("a"));
    assert_eq!(m.matches(br#"{"a":"{\"k\":1}"}"#).unwrap(), vec!["r"]);
    assert!(m.matches(br#"{"a":"{\"k\":1}", "b": tru}"#).is_err());
    assert!(m.matches(br#"{"a":"{\"k\":1,}"}"#).unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// SaaSus's sample events.

#[test]
fn matcher_agrees_with_the_reference_on_the_saasus_samples() {
    let samples = support::saasus_samples();
    assert_eq!(samples.len(), 4);
    let saasus = evpattern::saasus::embedded_json();
    let patterns = [
        r#"{"detail":{"event":{"uri":["/v1/auth/tenants"]}}}"#,
        r#"{"detail":{"event":{"uri":["/v1/auth/users"],"request_method":["POST"]}}}"#,
        r#"{"detail":{"event":{"http_status":[{"prefix":"2"}]}}}"#,
        r#"{"detail":{"event":{"http_status":[201]}}}"#,
        r#"{"detail.event.request_body.name":["AmazonEventBridgeTest"]}"#,
        r#"{"detail.event.request_body.attributes.memo":[{"exists":true}]}"#,
        r#"{"detail.event.response_body.plan_histories":[{"exists":false}]}"#,
        r#"{"detail.event.response_body.id":[{"exists":true}]}"#,
        r#"{"detail.event.request_body.email":[{"suffix":"@example.com"}]}"#,
        // Decoded bodies are no longer strings.
        r#"{"detail.event.request_body":[{"prefix":"{"}]}"#,
        r#"{"detail":{"event_type":["create_tenant"],"event":{"request_method":["POST"]}}}"#,
        r#"{"detail":{"event":[{"exists":true}]}}"#,
    ];
    let mut answers = Vec::new();
    for p in patterns {
        let row: Vec<bool> = samples
            .iter()
            .map(|event| agreed(p, event, &saasus))
            .collect();
        answers.push(row);
    }
    let t = true;
    let f = false;
    assert_eq!(
        answers,
        vec![
            vec![t, f, t, f],
            vec![f, t, f, t],
            vec![t, t, t, t],
            vec![f, f, f, f],
            vec![t, f, t, f],
            vec![t, f, f, f],
            vec![t, t, t, t],
            vec![t, t, t, t],
            vec![f, t, f, t],
            vec![f, f, f, f],
            vec![t, f, t, f],
            vec![f, f, f, f],
        ]
    );
    // Without decoding, nothing inside the strings is reached.
    for event in &samples[..2] {
        assert!(!agreed(patterns[0], event, &EmbeddedJson::none()));
    }
}

// ---------------------------------------------------------------------------------------------
// Property: the compiled matcher agrees with the reference on generated events holding JSON
// text in strings, at listed and unlisted paths, nested, scalar, invalid, with arrays inside.

/// A generated event value; `Encoded` is a string holding the JSON text of its value.
#[derive(Clone, Debug)]
enum Gen {
    Str(&'static str),
    Num(i8),
    Bool(bool),
    Null,
    Arr(Vec<Gen>),
    Obj(Vec<(&'static str, Gen)>),
    Encoded(Box<Gen>),
}

impl Gen {
    fn text(&self) -> String {
        match self {
            Gen::Str(s) => serde_json::to_string(s).unwrap(),
            Gen::Num(n) => n.to_string(),
            Gen::Bool(b) => b.to_string(),
            Gen::Null => "null".into(),
            Gen::Arr(items) => {
                let items: Vec<String> = items.iter().map(Gen::text).collect();
                format!("[{}]", items.join(","))
            }
            Gen::Obj(members) => {
                let members: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), v.text()))
                    .collect();
                format!("{{{}}}", members.join(","))
            }
            Gen::Encoded(inner) => serde_json::to_string(&inner.text()).unwrap(),
        }
    }
}

const GEN_KEYS: &[&str] = &["a", "b", "a.b"];
const GEN_STRINGS: &[&str] = &[
    "x",
    "y",
    "1",
    "",
    "{not json",
    "[1,",
    "{\"a\":1,}",
    "{\"a\":\"\\ud800\"}",
    "\"x\"",
    "201",
    "{}",
    "[]",
    "[\"x\"]",
    "{\"a\":\"x\"}",
];
const PATHS: &[&str] = &[
    "a", "b", "a.a", "a.b", "b.a", "b.b", "a.a.a", "a.b.a", "a.a.b", "b.a.a", "a.b.b",
];
const DECODABLE: &[&str] = &["a", "b", "a.b", "b.a", "a.a", "a.b.a"];

fn gen_value() -> impl Strategy<Value = Gen> {
    let leaf = prop_oneof![
        4 => prop::sample::select(GEN_STRINGS).prop_map(Gen::Str),
        2 => (-2i8..3).prop_map(Gen::Num),
        1 => any::<bool>().prop_map(Gen::Bool),
        1 => Just(Gen::Null),
    ];
    leaf.prop_recursive(5, 40, 4, |inner| {
        prop_oneof![
            2 => prop::collection::vec(inner.clone(), 0..4).prop_map(Gen::Arr),
            3 => prop::collection::vec((prop::sample::select(GEN_KEYS), inner.clone()), 0..4)
                .prop_map(Gen::Obj),
            3 => inner.prop_map(|v| Gen::Encoded(Box::new(v))),
        ]
    })
}

fn gen_event() -> impl Strategy<Value = String> {
    // Top-level members are often JSON text of a container, so that decoding matters.
    let member = prop_oneof![
        1 => gen_value(),
        1 => gen_value().prop_map(|v| {
            let container = match v {
                c @ (Gen::Arr(_) | Gen::Obj(_)) => c,
                other => Gen::Obj(vec![("a", other)]),
            };
            Gen::Encoded(Box::new(container))
        }),
    ];
    prop::collection::vec((prop::sample::select(GEN_KEYS), member), 0..5)
        .prop_map(|members| Gen::Obj(members).text())
}

fn gen_predicate() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => Just(r#"{"exists":true}"#),
        1 => Just(r#"{"exists":false}"#),
        6 => prop::sample::select(&[
            r#""x""#,
            r#""y""#,
            r#""1""#,
            r#""201""#,
            r#""""#,
            "1",
            "0",
            "201",
            "true",
            "null",
            r#"{"prefix":"{"}"#,
            r#"{"prefix":"["}"#,
            r#"{"anything-but":"x"}"#,
            r#"{"numeric":[">",0]}"#,
        ][..]),
    ]
}

fn gen_pattern() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(PATHS),
            prop::collection::vec(gen_predicate(), 1..3),
        ),
        1..3,
    )
    .prop_map(|conditions| {
        let members: Vec<String> = conditions
            .iter()
            .map(|(path, predicates)| format!("\"{path}\":[{}]", predicates.join(",")))
            .collect();
        format!("{{{}}}", members.join(","))
    })
}

fn gen_decode() -> impl Strategy<Value = EmbeddedJson> {
    prop::sample::subsequence(DECODABLE, 0..=DECODABLE.len()).prop_map(|paths| {
        paths
            .into_iter()
            .fold(EmbeddedJson::none(), |decode, path| decode.with_path(path))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn matcher_agrees_with_the_reference_on_embedded_json(
        event in gen_event(),
        patterns in prop::collection::vec(gen_pattern(), 1..6),
        decode in gen_decode(),
    ) {
        let mut m = Matcher::new();
        m.set_embedded_json(decode.clone());
        let mut parsed = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            // Generated conditions may repeat a path; the parser keeps the last, as AWS does.
            let pattern = Pattern::parse(p).unwrap();
            m.add_pattern(i, pattern.clone());
            parsed.push(pattern);
        }
        let node = JsonNode::parse(&event, evpattern::DEFAULT_MAX_DEPTH).unwrap();
        let expected: Vec<usize> = parsed
            .iter()
            .enumerate()
            .filter(|(_, p)| matches_with(p, &node, &decode))
            .map(|(i, _)| i)
            .collect();
        let got = m.matches(event.as_bytes()).unwrap();
        prop_assert_eq!(got, expected, "event {}\npatterns {:?}\ndecode {:?}", event, patterns, decode);
    }
}
