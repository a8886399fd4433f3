//! Opt-in decoding of JSON inside string fields, in the reference matcher.

use evpattern::embedded::EmbeddedJson;
use evpattern::json::JsonNode;
use evpattern::reference::{matches, matches_with};
use evpattern::Pattern;

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
        &EmbeddedJson::saasus()
    ));
}

#[test]
fn saasus_preset_reaches_the_call_record_and_bodies() {
    let decode = EmbeddedJson::saasus();
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
