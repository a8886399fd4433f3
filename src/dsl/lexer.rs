//! Rule text to tokens, each with its byte span, so that every later error can point at the
//! exact spot. Knows nothing about the grammar beyond what a token looks like.

use super::error::DslError;

/// A byte range of the rule text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub(crate) fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// A bare name: path segment, keyword, HTTP method, operation id.
    Ident(String),
    /// A double-quoted string, already unescaped (JSON string syntax).
    Str(String),
    /// Number text in JSON number syntax.
    Num(String),
    /// Digits run into letters, such as the status class `2xx`.
    Word(String),
    /// A URI path such as `/v1/auth/tenants/{tenant_id}/users`.
    UriPath(String),
    LParen,
    RParen,
    LBrack,
    RBrack,
    Comma,
    Dot,
    Star,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Eof,
}

impl Tok {
    /// How the token is named in "expected …, found …" messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("`{name}`"),
            Tok::Str(_) => "a string".to_owned(),
            Tok::Num(text) => format!("the number {text}"),
            Tok::Word(text) => format!("`{text}`"),
            Tok::UriPath(path) => format!("the path {path}"),
            Tok::LParen => "`(`".to_owned(),
            Tok::RParen => "`)`".to_owned(),
            Tok::LBrack => "`[`".to_owned(),
            Tok::RBrack => "`]`".to_owned(),
            Tok::Comma => "`,`".to_owned(),
            Tok::Dot => "`.`".to_owned(),
            Tok::Star => "`*`".to_owned(),
            Tok::Eq => "`==`".to_owned(),
            Tok::Ne => "`!=`".to_owned(),
            Tok::Lt => "`<`".to_owned(),
            Tok::Le => "`<=`".to_owned(),
            Tok::Gt => "`>`".to_owned(),
            Tok::Ge => "`>=`".to_owned(),
            Tok::Eof => "the end of the rule".to_owned(),
        }
    }
}

/// A token and where it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Characters that may continue a bare name. `-` is allowed so that `detail-type` reads
/// naturally; the language has no arithmetic for it to clash with.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-'
}

/// Characters that may start a bare name.
pub(crate) fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$'
}

