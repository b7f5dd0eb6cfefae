//! rjit-macros: the `#[njit]` attribute.
//!
//! Three named steps, as in dtolnay's derive crates: `attr` parses the options, `check` runs the
//! shared frontend (rjit-front) over the body at compile time, `expand` emits the Rust item, a
//! static kernel descriptor holding the body's text for the runtime, and the helper module. On a
//! mistake the errors are emitted beside the same item, so the function's signature stays usable and
//! one mistake gives one error. This crate never links LLVM.

mod attr;
mod expand;

use proc_macro::TokenStream;

/// Compiles the function's body, written in rjit's NumPy-like DSL, to machine code at its first call
/// with each new tuple of argument types. See the `rjit` crate for the language.
#[proc_macro_attribute]
pub fn njit(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::njit(args.into(), input.into()).into()
}
