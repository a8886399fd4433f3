//! The object structure of patterns: nesting and dotted keys, duplicate keys, `$or` (shapes,
//! hoisting, the field-name fallback, the combination limit) and the other limits.

use evpattern::pattern::{Clause, ErrorKind, Limits, Literal, Predicate};
use evpattern::Pattern;

fn parse(text: &str) -> Pattern {
    Pattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Each condition of `clause` as `path=first exact string (or ?)`, in order.
fn summary(clause: &Clause) -> Vec<String> {
    clause
        .conditions()
        .iter()
        .map(|c| {
            let values: Vec<String> = c
                .predicates()
                .iter()
                .map(|p| match p {
                    Predicate::Exact(Literal::String(s)) => s.clone(),
                    other => format!("{other:?}"),
                })
                .collect();
            format!("{}={}", c.path(), values.join("|"))
        })
        .collect()
}

#[test]
fn nesting_and_dotted_keys_are_one_path() {
    let nested = parse(r#"{"detail": {"state": {"status": ["running"]}}}"#);
    let dotted = parse(r#"{"detail.state.status": ["running"]}"#);
    let mixed = parse(r#"{"detail": {"state.status": ["running"]}}"#);
    assert_eq!(summary(nested.root()), ["detail.state.status=running"]);
    assert_eq!(nested, dotted);
    assert_eq!(nested, mixed);
}

#[test]
fn conditions_are_sorted_by_path() {
    let p = parse(r#"{"z": ["1"], "a": {"y": ["2"], "b": ["3"]}, "m": ["4"]}"#);
    assert_eq!(summary(p.root()), ["a.b=3", "a.y=2", "m=4", "z=1"]);
}

#[test]
fn duplicate_keys_last_wins_per_path() {
    let p = parse(
        r#"{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}"#,
    );
    assert_eq!(p.root().conditions().len(), 1);
    assert!(matches!(
        p.root().conditions()[0].predicates(),
        [Predicate::AnythingBut(_)]
    ));
    // Across dotted and nested spellings of the same path, too.
    let p = parse(r#"{"a": {"b": ["first"]}, "a.b": ["second"]}"#);
    assert_eq!(summary(p.root()), ["a.b=second"]);
    let p = parse(r#"{"a.b": ["first"], "a": {"b": ["second"]}}"#);
    assert_eq!(summary(p.root()), ["a.b=second"]);
    // Duplicated objects merge; paths they do not share both stay.
    let p = parse(r#"{"a": {"b": ["1"]}, "a": {"c": ["2"]}}"#);
    assert_eq!(summary(p.root()), ["a.b=1", "a.c=2"]);
    // A path and a longer path under it are different paths.
    let p = parse(r#"{"a": ["1"], "a": {"b": ["2"]}}"#);
    assert_eq!(summary(p.root()), ["a=1", "a.b=2"]);
}

#[test]
fn keys_are_taken_literally() {
    let p = parse(r#"{"MY_KEY": ["v"], "": ["empty"], "a.": ["dot"], "x": {"": ["inner"]}}"#);
    assert_eq!(
        summary(p.root()),
        ["=empty", "MY_KEY=v", "a.=dot", "x.=inner"]
    );
}

#[test]
fn or_at_the_root_with_siblings() {
    let p = parse(
        r#"{"source": ["aws.cloudwatch"], "$or": [
            {"metricName": ["CPUUtilization", "ReadLatency"]},
            {"metricType": ["MetricType"], "namespace": ["AWS/EC2", "AWS/ES"]},
            {"scope": ["Service"]}]}"#,
    );
    let root = p.root();
    assert_eq!(summary(root), ["source=aws.cloudwatch"]);
    assert_eq!(root.any_of().len(), 1);
    let alternatives: Vec<Vec<String>> = root.any_of()[0].iter().map(summary).collect();
    assert_eq!(
        alternatives,
        [
            vec!["metricName=CPUUtilization|ReadLatency".to_owned()],
            vec![
                "metricType=MetricType".to_owned(),
                "namespace=AWS/EC2|AWS/ES".to_owned()
            ],
            vec!["scope=Service".to_owned()],
        ]
    );
}

#[test]
fn nested_or_is_hoisted_with_absolute_paths() {
    let p = parse(
        r#"{"detail": {"$or": [
            {"c-count": [{"numeric": [">", 0, "<=", 5]}]},
            {"d-count": [{"numeric": ["<", 10]}]},
            {"x-limit": {"inner": ["1"]}}]}}"#,
    );
    let root = p.root();
    assert!(root.conditions().is_empty());
    let paths: Vec<&str> = root.any_of()[0]
        .iter()
        .map(|alt| alt.conditions()[0].path())
        .collect();
    assert_eq!(
        paths,
        ["detail.c-count", "detail.d-count", "detail.x-limit.inner"]
    );
}

#[test]
fn sibling_ors_multiply_and_ors_nest() {
    let p = parse(
        r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}],
            "detail": {"$or": [{"c": ["3"]}, {"d": ["4"]}, {"e": ["5"]}]}}"#,
    );
    assert_eq!(p.root().any_of().len(), 2);
    assert_eq!(p.root().any_of()[1][2].conditions()[0].path(), "detail.e");

    let p = parse(
        r#"{"source": ["s"], "$or": [
            {"metricName": ["m"]},
            {"namespace": ["n"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]}]}"#,
    );
    let second = &p.root().any_of()[0][1];
    assert_eq!(summary(second), ["namespace=n"]);
    assert_eq!(second.any_of()[0].len(), 2);
    assert_eq!(second.any_of()[0][0].conditions()[0].path(), "metricId");

    // Repeated `$or` keys in one object are two `$or`s.
    let p = parse(r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}], "$or": [{"c": ["3"]}, {"d": ["4"]}]}"#);
    assert_eq!(p.root().any_of().len(), 2);
}

