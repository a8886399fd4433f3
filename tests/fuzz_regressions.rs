//! Minimal reproductions of what fuzzing and the hostile-input suites found, one test each.
//!
//! A test marked `#[ignore = "..., owner"]` reproduces a bug still open in the named owner's
//! files; remove the mark when it is fixed. Run the open ones with
//! `cargo test --test fuzz_regressions -- --ignored`.

mod support;

use std::time::{Duration, Instant};

use std::sync::mpsc;

use evpattern::json::{JsonError, JsonNode};
use evpattern::pattern::{ErrorKind, Limits};
use evpattern::reference;
use evpattern::DEFAULT_MAX_DEPTH;
use evpattern::{Matcher, Pattern};

/// The stack a thread gets by default (`std::thread` and the test harness use 2 MiB).
const DEFAULT_THREAD_STACK: usize = 2 << 20;

/// Runs `f` on a thread with `stack` bytes of stack, as a library user's thread would.
fn on_thread_with_stack<T: Send + 'static>(
    stack: usize,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the thread panicked")
}

/// Found by tests/hostile_nesting.rs: a pattern nested exactly as deep as the default limit
/// allowed (then 1000) overflowed a 2 MiB stack in a debug build. `json::node_of` recurses
/// once per level through `collect`/`map`/`try_fold` adapters, about 16 frames and 3 KiB of
/// stack per level unoptimised, so it died near 600 levels. Fixed on main by lowering the
/// default depth to 256.
#[test]
fn a_pattern_at_the_default_depth_limit_parses_on_a_default_thread_stack() {
    let depth = Limits::default().max_depth();
    let parsed = on_thread_with_stack(DEFAULT_THREAD_STACK, move || {
        Pattern::parse(&support::nested_pattern(depth))
            .map(|p| p.root().conditions()[0].path().len())
    });
    assert_eq!(parsed, Ok(2 * (depth - 1) - 1));
}

/// Same overflow, one level deeper: the refusal itself needed all the frames first.
#[test]
fn a_pattern_past_the_default_depth_limit_is_refused_on_a_default_thread_stack() {
    let depth = Limits::default().max_depth() + 1;
    let kind = on_thread_with_stack(DEFAULT_THREAD_STACK, move || {
        Pattern::parse(&support::nested_pattern(depth)).map_err(|e| e.kind())
    });
    assert_eq!(kind.unwrap_err(), ErrorKind::TooDeep);
}

/// Generous bound for reading a few megabytes in a debug build on a busy 2-core machine;
/// a linear reader needs well under a second.
const LINEAR_BOUND: Duration = Duration::from_secs(15);

/// Found by tests/hostile_nesting.rs: `JsonNode::parse` reads each level by re-reading all
/// the text nested below it, so a too-deep document cost (depth limit) x (length) before
/// being refused: minutes for a million-level pattern (6 MB) in a debug build. Pattern
/// length is uncapped by default, so any caller of `Pattern::parse` could reach it. Fixed on
/// main by a one-pass depth check before reading.
#[test]
fn a_million_level_pattern_is_refused_in_linear_time() {
    let text = support::nested_pattern(1_000_000);
    let start = Instant::now();
    let kind = on_thread_with_stack(64 << 20, move || {
        Pattern::parse(&text).map_err(|e| e.kind())
    });
    assert_eq!(kind.unwrap_err(), ErrorKind::TooDeep);
    assert!(start.elapsed() < LINEAR_BOUND, "took {:?}", start.elapsed());
}

/// Same cost for events given to the reference matcher and to `test_event_pattern`: a
/// 6 MB event of a million nested objects took about 150 s (debug) to be refused. Fixed
/// with the one-pass depth check.
#[test]
fn a_million_level_event_is_refused_by_the_tree_reader_in_linear_time() {
    let mut event = r#"{"a":"#.repeat(1_000_000);
    event.push('1');
    event.push_str(&"}".repeat(1_000_000));
    let start = Instant::now();
    assert_eq!(
        JsonNode::parse(&event, DEFAULT_MAX_DEPTH),
        Err(JsonError::TooDeep(DEFAULT_MAX_DEPTH))
    );
    assert!(start.elapsed() < LINEAR_BOUND, "took {:?}", start.elapsed());
}

