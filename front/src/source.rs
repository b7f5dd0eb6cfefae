//! Position-preserving printing of a token stream.
//!
//! The macro embeds the function's tokens as text for the runtime to parse again. Printed with
//! `TokenStream::to_string`, every token would land on line 1; printed here, every token stands at its
//! original column, on its original line counted from the `fn`'s first line. Parsing the text again
//! therefore yields spans whose line (plus `base_line - 1`) and column are the user's, which is what
//! run-time error messages and `inspect_types` show. Comments are not tokens and are not kept.

use proc_macro2::{Delimiter, LineColumn, Spacing, TokenStream, TokenTree};

/// Prints `tokens` keeping positions. Returns the text and the user-file line of its first line.
pub fn print(tokens: TokenStream) -> (String, u32) {
    let base = tokens.clone().into_iter().next().map(|t| t.span().start().line).unwrap_or(1).max(1);
    let mut p = Printer { out: String::new(), line: base, col: 0, glue: false, base };
    p.stream(tokens);
    p.out.push('\n');
    (p.out, base as u32)
}

struct Printer {
    out: String,
    /// The user-file line and column the next character lands on.
    line: usize,
    col: usize,
    /// The previous token was a punctuation joined to the next one (`+` of `+=`).
    glue: bool,
    base: usize,
}

impl Printer {
    fn stream(&mut self, tokens: TokenStream) {
        for tt in tokens {
            match tt {
                TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::None => ("", ""),
                    };
                    self.token(g.span_open().start(), open, false);
                    self.stream(g.stream());
                    // A group syn rebuilt may report its whole span as the closing delimiter's:
                    // the delimiter is the last character of it.
                    let end = g.span_close().end();
                    self.token(LineColumn { line: end.line, column: end.column.saturating_sub(1) }, close, false);
                }
                TokenTree::Punct(p) => {
                    self.token(p.span().start(), &p.as_char().to_string(), p.spacing() == Spacing::Joint)
                }
                TokenTree::Ident(i) => self.token(i.span().start(), &i.to_string(), false),
                TokenTree::Literal(l) => self.token(l.span().start(), &l.to_string(), false),
            }
        }
    }

    fn token(&mut self, start: LineColumn, text: &str, joint: bool) {
        if text.is_empty() {
            return;
        }
        // Tokens whose position is unknown or out of order are still separated correctly.
        if start.line > self.line && start.line >= self.base {
            for _ in self.line..start.line {
                self.out.push('\n');
            }
            self.line = start.line;
            self.col = 0;
        }
        if start.line == self.line && start.column > self.col {
            self.out.extend(std::iter::repeat_n(' ', start.column - self.col));
            self.col = start.column;
        } else if !self.glue && self.col > 0 && !(start.line == self.line && start.column == self.col) {
            self.out.push(' ');
            self.col += 1;
        }
        self.out.push_str(text);
        match text.rfind('\n') {
            Some(i) => {
                self.line += text.matches('\n').count();
                self.col = text[i + 1..].chars().count();
            }
            None => self.col += text.chars().count(),
        }
        self.glue = joint;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprinted_text_parses_to_the_same_tokens() {
        let src = "fn f(a: &[f32]) -> f32 {\n    let mut s = 0.0;\n    s += a[0];\n    s\n}";
        let ts: TokenStream = src.parse().unwrap();
        let (text, base) = print(ts.clone());
        assert_eq!(base, 1);
        let again: TokenStream = text.parse().unwrap();
        assert_eq!(ts.to_string(), again.to_string());
        // Positions survive: `s += a[0]` is on line 3 at column 4 in both.
        assert!(text.lines().nth(2).unwrap().starts_with("    s += a[0];"));
    }
}
