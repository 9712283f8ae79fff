//! Parsing with repairs for the constructs that Terraform accepts and `hcl-edit` rejects.
//!
//! The parser is run on the text as written. When it fails, the failure is matched against
//! the known gaps and the text is rewritten in a way that keeps its meaning, then parsed
//! again:
//!
//! - A byte order mark at the start of the file is blanked.
//! - A key defined twice in one object constructor (`{ a = 1, a = 2 }`) is rejected by
//!   `hcl-edit`; Terraform keeps the last value. The repeated key is rewritten as a
//!   parenthesised string (`("a") = 2`), which evaluates to the same key, so evaluation
//!   still keeps the last value and nothing is dropped.
//! - Inside `for` expressions, `hcl-edit` does not let the collection, nor the key or value
//!   of an object `for`, continue an operator or conditional on a new line. These parts are
//!   wrapped in parentheses, where line breaks are allowed.
//!
//! Every rewrite is recorded in an [`OffsetMap`] so that spans of the parsed tree point
//! back into the text as written.

use hcl::edit::parser::parse_body;
use hcl::edit::structure::Body;

use super::lexer::{self, Token, TokenKind};

/// The most rewrites tried on one file; each must make progress, so this only bounds
/// pathological input.
const MAX_REPAIRS: usize = 4096;

/// A parsed file and the map from offsets in the parsed text to the text as written.
#[derive(Debug)]
pub(super) struct Parsed {
    /// The syntax tree, whose spans are offsets into the repaired text.
    pub(super) body: Body,
    /// How to bring those offsets back to the text as written.
    pub(super) map: OffsetMap,
}

/// Why a file could not be parsed, at an offset in the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SyntaxError {
    /// Byte offset in the text as written.
    pub(super) offset: usize,
    /// The parser's message.
    pub(super) message: String,
}

/// Parses `text`, whose tokens are `tokens`, as an HCL body, repairing the known gaps of
/// the parser.
pub(super) fn parse(text: &str, tokens: &[Token]) -> Result<Parsed, SyntaxError> {
    let mut edits = initial_edits(text);
    let mut for_repairs_applied = false;

    for _ in 0..MAX_REPAIRS {
        let (repaired, map) = apply(text, &edits);
        let error = match parse_body(&repaired) {
            Ok(body) => return Ok(Parsed { body, map }),
            Err(error) => error,
        };
        let offset = map.to_original(error.location().offset());
        let message = error.message().to_owned();

        let repaired_key = message.contains("redefined object key")
            && repeat_key(text, tokens, offset, &mut edits);
        if repaired_key {
            continue;
        }
        if !for_repairs_applied {
            for_repairs_applied = true;
            let before = edits.len();
            edits.extend(for_expression_edits(text, tokens));
            if edits.len() > before {
                continue;
            }
        }
        return Err(SyntaxError { offset, message });
    }
    Err(SyntaxError { offset: 0, message: "too many repairs needed to parse the file".to_owned() })
}

/// One rewrite of the text as written: `delete` bytes at `offset` replaced by `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    offset: usize,
    delete: usize,
    insert: String,
    /// Where the edit goes among edits at the same offset: closing parentheses first (they
    /// end something that ends here), then replacements, then opening ones.
    order: EditOrder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EditOrder {
    Close(std::cmp::Reverse<usize>),
    Replace,
    Open(usize),
}

/// Maps offsets in a repaired text back to the text as written.
#[derive(Debug, Clone, Default)]
pub(super) struct OffsetMap {
    /// The applied edits in order: offset as written, bytes deleted, bytes inserted.
    segments: Vec<(usize, usize, usize)>,
}

impl OffsetMap {
    /// The offset in the text as written for `offset` in the repaired text. Offsets inside
    /// inserted text map to the place of the insertion.
    pub(super) fn to_original(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for &(original, deleted, inserted) in &self.segments {
            let start = original.saturating_add_signed(shift);
            if offset < start {
                break;
            }
            if offset < start + inserted {
                return original;
            }
            shift += inserted as isize - deleted as isize;
        }
        offset.saturating_add_signed(-shift)
    }

    /// Maps a span of the repaired text.
    pub(super) fn range(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.to_original(range.start);
        let end = self.to_original(range.end).max(start);
        start..end
    }
}

fn initial_edits(text: &str) -> Vec<Edit> {
    // A byte order mark is three bytes; blanking it keeps every offset in place.
    if text.starts_with('\u{feff}') {
        vec![Edit { offset: 0, delete: 3, insert: "   ".to_owned(), order: EditOrder::Replace }]
    } else {
        Vec::new()
    }
}