/// Found by the same test: under the depth limit the tree was still built by re-reading, at
/// every level, all the text nested below it. An event (or pattern) 250
/// levels deep with a 4 MB string at the bottom is read 250 times: 15.7 s in a debug build
/// against 0.3 s for the same string one level deep. `test_event_pattern` and the
/// `evpattern test` CLI read events of any size this way (only the pattern is capped, at
/// 4096 characters), so a 50 MB event can take minutes even optimised. Reading the tree in
/// one pass (e.g. a `serde` visitor building `JsonNode` with an explicit depth counter)
/// would make it linear. Fixed on main (13cc098, the JSON tree read in one pass).
#[test]
fn a_deep_document_with_a_large_leaf_is_read_in_linear_time() {
    let depth = 250;
    let leaf = format!(r#"["{}"]"#, "x".repeat(4 << 20));
    let mut deep = r#"{"a":"#.repeat(depth - 1);
    deep.push_str(&leaf);
    deep.push_str(&"}".repeat(depth - 1));
    let shallow = format!(r#"{{"a":{leaf}}}"#);

    let start = Instant::now();
    assert!(JsonNode::parse(&shallow, DEFAULT_MAX_DEPTH).is_ok());
    let shallow_time = start.elapsed();
    let start = Instant::now();
    assert!(JsonNode::parse(&deep, DEFAULT_MAX_DEPTH).is_ok());
    let deep_time = start.elapsed();
    // The deep text is only 1.2 KB longer; allow it a few times the shallow cost.
    assert!(
        deep_time < 5 * shallow_time + Duration::from_secs(1),
        "deep {deep_time:?}, shallow {shallow_time:?}"
    );
}

/// Runs `f` on its own thread and returns its result, or fails the test when it has not
/// finished after `bound` (the thread is left running; the test binary's exit ends it).
fn within<T: Send + 'static>(bound: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(bound) {
        Ok(value) => value,
        Err(_) => panic!("still running after {bound:?}"),
    }
}

