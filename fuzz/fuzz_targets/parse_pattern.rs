//! The pattern parser over arbitrary text.
//!
//! Checks, beyond "never panics, never hangs": the AWS limits refuse only what is too long;
//! an accepted pattern's canonical JSON parses back to the same pattern and prints the same
//! text again; printing it in the filter language (`dsl::to_dsl`) does not panic (not every
//! pattern has a rule, so the printed text need not compile).
#![no_main]

use evpattern::pattern::{ErrorKind, Limits};
use evpattern::Pattern;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Pattern::parse(text);
    let aws = Pattern::parse_with(text, &Limits::aws());
    match (&parsed, &aws) {
        (Ok(plain), Ok(capped)) => assert_eq!(plain, capped),
        (Err(plain), Err(capped)) => {
            assert!(plain == capped || capped.kind() == ErrorKind::TooLong)
        }
        (Ok(_), Err(capped)) => assert_eq!(capped.kind(), ErrorKind::TooLong, "{capped}"),
        (Err(plain), Ok(_)) => panic!("only the AWS limits accept it: {plain}"),
    }
    if let Err(error) = &parsed {
        assert!(!error.reason().is_empty());
        return;
    }
    let Ok(pattern) = parsed else { return };
    let canonical = pattern.to_json();
    let again = Pattern::parse(&canonical)
        .unwrap_or_else(|e| panic!("canonical JSON {canonical} does not parse: {e}"));
    assert_eq!(
        again, pattern,
        "canonical JSON {canonical} is another pattern"
    );
    assert_eq!(again.to_json(), canonical, "canonical JSON is not stable");
    let _ = evpattern::dsl::to_dsl(&pattern);
});