fn apply(text: &str, edits: &[Edit]) -> (String, OffsetMap) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.offset, edit.order));

    let mut repaired = String::with_capacity(text.len() + edits.len() * 4);
    let mut map = OffsetMap::default();
    let mut position = 0;
    for edit in sorted {
        if edit.offset < position || edit.offset + edit.delete > text.len() {
            continue;
        }
        repaired.push_str(text.get(position..edit.offset).unwrap_or_default());
        repaired.push_str(&edit.insert);
        map.segments.push((edit.offset, edit.delete, edit.insert.len()));
        position = edit.offset + edit.delete;
    }
    repaired.push_str(text.get(position..).unwrap_or_default());
    (repaired, map)
}

/// Rewrites the object key at `offset` so that it no longer equals an earlier key while
/// evaluating to the same string. A key rewritten before gets one more pair of
/// parentheses, for a key repeated three times or more. Returns false when the key cannot
/// be rewritten.
fn repeat_key(text: &str, tokens: &[Token], offset: usize, edits: &mut Vec<Edit>) -> bool {
    if let Some(edit) =
        edits.iter_mut().find(|edit| edit.offset == offset && edit.order == EditOrder::Replace)
    {
        if edit.insert.len() > 256 {
            return false;
        }
        edit.insert = format!("({})", edit.insert);
        return true;
    }

    let Some(index) = tokens.iter().position(|token| token.start == offset) else {
        return false;
    };
    let Some(token) = tokens.get(index) else {
        return false;
    };
    let (start, end, replacement) = match token.kind {
        TokenKind::Ident => (token.start, token.end, format!("(\"{}\")", token.text(text))),
        TokenKind::String | TokenKind::Number => {
            (token.start, token.end, format!("({})", token.text(text)))
        }
        TokenKind::Open(b'(') => {
            let matches = lexer::matching_brackets(tokens);
            let Some(close) =
                matches.get(index).copied().flatten().and_then(|close| tokens.get(close))
            else {
                return false;
            };
            (
                token.start,
                close.end,
                format!("({})", text.get(token.start..close.end).unwrap_or_default()),
            )
        }
        _ => return false,
    };
    edits.push(Edit {
        offset: start,
        delete: end - start,
        insert: replacement,
        order: EditOrder::Replace,
    });
    true
}

/// Parentheses around the collection of every `for` expression, and around the key and
/// value of every object `for` expression.
fn for_expression_edits(text: &str, tokens: &[Token]) -> Vec<Edit> {
    let matches = lexer::matching_brackets(tokens);
    let mut edits = Vec::new();
    let mut generation = 0;

    for (open, token) in tokens.iter().enumerate() {
        let TokenKind::Open(bracket @ (b'[' | b'{')) = token.kind else {
            continue;
        };
        let Some(close) = matches.get(open).copied().flatten() else {
            continue;
        };
        let Some(parts) = for_parts(text, tokens, &matches, (open, close), bracket == b'{') else {
            continue;
        };
        for (first, last) in parts {
            let (Some(first), Some(last)) = (tokens.get(first), tokens.get(last)) else {
                continue;
            };
            generation += 1;
            edits.push(Edit {
                offset: first.start,
                delete: 0,
                insert: "(".to_owned(),
                order: EditOrder::Open(generation),
            });
            edits.push(Edit {
                offset: last.end,
                delete: 0,
                insert: ")".to_owned(),
                order: EditOrder::Close(std::cmp::Reverse(generation)),
            });
        }
    }
    edits
}