#[test]
fn a_path_beside_and_inside_an_or_takes_the_last_occurrence_per_combination() {
    // event-ruler's rule overriding: the combinations are built in text order, and writing a
    // path again replaces it in that combination.
    let p = parse(r#"{"a": ["1"], "$or": [{"a": ["2"]}, {"b": ["3"]}]}"#);
    assert!(p.root().conditions().is_empty());
    let alternatives = &p.root().any_of()[0];
    assert_eq!(summary(&alternatives[0]), ["a=2"]);
    assert_eq!(summary(&alternatives[1]), ["a=1", "b=3"]);
    let p = parse(r#"{"$or": [{"a": ["2"]}, {"b": ["3"]}], "a": ["1"]}"#);
    let alternatives = &p.root().any_of()[0];
    assert_eq!(summary(&alternatives[0]), ["a=1"]);
    assert_eq!(summary(&alternatives[1]), ["a=1", "b=3"]);
    // The same condition twice is no collision: the structure stays.
    let p = parse(r#"{"a": ["1"], "$or": [{"a": ["1"]}, {"b": ["3"]}]}"#);
    assert_eq!(summary(p.root()), ["a=1"]);
}

#[test]
fn or_that_is_not_an_array_of_objects_is_a_field_name() {
    // As event-ruler's fallback compiler reads it.
    let p = parse(r#"{"source": ["aws.cloudwatch"], "$or": {"metricType": ["MetricType"]}}"#);
    assert!(p.root().any_of().is_empty());
    assert_eq!(
        summary(p.root()),
        ["$or.metricType=MetricType", "source=aws.cloudwatch"]
    );
    let p = parse(r#"{"$or": ["a", "b"]}"#);
    assert_eq!(summary(p.root()), ["$or=a|b"]);
    // Operator names inside `$or` objects: the objects are operators of the field `$or`.
    let p = parse(r#"{"$or": [{"numeric": [">", 1]}, {"prefix": "abc"}]}"#);
    assert!(p.root().any_of().is_empty());
    assert_eq!(p.root().conditions()[0].path(), "$or");
    assert!(matches!(
        p.root().conditions()[0].predicates(),
        [Predicate::Numeric(_), Predicate::Prefix(_)]
    ));
    let p = parse(r#"{"a": {"$or": [{"exists": true}]}}"#);
    assert_eq!(p.root().conditions()[0].path(), "a.$or");
}

fn or_of(n: usize) -> String {
    let alternatives: Vec<String> = (0..n).map(|i| format!(r#"{{"k{i}": ["v"]}}"#)).collect();
    format!(r#"{{"$or": [{}]}}"#, alternatives.join(","))
}

#[test]
fn or_combinations_are_limited_to_1000() {
    // 10 × 10 × 10 = 1000 combinations: allowed.
    let thousand = format!(
        r#"{{"a": {}, "b": {}, "c": {}}}"#,
        or_of(10),
        or_of(10),
        or_of(10)
    );
    assert!(Pattern::parse(&thousand).is_ok());
    let over = format!(
        r#"{{"a": {}, "b": {}, "c": {}}}"#,
        or_of(10),
        or_of(10),
        or_of(11)
    );
    let e = Pattern::parse(&over).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooManyCombinations);
    assert!(e.reason().contains("1000"), "{}", e.reason());
    // A single `$or` with 1001 alternatives.
    let e = Pattern::parse(&or_of(1001)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooManyCombinations);
    assert!(Pattern::parse(&or_of(1000)).is_ok());
    // Nested: 2 alternatives each holding 2 × 300 → 1200.
    let inner = format!(r#"{{"x": {}, "y": {}}}"#, or_of(2), or_of(300));
    let nested = format!(r#"{{"$or": [{inner}, {inner}]}}"#);
    assert_eq!(
        Pattern::parse(&nested).unwrap_err().kind(),
        ErrorKind::TooManyCombinations
    );
    // The limit is configurable.
    let limits = Limits::default().with_max_or_combinations(99);
    assert!(Pattern::parse_with(&or_of(99), &limits).is_ok());
    assert!(Pattern::parse_with(&or_of(100), &limits).is_err());
}

#[test]
fn or_combinations_saturate_instead_of_overflowing() {
    // 20 sibling `$or`s of 10: 10^20 combinations.
    let members: Vec<String> = (0..20)
        .map(|i| format!(r#""f{i}": {}"#, or_of(10)))
        .collect();
    let text = format!("{{{}}}", members.join(","));
    let limits = Limits::default().with_max_or_combinations(u64::MAX - 1);
    assert_eq!(
        Pattern::parse_with(&text, &limits).unwrap_err().kind(),
        ErrorKind::TooManyCombinations
    );
}

#[test]
fn depth_limit() {
    let nested =
        |levels: usize| format!("{}[\"x\"]{}", r#"{"a":"#.repeat(levels), "}".repeat(levels));
    // Objects plus the innermost array.
    let limits = Limits::default().with_max_depth(10);
    assert!(Pattern::parse_with(&nested(9), &limits).is_ok());
    let e = Pattern::parse_with(&nested(10), &limits).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    assert!(e.reason().contains("10"), "{}", e.reason());
    // The default: 255 objects and the array are fine, one more level is not.
    assert!(Pattern::parse(&nested(255)).is_ok());
    assert_eq!(
        Pattern::parse(&nested(256)).unwrap_err().kind(),
        ErrorKind::TooDeep
    );
    assert_eq!(
        Pattern::parse_with(&nested(256), &Limits::aws())
            .unwrap_err()
            .kind(),
        ErrorKind::TooDeep
    );
}

#[test]
fn length_limit() {
    assert_eq!(Limits::default().max_length(), None);
    assert_eq!(Limits::aws().max_length(), Some(4096));
    let exactly = |n: usize| format!(r#"{{"a": ["{}"]}}"#, "x".repeat(n - 11));
    assert_eq!(exactly(4096).len(), 4096);
    assert!(Pattern::parse_with(&exactly(4096), &Limits::aws()).is_ok());
    let e = Pattern::parse_with(&exactly(4097), &Limits::aws()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLong);
    assert!(e.reason().contains("4096"));
    // Counted in UTF-16 code units, as AWS counts: "é" is one, "🚀" two.
    let accented = format!(r#"{{"a": ["{}"]}}"#, "é".repeat(4096 - 11));
    assert!(Pattern::parse_with(&accented, &Limits::aws()).is_ok());
    let rockets = format!(r#"{{"a": ["{}x"]}}"#, "🚀".repeat(2042));
    assert!(Pattern::parse_with(&rockets, &Limits::aws()).is_ok());
    let rockets = format!(r#"{{"a": ["{}"]}}"#, "🚀".repeat(2043));
    assert!(Pattern::parse_with(&rockets, &Limits::aws()).is_err());
}

#[test]
fn limits_builder() {
    let limits = Limits::default()
        .with_max_length(Some(10))
        .with_max_depth(5)
        .with_max_or_combinations(7)
        .with_max_wildcard_complexity(3);
    assert_eq!(limits.max_length(), Some(10));
    assert_eq!(limits.max_depth(), 5);
    assert_eq!(limits.max_or_combinations(), 7);
    assert_eq!(limits.max_wildcard_complexity(), 3);
    let d = Limits::default();
    assert_eq!(
        (
            d.max_depth(),
            d.max_or_combinations(),
            d.max_wildcard_complexity()
        ),
        (256, 1000, 10)
    );
    let strict = Limits::default().with_max_wildcard_complexity(2);
    assert_eq!(
        Pattern::parse_with(r#"{"a": [{"wildcard": "x*y*"}]}"#, &strict)
            .unwrap_err()
            .kind(),
        ErrorKind::TooComplex
    );
}