/// `{"g": {"c0": [1], ..., "c<k-1>": [1], "z": [1]}}` and an event whose array `g` has one
/// element with `k` arrays of `m` ones (one per `c`), and another element with `m + 1` ones at
/// `z`: every `c` can be chosen in the first element, `z` only in the second, so no choice
/// is consistent.
fn exponential_case(k: usize, m: usize) -> (String, String) {
    let names: Vec<String> = (0..k).map(|i| format!("c{i}")).collect();
    let conditions: Vec<String> = names.iter().map(|n| format!(r#""{n}": [1]"#)).collect();
    let pattern = format!(r#"{{"g": {{{}, "z": [1]}}}}"#, conditions.join(", "));
    let ones = vec!["1"; m].join(",");
    let fields: Vec<String> = names
        .iter()
        .map(|n| format!(r#""{n}": [{ones}]"#))
        .collect();
    let event = format!(
        r#"{{"g": [{{{}}}, {{"z": [{}]}}]}}"#,
        fields.join(", "),
        vec!["1"; m + 1].join(",")
    );
    (pattern, event)
}

/// Found by tests/hostile_arrays.rs: the consistency search (`compile::run::consistent_choice`)
/// backtracked over every combination of one array element per condition. Conditions whose
/// leaves sit in different inner arrays of the same outer element are all pairwise
/// consistent, so with `k` such conditions of `m` leaves each it builds `m^k` partial choices
/// before the last condition (`z`, with the most leaves, so sorted last) refutes each. Here
/// a 350-byte event and a 14-condition rule: 8^12 partial choices, i.e. a hang (k = 6,
/// m = 6 already takes 0.2 s in a debug build; each extra condition multiplies by 7). The
/// reference matcher answers at once (`false`), since it refutes `z` against the chosen
/// outer element early.
///
/// Fixed on engine (13a5dd0, "Forget array choices that no later condition can meet").
#[test]
fn array_consistency_search_is_not_exponential() {
    let (pattern, event) = exponential_case(12, 8);
    let parsed = Pattern::parse(&pattern).unwrap();
    assert_eq!(reference::matches_text(&parsed, &event), Ok(false));
    let got = within(LINEAR_BOUND, move || {
        let mut m = Matcher::new();
        m.add_rule("r", &pattern).unwrap();
        m.matches(event.as_bytes()).unwrap()
    });
    assert!(got.is_empty());
}

/// Found by tests/hostile_arrays.rs: two conditions with many leaves each in different
/// elements of one array and no consistent pair make `consistent_choice` test every pair:
/// 50,000 x 50,000 here (a 1 MB event), about 10 minutes in a debug build. Grouping the
/// candidates by their element of the shared array would make it linear. Fixed on engine
/// (13a5dd0).
#[test]
fn array_consistency_search_is_not_quadratic() {
    let mut event = String::from(r#"{"g": ["#);
    for i in 0..100_000 {
        if i > 0 {
            event.push(',');
        }
        event.push_str(if i % 2 == 0 {
            r#"{"a": 1}"#
        } else {
            r#"{"b": 2}"#
        });
    }
    event.push_str("]}");
    let got = within(LINEAR_BOUND, move || {
        let mut m = Matcher::new();
        m.add_rule("pair", r#"{"g": {"a": [1], "b": [2]}}"#)
            .unwrap();
        m.matches(event.as_bytes()).unwrap()
    });
    assert!(got.is_empty());
}

/// Found by the `dsl` fuzz target: a pattern compiled from a rule keeps its conditions in
/// rule order, while the parser sorts them by path, so the compiled pattern and its own
/// canonical JSON parsed back are `!=` although they mean the same. `Pattern::to_json`
/// promises that "parsing the result gives back an equal pattern". `dsl::compile` already
/// parses the JSON to check it; returning that parsed pattern (or `Pattern::from_clause`
/// sorting) would make compiled patterns canonical. Fixed on main (f8caf95).
#[test]
fn a_compiled_rule_equals_its_canonical_json_parsed_back() {
    use evpattern::dsl::Target;
    use evpattern::saasus::compile;

    let compiled = compile("api CreateTenantUser and status 2xx", Target::Local)
        .unwrap()
        .pattern;
    let json = compiled.to_json();
    assert_eq!(Pattern::parse(&json).unwrap(), compiled, "{json}");
    let compiled = compile(r#"b == 1 and a == 2"#, Target::Local)
        .unwrap()
        .pattern;
    assert_eq!(Pattern::parse(&compiled.to_json()).unwrap(), compiled);
}

/// `{"a.a.….a": [1]}` with `segments` dot-separated names.
fn dotted_pattern(segments: usize) -> String {
    format!(r#"{{"{}": [1]}}"#, vec!["a"; segments].join("."))
}

/// Found while probing long paths for the `dsl` target: canonical JSON nests one object per
/// path segment, and `pattern::serialize::write_object` recurses once per segment (about
/// 2 KiB of stack each in a debug build). A 4 KB pattern with a 2000-segment dotted key,
/// within even AWS's length cap, overflows a 2 MiB thread stack (1000 segments already
/// do); `dsl::compile` of `a.a.….a == 1` died the same way since it prints the pattern.
/// Fixed on main (421ad9a: paths nest into at most 32 objects, then continue dotted).
#[test]
fn canonical_json_of_a_long_dotted_path_does_not_overflow_the_stack() {
    let text = dotted_pattern(2000);
    let round_trip = on_thread_with_stack(DEFAULT_THREAD_STACK, move || {
        let pattern = Pattern::parse_with(&text, &Limits::aws()).unwrap();
        let again = Pattern::parse(&pattern.to_json()).map_err(|e| e.to_string());
        again.map(|again| again == pattern)
    });
    assert_eq!(round_trip, Ok(true));
    let rule = format!("{} == 1", vec!["a"; 2000].join("."));
    let compiled = on_thread_with_stack(DEFAULT_THREAD_STACK, move || {
        evpattern::dsl::compile(&rule, evpattern::dsl::Target::Local).is_ok()
    });
    assert!(compiled);
}

/// Same cause, other face: a pattern with a dotted key of more segments than the depth
/// limit (256) is accepted, but its canonical JSON nests deeper than the limit and does not
/// parse back, breaking `to_json`'s promise. Either canonical JSON keeps dotted keys below
/// some depth, or the parser counts path segments against the depth limit. Fixed on main
/// (421ad9a). The `parse_pattern` fuzz target found it too.
#[test]
fn canonical_json_of_a_dotted_path_deeper_than_the_limit_parses_back() {
    let pattern = Pattern::parse(&dotted_pattern(300)).unwrap();
    let json = on_thread_with_stack(64 << 20, move || pattern.to_json());
    let again = Pattern::parse(&json).map_err(|e| e.reason().to_owned());
    assert_eq!(
        again.map(|p| p.root().conditions()[0].path().len()),
        Ok(599)
    );
}

/// Found while probing the filter language with large rules: compiling an `or` of `n` tests
/// on different fields (or an `and` of `n` tests) takes time quadratic in `n`: 4,000 terms
/// 0.2 s, 100,000 terms (a 1.1 MB rule) 293 s in a debug build, before answering that the
/// rule expands past 1000 alternatives. An `or` past the limit could be refused as soon as
/// the count passes it, and the rest kept linear. Fixed on main (21ed5b0).
#[test]
fn compiling_a_long_or_chain_is_not_quadratic() {
    let terms: Vec<String> = (0..40_000).map(|i| format!("a{i} == 1")).collect();
    let rule = terms.join(" or ");
    let message = within(LINEAR_BOUND, move || {
        evpattern::dsl::compile(&rule, evpattern::dsl::Target::Local)
            .map(|_| ())
            .map_err(|e| e.message().to_owned())
    });
    assert!(
        message.unwrap_err().contains("at most 1000 combinations"),
        "the rule must be refused for its $or combinations"
    );
}

/// Found by tests/hostile_rules.rs while sizing wildcard sets: eleven wildcards at one field
/// whose first bytes all differ (`a0*`, `b1*`, …, `k10*`) are refused as too complex, though
/// no input keeps more than one of them alive past its first byte. Reviewed (lead): this is
/// AWS's behaviour too. event-ruler's `MachineComplexityEvaluator` sums, over the states one
/// input reaches, the wildcard patterns reachable from each, and event-ruler's byte machine
/// reads a string value with its opening quote (which is also why AWS reports `**` one
/// position after its index). All eleven operands share that quote's state, so after one
/// byte one state reaches eleven patterns: 11, over the limit, as our measure counts. Kept
/// as a test of the agreed behaviour: ten pass, eleven are refused.
#[test]
fn wildcards_with_distinct_first_bytes_count_from_their_shared_quote() {
    let pattern_of = |n: u8| {
        let operands: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"wildcard": "{}{i}*"}}"#, char::from(b'a' + i)))
            .collect();
        format!(r#"{{"a": [{}]}}"#, operands.join(", "))
    };
    assert!(Pattern::parse(&pattern_of(10)).is_ok());
    let refused = Pattern::parse(&pattern_of(11)).unwrap_err();
    assert_eq!(refused.kind(), evpattern::pattern::ErrorKind::TooComplex);
}

/// Found by the `parse_pattern` fuzz target (after 4.4 million inputs): canonical JSON
/// hoists a `$or` to the top of its clause and spells each alternative with the absolute
/// path. When a segment of the path above the `$or` is a name reserved inside `$or`
/// (`prefix`, `numeric`, `>`, … event-ruler's `RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`),
/// that name lands inside the alternatives and the canonical JSON is refused:
/// `prefix is Ruler reserved fieldName which cannot be used inside $or.` The pattern itself
/// is valid (the name is outside the `$or`). Keeping such a `$or` nested under its own
/// object would round-trip. The fuzzer's input was
/// `{".........>......il": {"$or": [{"c": [{"numeric": [">", 5]}]}, …]}}`.
/// Fixed on main: each `$or` is written in the deepest object its alternatives' paths share.
#[test]
fn canonical_json_keeps_reserved_names_outside_or() {
    for text in [
        r#"{"prefix": {"$or": [{"a": [1]}, {"b": [2]}]}}"#,
        r#"{"x": {">": {"$or": [{"a": [1]}, {"b": [2]}]}}}"#,
    ] {
        let pattern = Pattern::parse(text).unwrap();
        let json = pattern.to_json();
        assert_eq!(
            Pattern::parse(&json),
            Ok(pattern),
            "{text} printed as {json}"
        );
    }
    // The filter language checks its patterns through their canonical JSON, so it refuses
    // rules that have a valid pattern (`{"x": {"numeric": {"$or": [...]}}}`).
    let rule = "x.numeric.a == 1 or x.numeric.b == 2";
    let compiled = evpattern::dsl::compile(rule, evpattern::dsl::Target::Local);
    assert!(
        compiled.is_ok(),
        "{:?}",
        compiled.map_err(|e| e.to_string())
    );
}
