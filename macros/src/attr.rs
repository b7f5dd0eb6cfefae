//! The options of `#[njit(...)]` (DSL.md §1), parsed and validated.

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;

/// The fast-math flags LLVM knows, as `fastmath = "…"` names them.
const FASTMATH_FLAGS: [&str; 7] = ["reassoc", "contract", "nnan", "ninf", "nsz", "arcp", "afn"];

#[derive(Default)]
pub struct Options {
    pub parallel: bool,
    /// The fast-math flags, comma-separated; empty when off.
    pub fastmath: String,
    pub cache: bool,
    pub boundscheck: bool,
    /// Where `boundscheck = false` was written, to point at it when the fn is not `unsafe`.
    pub boundscheck_span: Option<Span>,
    pub inline: bool,
    pub sigs: Vec<(String, Span)>,
}

pub fn parse(args: TokenStream) -> Result<Options, syn::Error> {
    let mut o = Options { boundscheck: true, ..Options::default() };
    let parser = syn::meta::parser(|meta| {
        let name = meta.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
        match name.as_str() {
            "parallel" => o.parallel = flag(&meta)?,
            "cache" => o.cache = flag(&meta)?,
            "inline" => o.inline = flag(&meta)?,
            "fastmath" => {
                if meta.input.peek(syn::Token![=]) {
                    let value = meta.value()?;
                    if value.peek(syn::LitBool) {
                        let b: syn::LitBool = value.parse()?;
                        o.fastmath = if b.value { FASTMATH_FLAGS.join(",") } else { String::new() };
                    } else {
                        let s: syn::LitStr = value.parse()?;
                        let flags: Vec<String> = s.value().split(',').map(|f| f.trim().to_string()).collect();
                        for f in &flags {
                            if !FASTMATH_FLAGS.contains(&f.as_str()) {
                                return Err(syn::Error::new(
                                    s.span(),
                                    format!(
                                        "unknown fast-math flag `{f}`\n\nhelp: the flags are {}",
                                        FASTMATH_FLAGS.join(", ")
                                    ),
                                ));
                            }
                        }
                        o.fastmath = flags.join(",");
                    }
                } else {
                    o.fastmath = FASTMATH_FLAGS.join(",");
                }
            }
            "boundscheck" => {
                let value = meta.value()?;
                let b: syn::LitBool = value.parse()?;
                o.boundscheck = b.value;
                o.boundscheck_span = Some(meta.path.span());
            }
            "sig" => {
                let value = meta.value()?;
                let e: syn::Expr = value.parse()?;
                let lits: Vec<&syn::Expr> = match &e {
                    syn::Expr::Array(a) => a.elems.iter().collect(),
                    other => vec![other],
                };
                for l in lits {
                    match l {
                        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                            o.sigs.push((s.value(), s.span()))
                        }
                        other => {
                            return Err(syn::Error::new_spanned(
                                other,
                                "expected a signature string such as `\"u64(f32[::1], u64, f32)\"`",
                            ))
                        }
                    }
                }
            }
            _ => {
                let written = quote::ToTokens::to_token_stream(&meta.path).to_string().replace(' ', "");
                return Err(meta.error(format!(
                    "unknown njit option `{written}`\n\nhelp: the options are `parallel`, `fastmath`, `cache`, \
                     `boundscheck = false`, `sig = \"…\"` and `inline`"
                )));
            }
        }
        Ok(())
    });
    syn::parse::Parser::parse2(parser, args)?;
    Ok(o)
}

/// A bare flag (`parallel`) or `parallel = true/false`.
fn flag(meta: &syn::meta::ParseNestedMeta) -> syn::Result<bool> {
    if meta.input.peek(syn::Token![=]) {
        let b: syn::LitBool = meta.value()?.parse()?;
        Ok(b.value)
    } else {
        Ok(true)
    }
}
