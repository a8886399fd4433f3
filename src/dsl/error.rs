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

impl fmt::Display for DslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)?;
        // Tabs would misalign the caret, so the source line is shown with spaces.
        let shown: String = self
            .source_line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        write!(
            f,
            "\n  {shown}\n  {}{}",
            " ".repeat(self.column - 1),
            "^".repeat(self.caret_width)
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
}