/// Splits `source` into tokens, ending with one [`Tok::Eof`].
pub(crate) fn tokenize(source: &str) -> Result<Vec<Token>, DslError> {
    let mut tokens = Vec::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = match source[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        let start = i;
        let single = |tok: Tok| Token {
            tok,
            span: Span::new(start, start + 1),
        };
        match c {
            c if c.is_whitespace() => i += c.len_utf8(),
            '#' => {
                // A comment runs to the end of the line.
                i = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            '(' => {
                tokens.push(single(Tok::LParen));
                i += 1;
            }
            ')' => {
                tokens.push(single(Tok::RParen));
                i += 1;
            }
            '[' => {
                tokens.push(single(Tok::LBrack));
                i += 1;
            }
            ']' => {
                tokens.push(single(Tok::RBrack));
                i += 1;
            }
            ',' => {
                tokens.push(single(Tok::Comma));
                i += 1;
            }
            '.' => {
                tokens.push(single(Tok::Dot));
                i += 1;
            }
            '*' => {
                tokens.push(single(Tok::Star));
                i += 1;
            }
            '=' | '!' | '<' | '>' => {
                let next = bytes.get(i + 1).copied();
                let (tok, len) =
                    match (c, next) {
                        ('=', Some(b'=')) => (Tok::Eq, 2),
                        ('=', _) => (Tok::Eq, 1),
                        ('!', Some(b'=')) => (Tok::Ne, 2),
                        ('<', Some(b'=')) => (Tok::Le, 2),
                        ('<', _) => (Tok::Lt, 1),
                        ('>', Some(b'=')) => (Tok::Ge, 2),
                        ('>', _) => (Tok::Gt, 1),
                        _ => return Err(DslError::at(
                            source,
                            Span::new(i, i + 1),
                            "`!` on its own is not an operator",
                        )
                        .with_help(
                            "write `!=` for \"is present and differs\", or `not` before `exists`",
                        )),
                    };
                tokens.push(Token {
                    tok,
                    span: Span::new(i, i + len),
                });
                i += len;
            }
            '"' => {
                let end = string_end(bytes, i).ok_or_else(|| {
                    DslError::at(source, Span::new(i, i + 1), "this string is never closed")
                        .with_help("end it with `\"`; write `\\\"` for a quote inside it")
                })?;
                let text = &source[i..end];
                let value: String = serde_json::from_str(text).map_err(|e| {
                    DslError::at(
                        source,
                        Span::new(i, end),
                        format!("invalid string: {}", serde_message(&e)),
                    )
                    .with_help("strings use JSON syntax: escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                })?;
                tokens.push(Token {
                    tok: Tok::Str(value),
                    span: Span::new(i, end),
                });
                i = end;
            }
            '/' => {
                let end = source[i..]
                    .find(|c: char| c.is_whitespace() || "()[],#\"".contains(c))
                    .map_or(bytes.len(), |n| i + n);
                tokens.push(Token {
                    tok: Tok::UriPath(source[i..end].to_owned()),
                    span: Span::new(i, end),
                });
                i = end;
            }
            '-' | '0'..='9' => {
                let end = number_end(bytes, i);
                let word_end = source[end..]
                    .find(|c: char| !is_name_char(c))
                    .map_or(bytes.len(), |n| end + n);
                if word_end > end && c != '-' {
                    // `2xx`, `20x`: a status class, not a number.
                    tokens.push(Token {
                        tok: Tok::Word(source[i..word_end].to_owned()),
                        span: Span::new(i, word_end),
                    });
                    i = word_end;
                    continue;
                }
                let text = &source[i..end];
                if crate::pattern::Number::parse(text).is_none() || word_end > end {
                    return Err(DslError::at(
                        source,
                        Span::new(i, word_end.max(end).max(i + 1)),
                        "invalid number",
                    )
                    .with_help("numbers use JSON syntax, such as 5, -0.5 or 1e3"));
                }
                tokens.push(Token {
                    tok: Tok::Num(text.to_owned()),
                    span: Span::new(i, end),
                });
                i = end;
            }
            c if is_name_start(c) => {
                let end = source[i..]
                    .find(|c: char| !is_name_char(c))
                    .map_or(bytes.len(), |n| i + n);
                tokens.push(Token {
                    tok: Tok::Ident(source[i..end].to_owned()),
                    span: Span::new(i, end),
                });
                i = end;
            }
            other => {
                return Err(DslError::at(
                    source,
                    Span::new(i, i + other.len_utf8()),
                    format!("unexpected character `{other}`"),
                )
                .with_help(
                    "a field name with unusual characters must be quoted: detail.\"my field\"",
                ))
            }
        }
    }
    tokens.push(Token {
        tok: Tok::Eof,
        span: Span::new(bytes.len(), bytes.len()),
    });
    Ok(tokens)
}

/// The index just past the closing quote of the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The index just past the longest run that can belong to a JSON number.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
    };
    digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        // `1.` is kept whole so that it is reported as a bad number, not as `1` then `.`.
        i += 1;
        digits(&mut i);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            i = j;
            digits(&mut i);
        }
    }
    i
}

/// serde_json's message without its " at line 1 column N" suffix, which would point into the
/// string rather than the rule.
fn serde_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(n) => full[..n].to_owned(),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn reads_each_kind_of_token() {
        assert_eq!(
            toks(
                r#"detail."a b" == "x\n" # comment
                    and 200 <= n < 3e2 status 2xx api POST /v1/x/{id}"#
            ),
            vec![
                Tok::Ident("detail".into()),
                Tok::Dot,
                Tok::Str("a b".into()),
                Tok::Eq,
                Tok::Str("x\n".into()),
                Tok::Ident("and".into()),
                Tok::Num("200".into()),
                Tok::Le,
                Tok::Ident("n".into()),
                Tok::Lt,
                Tok::Num("3e2".into()),
                Tok::Ident("status".into()),
                Tok::Word("2xx".into()),
                Tok::Ident("api".into()),
                Tok::Ident("POST".into()),
                Tok::UriPath("/v1/x/{id}".into()),
                Tok::Eof,
            ]
        );
        assert_eq!(toks("detail-type != -1.5"), {
            vec![
                Tok::Ident("detail-type".into()),
                Tok::Ne,
                Tok::Num("-1.5".into()),
                Tok::Eof,
            ]
        });
    }

    #[test]
    fn bad_tokens_point_at_themselves() {
        let e = tokenize("a == \"open").unwrap_err();
        assert_eq!((e.line(), e.column()), (1, 6));
        let e = tokenize("a == 01").unwrap_err();
        assert_eq!(e.column(), 6);
        let e = tokenize("a == \"\\q\"").unwrap_err();
        assert!(e.message().contains("invalid string"), "{e}");
        let e = tokenize("a ! b").unwrap_err();
        assert_eq!(e.column(), 3);
        let e = tokenize("a == ~").unwrap_err();
        assert_eq!(e.column(), 6);
    }
}
