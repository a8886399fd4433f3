use super::lex::{find_dot, load_word};
use super::path_index::key_tag;
use super::*;

#[derive(Default)]
struct Collect {
    leaves: Vec<(u32, String, u32)>,
}

impl LeafSink for Collect {
    fn leaf(&mut self, field: u32, value: Leaf<'_>, node: u32) {
        let text = match value {
            Leaf::Str(s) => format!("s:{s}"),
            Leaf::EscapedStr(s) => format!("e:{s}"),
            Leaf::Number(n) => format!("n:{n}"),
            Leaf::Bool(b) => format!("b:{b}"),
            Leaf::Null => "null".to_owned(),
            Leaf::Elements(rest) => format!("rest:{rest}"),
        };
        self.leaves.push((field, text, node));
    }
}

fn index(paths: &[&str]) -> PathIndex {
    let mut index = PathIndex::default();
    for (i, p) in paths.iter().enumerate() {
        index.insert(p, i as u32);
    }
    index
}

fn leaves(event: &str, paths: &[&str]) -> Result<Vec<(u32, String, u32)>, EventError> {
    let mut sink = Collect::default();
    let mut scratch = ScanScratch::default();
    scan(
        event.as_bytes(),
        &index(paths),
        EventLimits::default(),
        &mut scratch,
        &mut sink,
    )?;
    Ok(sink.leaves)
}

#[test]
fn reports_leaves_at_used_paths_only_with_dotted_keys_joined() {
    let got = leaves(
        r#"{"a": {"b": "x", "c": 1}, "a.b": [true, null], "z": {"b": "no"}}"#,
        &["a.b", "z"],
    )
    .unwrap();
    assert_eq!(
        got,
        vec![
            (0, "s:x".into(), 0),
            (0, "b:true".into(), 1),
            (0, "null".into(), 2),
        ]
    );
}

#[test]
fn long_keys_and_dots_past_the_first_word_find_their_paths() {
    let paths = [
        "request_method.x",
        "request_methoD",
        "abcdefg.hijklmnopq.r",
        "abcdefgh",
        "abcdefgz",
        "a",
        "",
    ];
    let event = r#"{"request_method.x": 1, "request_methoD": 2, "request_methodX": 3,
        "abcdefg": {"hijklmnopq.r": 4}, "abcdefg.hijklmnopq": {"r": 5},
        "abcdefgh": 6, "abcdefgz": 7, "abcdefgy": 8, "a.": 9, ".a": 10, "": 11}"#;
    let got: Vec<(u32, String)> = leaves(event, &paths)
        .unwrap()
        .into_iter()
        .map(|(field, text, _)| (field, text))
        .collect();
    let n = |field: u32, v: &str| (field, format!("n:{v}"));
    assert_eq!(
        got,
        vec![
            n(0, "1"),
            n(1, "2"),
            n(2, "4"),
            n(2, "5"),
            n(3, "6"),
            n(4, "7"),
            n(6, "11")
        ]
    );
    assert_eq!(find_dot(b"abcdefghijk.m"), Some(11));
    assert_eq!(find_dot(b"abcdefgh"), None);
    assert_eq!(find_dot(b".bcdefgh.j"), Some(0));
    assert_eq!(find_dot(b"ab.de"), Some(2));
}

#[test]
fn short_keys_load_and_tag_exactly() {
    let text = b"abcdefghij.";
    for start in 0..text.len() {
        for end in start..=text.len() {
            let key = &text[start..end];
            let mut naive = 0u64;
            for (i, &b) in key.iter().take(8).enumerate() {
                naive |= u64::from(b) << (8 * i);
            }
            assert_eq!(load_word(key), naive, "{key:?}");
            assert_eq!(
                find_dot(key),
                key.iter().position(|&b| b == b'.'),
                "{key:?}"
            );
        }
    }
    assert_ne!(key_tag(b"ab"), key_tag(b"ba"));
    assert_ne!(key_tag(b"abc"), key_tag(b"abc\0"));
    assert_ne!(key_tag(b"abcde"), key_tag(b"abcdf"));
}

