//! Expansion of `#[njit]`: check the body, then emit
//! - the user's fn, same name, visibility, docs and attributes, whose body calls `name::try_call` and
//!   panics with the error's message on a run-time error;
//! - a private static kernel: the body's position-preserving text, options and callees, and the
//!   dispatch table the runtime fills at first call;
//! - a module of the same name with `try_call` and the introspection helpers.
//!
//! Generated code names only `::rjit::…` paths, never the user's imports.

use crate::attr::{self, Options};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use rjit_front::hir::ExprKind;
use rjit_front::Diag;

pub fn njit(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: syn::ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let err = syn::Error::new_spanned(&input, "`#[njit]` applies to functions only");
            let err = err.to_compile_error();
            return quote!(#err #input);
        }
    };
    let mut errors: Vec<syn::Error> = Vec::new();
    let options = attr::parse(args).unwrap_or_else(|e| {
        errors.push(e);
        Options { boundscheck: true, ..Options::default() }
    });
    if let (false, Some(span), None) = (options.boundscheck, options.boundscheck_span, &item.sig.unsafety) {
        errors.push(to_syn(&Diag::new(span, "`boundscheck = false` is allowed only on an `unsafe fn`").help(
            "an out-of-bounds index without checks is undefined behaviour: declare the function `unsafe fn` so its callers promise valid indices",
        )));
    }
    let mut callees = Vec::new();
    match rjit_front::lower_fn(&item, 1) {
        Ok(f) => {
            callees = collect_callees(&f);
            errors.extend(check_sigs(&options, &f));
            if let Err(diags) = rjit_front::check(&f, None, &rjit_front::NoCallees) {
                errors.extend(diags.iter().map(to_syn));
            }
        }
        Err(diags) => errors.extend(diags.iter().map(to_syn)),
    }
    let compile_errors = errors.iter().map(syn::Error::to_compile_error);
    let body = emit(&item, &options, &callees, errors.is_empty());
    quote!(#(#compile_errors)* #body)
}

/// Each `sig = "…"` must parse and fit the function's parameter and return types.
fn check_sigs(o: &Options, f: &rjit_front::Function) -> Vec<syn::Error> {
    let declared: Vec<_> = f.params.iter().map(|p| p.ty.clone()).collect();
    o.sigs
        .iter()
        .filter_map(|(text, span)| {
            let sig = match rjit_front::signature::parse(text) {
                Ok(s) => s,
                Err(e) => return Some(syn::Error::new(*span, format!("invalid signature: {e}"))),
            };
            rjit_front::signature::apply(&sig, &declared, &f.ret)
                .err()
                .map(|e| syn::Error::new(*span, format!("this signature does not fit `{}`: {e}", f.name)))
        })
        .collect()
}

