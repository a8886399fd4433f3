//! The one error type of the rule language: where (line, column, the source line) and why, with
//! an optional hint saying what to write instead.

use std::fmt;

use super::lexer::Span;

/// A rule that cannot be compiled: a syntax error, an unknown SaaSus operation, or something
/// EventBridge cannot express.
///
/// Its `Display` shows the position, the message, the offending source line with carets
/// under the spot, and a hint when there is one:
///
/// ```
/// let err = evpattern::dsl::compile("source == ", Default::default()).unwrap_err();
/// assert_eq!((err.line(), err.column()), (1, 11));
/// assert_eq!(
///     err.to_string(),
///     "1:11: expected a value after `==`, found the end of the rule\n  source == \n            ^\n  help: a value is a string (\"x\"), a number, true, false or null"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DslError {
    message: String,
    line: usize,
    column: usize,
    source_line: String,
    caret_width: usize,
    help: Option<String>,
}

impl DslError {
    /// An error about the text at `span` of `source`.
    pub(crate) fn at(source: &str, span: Span, message: impl Into<String>) -> DslError {
        let start = span.start.min(source.len());
        let line_start = source[..start].rfind('\n').map_or(0, |n| n + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |n| start + n);
        let line = source[..start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        let end = span.end.clamp(start, line_end);
        let caret_width = source[start..end].chars().count().max(1);
        DslError {
            message: message.into(),
            line,
            column,
            source_line: source[line_start..line_end]
                .trim_end_matches('\r')
                .to_owned(),
            caret_width,
            help: None,
        }
    }

    /// Adds a hint on what to write instead.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> DslError {
        self.help = Some(help.into());
        self
    }

    /// The 1-based line of the error.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column (in characters) of the error.
    pub fn column(&self) -> usize {
        self.column
    }

    /// What is wrong, without position or hint.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to write instead, when there is a suggestion.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

/// How many characters of a long source line are shown on either side of the error's spot.
const SHOWN_AROUND_CARET: usize = 60;

impl fmt::Display for DslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)?;
        // Tabs would misalign the caret, so the source line is shown with spaces. A long line
        // is shown as a window around the caret, cut with ellipses.
        let chars: Vec<char> = self
            .source_line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let caret = self.column.saturating_sub(1).min(chars.len());
        let caret_width = self.caret_width.min(SHOWN_AROUND_CARET);
        let from = caret.saturating_sub(SHOWN_AROUND_CARET);
        let to = (caret + caret_width + SHOWN_AROUND_CARET).min(chars.len());
        let before = if from > 0 { "…" } else { "" };
        let after = if to < chars.len() { "…" } else { "" };
        let shown: String = chars.get(from..to).unwrap_or(&[]).iter().collect();
        write!(
            f,
            "\n  {before}{shown}{after}\n  {}{}",
            " ".repeat(caret - from + before.chars().count()),
            "^".repeat(caret_width)
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DslError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let source = "a == 1\nand bé == 2 and\n  c";
        let e = DslError::at(source, Span::new(15, 19), "boom");
        assert_eq!((e.line(), e.column()), (2, 8));
        assert_eq!(e.to_string(), "2:8: boom\n  and bé == 2 and\n         ^^^^");
        let at_end = DslError::at(source, Span::new(source.len(), source.len()), "end");
        assert_eq!((at_end.line(), at_end.column()), (3, 4));
        assert!(at_end.to_string().ends_with("\n    c\n     ^"));
    }

    #[test]
    fn a_long_line_is_shown_around_the_spot() {
        let source = format!("{} == 1 and {}", "a".repeat(1000), "b".repeat(1000));
        let e = DslError::at(&source, Span::new(1006, 1009), "boom");
        let shown = e.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[0], "1:1007: boom");
        let window = format!("…{} == 1 and {}…", "a".repeat(54), "b".repeat(59));
        assert_eq!(lines[1], format!("  {window}"));
        assert_eq!(lines[2], format!("  {}^^^", " ".repeat(61)));
        // The caret stands under the spot: `and` starts at char 61 of the window.
        assert_eq!(window.chars().skip(61).take(3).collect::<String>(), "and");
    }
}
