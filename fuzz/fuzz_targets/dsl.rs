//! The filter language over arbitrary text: parsing, compiling for both targets, the
//! DSL → pattern → DSL round trip, and its meaning against the reference matcher.
//!
//! Input: `rule text`, optionally followed by a NUL byte and `event JSON`.
//!
//! Checks: never panics or hangs; a compiled pattern's canonical JSON parses back to it; the
//! pattern printed back as a rule (`to_dsl`) compiles to the same pattern; and when an event
//! is given, the rule's direct evaluation (`Expr::evaluate`), the reference matcher on the
//! compiled local pattern, and the compiled matcher all agree.
#![no_main]

use evpattern::dsl::{self, Target};
use evpattern::saasus;
use evpattern::json::JsonNode;
use evpattern::reference;
use evpattern::DEFAULT_MAX_DEPTH;
use evpattern::{Matcher, Pattern};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let Ok(rule) = std::str::from_utf8(&data[..split]) else {
        return;
    };
    let event = data
        .get(split + 1..)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|text| JsonNode::parse(text, DEFAULT_MAX_DEPTH).ok());

    let parsed = saasus::parse(rule);
    let local = saasus::compile(rule, Target::Local);
    let _ = saasus::compile(rule, Target::EventBridge).map(|c| round_trip(&c.pattern));
    if let Err(error) = &local {
        assert!(!error.message().is_empty());
    }
    let Ok(local) = local else { return };
    let expr = parsed.unwrap_or_else(|e| panic!("compiles but does not parse: {e}"));
    round_trip(&local.pattern);

    let Some(event) = event else { return };
    let evaluated = expr.evaluate(&event);
    let referenced = reference::matches(&local.pattern, &event);
    assert_eq!(
        evaluated, referenced,
        "direct evaluation and the reference matcher disagree; pattern {}, event {event}",
        local.pattern
    );
    let mut matcher = Matcher::new();
    matcher.add_pattern(0u8, local.pattern.clone());
    let compiled = matcher
        .matches(event.to_string().as_bytes())
        .map(|keys| !keys.is_empty());
    assert_eq!(
        compiled,
        Ok(referenced),
        "compiled matcher and the reference matcher disagree; pattern {}, event {event}",
        local.pattern
    );
});

/// Pattern → JSON → pattern, and pattern → rule → pattern.
fn round_trip(pattern: &Pattern) {
    let json = pattern.to_json();
    let again = Pattern::parse(&json).unwrap_or_else(|e| panic!("{json} does not parse: {e}"));
    assert_eq!(&again, pattern, "{json}");
    let text = dsl::to_dsl(pattern);
    let recompiled = saasus::compile(&text, Target::Local)
        .unwrap_or_else(|e| panic!("printed rule {text:?} of {json} does not compile: {e}"));
    assert_eq!(
        &recompiled.pattern, pattern,
        "printed rule {text:?} compiles to another pattern than {json}"
    );
}