/// A diagnostic as a `syn::Error` covering its first to its last token.
fn to_syn(d: &Diag) -> syn::Error {
    let first = Ident::new("a", d.span);
    let last = Ident::new("b", d.end);
    syn::Error::new_spanned(quote!(#first #last), d.text())
}

/// The njit functions called by the body: each path once, with the span of its first call.
fn collect_callees(f: &rjit_front::Function) -> Vec<(String, Span, usize)> {
    let mut out: Vec<(String, Span, usize)> = Vec::new();
    for e in &f.exprs {
        if let ExprKind::Call { path, args } = &e.kind {
            if !out.iter().any(|(p, ..)| p == path) {
                out.push((path.clone(), e.span, args.len()));
            }
        }
    }
    out
}

fn path_tokens(path: &str, span: Span) -> TokenStream {
    let mut ts = TokenStream::new();
    for (i, seg) in path.split("::").enumerate() {
        if i > 0 || seg.is_empty() {
            ts.extend(quote_spanned!(span=> ::));
        }
        if !seg.is_empty() {
            let ident = if seg == "crate" || seg == "super" || seg == "self" {
                Ident::new(seg, span)
            } else {
                Ident::new_raw_if_needed(seg, span)
            };
            ts.extend(ident.into_token_stream());
        }
    }
    ts
}

trait NewRaw {
    fn new_raw_if_needed(s: &str, span: Span) -> Ident;
}
impl NewRaw for Ident {
    fn new_raw_if_needed(s: &str, span: Span) -> Ident {
        match s.strip_prefix("r#") {
            Some(raw) => Ident::new_raw(raw, span),
            None => Ident::new(s, span),
        }
    }
}

/// The expansion. When the body has errors (`ok` is false) `try_call` is a stub that touches
/// nothing the errors could make fail again, so one mistake gives one error.
fn emit(item: &syn::ItemFn, o: &Options, callees: &[(String, Span, usize)], ok: bool) -> TokenStream {
    let syn::ItemFn { attrs, vis, sig, .. } = item;
    let name = &sig.ident;
    let kernel = format_ident!("__rjit_kernel_{}", name);
    let (text, base_line) = rjit_front::source::print(item.to_token_stream());

    let mut names = Vec::new();
    let mut tys = Vec::new();
    for (i, input) in sig.inputs.iter().enumerate() {
        if let syn::FnArg::Typed(pt) = input {
            let ident = match &*pt.pat {
                syn::Pat::Ident(pi) => pi.ident.clone(),
                _ => format_ident!("__rjit_arg{}", i),
            };
            names.push(ident);
            tys.push(pt.ty.clone());
        }
    }
    let idx = (0..names.len()).map(syn::Index::from).collect::<Vec<_>>();
    let ret_ty = match &sig.output {
        syn::ReturnType::Default => quote!(()),
        syn::ReturnType::Type(_, t) => t.to_token_stream(),
    };
    let output = &sig.output;
    let unsafety = &sig.unsafety;
    let fn_token = &sig.fn_token;

    let callee_checks = callees.iter().map(|(path, span, nargs)| {
        let p = path_tokens(path, *span);
        let holes = (0..*nargs).map(|_| quote!(_));
        quote_spanned!(*span=> let _: unsafe fn(#(#holes),*) -> _ = #p::__rjit_fn;)
    });
    let callee_entries = callees.iter().map(|(path, span, _)| {
        let p = path_tokens(path, *span);
        quote_spanned!(*span=> (#path, &#p::__RJIT))
    });
    let Options { parallel, fastmath, cache, boundscheck, inline, .. } = o;
    let sigs = o.sigs.iter().map(|(s, _)| s);
    let doc = format!("rjit helpers of [`{name}`]: `try_call` and introspection.");
    let reexport_vis = inner_vis(vis);
    let try_body = if ok {
        quote! {
            let abi = (#(::rjit::__private::Arg::abi(&mut #names),)*);
            unsafe {
                __RJIT.invoke(
                    &[#(::rjit::__private::AbiValue::code(&abi.#idx)),*],
                    &[#(&abi.#idx as *const _ as *const u8),*],
                    &|| ::std::vec![#(::rjit::__private::AbiValue::ty(&abi.#idx)),*],
                )
            }
        }
    } else {
        quote!(::core::unreachable!("this njit function did not compile"))
    };

    quote! {
        #(#attrs)*
        #[allow(unused_mut, clippy::too_many_arguments)]
        #vis #unsafety #fn_token #name(#(mut #names: #tys),*) #output {
            #[allow(unused, clippy::all)]
            fn __rjit_check_calls() { #(#callee_checks)* }
            match #name::try_call(#(#names),*) {
                ::core::result::Result::Ok(value) => value,
                ::core::result::Result::Err(error) => ::rjit::__private::fail(error),
            }
        }

        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        static #kernel: ::rjit::__private::Kernel = ::rjit::__private::Kernel::new(::rjit::__private::FnDesc {
            name: ::core::stringify!(#name),
            source: #text,
            base_line: #base_line,
            file: ::core::file!(),
            options: ::rjit::__private::Options {
                parallel: #parallel,
                fastmath: #fastmath,
                cache: #cache,
                boundscheck: #boundscheck,
                inline: #inline,
            },
            callees: &[#(#callee_entries),*],
            sigs: &[#(#sigs),*],
        });

        #[doc = #doc]
        #[allow(unused_imports, clippy::too_many_arguments)]
        #vis mod #name {
            use super::*;

            #[doc(hidden)]
            pub static __RJIT: &::rjit::__private::Kernel = &super::#kernel;

            #[doc(hidden)]
            #reexport_vis use super::#name as __rjit_fn;

            /// Calls the function, returning a run-time error (an index out of bounds, a division by
            /// zero, a failed `assert!`) as a value instead of panicking.
            #[inline]
            #[allow(unused_mut)]
            #[allow(unused_variables)]
            pub fn try_call(#(mut #names: #tys),*) -> ::core::result::Result<#ret_ty, ::rjit::Error> {
                #try_body
            }

            /// The argument types of every specialization compiled so far, in signature syntax.
            pub fn signatures() -> ::std::vec::Vec<::std::string::String> {
                __RJIT.signatures()
            }

            /// Compiles one more specialization ahead of its first call, from a signature such as
            /// `"(f32[::1], u64, f32)"` (the return type before the parentheses is optional).
            pub fn compile(sig: &str) -> ::core::result::Result<(), ::rjit::Error> {
                __RJIT.compile_sig(sig)
            }

            /// How many specializations exist, how long they took to compile or load, cache hits.
            pub fn stats() -> ::rjit::Stats {
                __RJIT.stats()
            }
        }
    }
}

/// The visibility inside the helper module that matches the function's visibility outside it.
fn inner_vis(vis: &syn::Visibility) -> TokenStream {
    match vis {
        syn::Visibility::Public(_) => quote!(pub),
        syn::Visibility::Restricted(r) if r.in_token.is_none() && r.path.is_ident("crate") => quote!(pub(crate)),
        _ => quote!(pub(super)),
    }
}
