//! Every error the parser can give, with AWS's exact reason, and the error type's contract.

use evpattern::pattern::{ErrorKind, PatternError};
use evpattern::Pattern;

fn error(text: &str) -> PatternError {
    match Pattern::parse(text) {
        Ok(p) => panic!("{text} parsed as {p:?}"),
        Err(e) => e,
    }
}

fn reason(text: &str) -> String {
    let e = error(text);
    assert_eq!(e.kind(), ErrorKind::Invalid, "{text}: {e}");
    e.reason().to_owned()
}

/// The reason for `{"f": [<element>]}`.
fn element_reason(element: &str) -> String {
    reason(&format!(r#"{{"f": [{element}]}}"#))
}

#[test]
fn display_and_accessors() {
    let e = error(r#"{"int": 42}"#);
    assert_eq!(e.reason(), r#""int" must be an object or an array"#);
    assert_eq!(
        e.to_string(),
        r#"Event pattern is not valid. Reason: "int" must be an object or an array"#
    );
    let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
    assert_eq!(boxed.to_string(), e.to_string());
}

#[test]
fn json_syntax() {
    for text in [
        "this is valid json but not a dict",
        "{'bad': 'quotation'}",
        r#"{"not": closed mark""#,
        "",
        "{",
        r#"{"a": ["x"]} trailing"#,
        r#"{"a": ["\ud800"]}"#,
    ] {
        assert_eq!(error(text).kind(), ErrorKind::Syntax, "{text}");
    }
}

#[test]
fn shape() {
    assert_eq!(
        reason(r#"["not", "a", "dict", "but valid json"]"#),
        "Filter is not an object"
    );
    assert_eq!(reason("42"), "Filter is not an object");
    assert_eq!(reason("{}"), "Empty objects are not allowed");
    assert_eq!(reason(r#"{"a": {}}"#), "Empty objects are not allowed");
    assert_eq!(
        reason(r#"{"a": {"b": {}}}"#),
        "Empty objects are not allowed"
    );
    assert_eq!(
        reason(r#"{"resources": []}"#),
        "Empty arrays are not allowed"
    );
    assert_eq!(
        reason(r#"{"string": "my-value"}"#),
        r#""string" must be an object or an array"#
    );
    assert_eq!(
        reason(r#"{"a": {"b": null}}"#),
        r#""b" must be an object or an array"#
    );
    assert_eq!(
        reason(r#"{"a": true}"#),
        r#""a" must be an object or an array"#
    );
    assert_eq!(
        element_reason(r#"["nested"]"#),
        "Match value must be String, number, true, false, or null"
    );
}

#[test]
fn operator_objects() {
    assert_eq!(element_reason("{}"), "Match expression name not found");
    assert_eq!(
        element_reason(r#"{"NUMERIC": ["=", 5]}"#),
        "Unrecognized match type NUMERIC"
    );
    assert_eq!(
        element_reason(r#"{"EXISTS": true}"#),
        "Unrecognized match type EXISTS"
    );
    assert_eq!(
        element_reason(r#"{"prefix": "a", "suffix": "b"}"#),
        "Only one key allowed in match expression"
    );
    assert_eq!(
        element_reason(r#"{"prefix": "a", "prefix": "b"}"#),
        "Only one key allowed in match expression"
    );
    // The first member's operand is checked before the extra member is noticed.
    assert_eq!(
        element_reason(r#"{"prefix": 1, "suffix": "b"}"#),
        "prefix match pattern must be a string"
    );
}

#[test]
fn string_operators() {
    assert_eq!(
        element_reason(r#"{"exactly": 1}"#),
        "exact match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"prefix": 123}"#),
        "prefix match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"prefix": ["2022-07-13"]}"#),
        "prefix match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"prefix": null}"#),
        "prefix match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"suffix": 123}"#),
        "suffix match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"suffix": [".png"]}"#),
        "suffix match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"equals-ignore-case": ["x"]}"#),
        "equals-ignore-case match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"equals-ignore-case": {"prefix": "ec2"}}"#),
        "equals-ignore-case match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"prefix": {}}"#),
        "Prefix expression name not found"
    );
    assert_eq!(
        element_reason(r#"{"suffix": {}}"#),
        "Suffix expression name not found"
    );
    assert_eq!(
        element_reason(r#"{"prefix": {"suffix": "x"}}"#),
        "Unsupported prefix pattern: suffix"
    );
    assert_eq!(
        element_reason(r#"{"suffix": {"prefix": "x"}}"#),
        "Unsupported suffix pattern: prefix"
    );
    assert_eq!(
        element_reason(r#"{"prefix": {"equals-ignore-case": 1}}"#),
        "equals-ignore-case match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"prefix": {"equals-ignore-case": "a", "x": 1}}"#),
        "Only one key allowed in match expression"
    );
    assert_eq!(
        element_reason(r#"{"suffix": {"equals-ignore-case": "a"}, "x": 1}"#),
        "Only one key allowed in match expression"
    );
}

#[test]
fn wildcard() {
    assert_eq!(
        element_reason(r#"{"wildcard": 123}"#),
        "wildcard match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"wildcard": ["arn:aws:events:us-east-1:**:event-bus/*"]}"#),
        "wildcard match pattern must be a string"
    );
    assert_eq!(
        element_reason(r#"{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}"#),
        "Consecutive wildcard characters at pos 26"
    );
    assert_eq!(
        element_reason(r#"{"wildcard": "a\\b"}"#),
        "Invalid escape character at pos 2"
    );
    assert_eq!(
        element_reason(r#"{"wildcard": "a\\"}"#),
        "Invalid escape character at pos 2"
    );
}

#[test]
fn wildcard_complexity() {
    let e = error(r#"{"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}"#);
    assert_eq!(e.kind(), ErrorKind::TooComplex);
    assert_eq!(
        e.reason(),
        "Rule is too complex - try using fewer wildcard characters or fewer repeating \
         character sequences after a wildcard character"
    );
    // Wildcards recorded as accepted by AWS.
    for ok in [
        r#"{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}"#,
        r#"{"FileName": [{"wildcard": "/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}"#,
        r#"{"FileName": [{"wildcard": "/Users/*/doc.txt"}]}"#,
        r#"{"d": {"FilePath": [{"anything-but": {"wildcard": "*/dir/*"}}]}}"#,
        r#"{"d": {"state": [{"anything-but": {"wildcard": ["*/init/*", "*/dir/*"]}}]}}"#,
        r#"{"EventBusArn": [{"wildcard": ""}]}"#,
    ] {
        Pattern::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    // The wildcards of one field add up, across alternatives too...
    let three = r#"{"f": [{"wildcard": "*a*"}, {"wildcard": "*b*"}, {"wildcard": "*c*"}]}"#;
    let five = r#"{"f": [{"wildcard": "*a*"}, {"wildcard": "*b*"}, {"wildcard": "*c*"},
        {"wildcard": "*d*"}, {"wildcard": "*e*"}]}"#;
    assert!(Pattern::parse(three).is_ok());
    assert_eq!(error(five).kind(), ErrorKind::TooComplex);
    let split = r#"{"$or": [
        {"f": [{"wildcard": "*a*"}, {"wildcard": "*b*"}, {"wildcard": "*c*"}]},
        {"f": [{"wildcard": "*d*"}, {"wildcard": "*e*"}]}]}"#;
    assert_eq!(error(split).kind(), ErrorKind::TooComplex);
    // ...but those of different fields do not.
    let apart = r#"{"f": [{"wildcard": "*a*"}, {"wildcard": "*b*"}, {"wildcard": "*c*"}],
        "g": [{"wildcard": "*d*"}, {"wildcard": "*e*"}]}"#;
    assert!(Pattern::parse(apart).is_ok());
}

#[test]
fn numeric() {
    let n = |ops: &str| element_reason(&format!(r#"{{"numeric": {ops}}}"#));
    assert_eq!(
        element_reason(r#"{"numeric": 10}"#),
        "Value of numeric must be an array."
    );
    assert_eq!(
        element_reason(r#"{"numeric": "<"}"#),
        "Value of numeric must be an array."
    );
    assert_eq!(n("[]"), "Invalid member in numeric match: ]");
    assert_eq!(n("[5]"), "Invalid member in numeric match: 5");
    assert_eq!(n("[null]"), "Invalid member in numeric match: null");
    assert_eq!(n("[[1]]"), "Invalid member in numeric match: [");
    assert_eq!(n(r#"["=="]"#), "Unrecognized numeric range operator: ==");
    assert_eq!(n(r#"["="]"#), "Value of equals must be numeric");
    assert_eq!(n(r#"["=", "5"]"#), "Value of equals must be numeric");
    assert_eq!(
        n(r#"["=", 5, 6]"#),
        "Too many elements in numeric expression"
    );
    assert_eq!(n(r#"["<"]"#), "Value of < must be numeric");
    assert_eq!(n(r#"["<=", null]"#), "Value of <= must be numeric");
    assert_eq!(n(r#"[">", true]"#), "Value of > must be numeric");
    assert_eq!(n(r#"[">=", "1"]"#), "Value of >= must be numeric");
    assert_eq!(
        n(r#"["<", 5, ">", 1]"#),
        "Too many elements in numeric expression"
    );
    assert_eq!(n(r#"[">", 0, ">", 0]"#), "Bad numeric range operator: >");
    assert_eq!(n(r#"[">", 0, "="]"#), "Bad numeric range operator: =");
    assert_eq!(n(r#"[">", 0, 5]"#), "Bad value in numeric range: 5");
    assert_eq!(n(r#"[">", 0, "<"]"#), "Value of < must be numeric");
    assert_eq!(n(r#"[">", 0, "<=", "5"]"#), "Value of <= must be numeric");
    assert_eq!(
        n(r#"[">", 0, "<", 5, 6]"#),
        "Too many terms in numeric range expression"
    );
    assert_eq!(n(r#"[">", 5, "<", 5]"#), "Bottom must be less than top");
    assert_eq!(n(r#"[">=", 6, "<=", 5]"#), "Bottom must be less than top");
    assert_eq!(
        element_reason(r#"{"numeric": [">", 1], "x": 1}"#),
        "Too many elements in numeric expression"
    );
    // Bounds event-ruler's ComparableNumber cannot hold exactly (AWS has no recording).
    assert_eq!(n(r#"[">", 1e999]"#), "Cannot compare number : 1e999");
    assert_eq!(n(r#"["<", -1e400]"#), "Cannot compare number : -1e400");
    assert_eq!(
        n(r#"["=", 9007199254740993]"#),
        "Cannot compare number : 9007199254740993"
    );
    assert_eq!(n(r#"[">", 5e-324]"#), "Cannot compare number : 5e-324");
}

#[test]
fn anything_but() {
    let ab = |operand: &str| element_reason(&format!(r#"{{"anything-but": {operand}}}"#));
    let not_value = "Value of anything-but must be an array or single string/number value.";
    assert_eq!(ab("null"), not_value);
    assert_eq!(ab("true"), not_value);
    assert_eq!(
        ab(r#"{"prefix": {"equals-ignore-case": "file"}}"#),
        not_value
    );
    assert_eq!(
        ab(r#"{"suffix": {"equals-ignore-case": ".png"}}"#),
        not_value
    );
    assert_eq!(ab(r#"{"wildcard": null}"#), not_value);
    assert_eq!(
        ab(r#"["stopped", null]"#),
        "Inside anything but list, start|null|boolean is not supported."
    );
    assert_eq!(
        ab(r#"[["nested"]]"#),
        "Inside anything but list, start|null|boolean is not supported."
    );
    let mixed =
        "Inside anything but list, either all values are number or string, mixed type is not supported";
    assert_eq!(ab(r#"["a", 1]"#), mixed);
    assert_eq!(ab("[]"), mixed);
    assert_eq!(ab("{}"), "Anything-But expression name not found");
    assert_eq!(
        ab(r#"{"exists": true}"#),
        "Unsupported anything-but pattern: exists"
    );
    assert_eq!(
        ab(r#"{"equals-ignore-case": 123}"#),
        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
    );
    assert_eq!(
        ab(r#"{"equals-ignore-case": [123, 456]}"#),
        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
    );
    let prefix_type = "prefix/suffix match pattern must be a string";
    assert_eq!(ab(r#"{"prefix": 123}"#), prefix_type);
    assert_eq!(ab(r#"{"prefix": [123, "test"]}"#), prefix_type);
    assert_eq!(ab(r#"{"suffix": [null, ".txt"]}"#), prefix_type);
    assert_eq!(ab(r#"{"prefix": ""}"#), "Null prefix/suffix not allowed");
    assert_eq!(
        ab(r#"{"suffix": ["a", ""]}"#),
        "Null prefix/suffix not allowed"
    );
    assert_eq!(
        ab(r#"{"wildcard": 123}"#),
        "wildcard match pattern must be a string"
    );
    assert_eq!(
        ab(r#"{"wildcard": [123, "*/dir/*"]}"#),
        "wildcard match pattern must be a string"
    );
    assert_eq!(
        ab(r#"{"wildcard": ["a**"]}"#),
        "Consecutive wildcard characters at pos 2"
    );
    assert_eq!(ab("1e999"), "Cannot compare number : 1e999");
    assert_eq!(
        ab("1.0000000000000001"),
        "Cannot compare number : 1.0000000000000001"
    );
    // An empty list inside an operator (event-ruler fails there with a Java exception).
    for op in ["prefix", "suffix", "wildcard", "equals-ignore-case"] {
        assert_eq!(
            ab(&format!(r#"{{"{op}": []}}"#)),
            "Empty arrays are not allowed"
        );
    }
    let too_many = "Too many elements in numeric expression";
    assert_eq!(element_reason(r#"{"anything-but": "x", "y": 1}"#), too_many);
    assert_eq!(ab(r#"{"prefix": "a", "suffix": "b"}"#), too_many);
    assert_eq!(
        element_reason(r#"{"anything-but": {"prefix": "a"}, "y": 1}"#),
        too_many
    );
}

#[test]
fn exists() {
    let reason = "exists match pattern must be either true or false.";
    assert_eq!(element_reason(r#"{"exists": "true"}"#), reason);
    assert_eq!(element_reason(r#"{"exists": null}"#), reason);
    assert_eq!(element_reason(r#"{"exists": [true]}"#), reason);
    assert_eq!(
        element_reason(r#"{"exists": true, "x": 1}"#),
        "Only one key allowed in match expression"
    );
}

#[test]
fn cidr() {
    let c = |operand: &str| element_reason(&format!(r#"{{"cidr": {operand}}}"#));
    // AWS's wording, although the operator is cidr.
    assert_eq!(
        c(r#"["bad-type"]"#),
        "prefix match pattern must be a string"
    );
    assert_eq!(c("24"), "prefix match pattern must be a string");
    assert_eq!(c(r#""bad-filter""#), "Malformed CIDR, one '/' required");
    assert_eq!(c(r#""1.2.3.4/8/8""#), "Malformed CIDR, one '/' required");
    assert_eq!(
        c(r#""bad-/64filter""#),
        "Malformed CIDR, mask bits must be an integer"
    );
    assert_eq!(
        c(r#""10.0.0.0/99999999999""#),
        "Malformed CIDR, mask bits must be an integer"
    );
    assert_eq!(
        c(r#""10.0.0.0/-8""#),
        "Malformed CIDR, mask bits must not be negative"
    );
    assert_eq!(c(r#""xx.11.xx/8""#), "Nonstandard IP address: xx.11.xx");
    assert_eq!(
        c(r#""xxxx:db8:1234:1a00::/64""#),
        "Nonstandard IP address: xxxx:db8:1234:1a00::"
    );
    assert_eq!(c(r#""1.2.3.999/8""#), "Invalid IP address: 1.2.3.999");
    assert_eq!(
        c(r#""1:2:3:4:5:6:7:8:9/8""#),
        "Invalid IP address: 1:2:3:4:5:6:7:8:9"
    );
    assert_eq!(c(r#""10.0.0.1/32""#), "IPv4 mask bits must be < 32");
    assert_eq!(c(r#""::1/128""#), "IPv6 mask bits must be < 128");
    assert_eq!(
        element_reason(r#"{"cidr": "10.0.0.0/8", "x": 1}"#),
        "Only one key allowed in match expression"
    );
}

#[test]
fn or_structure() {
    assert_eq!(
        reason(r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}], "c": []}"#),
        "Empty arrays are not allowed"
    );
    assert_eq!(
        reason(r#"{"$or": [{"a": ["1"]}]}"#),
        "There must have at least 2 Objects in $or relationship."
    );
    assert_eq!(
        reason(r#"{"$or": []}"#),
        "There must have at least 2 Objects in $or relationship."
    );
    assert_eq!(
        reason(r#"{"$or": [{"a": ["1"]}, {}]}"#),
        "Empty objects are not allowed"
    );
    assert_eq!(
        reason(r#"{"$or": [{"a": ["1"]}, {"b": [{"prefix": 1}]}]}"#),
        "prefix match pattern must be a string"
    );
    // Not an array of objects, and not valid with `$or` as a field name either.
    assert_eq!(
        reason(r#"{"$or": [{"a": ["1"]}, "x"]}"#),
        "Only JSON object is allowed in array of $or relationship."
    );
    assert_eq!(
        reason(r#"{"$or": "x"}"#),
        "It must be an Array followed with $or."
    );
    assert_eq!(
        reason(r#"{"$or": [{"a": ["1"]}, {"b": {"prefix": ["x"]}}]}"#),
        "prefix is Ruler reserved fieldName which cannot be used inside $or."
    );
}

#[test]
fn first_error_in_document_order() {
    assert_eq!(
        reason(r#"{"a": [{"prefix": 1}], "b": []}"#),
        "prefix match pattern must be a string"
    );
    assert_eq!(
        reason(r#"{"b": [], "a": [{"prefix": 1}]}"#),
        "Empty arrays are not allowed"
    );
    // Structure errors come before the wildcard complexity check, which sees the whole rule.
    assert_eq!(
        reason(r#"{"a": [{"wildcard": "*:*:*:*:*:event-bus/*"}], "b": []}"#),
        "Empty arrays are not allowed"
    );
}