/// The token ranges (first and last significant token) to wrap in the `for` expression
/// between the brackets `open` and `close`, or `None` when it is not one.
fn for_parts(
    text: &str,
    tokens: &[Token],
    matches: &[Option<usize>],
    (open, close): (usize, usize),
    object: bool,
) -> Option<Vec<(usize, usize)>> {
    // The significant tokens directly inside the brackets; a nested bracket pair counts as
    // its opening token.
    let mut significant = Vec::new();
    let mut index = open + 1;
    while index < close {
        let token = tokens.get(index)?;
        if !token.is_trivia() {
            significant.push(index);
        }
        index = match token.kind {
            TokenKind::Open(_) => {
                matches.get(index).copied().flatten().map_or(index + 1, |end| end + 1)
            }
            _ => index + 1,
        };
    }
    let is_word = |position: usize, word: &str| {
        significant
            .get(position)
            .and_then(|&index| tokens.get(index))
            .is_some_and(|token| token.kind == TokenKind::Ident && token.text(text) == word)
    };
    let is_kind = |position: usize, kind: TokenKind| {
        significant
            .get(position)
            .and_then(|&index| tokens.get(index))
            .is_some_and(|token| token.kind == kind)
    };
    let find = |from: usize, predicate: &dyn Fn(usize) -> bool| {
        (from..significant.len()).find(|&p| predicate(p))
    };
    let token_at = |position: usize| significant.get(position).copied();
    // The last token of a part that ends with a bracket pair is its closing bracket.
    let last_at = |position: usize| {
        let index = token_at(position)?;
        match tokens.get(index)?.kind {
            TokenKind::Open(_) => matches.get(index).copied().flatten(),
            _ => Some(index),
        }
    };

    if !is_word(0, "for") {
        return None;
    }
    let in_keyword = find(1, &|p| is_word(p, "in"))?;
    let intro_end = intro_colon(tokens, &significant, in_keyword + 1)?;
    let mut parts = vec![(token_at(in_keyword + 1)?, last_at(intro_end.checked_sub(1)?)?)];
    if object {
        let arrow = find(intro_end + 1, &|p| is_kind(p, TokenKind::Arrow))?;
        let value_end = find(arrow + 1, &|p| is_kind(p, TokenKind::Ellipsis) || is_word(p, "if"))
            .unwrap_or(significant.len());
        parts.push((token_at(intro_end + 1)?, last_at(arrow.checked_sub(1)?)?));
        parts.push((token_at(arrow + 1)?, last_at(value_end.checked_sub(1)?)?));
    }
    parts.retain(|(first, last)| first <= last);
    Some(parts)
}

/// The position in `significant` of the colon that ends a `for` intro, skipping the colons
/// of conditionals in the collection expression.
fn intro_colon(tokens: &[Token], significant: &[usize], from: usize) -> Option<usize> {
    let mut pending_conditionals = 0usize;
    for (position, &index) in significant.iter().enumerate().skip(from) {
        match tokens.get(index)?.kind {
            TokenKind::Question => pending_conditionals += 1,
            TokenKind::Colon if pending_conditionals > 0 => pending_conditionals -= 1,
            TokenKind::Colon => return Some(position),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use hcl::edit::Span;

    use super::*;

    fn check(text: &str) -> Result<String, SyntaxError> {
        let parsed = parse(text, &lexer::tokenize(text))?;
        let attribute = parsed.body.attributes().next().expect("test input has an attribute");
        let span = attribute.value.span().expect("parsed values have spans");
        Ok(text.get(parsed.map.range(span)).unwrap_or_default().to_owned())
    }

    #[test]
    fn repairs_known_parser_gaps_and_maps_spans_back() {
        let cases: &[(&str, &str)] = &[
            ("a = {\n  x = 1\n  x = 2\n}\n", "{\n  x = 1\n  x = 2\n}"),
            ("a = {\n  \"x\" = 1\n  x = 2\n  x = 3\n}\n", "{\n  \"x\" = 1\n  x = 2\n  x = 3\n}"),
            (
                "a = { for k, v in m : k => v.a\n  ? 1\n  : 2 }\n",
                "{ for k, v in m : k => v.a\n  ? 1\n  : 2 }",
            ),
            ("a = { for k, v in m : k => v.a +\n v.b }\n", "{ for k, v in m : k => v.a +\n v.b }"),
            ("a = [for v in c ?\n x : y : v]\n", "[for v in c ?\n x : y : v]"),
            (
                "a = { for k, v in m : k\n  => v... if v }\n",
                "{ for k, v in m : k\n  => v... if v }",
            ),
            (
                "a = { x = 1, x = 2, y = { for k in f(m) : g(k) => h(k) } }\n",
                "{ x = 1, x = 2, y = { for k in f(m) : g(k) => h(k) } }",
            ),
            ("\u{feff}a = 1\n", "1"),
        ];
        for (text, expected) in cases {
            assert_eq!(check(text).as_deref(), Ok(*expected), "{text}");
        }
    }

    #[test]
    fn reports_errors_at_offsets_as_written() {
        let error = check("a = {\n  x = 1\n  x = 2\n}\nb = = 3\n").expect_err("input is invalid");
        assert_eq!(error.offset, 28);
    }

    #[test]
    fn maps_offsets_around_insertions() {
        let map = OffsetMap { segments: vec![(2, 0, 1), (5, 1, 3)] };
        let expected = [(0, 0), (2, 2), (3, 2), (4, 3), (6, 5), (7, 5), (8, 5), (9, 6)];
        for (repaired, original) in expected {
            assert_eq!(map.to_original(repaired), original, "{repaired}");
        }
    }
}
