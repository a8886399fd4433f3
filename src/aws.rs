//! (placeholder: to be written)

/// Placeholder.
#[derive(Debug)]
pub struct TestError;

/// Placeholder.
pub fn test_event_pattern(_event: &str, _pattern: &str) -> Result<bool, TestError> {
    Err(TestError)
}
