//! (placeholder: to be written)

/// The compiled matcher (placeholder).
pub struct Matcher;
