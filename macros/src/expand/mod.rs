//! Expansion of `#[njit]`: check the body, then emit
//! - the user's fn, same name, visibility, docs and attributes, whose body calls `name::try_call` and
//!   panics with the error's message on a run-time error (`_` parameters and `-> _` become hidden
//!   type parameters the caller's types fill in);
//! - two private statics: the description (the body's position-preserving text, options and
//!   callees) and the dispatcher holding it, whose table the runtime fills at first call;
//! - a module of the same name with `try_call`, the introspection helpers, and `__rjit_check`, which
//!   callers use to have rustc check their calls against this function's real signature.
//!
//! Generated code names only `::rjit::…` paths, never the user's imports.

use crate::attr::{self, Options};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use rjit_front::boundary::{Bound, Subst};
use rjit_front::hir::ExprKind;
use rjit_front::{Diag, Scalar, Ty};
use syn::spanned::Spanned;

mod emit;
pub(crate) use emit::*;

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
            if let Some((span, msg)) = floor_division_comment(&input, false) {
                return syn::Error::new(span, msg).to_compile_error();
            }
            let msg = if mentions_np_where(input.clone()) {
                "`np.where` is not Rust syntax, as `where` is a keyword\n\nhelp: write `np.where_(cond, a, b)` (or `np.r#where(cond, a, b)`)".to_string()
            } else {
                e.to_string()
            };
            return syn::Error::new(e.span(), msg).to_compile_error();
        }
    };
    let mut errors: Vec<syn::Error> = Vec::new();
    if let Some((span, msg)) = floor_division_comment(&input, true) {
        errors.push(syn::Error::new(span, msg));
    }
    let options = attr::parse(args).unwrap_or_else(|e| {
        errors.push(e);
        Options { boundscheck: true, ..Options::default() }
    });
    if let (false, Some(span), None) = (options.boundscheck, options.boundscheck_span, &item.sig.unsafety) {
        errors.push(to_syn(&Diag::new(span, "`boundscheck = false` is allowed only on an `unsafe fn`").help(
            "an out-of-bounds index without checks is undefined behaviour: declare the function `unsafe fn` so its callers promise valid indices",
        )));
    }
    let generics = match rjit_front::boundary::generics(&item.sig.generics) {
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
            globals: Vec::new(),
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
    let body = emit(
        &item,
        &options,
        &checked.callees,
        &checked.globals,
        &call_checks,
        &generics,
        errors.is_empty(),
        checked.returns,
    );
    quote!(#(#compile_errors)* #body)
}

struct Checked {
    errors: Vec<syn::Error>,
    /// Each njit function called: its path, the span of its first call.
    callees: Vec<(String, Span)>,
    /// Each module-level constant named: its name, the span of its first use.
    globals: Vec<(String, Span)>,
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
        globals: Vec::new(),
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
        let f = match rjit_front::lower_fn(item, 1, subst, rjit_front::Globals::Open) {
            Ok(f) => f,
            Err(diags) => {
                diags.iter().for_each(|d| report(&mut out, d));
                break;
            }
        };
        if n == 0 {
            out.callees = collect_callees(&f);
            out.globals = f.globals.clone();
            out.declared = Some((f.params.iter().map(|p| p.ty.clone()).collect(), f.ret.clone()));
            out.errors.extend(check_sigs(o, item));
        }
        match rjit_front::check(&f, None, &rjit_front::NoCallees) {
            Ok(typed) => {
                if n == 0 {
                    out.returns = returns_kind(&f, &typed);
                    out.call_checks.extend(result_write_checks(&f));
                }
                rjit_front::prange::check(&f, &typed).iter().for_each(|d| report(&mut out, d));
                let shared = rjit_front::prange::shared_call_args(&f, &typed);
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
        if let ExprKind::Method {
            method:
                rjit_front::builtins::Method::Fill
                | rjit_front::builtins::Method::Shuffle
                | rjit_front::builtins::Method::Sort,
            recv,
            ..
        } = &e.kind
        {
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

/// Python's floor division written as is (`h = n // 2`): Rust reads a comment, so the expression
/// ends at `n`. Found in the body's source text. When the body parsed anyway (`return n // 2`
/// silently returns `n`), only a comment that starts with a number or is a parenthesized
/// arithmetic expression counts, as prose comments do not; when it did not parse, any comment that reads as an expression.
fn floor_division_comment(input: &TokenStream, parsed: bool) -> Option<(Span, String)> {
    use proc_macro2::{Delimiter, TokenTree};
    let body = input.clone().into_iter().filter_map(|t| match t {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(g),
        _ => None,
    });
    let body = body.last()?;
    let text = body.span().source_text()?;
    let start = body.span().start();
    for (k, line) in text.lines().enumerate() {
        let Some(pos) = line.find("//") else { continue };
        let (code, comment) = (&line[..pos], &line[pos + 2..]);
        if comment.starts_with(['/', '!']) || code.matches('"').count() % 2 == 1 {
            continue;
        }
        let code = code.trim_end();
        let operand = comment.trim();
        let ends_operand = code.ends_with(|c: char| c.is_alphanumeric() || "_)]".contains(c));
        let looks_like = !parsed
            || operand.starts_with(|c: char| c.is_ascii_digit())
            || (operand.starts_with('(') && operand.contains(['+', '-', '*', '/', '%']));
        if !ends_operand || operand.is_empty() || !looks_like || syn::parse_str::<syn::Expr>(operand).is_err() {
            continue;
        }
        let line_no = start.line + k;
        let column = code.chars().count() + if k == 0 { start.column } else { 0 };
        let at = last_token_ending(body.stream(), line_no, column).unwrap_or_else(|| body.span());
        let lhs = at.source_text().unwrap_or_default();
        return Some((
            at,
            format!("`{lhs} // {operand}` is `{lhs}` followed by a comment: in Rust `//` starts a comment\n\nhelp: Python's floor division is `/` on integers (`{lhs} / {operand}`, rounding toward zero, as `//` does for non-negative numbers); on floats write `np.floor({lhs} / {operand})`"),
        ));
    }
    None
}

/// The span of the token (or group) ending at `line`:`column`.
fn last_token_ending(tokens: TokenStream, line: usize, column: usize) -> Option<Span> {
    use proc_macro2::TokenTree;
    for t in tokens {
        let end = t.span().end();
        if end.line == line && end.column == column {
            return Some(t.span());
        }
        if let TokenTree::Group(g) = &t {
            if let Some(s) = last_token_ending(g.stream(), line, column) {
                return Some(s);
            }
        }
    }
    None
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
            let subst = rjit_front::boundary::bind(item, &sig.params);
            let f = rjit_front::lower_fn(item, 1, &subst, rjit_front::Globals::Open).ok()?;
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
