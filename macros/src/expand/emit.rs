//! What the expansion writes: the user's fn calling `name::try_call`, the description and
//! dispatcher statics, the module of helpers, and the markers through which rustc checks the
//! boundary types and calls between njit functions.

use super::*;

/// For each parameter (and the return type) whose Rust type names no type parameter and is not
/// `_`: dead code asking rustc whether the type, as Rust resolves its spelling where the function
/// is defined, is the DSL type the body was checked with. A `type f64 = f32;` or a shadowed
/// `ArrayView1` is then an error at the parameter, not memory read as another type.
pub(crate) fn type_checks(
    item: &syn::ItemFn,
    (params, ret): &(Vec<Ty>, Ty),
    generic_names: &[String],
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let inputs = item.sig.inputs.iter().filter_map(|i| match i {
        syn::FnArg::Typed(pt) => Some(&*pt.ty),
        _ => None,
    });
    for (rust, dsl) in inputs.zip(params) {
        if mentions(rust, generic_names) || matches!(dsl, Ty::Unknown) {
            continue;
        }
        let span = rust.span();
        let st = with_static(rust);
        let m = exact_marker(dsl, span, false);
        out.push(quote_spanned!(span=> ::rjit::__private::declared_as::<#st, #m>();));
    }
    if let syn::ReturnType::Type(_, rust) = &item.sig.output {
        if !mentions(rust, generic_names) && !matches!(ret, Ty::Unknown) {
            let span = rust.span();
            let st = with_static(rust);
            let m = exact_marker(ret, span, true);
            out.push(quote_spanned!(span=> ::rjit::__private::declared_as::<#st, #m>();));
        }
    }
    out
}

/// The marker type of a DSL type for `declared_as`: arrays by mutability (owned when returned),
/// scalars as the primitive types themselves, tuples of markers.
pub(crate) fn exact_marker(t: &Ty, span: Span, returned: bool) -> TokenStream {
    match t {
        Ty::Scalar(s) => rust_scalar(*s, span),
        Ty::Array(a) => {
            let e = rust_scalar(a.elem, span);
            let n = usize::from(a.ndim);
            if returned {
                quote_spanned!(span=> ::rjit::__private::OwnedArray<#e, #n>)
            } else if a.mutable {
                quote_spanned!(span=> ::rjit::__private::WritableArray<#e, #n>)
            } else {
                quote_spanned!(span=> ::rjit::__private::ReadOnlyArray<#e, #n>)
            }
        }
        Ty::Tuple(items) => {
            let items = items.iter().map(|i| exact_marker(i, span, returned));
            quote_spanned!(span=> (#(#items,)*))
        }
        _ => quote_spanned!(span=> ()),
    }
}

/// A scalar's Rust type by a path no alias in the user's scope can change.
pub(crate) fn rust_scalar(s: Scalar, span: Span) -> TokenStream {
    match s {
        Scalar::C64 => quote_spanned!(span=> ::rjit::num_complex::Complex32),
        Scalar::C128 => quote_spanned!(span=> ::rjit::num_complex::Complex64),
        s => {
            let name = Ident::new(s.rust_name(), span);
            quote_spanned!(span=> ::core::primitive::#name)
        }
    }
}

/// A value standing for an argument of DSL type `t`, spanned at the argument.
pub(crate) fn marker(t: &Ty, span: Span) -> TokenStream {
    match t {
        Ty::Scalar(s) => {
            let r = rust_scalar(*s, span);
            quote_spanned!(span=> ::rjit::__private::val::<#r>())
        }
        Ty::Array(a) => {
            let e = rust_scalar(a.elem, span);
            let n = usize::from(a.ndim);
            if a.mutable {
                quote_spanned!(span=> ::rjit::__private::val::<::rjit::__private::WritableArray<#e, #n>>())
            } else {
                quote_spanned!(span=> ::rjit::__private::val::<::rjit::__private::ReadOnlyArray<#e, #n>>())
            }
        }
        Ty::IntLit | Ty::FloatLit => quote_spanned!(span=> ::rjit::__private::Literal),
        _ => quote_spanned!(span=> ::rjit::__private::Unknown),
    }
}

pub(crate) fn path_tokens(path: &str, span: Span) -> TokenStream {
    let mut ts = TokenStream::new();
    for (i, seg) in path.split("::").enumerate() {
        if i > 0 || seg.is_empty() {
            ts.extend(quote_spanned!(span=> ::));
        }
        if !seg.is_empty() {
            let ident = match seg.strip_prefix("r#") {
                Some(raw) => Ident::new_raw(raw, span),
                None => Ident::new(seg, span),
            };
            ts.extend(ident.into_token_stream());
        }
    }
    ts
}

/// Whether a parameter's type, as written, is a read-only array (`&[T]`, `ArrayViewN<T>`,
/// `&ArrayN<T>`).
pub(crate) fn reads_only(t: &syn::Type) -> bool {
    match t {
        syn::Type::Reference(r) => r.mutability.is_none(),
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| {
            let n = s.ident.to_string();
            n.starts_with("ArrayView") && !n.starts_with("ArrayViewMut")
        }),
        _ => false,
    }
}

/// Whether a type mentions one of the names (a type parameter) or `_`.
pub(crate) fn mentions(t: &syn::Type, names: &[String]) -> bool {
    let text = t.to_token_stream().to_string();
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == "_" || names.iter().any(|n| n == w))
}

/// The type with every lifetime made `'static` (so it can stand in a where clause).
pub(crate) fn with_static(t: &syn::Type) -> TokenStream {
    let mut out = TokenStream::new();
    let tokens: Vec<proc_macro2::TokenTree> = t.to_token_stream().into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            // `&` not followed by a lifetime gets one.
            // Spanned at the user's tokens, so rustc's errors about the type point at it.
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '&' => {
                let span = p.span();
                out.extend(quote_spanned!(span=> &));
                let lifetime_next =
                    matches!(tokens.get(i + 1), Some(proc_macro2::TokenTree::Punct(q)) if q.as_char() == '\'');
                if lifetime_next {
                    i += 2; // skip `'` and the lifetime's name
                }
                out.extend(quote_spanned!(span=> 'static));
            }
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '\'' => {
                let span = p.span();
                out.extend(quote_spanned!(span=> 'static));
                i += 1;
            }
            proc_macro2::TokenTree::Ident(id) if id.to_string().starts_with("ArrayView") => {
                out.extend(quote!(#id));
                if let (Some(proc_macro2::TokenTree::Punct(lt)), Some(next)) = (tokens.get(i + 1), tokens.get(i + 2)) {
                    if lt.as_char() == '<' && !matches!(next, proc_macro2::TokenTree::Punct(q) if q.as_char() == '\'') {
                        out.extend(quote!(<'static,));
                        i += 1;
                    }
                }
            }
            tt => out.extend(std::iter::once(tt.clone())),
        }
        i += 1;
    }
    out
}

/// The expansion. When the body has errors (`ok` is false) `try_call` is a stub that touches
/// nothing the errors could make fail again, so one mistake gives one error.
/// The names of the function's type parameters, whatever their bounds.
pub(crate) fn type_params(g: &syn::Generics) -> Vec<String> {
    g.params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The bodies of `try_call` (through the dispatcher) and `interpret`: the arguments as ABI values,
/// their codes and types. A function that did not compile gets bodies that cannot run (its errors
/// are what the user sees).
fn call_bodies(names: &[Ident], ret_inferred: bool, ok: bool) -> (TokenStream, TokenStream) {
    let idx = (0..names.len()).map(syn::Index::from).collect::<Vec<_>>();
    let (ret_code, ret_ty_value) = if ret_inferred {
        (quote!(, <__RjitR as ::rjit::__private::Ret>::CODE), quote!(, <__RjitR as ::rjit::__private::Ret>::ty()))
    } else {
        (quote!(), quote!())
    };
    let try_body = if ok {
        quote! {
            let abi = (#(::rjit::__private::Arg::abi(&mut #names),)*);
            unsafe {
                __RJIT.invoke(
                    &[#(::rjit::__private::AbiValue::code(&abi.#idx)),* #ret_code],
                    &[#(&abi.#idx as *const _ as *const u8),*],
                    &|| ::std::vec![#(::rjit::__private::AbiValue::ty(&abi.#idx)),* #ret_ty_value],
                )
            }
        }
    } else {
        quote!(::core::unreachable!("this njit function did not compile"))
    };
    let interpret_body = if ok {
        quote! {
            let abi = (#(::rjit::__private::Arg::abi(&mut #names),)*);
            unsafe {
                __RJIT.interpret(
                    &[#(&abi.#idx as *const _ as *const u8),*],
                    &|| ::std::vec![#(::rjit::__private::AbiValue::ty(&abi.#idx)),* #ret_ty_value],
                )
            }
        }
    } else {
        quote!(::core::unreachable!("this njit function did not compile"))
    };
    (try_body, interpret_body)
}

/// The parameters as the expansion writes them.
struct Params {
    /// The user's generics, with a hidden type parameter per `_` parameter.
    fn_generics: syn::Generics,
    names: Vec<Ident>,
    tys: Vec<syn::Type>,
    /// `__rjit_check`'s marker parameters and the bounds rustc checks a call's arguments with.
    check_params: Vec<TokenStream>,
    check_bounds: Vec<TokenStream>,
}

/// `_` parameters become hidden type parameters; each parameter gets a marker type parameter of
/// `__rjit_check`, bounded by what the parameter accepts.
fn params(sig: &syn::Signature, generic_names: &[String]) -> Params {
    let mut fn_generics = sig.generics.clone();
    let mut names = Vec::new();
    let mut tys: Vec<syn::Type> = Vec::new();
    let mut check_params = Vec::new();
    let mut check_bounds = Vec::new();
    for (i, input) in sig.inputs.iter().enumerate() {
        let syn::FnArg::Typed(pt) = input else { continue };
        let ident = match &*pt.pat {
            syn::Pat::Ident(pi) => pi.ident.clone(),
            _ => format_ident!("__rjit_arg{}", i),
        };
        let ty: syn::Type = if matches!(*pt.ty, syn::Type::Infer(_)) {
            let g = format_ident!("__RjitA{}", i);
            fn_generics.params.push(syn::parse_quote!(#g: ::rjit::__private::Arg));
            syn::parse_quote!(#g)
        } else {
            (*pt.ty).clone()
        };
        let m = format_ident!("__M{}", i);
        check_params.push(quote!(_: #m));
        if !mentions(&pt.ty, generic_names) {
            let st = with_static(&pt.ty);
            check_bounds.push(quote!(#st: ::rjit::__private::FromDsl<#m>));
        } else if !reads_only(&pt.ty) {
            // `_` and generic parameters: rustc cannot tell what they take before the first call,
            // but an array the iterations of a `prange` loop share must go where it is only read.
            check_bounds.push(quote!(#m: ::rjit::__private::NotSharedByPrange));
        }
        names.push(ident);
        tys.push(ty);
    }
    Params { fn_generics, names, tys, check_params, check_bounds }
}

pub(crate) fn emit(
    item: &syn::ItemFn,
    o: &Options,
    callees: &[(String, Span)],
    globals: &[(String, Span)],
    call_checks: &[TokenStream],
    generic_names: &[String],
    ok: bool,
    returns: &str,
) -> TokenStream {
    let returns = Ident::new(returns, Span::call_site());
    let syn::ItemFn { attrs, vis, sig, .. } = item;
    let name = &sig.ident;
    let kernel = format_ident!("__rjit_kernel_{}", name);
    let desc = format_ident!("__rjit_desc_{}", name);
    let (text, base_line) = rjit_front::source::print(item.to_token_stream());

    let Params { mut fn_generics, names, tys, check_params, check_bounds } = params(sig, generic_names);
    let check_generics = (0..names.len()).map(|i| format_ident!("__M{}", i));
    // Spanned at the function's name, so rustc's "function defined here" points at it.
    let check_fn = Ident::new("__rjit_check", name.span());
    let ret_inferred = matches!(&sig.output, syn::ReturnType::Type(_, t) if matches!(**t, syn::Type::Infer(_)));
    let ret_ty = match &sig.output {
        syn::ReturnType::Default => quote!(()),
        _ if ret_inferred => {
            fn_generics.params.push(syn::parse_quote!(__RjitR: ::rjit::__private::Ret));
            quote!(__RjitR)
        }
        syn::ReturnType::Type(_, t) => t.to_token_stream(),
    };
    let (fn_gen, _, where_clause) = fn_generics.split_for_impl();
    let unsafety = &sig.unsafety;
    let fn_token = &sig.fn_token;

    let callee_entries = callees.iter().map(|(path, span)| {
        let p = path_tokens(path, *span);
        quote_spanned!(*span=> (#path, &#p::__RJIT_DESC))
    });
    // Each module-level constant read where the function is defined, so it resolves as in its
    // body; rustc checks the name, and the `Global` bound its type.
    let global_entries = globals.iter().map(|(g, span)| {
        let ident = Ident::new(g, *span);
        quote_spanned!(*span=> (#g, ::rjit::__private::global(&#ident)))
    });
    let Options { parallel, fastmath, cache, boundscheck, inline, .. } = o;
    let sigs = o.sigs.iter().map(|(s, _)| s);
    let doc = format!("rjit helpers of [`{name}`]: `try_call` and introspection.");
    let (try_body, interpret_body) = call_bodies(&names, ret_inferred, ok);

    quote! {
        #(#attrs)*
        #[allow(unused_mut, clippy::too_many_arguments)]
        #vis #unsafety #fn_token #name #fn_gen (#(mut #names: #tys),*) -> #ret_ty #where_clause {
            #[allow(unused, clippy::all)]
            #unsafety fn __rjit_check_calls() { #(#call_checks)* }
            match #name::try_call(#(#names),*) {
                ::core::result::Result::Ok(value) => value,
                ::core::result::Result::Err(error) => ::rjit::__private::fail(error),
            }
        }

        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        pub(crate) static #desc: ::rjit::__private::FnDesc = ::rjit::__private::FnDesc {
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
            ret_inferred: #ret_inferred,
            globals: ::rjit::__private::GlobalValues::new(|| ::std::vec![#(#global_entries),*]),
        };
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        pub(crate) static #kernel: ::rjit::__private::Dispatcher = ::rjit::__private::Dispatcher::new(&#desc);

        #[doc = #doc]
        #[allow(unused_imports, non_snake_case, clippy::too_many_arguments)]
        #vis mod #name {
            use super::*;

            #[doc(hidden)]
            pub static __RJIT: &::rjit::__private::Dispatcher = &super::#kernel;
            /// What callers' descriptions point to: this function's identity.
            #[doc(hidden)]
            pub static __RJIT_DESC: &::rjit::__private::FnDesc = &super::#desc;

            /// Calls the function, returning a run-time error (an index out of bounds, a division by
            /// zero, a failed `assert!`) as a value instead of panicking.
            #[inline]
            #[allow(unused_mut, unused_variables)]
            pub fn try_call #fn_gen (#(mut #names: #tys),*) -> ::core::result::Result<#ret_ty, ::rjit::Error> #where_clause {
                #try_body
            }

            /// Runs the call in rjit's reference interpreter instead of compiled code: the same
            /// result or error, slowly, with nothing compiled (what `RJIT_DISABLE_JIT=1` does for
            /// every call).
            #[allow(unused_mut, unused_variables)]
            pub fn interpret #fn_gen (#(mut #names: #tys),*) -> ::core::result::Result<#ret_ty, ::rjit::Error> #where_clause {
                #interpret_body
            }

            /// For callers that write through what this function returns (see `writes_through`).
            #[doc(hidden)]
            pub type __RjitReturns = ::rjit::__private::#returns;

            /// Dead code for callers: rustc checks a call's arguments against this signature.
            #[doc(hidden)]
            #[allow(unused, clippy::all)]
            pub #unsafety fn #check_fn<#(#check_generics),*>(#(#check_params),*) where #(#check_bounds),* {}

            /// The argument types of every specialization compiled so far, in signature syntax.
            pub fn signatures() -> ::std::vec::Vec<::std::string::String> {
                __RJIT.signatures()
            }

            /// Compiles one more specialization ahead of its first call, from a signature such as
            /// `"(f32[::1], u64, f32)"` (the return type before the parentheses is optional).
            pub fn compile(sig: &str) -> ::core::result::Result<(), ::rjit::Error> {
                __RJIT.compile_sig(sig)
            }

            /// The optimized LLVM IR of every specialization compiled so far.
            pub fn inspect_llvm() -> ::std::string::String {
                __RJIT.inspect_llvm()
            }

            /// How many specializations exist, how long they took to compile or load, cache hits.
            pub fn stats() -> ::rjit::Stats {
                __RJIT.stats()
            }

            /// Each compiled specialization's source, every line followed by its typed IR: each
            /// variable and intermediate value with its inferred type.
            pub fn inspect_types() -> ::std::string::String {
                __RJIT.inspect_types()
            }

            /// The assembly of every specialization compiled so far, for the host CPU.
            pub fn inspect_asm() -> ::std::string::String {
                __RJIT.inspect_asm()
            }

            /// Writes a self-contained HTML page: the source with inferred types per line, loops
            /// marked parallel, vectorized or serial, and the parallel diagnostics.
            pub fn annotate_html(path: impl ::core::convert::AsRef<::std::path::Path>) -> ::std::io::Result<()> {
                __RJIT.annotate_html(path.as_ref())
            }

            /// The parallel plan: `prange` loops and whole-array operations, fusion, loops run
            /// serially, reductions and hoisting; `level` 1 (least) to 4 (most).
            pub fn parallel_diagnostics(level: u8) -> ::std::string::String {
                __RJIT.parallel_diagnostics(level)
            }
        }
    }
}
