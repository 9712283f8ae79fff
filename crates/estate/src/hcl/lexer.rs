//! A small tokenizer for HCL native syntax, for the work the parser does not do for us:
//! finding comments (inline ignores) and the extent of `for` expressions and object keys
//! (the repairs in [`super::repair`]).
//!
//! It never fails: text it does not understand becomes [`TokenKind::Other`] tokens, and an
//! unterminated string, comment or heredoc runs to the end of the input. Quoted strings and
//! heredocs are single tokens, interpolations included.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// An identifier or keyword (`resource`, `for`, `aws_s3_bucket`, `true`).
    Ident,
    /// A number literal.
    Number,
    /// A quoted string or string template, with its quotes.
    String,
    /// A heredoc, from `<<` to the end of its closing delimiter line.
    Heredoc,
    /// A `#` or `//` comment, without the line break.
    LineComment,
    /// A `/* ... */` comment.
    BlockComment,
    /// A line break.
    Newline,
    /// `(`, `[` or `{`.
    Open(u8),
    /// `)`, `]` or `}`.
    Close(u8),
    /// `=>`.
    Arrow,
    /// `...`.
    Ellipsis,
    /// `?`.
    Question,
    /// `:`.
    Colon,
    /// Any other operator or punctuation, or a byte the tokenizer does not know.
    Other,
}

/// A token and where it is, as byte offsets into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    /// What it is.
    pub(super) kind: TokenKind,
    /// The offset of its first byte.
    pub(super) start: usize,
    /// The offset just past its last byte.
    pub(super) end: usize,
}

impl Token {
    /// True for tokens that carry no meaning for the grammar: comments and line breaks.
    pub(super) fn is_trivia(&self) -> bool {
        matches!(self.kind, TokenKind::LineComment | TokenKind::BlockComment | TokenKind::Newline)
    }

    /// The text of the token.
    pub(super) fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// Splits `text` into tokens. Spaces and tabs between tokens are dropped.
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer { text, bytes: text.as_bytes(), tokens: Vec::new() };
    lexer.run(0);
    lexer.tokens
}

/// For each token, the index of the token that closes or opens it, for brackets.
pub(super) fn matching_brackets(tokens: &[Token]) -> Vec<Option<usize>> {
    let mut matches = vec![None; tokens.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        match token.kind {
            TokenKind::Open(_) => stack.push(index),
            TokenKind::Close(_) => {
                if let Some(open) = stack.pop() {
                    if let Some(slot) = matches.get_mut(open) {
                        *slot = Some(index);
                    }
                    if let Some(slot) = matches.get_mut(index) {
                        *slot = Some(open);
                    }
                }
            }
            _ => {}
        }
    }
    matches
}

struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self, mut position: usize) {
        while let Some(&byte) = self.bytes.get(position) {
            let start = position;
            let (kind, end) = match byte {
                b' ' | b'\t' | b'\r' => {
                    position += 1;
                    continue;
                }
                b'\n' => (TokenKind::Newline, start + 1),
                b'#' => (TokenKind::LineComment, self.line_end(start)),
                b'/' if self.peek(start + 1) == Some(b'/') => {
                    (TokenKind::LineComment, self.line_end(start))
                }
                b'/' if self.peek(start + 1) == Some(b'*') => {
                    (TokenKind::BlockComment, self.block_comment_end(start))
                }
                b'"' => (TokenKind::String, self.string_end(start + 1)),
                b'<' if self.peek(start + 1) == Some(b'<') => match self.heredoc_end(start) {
                    Some(end) => (TokenKind::Heredoc, end),
                    None => (TokenKind::Other, start + 2),
                },
                b'(' | b'[' | b'{' => (TokenKind::Open(byte), start + 1),
                b')' | b']' | b'}' => (TokenKind::Close(byte), start + 1),
                b'=' if self.peek(start + 1) == Some(b'>') => (TokenKind::Arrow, start + 2),
                b'.' if self.peek(start + 1) == Some(b'.')
                    && self.peek(start + 2) == Some(b'.') =>
                {
                    (TokenKind::Ellipsis, start + 3)
                }
                b'?' => (TokenKind::Question, start + 1),
                b':' => (TokenKind::Colon, start + 1),
                b'0'..=b'9' => (TokenKind::Number, self.number_end(start)),
                _ if self.is_ident_start(start) => (TokenKind::Ident, self.ident_end(start)),
                _ => (TokenKind::Other, self.char_end(start)),
            };
            let end = end.max(start + 1).min(self.bytes.len());
            self.tokens.push(Token { kind, start, end });
            position = end;
        }
    }

    fn peek(&self, position: usize) -> Option<u8> {
        self.bytes.get(position).copied()
    }

    fn char_end(&self, start: usize) -> usize {
        self.text
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(start + 1, |c| start + c.len_utf8())
    }

    fn line_end(&self, start: usize) -> usize {
        let mut end = start;
        while let Some(byte) = self.peek(end) {
            if byte == b'\n' {
                break;
            }
            end += 1;
        }
        if end > start && self.peek(end - 1) == Some(b'\r') { end - 1 } else { end }
    }

    fn block_comment_end(&self, start: usize) -> usize {
        let mut position = start + 2;
        while let Some(byte) = self.peek(position) {
            if byte == b'*' && self.peek(position + 1) == Some(b'/') {
                return position + 2;
            }
            position += 1;
        }
        self.bytes.len()
    }

    fn number_end(&self, start: usize) -> usize {
        let mut end = start;
        while let Some(byte) = self.peek(end) {
            let exponent_sign = matches!(byte, b'+' | b'-')
                && end > start
                && matches!(self.peek(end - 1), Some(b'e' | b'E'));
            let fraction =
                byte == b'.' && self.peek(end + 1).is_some_and(|next| next.is_ascii_digit());
            if byte.is_ascii_digit() || matches!(byte, b'e' | b'E') || exponent_sign || fraction {
                end += 1;
            } else {
                break;
            }
        }
        end
    }

    fn is_ident_start(&self, position: usize) -> bool {
        self.text
            .get(position..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c == '_' || c.is_alphabetic())
    }

    fn ident_end(&self, start: usize) -> usize {
        let rest = self.text.get(start..).unwrap_or_default();
        let length: usize = rest
            .chars()
            .take_while(|&c| c == '_' || c == '-' || c.is_alphanumeric())
            .map(char::len_utf8)
            .sum();
        start + length.max(1)
    }

    /// The end of a quoted string whose content starts at `position`, past the closing
    /// quote. Interpolations and directives may contain nested strings and braces.
    fn string_end(&self, mut position: usize) -> usize {
        while let Some(byte) = self.peek(position) {
            match byte {
                b'"' => return position + 1,
                b'\\' => position += 2,
                b'\n' => return position,
                b'$' | b'%'
                    if self.peek(position + 1) == Some(byte)
                        && self.peek(position + 2) == Some(b'{') =>
                {
                    position += 3;
                }
                b'$' | b'%' if self.peek(position + 1) == Some(b'{') => {
                    position = self.template_expression_end(position + 2);
                }
                _ => position += 1,
            }
        }
        self.bytes.len()
    }

    /// The end of an interpolation or directive whose content starts at `position`, past
    /// the closing brace.
    fn template_expression_end(&self, mut position: usize) -> usize {
        let mut depth = 0usize;
        while let Some(byte) = self.peek(position) {
            match byte {
                b'"' => position = self.string_end(position + 1),
                b'{' => {
                    depth += 1;
                    position += 1;
                }
                b'}' if depth == 0 => return position + 1,
                b'}' => {
                    depth -= 1;
                    position += 1;
                }
                _ => position += 1,
            }
        }
        self.bytes.len()
    }

    /// The end of a heredoc starting at `start` (`<<EOT` or `<<-EOT`), past its closing
    /// delimiter, or `None` when the text there is not a heredoc introducer.
    fn heredoc_end(&self, start: usize) -> Option<usize> {
        let mut position = start + 2;
        if self.peek(position) == Some(b'-') {
            position += 1;
        }
        if !self.is_ident_start(position) {
            return None;
        }
        let delimiter_end = self.ident_end(position);
        let delimiter = self.text.get(position..delimiter_end)?;
        let mut line_start = match self.text.get(delimiter_end..)?.find('\n') {
            Some(offset) => delimiter_end + offset + 1,
            None => return None,
        };
        while line_start < self.bytes.len() {
            let line_end = self.line_end(line_start);
            let line = self.text.get(line_start..line_end).unwrap_or_default();
            if let Some(rest) = line.trim_start().strip_prefix(delimiter) {
                let continues = rest
                    .chars()
                    .next()
                    .is_some_and(|c| c == '_' || c == '-' || c.is_alphanumeric());
                if !continues {
                    return Some(line_start + (line.len() - rest.len()));
                }
            }
            line_start = line_end + 1;
            while self.peek(line_start - 1) != Some(b'\n') && line_start < self.bytes.len() {
                line_start += 1;
            }
        }
        Some(self.bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text).iter().map(|token| (token.kind, token.text(text))).collect()
    }

    #[test]
    fn keeps_strings_heredocs_and_comments_whole() {
        use TokenKind::*;
        let cases: &[(&str, &[(TokenKind, &str)])] = &[
            (
                "a = \"x ${f(\"}\")} y\" # c",
                &[
                    (Ident, "a"),
                    (Other, "="),
                    (String, "\"x ${f(\"}\")} y\""),
                    (LineComment, "# c"),
                ],
            ),
            (
                "b = <<-EOT\n  ${x}\n  EOT\nc",
                &[
                    (Ident, "b"),
                    (Other, "="),
                    (Heredoc, "<<-EOT\n  ${x}\n  EOT"),
                    (Newline, "\n"),
                    (Ident, "c"),
                ],
            ),
            ("/* { */ x // y", &[(BlockComment, "/* { */"), (Ident, "x"), (LineComment, "// y")]),
            (
                "{ for k, v in m : k => v... }",
                &[
                    (Open(b'{'), "{"),
                    (Ident, "for"),
                    (Ident, "k"),
                    (Other, ","),
                    (Ident, "v"),
                    (Ident, "in"),
                    (Ident, "m"),
                    (Colon, ":"),
                    (Ident, "k"),
                    (Arrow, "=>"),
                    (Ident, "v"),
                    (Ellipsis, "..."),
                    (Close(b'}'), "}"),
                ],
            ),
            ("\"$${x}\" 1.5e3", &[(String, "\"$${x}\""), (Number, "1.5e3")]),
            ("\"open", &[(String, "\"open")]),
            ("x = <<EOT\nno end", &[(Ident, "x"), (Other, "="), (Heredoc, "<<EOT\nno end")]),
            ("ünï-code_1 = 1", &[(Ident, "ünï-code_1"), (Other, "="), (Number, "1")]),
        ];
        for (text, expected) in cases {
            assert_eq!(kinds(text), *expected, "{text}");
        }
    }

    #[test]
    fn matches_brackets() {
        let tokens = tokenize("{ [ ( ) ] }");
        assert_eq!(
            matching_brackets(&tokens),
            vec![Some(5), Some(4), Some(3), Some(2), Some(1), Some(0)]
        );
    }
}