#[test]
fn unescapes_compared_strings_and_keys() {
    let got = leaves(r#"{"k\u0065y": "\u0041\n\ud83d\ude00\/"}"#, &["key"]).unwrap();
    assert_eq!(got, vec![(0, "s:A\n😀/".into(), 0)]);
}

#[test]
fn numbers_keep_their_text() {
    let got = leaves(r#"{"n": [-0.5e+7, 300, 1E999]}"#, &["n"]).unwrap();
    let texts: Vec<&str> = got.iter().map(|l| l.1.as_str()).collect();
    assert_eq!(texts, vec!["n:-0.5e+7", "n:300", "n:1E999"]);
}

#[test]
fn array_elements_form_a_tree() {
    let got = leaves(r#"{"a": [[1, 2], {"b": 3}], "b": 4}"#, &["a", "a.b"]).unwrap();
    // a: elements 1 (array 0 idx 0) → inner array 1 elements 2, 3; a[1] is node 4.
    assert_eq!(
        got,
        vec![
            (0, "n:1".into(), 2),
            (0, "n:2".into(), 3),
            (1, "n:3".into(), 4),
        ]
    );
}

#[test]
fn the_root_must_be_an_object_to_have_fields() {
    assert_eq!(leaves(r#"[{"a": 1}]"#, &["a"]).unwrap(), vec![]);
    assert_eq!(leaves(r#""a""#, &["a", ""]).unwrap(), vec![]);
    assert_eq!(
        leaves(r#"{"": {"": 1}}"#, &["."]).unwrap(),
        vec![(0, "n:1".into(), 0)]
    );
}

/// Every input is accepted exactly when the reference JSON reader accepts it, used paths or not.
#[test]
fn validates_like_the_reference_reader_everywhere() {
    let cases = [
        r#"{}"#,
        r#" { "a" : [ 1 , 2 ] } "#,
        r#"{"a": 1,}"#,
        r#"{"a": [1,]}"#,
        r#"{"a" 1}"#,
        r#"{"a": 01}"#,
        r#"{"a": 1.}"#,
        r#"{"a": .5}"#,
        r#"{"a": -}"#,
        r#"{"a": 1e}"#,
        r#"{"a": 1e+}"#,
        r#"{"a": +1}"#,
        r#"{"a": tru}"#,
        r#"{"a": truex}"#,
        r#"{"a": nul}"#,
        r#"{"a": "x\q"}"#,
        r#"{"a": "\ud800"}"#,
        r#"{"a": "\udc00\ud800"}"#,
        r#"{"a": "\ud800\u0041"}"#,
        r#"{"a": "\u12G4"}"#,
        "{\"a\": \"tab\there\"}",
        r#"{"a": "x"} x"#,
        r#"{"a": "x"}{}"#,
        r#"{"a": [}"#,
        r#"{"a": {]}"#,
        r#"{"a": "unterminated}"#,
        r#"{"a": 1"#,
        r#"{"a"#,
        r#"{1: 2}"#,
        r#"{"a": [1 2]}"#,
        r#"{"a": {"b": 1 "c": 2}}"#,
        "",
        "   ",
        "[]",
        "1",
        r#""s""#,
        "{\"a\": \"\u{7f}\"}",
        r#"{"a": [[[[{"b": [true, false, null, -0, 0.0e0, "\"\\\/\b\f\n\r\t"]}]]]]}"#,
        r#"{"a": 12345678901234567890123456789}"#,
        r#"{"a": -01}"#,
        r#"{"a": 0x1}"#,
        r#"{"a": Infinity}"#,
        r#"{,}"#,
        r#"[,]"#,
        r#"{"a":1 , "b" : [ ] , "c" : { } }"#,
        // Arrays of numbers, read by their own loop when skipped.
        r#"{"z": [1, 2 , -3.5e2,4,0]}"#,
        "{\"z\": [1,\n\t2]}",
        r#"{"z": [[1,2],[3,4],[]]}"#,
        r#"{"z": [1,"x",2,true,null,{}]}"#,
        r#"{"z": [1,-]}"#,
        r#"{"z": [1,01]}"#,
        r#"{"z": [1,,2]}"#,
        r#"{"z": [1,2.]}"#,
        r#"{"z": [1,2}"#,
        r#"{"z": [1,2"#,
        r#"{"z": [1,2,"#,
        r#"{"z": [1,2 3]}"#,
    ];
    for case in cases {
        let expected = crate::json::JsonNode::parse(case, DEFAULT_MAX_DEPTH).is_ok();
        for paths in [&[][..], &["a", "a.b", "b", "c"][..]] {
            let got = leaves(case, paths);
            assert_eq!(
                got.is_ok(),
                expected,
                "{case:?} with paths {paths:?}: {got:?}"
            );
        }
    }
}

#[test]
fn errors_carry_offsets() {
    let err = leaves(r#"{"a": [1, 2,]}"#, &[]).unwrap_err();
    assert_eq!(
        (err.offset(), err.kind()),
        (12, &EventErrorKind::ExpectedValue)
    );
    let err = leaves(r#"{"skipped": "x\q"}"#, &[]).unwrap_err();
    assert_eq!(
        (err.offset(), err.kind()),
        (14, &EventErrorKind::InvalidEscape)
    );
    let err = leaves("{\"a\": \"\u{e9}\"}", &[]);
    assert!(err.is_ok());
    let mut sink = Collect::default();
    let err = scan(
        b"{\"a\": \"\xff\"}",
        &index(&[]),
        EventLimits::default(),
        &mut ScanScratch::default(),
        &mut sink,
    )
    .unwrap_err();
    assert_eq!(
        (err.offset(), err.kind()),
        (7, &EventErrorKind::InvalidUtf8)
    );
}

#[test]
fn size_is_limited_before_anything_is_read() {
    let event = br#"{"a": "xyz"}"#;
    let run = |max_event_size| {
        scan(
            event,
            &index(&["a"]),
            EventLimits {
                max_event_size,
                ..EventLimits::default()
            },
            &mut ScanScratch::default(),
            &mut Collect::default(),
        )
    };
    assert!(run(event.len()).is_ok());
    let err = run(event.len() - 1).unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooLarge(event.len() - 1));
    assert_eq!(err.offset(), event.len() - 1);
    assert_eq!(
        err.to_string(),
        "event longer than 11 bytes (it has more at byte 11)"
    );
    // Even invalid JSON is refused for its size first.
    let err = scan(
        b"{{{{",
        &index(&[]),
        EventLimits {
            max_event_size: 0,
            ..EventLimits::default()
        },
        &mut ScanScratch::default(),
        &mut Collect::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooLarge(0));
}

#[test]
fn depth_is_limited_without_recursion() {
    let deep = format!(
        "{{\"a\": {}{}}}",
        "[".repeat(1_000_000),
        "]".repeat(1_000_000)
    );
    let mut sink = Collect::default();
    let err = scan(
        deep.as_bytes(),
        &index(&["a"]),
        EventLimits {
            max_depth: 100,
            ..EventLimits::default()
        },
        &mut ScanScratch::default(),
        &mut sink,
    )
    .unwrap_err();
    assert_eq!(err.kind(), &EventErrorKind::TooDeep(100));
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let run = |limit| {
        scan(
            ok.as_bytes(),
            &index(&[]),
            EventLimits {
                max_depth: limit,
                ..EventLimits::default()
            },
            &mut ScanScratch::default(),
            &mut Collect::default(),
        )
    };
    assert!(run(100).is_ok());
    assert!(run(99).is_err());
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn json() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("false".to_owned()),
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,3})?([eE][-+]?[0-9]{1,2})?",
            "\"([a-c. ]|\\\\n|\\\\u00e9|\\\\ud83d\\\\ude00|é){0,12}\"",
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[a-c.]{0,3}", inner), 0..4).prop_map(|v| {
                    let members: Vec<String> = v
                        .into_iter()
                        .map(|(k, v)| format!("\"{k}\" : {v}"))
                        .collect();
                    format!("{{ {} }}", members.join(" ,"))
                }),
            ]
        })
    }

    fn mutated() -> impl Strategy<Value = Vec<u8>> {
        (
            json(),
            0usize..200,
            0usize..4,
            prop::sample::select(b"{}[],:\"\\ 0-.eE+tfnu\x01\xff".to_vec()),
        )
            .prop_map(|(text, at, how, byte)| {
                let mut bytes = format!("{{\"a\": {text}, \"b\": {text}}}").into_bytes();
                let at = at % (bytes.len() + 1);
                match how {
                    0 => bytes.insert(at, byte),
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    2 if at < bytes.len() => bytes[at] = byte,
                    _ => {}
                }
                bytes
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
            ..ProptestConfig::default()
        })]

        /// Used paths or not, the scanner accepts exactly what the reference reader accepts.
        #[test]
        fn accepts_exactly_valid_json(bytes in mutated()) {
            let expected = std::str::from_utf8(&bytes)
                .ok()
                .is_some_and(|text| crate::json::JsonNode::parse(text, DEFAULT_MAX_DEPTH).is_ok());
            for paths in [&[][..], &["a", "a.b", "b", "a.a", "b.c.a", ""][..]] {
                let got = scan(
                    &bytes,
                    &index(paths),
                    EventLimits::default(),
                    &mut ScanScratch::default(),
                    &mut Collect::default(),
                );
                prop_assert_eq!(
                    got.is_ok(),
                    expected,
                    "{:?} with {:?}: {:?}",
                    String::from_utf8_lossy(&bytes),
                    paths,
                    got
                );
            }
        }

        /// Keys of every length around the sixteen bytes read at once, with and without dots,
        /// at the end of the input or not, find exactly the used paths they spell.
        #[test]
        fn keys_find_the_paths_they_spell(
            outer in "[ab.]{0,20}",
            inner in "[ab.]{0,20}",
            used in proptest::collection::vec("[ab.]{0,20}", 0..6),
        ) {
            let event = format!(r#"{{"{outer}":1,"x":{{"{inner}":2}}}}"#);
            let paths: Vec<&str> = used.iter().map(String::as_str).collect();
            let got = leaves(&event, &paths).unwrap();
            // Later registrations of the same path take the field over.
            let field = |path: &str| paths.iter().rposition(|p| *p == path).map(|f| f as u32);
            let mut expected = Vec::new();
            expected.extend(field(&outer).map(|f| (f, "n:1".to_owned(), 0)));
            expected.extend(field(&format!("x.{inner}")).map(|f| (f, "n:2".to_owned(), 0)));
            prop_assert_eq!(got, expected);
        }

        /// Strings with every kind of escape, at a used path and as keys, decode exactly as
        /// serde_json decodes them, and malformed ones fail where the reader says.
        #[test]
        fn strings_decode_like_serde_json(body in "([a-z/é😀 ]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}|\\\\u[dD][89abAB][0-9a-f]{2}\\\\u[dD][c-fC-F][0-9a-f]{2}|\\\\x){0,40}") {
            let string = format!("\"{body}\"");
            let expected: Result<String, _> = serde_json::from_str(&string);
            // The key gets an `x` in front so that it never equals the used path `a`.
            let key = format!("\"x{body}\"");
            let event = format!("{{\"a\": {string}, {key}: 1}}");
            let got = leaves(&event, &["a"]);
            match expected {
                Ok(value) => prop_assert_eq!(got.unwrap(), vec![(0, format!("s:{value}"), 0)]),
                Err(_) => prop_assert!(got.is_err()),
            }
            if let Ok(decoded) = serde_json::from_str::<String>(&string) {
                if !decoded.contains('.') {
                    let got = leaves(&event, &[&format!("x{decoded}")]).unwrap();
                    prop_assert!(got.contains(&(0, "n:1".to_owned(), 0)), "{:?}", got);
                }
            }
        }
    }
}

#[test]
fn trusted_skipping_ends_where_validation_does_on_valid_json() {
    use super::lex::skip_ws;
    use super::skip::{skip_value, skip_value_trusted};
    let values = [
        r#""""#,
        r#""a\"b\\""#,
        r#""\\\\\"]}""#,
        r#""\u0022x""#,
        "-12.5e+3",
        "true",
        "null",
        "[]",
        "{}",
        "[1,2,[3,[4]],{\"a\":[5]}]",
        r#"{"k": "}]\"[{", "l": [[[[["\\"]]]]], "m": {"n": {}}}"#,
        r#"[[[-122.4194155, 37.7749295, 0], [-122.4194155, 37.7749295, 0]]]"#,
        "[\"é漢字😀 ]\", 12345678901234567890, {\"long key with spaces\": [true, false]}]",
    ];
    for value in values {
        for tail in ["", " ", ",1]", "}"] {
            let text = format!("{value}{tail}");
            let bytes = text.as_bytes();
            // The validating skip also passes the whitespace after the value.
            let valid = skip_value(bytes, 0, 0, 64, &mut Vec::new()).unwrap();
            let trusted = skip_value_trusted(bytes, 0);
            assert_eq!(skip_ws(bytes, trusted), valid, "{text}");
        }
    }
    // Unfinished values end at the end of the text.
    for cut in [
        r#""abc"#,
        r#""a\"#,
        "[1, [2",
        r#"{"a": "]"#,
        "[[[[[[[[[[[[[[[[[[[[",
    ] {
        assert_eq!(skip_value_trusted(cut.as_bytes(), 0), cut.len(), "{cut}");
    }
}

#[test]
fn long_arrays_of_one_field_end_in_one_text() {
    let elements: Vec<String> = (0..20).map(|i| i.to_string()).collect();
    let event = format!(
        r#"{{"a": [{}, [1, "x"], {{"b": 2}}], "c": 3}}"#,
        elements.join(", ")
    );
    let got = leaves(&event, &["a", "c"]).unwrap();
    // The first 16 elements one by one, each in its own element; the rest as one text in an
    // element of its own; then the next field as usual.
    assert_eq!(got.len(), 18);
    for (i, (field, text, node)) in got.iter().take(16).enumerate() {
        assert_eq!(
            (*field, text.as_str(), *node),
            (0, format!("n:{i}").as_str(), i as u32 + 1)
        );
    }
    assert_eq!(
        got[16],
        (0, r#"rest:16, 17, 18, 19, [1, "x"], {"b": 2}"#.into(), 17)
    );
    assert_eq!(got[17], (1, "n:3".into(), 0));
    // When a path continues below the array, its elements stay one by one.
    let got = leaves(&event, &["a", "a.b"]).unwrap();
    assert!(got.iter().all(|(_, text, _)| !text.starts_with("rest:")));
    assert_eq!(got.last().unwrap().1, "n:2");
}

#[test]
fn long_arrays_are_still_validated_to_the_end() {
    let elements: Vec<String> = (0..20).map(|i| i.to_string()).collect();
    let head = format!(r#"{{"a": [{}, "#, elements.join(", "));
    for (tail, kind) in [
        ("01]}", EventErrorKind::ExpectedCommaOrArrayEnd),
        ("-]}", EventErrorKind::InvalidNumber),
        ("\"\\q\"]}", EventErrorKind::InvalidEscape),
        ("1 2]}", EventErrorKind::ExpectedCommaOrArrayEnd),
        ("[1}]}", EventErrorKind::ExpectedCommaOrArrayEnd),
        ("\"\u{1}\"]}", EventErrorKind::ControlCharacterInString),
        ("1", EventErrorKind::UnexpectedEnd),
    ] {
        let event = format!("{head}{tail}");
        let used = leaves(&event, &["a"]).unwrap_err();
        let unused = leaves(&event, &["z"]).unwrap_err();
        assert_eq!(used, unused, "{event}");
        assert_eq!(used.kind, kind, "{event}");
    }
}

#[test]
fn nesting_does_not_multiply_what_long_arrays_keep() {
    // 16 arrays of 16 arrays of 16 numbers: 4,096 values, no array longer than 16. Counted
    // over the whole outer array, only the first few are kept one by one.
    let innermost = format!("[{}]", vec!["1"; 16].join(","));
    let middle = format!("[{}]", vec![innermost.as_str(); 16].join(","));
    let event = format!(r#"{{"a": [{}]}}"#, vec![middle.as_str(); 16].join(","));
    let got = leaves(&event, &["a"]).unwrap();
    assert!(got.len() < 40, "{} leaves", got.len());
    assert!(got.iter().any(|(_, text, _)| text.starts_with("rest:")));
    // A second array of the same field starts counting again.
    let event = r#"{"a": [1, 2], "b": {"a": 0}, "c": [[3], [4]]}"#;
    let got = leaves(event, &["a", "c"]).unwrap();
    assert_eq!(got.len(), 4);
}
