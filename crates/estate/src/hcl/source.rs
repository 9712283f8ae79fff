//! One `.tf` or `.tfvars` file: its text, its syntax tree, and the conversion of byte
//! offsets into the lines and columns that users see.

use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl::edit::Span;
use hcl::edit::structure::Body;

use super::lexer::{self, TokenKind};
use super::repair::{self, OffsetMap};
use crate::{InlineIgnore, ReadError, SourceLocation};

/// A parsed file.
#[derive(Debug)]
pub(super) struct SourceFile {
    /// The path as the user would type it: the directory as given, joined with the name.
    pub(super) path: PathBuf,
    /// The text as written.
    pub(super) text: String,
    /// The syntax tree; its spans are offsets into the repaired text, see `map`.
    pub(super) body: Body,
    map: OffsetMap,
    /// The offset at which each line starts.
    line_starts: Vec<usize>,
    /// The comments of the file, as offset ranges of the text as written.
    comments: Vec<Range<usize>>,
}

impl SourceFile {
    /// Reads and parses the file at `path`.
    pub(super) fn read(path: &Path) -> Result<SourceFile, ReadError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ReadError::Io { path: path.to_path_buf(), source })?;
        SourceFile::parse(path, text)
    }

    /// Parses `text`, which was read from `path`.
    pub(super) fn parse(path: &Path, text: String) -> Result<SourceFile, ReadError> {
        let line_starts = line_starts(&text);
        let tokens = lexer::tokenize(&text);
        let comments = tokens
            .iter()
            .filter(|token| matches!(token.kind, TokenKind::LineComment | TokenKind::BlockComment))
            .map(|token| token.start..token.end)
            .collect();

        match repair::parse(&text, &tokens) {
            Ok(parsed) => Ok(SourceFile {
                path: path.to_path_buf(),
                body: parsed.body,
                map: parsed.map,
                text,
                line_starts,
                comments,
            }),
            Err(error) => {
                let (line, column) = line_column(&text, &line_starts, error.offset);
                Err(ReadError::Syntax {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: error.message,
                })
            }
        }
    }

    /// The location of a node of the syntax tree.
    pub(super) fn location(&self, node: &impl Span) -> SourceLocation {
        let offset = node.span().map(|span| self.map.to_original(span.start));
        self.location_at(offset)
    }

    /// The text as written of a node of the syntax tree.
    pub(super) fn source_text(&self, node: &impl Span) -> &str {
        node.span().and_then(|span| self.text.get(self.map.range(span))).unwrap_or_default()
    }

    /// The range as written of a node of the syntax tree.
    pub(super) fn original_range(&self, node: &impl Span) -> Option<Range<usize>> {
        node.span().map(|span| self.map.range(span))
    }

    fn location_at(&self, offset: Option<usize>) -> SourceLocation {
        let (line, column) = match offset {
            Some(offset) => {
                let (line, column) = line_column(&self.text, &self.line_starts, offset);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        SourceLocation { file: self.path.clone(), line, column }
    }

    /// The inline ignores of the block spanning `block` in the text as written: those in
    /// comments inside it, and those in the comment lines directly above its first line.
    pub(super) fn ignores(&self, block: Range<usize>) -> Vec<InlineIgnore> {
        let first_line = line_index(&self.line_starts, block.start);
        let mut above_from = first_line;
        while above_from > 0 && self.is_comment_line(above_from - 1) {
            above_from -= 1;
        }
        let above_start = self.line_starts.get(above_from).copied().unwrap_or(block.start);

        self.comments
            .iter()
            .filter(|comment| {
                let inside = comment.start >= block.start && comment.start < block.end;
                let above = comment.start >= above_start && comment.start < block.start;
                inside || above
            })
            .flat_map(|comment| {
                let text = self.text.get(comment.clone()).unwrap_or_default();
                let location = self.location_at(Some(comment.start));
                parse_ignores(text).into_iter().map(move |(rule_id, reason)| InlineIgnore {
                    rule_id,
                    reason,
                    source: location.clone(),
                })
            })
            .collect()
    }

    /// True when line `index` (0-based) holds only a comment.
    fn is_comment_line(&self, index: usize) -> bool {
        let start = self.line_starts.get(index).copied().unwrap_or_default();
        let end = self.line_starts.get(index + 1).copied().unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or_default();
        let content = line.trim();
        if content.is_empty() {
            return false;
        }
        let first = start + (line.len() - line.trim_start().len());
        let last = first + content.len();
        self.comments.iter().any(|comment| comment.start == first && comment.end >= last)
    }
}

/// The `terrane:ignore[ID, ...] reason` suppressions in one comment, as pairs of rule id
/// and reason. A missing reason is kept as an empty one, which the policy layer refuses.
pub(super) fn parse_ignores(comment: &str) -> Vec<(String, String)> {
    const MARKER: &str = "terrane:ignore[";
    let mut found = Vec::new();
    let mut rest = comment;
    while let Some(position) = rest.find(MARKER) {
        let after = rest.get(position + MARKER.len()..).unwrap_or_default();
        let Some(close) = after.find(']') else {
            break;
        };
        let ids = after.get(..close).unwrap_or_default();
        let tail = after.get(close + 1..).unwrap_or_default();
        let reason_end = tail.find(MARKER).unwrap_or(tail.len());
        let reason = tail.get(..reason_end).unwrap_or_default();
        let reason = reason.trim().trim_end_matches("*/").trim().to_owned();
        for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            found.push((id.to_owned(), reason.clone()));
        }
        rest = tail;
    }
    found
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.bytes().enumerate().filter(|&(_, byte)| byte == b'\n').map(|(index, _)| index + 1),
        )
        .collect()
}

fn line_index(line_starts: &[usize], offset: usize) -> usize {
    line_starts.partition_point(|&start| start <= offset).saturating_sub(1)
}

/// The 1-based line and column (in characters) of `offset` in `text`.
fn line_column(text: &str, line_starts: &[usize], offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let index = line_index(line_starts, offset);
    let mut start = line_starts.get(index).copied().unwrap_or_default();
    // A byte order mark is not part of the first line as the user sees it.
    if index == 0 && text.starts_with('\u{feff}') {
        start = offset.min('\u{feff}'.len_utf8());
    }
    let column = text
        .get(start..)
        .unwrap_or_default()
        .char_indices()
        .take_while(|&(position, _)| start + position < offset)
        .count();
    (u32::try_from(index + 1).unwrap_or(u32::MAX), u32::try_from(column + 1).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ignore_comments() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("# terrane:ignore[TRN-1] accepted risk", &[("TRN-1", "accepted risk")]),
            (
                "// terrane:ignore[A, B] shared reason",
                &[("A", "shared reason"), ("B", "shared reason")],
            ),
            ("# terrane:ignore[TRN-2]", &[("TRN-2", "")]),
            ("/* terrane:ignore[C] in block */", &[("C", "in block")]),
            ("# nothing here", &[]),
            ("# terrane:ignore[unclosed", &[]),
        ];
        for (comment, expected) in cases {
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(id, reason)| ((*id).to_owned(), (*reason).to_owned()))
                .collect();
            assert_eq!(parse_ignores(comment), expected, "{comment}");
        }
    }

    #[test]
    fn counts_columns_in_characters() {
        let text = "é = 1\nab = 2\n";
        let starts = line_starts(text);
        assert_eq!(line_column(text, &starts, 0), (1, 1));
        assert_eq!(line_column(text, &starts, 3), (1, 3));
        assert_eq!(line_column(text, &starts, 7), (2, 1));
        assert_eq!(line_column(text, &starts, 100), (3, 1));
    }
}
