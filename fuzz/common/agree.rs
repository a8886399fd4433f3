//! The oracle both matching targets share: the compiled matcher must refuse exactly the
//! events the reference reader refuses, and otherwise return exactly the patterns the
//! reference matcher accepts.

use evpattern::json::JsonNode;
use evpattern::reference;
use evpattern::DEFAULT_MAX_DEPTH;
use evpattern::{Matcher, Pattern};

/// Panics when `matcher` (holding `patterns[i]` under key `i`) and the reference disagree on
/// `event`.
pub fn assert_agree(matcher: &Matcher<usize>, patterns: &[Pattern], event: &[u8]) {
    let got = matcher.matches(event);
    let reference = std::str::from_utf8(event)
        .ok()
        .and_then(|text| JsonNode::parse(text, DEFAULT_MAX_DEPTH).ok());
    match (got, reference) {
        (Err(_), None) => {}
        (Ok(keys), None) => {
            panic!("matcher accepted an event the reference reader refuses: {keys:?}")
        }
        (Err(e), Some(_)) => panic!("matcher refused an event the reference reader accepts: {e}"),
        (Ok(mut keys), Some(node)) => {
            keys.sort_unstable();
            let expected: Vec<usize> = (0..patterns.len())
                .filter(|&i| reference::matches(&patterns[i], &node))
                .collect();
            assert_eq!(
                keys,
                expected,
                "matcher and reference disagree\npatterns: {:#?}\nevent: {}",
                patterns.iter().map(Pattern::to_json).collect::<Vec<_>>(),
                String::from_utf8_lossy(event)
            );
        }
    }
}
