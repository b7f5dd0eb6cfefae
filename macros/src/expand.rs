//! Expansion of `#[njit]`: check the body, then emit
//! - the user's fn, same name, visibility, docs and attributes, whose body calls `name::try_call` and
//!   panics with the error's message on a run-time error (`_` parameters and `-> _` become hidden
//!   type parameters the caller's types fill in);
//! - a private static kernel: the body's position-preserving text, options and callees, and the
//!   dispatch table the runtime fills at first call;
//! - a module of the same name with `try_call`, the introspection helpers, and `__rjit_check`, which
//!   callers use to have rustc check their calls against this function's real signature.
//!
//! Generated code names only `::rjit::…` paths, never the user's imports.

use crate::attr::{self, Options};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use rjit_front::hir::ExprKind;
use rjit_front::sig::{Bound, Subst};
use rjit_front::{Diag, Scalar, Ty};
use syn::spanned::Spanned;

pub fn njit(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: syn::ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(e) => {
            let is_fn = input.clone().into_iter().any(|t| matches!(&t, proc_macro2::TokenTree::Ident(i) if i == "fn"));
            if !is_fn {
                let err = syn::Error::new_spanned(&input, "`#[njit]` applies to functions only").to_compile_error();
                return quote!(#err #input);
            }
            // A function whose body is not Rust syntax: syn's error, where it is (the item itself
            // cannot be emitted, it would only repeat the error).
            let msg = if mentions_np_where(input.clone()) {
                "`np.where` is not Rust syntax, as `where` is a keyword\n\nhelp: write `np.where_(cond, a, b)` (or `np.r#where(cond, a, b)`)".to_string()
            } else {
                e.to_string()
            };
            return syn::Error::new(e.span(), msg).to_compile_error();
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
    let generics = match rjit_front::sig::generics(&item.sig.generics) {
        Ok(g) => Some(g),
        Err(d) => {
            errors.push(to_syn(&d));
            None
        }
    };
    // With invalid type parameters, the body's types cannot be known: its check would only repeat them.
    let checked = match &generics {
        Some(g) => check(&item, &options, g),
        None => Checked {
            errors: Vec::new(),
            callees: Vec::new(),
            call_checks: Vec::new(),
            declared: None,
            returns: "ReturnsUnknown",
        },
    };
    let generics = type_params(&item.sig.generics);
    errors.extend(checked.errors);
    let compile_errors = errors.iter().map(syn::Error::to_compile_error);
    let type_checks = checked.declared.as_ref().map(|d| type_checks(&item, d, &generics)).unwrap_or_default();
    let mut call_checks = checked.call_checks;
    call_checks.extend(type_checks);
    let body = emit(&item, &options, &checked.callees, &call_checks, &generics, errors.is_empty(), checked.returns);
    quote!(#(#compile_errors)* #body)
}

struct Checked {
    errors: Vec<syn::Error>,
    /// Each njit function called: its path, the span of its first call.
    callees: Vec<(String, Span)>,
    /// Dead-code calls of callees' `__rjit_check` with markers of the arguments' types.
    call_checks: Vec<TokenStream>,
    /// The DSL types the body was checked with: each parameter's and the return's (the first
    /// instantiation's), for rustc to check against the types Rust really gives them.
    declared: Option<(Vec<Ty>, Ty)>,
    /// What the function returns, for callers that write through it: `ReturnsWritable`,
    /// `ReturnsReadOnly` or `ReturnsUnknown`.
    returns: &'static str,
}

/// The instantiations to check: one per combination of the scalars each type parameter's bound
/// admits (at most 64), or just the function itself.
fn instantiations(generics: &[(String, Bound)]) -> Vec<Subst> {
    let mut out = vec![Subst::new()];
    for (name, bound) in generics {
        out = out
            .into_iter()
            .flat_map(|s| {
                bound.scalars().into_iter().map(move |sc| {
                    let mut s = s.clone();
                    s.insert(name.clone(), sc);
                    s
                })
            })
            .take(64)
            .collect();
    }
    out
}

/// Lowers and checks the body once per instantiation; reports each distinct mistake once.
fn check(item: &syn::ItemFn, o: &Options, generics: &[(String, Bound)]) -> Checked {
    let mut out = Checked {
        errors: Vec::new(),
        callees: Vec::new(),
        call_checks: Vec::new(),
        declared: None,
        returns: "ReturnsUnknown",
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut seen_checks: Vec<String> = Vec::new();
    for (n, subst) in instantiations(generics).iter().enumerate() {
        let with = if subst.is_empty() {
            String::new()
        } else {
            let b: Vec<String> = subst.iter().map(|(k, v)| format!("{k} = {}", v.rust_name())).collect();
            format!(" (with {})", b.join(", "))
        };
        let mut report = |out: &mut Checked, d: &Diag| {
            let where_ = format!("{:?}", d.span.start());
            if !seen.iter().any(|(m, w)| *m == d.msg && *w == where_) {
                seen.push((d.msg.clone(), where_));
                let mut d = d.clone();
                d.msg.push_str(&with);
                out.errors.push(to_syn(&d));
            }
        };
        let f = match rjit_front::lower_fn(item, 1, subst) {
            Ok(f) => f,
            Err(diags) => {
                diags.iter().for_each(|d| report(&mut out, d));
                break;
            }
        };
        if n == 0 {
            out.callees = collect_callees(&f);
            out.declared = Some((f.params.iter().map(|p| p.ty.clone()).collect(), f.ret.clone()));
            out.errors.extend(check_sigs(o, item));
        }
        match rjit_front::check(&f, None, &rjit_front::NoCallees) {
            Ok(typed) => {
                if n == 0 {
                    out.returns = returns_kind(&f, &typed);
                    out.call_checks.extend(result_write_checks(&f));
                }
                rjit_front::parallel::check(&f, &typed).iter().for_each(|d| report(&mut out, d));
                let shared = rjit_front::parallel::shared_call_args(&f, &typed);
                for c in call_checks(&f, &typed, &shared) {
                    let key = c.to_string();
                    if !seen_checks.contains(&key) {
                        seen_checks.push(key);
                        out.call_checks.push(c);
                    }
                }
            }
            Err(diags) => diags.iter().for_each(|d| report(&mut out, d)),
        }
    }
    out
}

/// Whether what the function returns may be read-only memory (a view of a read-only parameter):
/// a caller must not write through it. Unknown while a returned value's type is.
fn returns_kind(f: &rjit_front::Function, typed: &rjit_front::Typed) -> &'static str {
    fn read_only(t: &Ty) -> bool {
        match t {
            Ty::Array(a) => !a.mutable,
            Ty::Tuple(items) => items.iter().any(read_only),
            _ => false,
        }
    }
    let tys: Vec<&Ty> = rjit_front::hir::returned_exprs(f).into_iter().map(|e| typed.expr(e)).collect();
    if tys.iter().any(|t| read_only(t)) {
        "ReturnsReadOnly"
    } else if tys.iter().any(|t| t.is_open()) {
        "ReturnsUnknown"
    } else {
        "ReturnsWritable"
    }
}

/// For each local bound to what an njit call returned and then written through (`b[j] = …`,
/// `b += …`, `b.fill(…)`): dead code asking rustc whether the callee returns writable memory,
/// spanned at the write.
fn result_write_checks(f: &rjit_front::Function) -> Vec<TokenStream> {
    use rjit_front::hir::{Pat, Place, Stmt};
    use std::collections::HashMap;
    let mut from_call: HashMap<rjit_front::hir::LocalId, String> = HashMap::new();
    let mut writes: Vec<(rjit_front::hir::LocalId, Span)> = Vec::new();
    let local_of = |e: rjit_front::hir::ExprId| match &f.expr(e).kind {
        ExprKind::Local(l) => Some(*l),
        _ => None,
    };
    fn blocks<'f>(
        f: &'f rjit_front::Function,
        b: &'f rjit_front::hir::Block,
        out: &mut Vec<&'f rjit_front::hir::Block>,
    ) {
        out.push(b);
        for inner in rjit_front::hir::inner_blocks(f, b) {
            blocks(f, inner, out);
        }
    }
    let mut all = Vec::new();
    blocks(f, &f.body, &mut all);
    for b in all {
        for s in &b.stmts {
            match s {
                Stmt::Let { pat: Pat::Bind(l), init: e } | Stmt::Assign { place: Place::Local(l, _), value: e } => {
                    if let ExprKind::Call { path, .. } = &f.expr(*e).kind {
                        from_call.insert(*l, path.clone());
                    }
                }
                _ => {}
            }
            match s {
                Stmt::Assign { place: Place::Index(ix), .. } | Stmt::OpAssign { place: Place::Index(ix), .. } => {
                    if let ExprKind::Index(base, _) = &f.expr(*ix).kind {
                        if let Some(l) = local_of(*base) {
                            writes.push((l, f.expr(*ix).span));
                        }
                    }
                }
                Stmt::OpAssign { place: Place::Local(l, span), .. } => writes.push((*l, *span)),
                _ => {}
            }
        }
    }
    for e in &f.exprs {
        if let ExprKind::Method { method: rjit_front::builtins::Method::Fill, recv, .. } = &e.kind {
            if let Some(l) = local_of(*recv) {
                writes.push((l, e.span));
            }
        }
    }
    writes
        .into_iter()
        .filter_map(|(l, span)| {
            let path = from_call.get(&l)?;
            let p = path_tokens(path, span);
            Some(quote_spanned!(span=> ::rjit::__private::writes_through::<#p::__RjitReturns>();))
        })
        .collect()
}

/// Whether `np.where` appears anywhere in the tokens.
fn mentions_np_where(tokens: TokenStream) -> bool {
    use proc_macro2::TokenTree;
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    tts.windows(3).any(|w| matches!((&w[0], &w[1], &w[2]), (TokenTree::Ident(a), TokenTree::Punct(p), TokenTree::Ident(b)) if a == "np" && p.as_char() == '.' && b == "where"))
        || tts.iter().any(|t| matches!(t, TokenTree::Group(g) if mentions_np_where(g.stream())))
}

/// Each `sig = "…"` must parse and fit the function's parameter and return types.
fn check_sigs(o: &Options, item: &syn::ItemFn) -> Vec<syn::Error> {
    o.sigs
        .iter()
        .filter_map(|(text, span)| {
            let sig = match rjit_front::signature::parse(text) {
                Ok(s) => s,
                Err(e) => return Some(syn::Error::new(*span, format!("invalid signature: {e}"))),
            };
            let subst = rjit_front::sig::bind(item, &sig.params);
            let f = rjit_front::lower_fn(item, 1, &subst).ok()?;
            let declared: Vec<_> = f.params.iter().map(|p| p.ty.clone()).collect();
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
fn collect_callees(f: &rjit_front::Function) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = Vec::new();
    for e in &f.exprs {
        if let ExprKind::Call { path, .. } = &e.kind {
            if !out.iter().any(|(p, _)| p == path) {
                out.push((path.clone(), e.span));
            }
        }
    }
    out
}

/// For each call, `callee::__rjit_check(markers…)` spanned at the call. A writable array that the
/// iterations of a `prange` loop share (`shared`) gets a marker only read-only parameters accept.
fn call_checks(
    f: &rjit_front::Function,
    typed: &rjit_front::Typed,
    shared: &std::collections::HashSet<rjit_front::hir::ExprId>,
) -> Vec<TokenStream> {
    let in_unsafe = rjit_front::hir::in_unsafe_blocks(f, &f.body);
    f.exprs
        .iter()
        .enumerate()
        .filter_map(|(id, e)| {
            let ExprKind::Call { path, args } = &e.kind else { return None };
            let p = path_tokens(path, e.span);
            let markers = args.iter().map(|a| {
                let literal = typed.literal[a.0 as usize];
                let span = f.expr(*a).span;
                if let (true, Ty::Array(at)) = (shared.contains(a), typed.expr(*a)) {
                    if at.mutable {
                        let e = rust_scalar(at.elem, span);
                        let n = usize::from(at.ndim);
                        return quote_spanned!(span=> ::rjit::__private::val::<::rjit::__private::ArraySharedByPrangeIterations<#e, #n>>());
                    }
                }
                // At the argument, so rustc's errors and suggestions point at it.
                marker(if literal { &Ty::IntLit } else { typed.expr(*a) }, f.expr(*a).span)
            });
            // An `unsafe fn` callee's `__rjit_check` is `unsafe` too: rustc then refuses the call
            // outside an `unsafe { }` block (E0133), as for any unsafe function.
            if in_unsafe.contains(&rjit_front::hir::ExprId(id as u32)) || f.is_unsafe {
                Some(quote_spanned!(e.span=> unsafe { #p::__rjit_check(#(#markers),*); }))
            } else {
                Some(quote_spanned!(e.span=> #p::__rjit_check(#(#markers),*);))
            }
        })
        .collect()
}

/// For each parameter (and the return type) whose Rust type names no type parameter and is not
/// `_`: dead code asking rustc whether the type, as Rust resolves its spelling where the function
/// is defined, is the DSL type the body was checked with. A `type f64 = f32;` or a shadowed
/// `ArrayView1` is then an error at the parameter, not memory read as another type.
fn type_checks(item: &syn::ItemFn, (params, ret): &(Vec<Ty>, Ty), generic_names: &[String]) -> Vec<TokenStream> {
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
fn exact_marker(t: &Ty, span: Span, returned: bool) -> TokenStream {
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
fn rust_scalar(s: Scalar, span: Span) -> TokenStream {
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
fn marker(t: &Ty, span: Span) -> TokenStream {
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

fn path_tokens(path: &str, span: Span) -> TokenStream {
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
fn reads_only(t: &syn::Type) -> bool {
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
fn mentions(t: &syn::Type, names: &[String]) -> bool {
    let text = t.to_token_stream().to_string();
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == "_" || names.iter().any(|n| n == w))
}

/// The type with every lifetime made `'static` (so it can stand in a where clause).
fn with_static(t: &syn::Type) -> TokenStream {
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
fn type_params(g: &syn::Generics) -> Vec<String> {
    g.params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn emit(
    item: &syn::ItemFn,
    o: &Options,
    callees: &[(String, Span)],
    call_checks: &[TokenStream],
    generic_names: &[String],
    ok: bool,
    returns: &str,
) -> TokenStream {
    let returns = Ident::new(returns, Span::call_site());
    let syn::ItemFn { attrs, vis, sig, .. } = item;
    let name = &sig.ident;
    let kernel = format_ident!("__rjit_kernel_{}", name);
    let (text, base_line) = rjit_front::source::print(item.to_token_stream());

    // `_` parameters and `-> _` become hidden type parameters.
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
    let idx = (0..names.len()).map(syn::Index::from).collect::<Vec<_>>();
    let unsafety = &sig.unsafety;
    let fn_token = &sig.fn_token;

    let callee_entries = callees.iter().map(|(path, span)| {
        let p = path_tokens(path, *span);
        quote_spanned!(*span=> (#path, &#p::__RJIT))
    });
    let Options { parallel, fastmath, cache, boundscheck, inline, .. } = o;
    let sigs = o.sigs.iter().map(|(s, _)| s);
    let doc = format!("rjit helpers of [`{name}`]: `try_call` and introspection.");
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
            ret_inferred: #ret_inferred,
        });

        #[doc = #doc]
        #[allow(unused_imports, clippy::too_many_arguments)]
        #vis mod #name {
            use super::*;

            #[doc(hidden)]
            pub static __RJIT: &::rjit::__private::Kernel = &super::#kernel;

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
