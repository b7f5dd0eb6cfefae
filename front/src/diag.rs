//! Diagnostics: what is wrong, where, and what to write instead. Analyses return them as values;
//! the macro turns them into `compile_error!`s at their spans, the runtime into a panic or an `Err`.

use proc_macro2::Span;
use std::fmt;

#[derive(Clone, Debug)]
pub struct Diag {
    /// The first and last tokens the message points at.
    pub span: Span,
    pub end: Span,
    /// Lowercase, no final period, constructs in backticks: rustc's voice.
    pub msg: String,
    /// What to write instead, when there is something to suggest.
    pub help: Option<String>,
}

impl Diag {
    pub fn new(span: Span, msg: impl Into<String>) -> Diag {
        Diag { span, end: span, msg: msg.into(), help: None }
    }
    /// A diagnostic covering every token of `node`.
    pub fn spanned(node: &impl quote::ToTokens, msg: impl Into<String>) -> Diag {
        let (span, end) = span_range(node);
        Diag { span, end, msg: msg.into(), help: None }
    }
    pub fn range(span: Span, end: Span, msg: impl Into<String>) -> Diag {
        Diag { span, end, msg: msg.into(), help: None }
    }
    pub fn help(mut self, help: impl Into<String>) -> Diag {
        self.help = Some(help.into());
        self
    }
    /// The message with its help line, as shown to the user.
    pub fn text(&self) -> String {
        match &self.help {
            Some(h) => format!("{}\n\nhelp: {}", self.msg, h),
            None => self.msg.clone(),
        }
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// Accumulates diagnostics so one pass can report every independent mistake.
#[derive(Default, Debug)]
pub struct Diags(pub Vec<Diag>);

impl Diags {
    pub fn push(&mut self, d: Diag) {
        self.0.push(d);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The spans of the first and last tokens of a syntax node (rustc on stable cannot join spans, so a
/// range is carried as its two ends, the way `syn::Error::new_spanned` does).
pub fn span_range(node: &impl quote::ToTokens) -> (Span, Span) {
    let mut tokens = node.to_token_stream().into_iter();
    let Some(first) = tokens.next() else {
        return (Span::call_site(), Span::call_site());
    };
    let start = match &first {
        proc_macro2::TokenTree::Group(g) => g.span_open(),
        t => t.span(),
    };
    let last = tokens.last().unwrap_or(first);
    let end = match &last {
        proc_macro2::TokenTree::Group(g) => g.span_close(),
        t => t.span(),
    };
    (start, end)
}
