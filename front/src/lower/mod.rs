//! Lowering: syn's syntax tree of an njit function → `hir::Function`.
//!
//! Resolves variable names to locals (Rust's block scoping for `let`; a bare `x = e` to a new name
//! declares a function-wide variable, as in Python), resolves `np.` names and methods through
//! `builtins`, and rejects every construct outside the DSL with a diagnostic naming it.

use crate::boundary::{self, Subst};
use crate::builtins::{Builtin, Method, Random, Reduce};
use crate::diag::{Diag, Diags};
use crate::hir::*;
use crate::ty::{Constant, Globals, Scalar, Ty};
use proc_macro2::Span;
use quote::ToTokens;
use std::collections::HashMap;
use syn::spanned::Spanned;

mod expr;
mod python;
pub(crate) use expr::*;
pub(crate) use python::is_math;

/// Lowers a whole function, with its type parameters replaced as `subst` says. `base_line` is the
/// user-file line of the text's first line (1 when the tokens come straight from rustc). A name
/// that is not a local means what `globals` says.
pub fn lower_fn(item: &syn::ItemFn, base_line: u32, subst: &Subst, globals: Globals) -> Result<Function, Vec<Diag>> {
    let mut cx = Lower {
        outer: match globals {
            Globals::None => Outer::None,
            Globals::Open => Outer::Open,
            Globals::Frozen(v) => Outer::Frozen(v.iter().map(|(n, c)| (n.to_string(), *c)).collect()),
        },
        globals: Vec::new(),
        exprs: Vec::new(),
        locals: Vec::new(),
        scopes: vec![HashMap::new()],
        diags: Diags::default(),
        loop_depth: 0,
        subst: subst.clone(),
        bare_scope: 0,
    };
    let sig = &item.sig;
    if let Err(d) = boundary::generics(&sig.generics) {
        cx.error(d);
    }
    if let Some(a) = &sig.asyncness {
        cx.error(Diag::new(a.span, "an njit function cannot be `async`"));
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => cx.error(Diag::spanned(r, "an njit function cannot take `self`")),
            syn::FnArg::Typed(pt) => {
                let ty = match boundary::param_ty(&pt.ty, &cx.subst) {
                    Ok(t) => t,
                    Err(d) => {
                        cx.error(d);
                        Ty::Unknown
                    }
                };
                let (name, span) = match &*pt.pat {
                    syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                        (pi.ident.to_string(), pi.ident.span())
                    }
                    syn::Pat::Wild(w) => ("_".to_string(), w.span()),
                    other => {
                        cx.error(Diag::spanned(other, "parameters must be plain names"));
                        ("_".to_string(), other.span())
                    }
                };
                let local = cx.declare(&name, Some(ty.clone()), span);
                params.push(Param { local, ty, span });
            }
        }
    }
    let (ret, ret_span) = match &sig.output {
        syn::ReturnType::Default => (Ty::Unit, sig.ident.span()),
        syn::ReturnType::Type(_, t) => match boundary::ret_ty(t, &cx.subst) {
            Ok(ty) => (ty, t.span()),
            Err(d) => {
                cx.error(d);
                (Ty::Unknown, t.span())
            }
        },
    };
    let body = cx.block(&item.block);
    if !cx.diags.is_empty() {
        return Err(cx.diags.0);
    }
    Ok(Function {
        name: sig.ident.to_string(),
        name_span: sig.ident.span(),
        is_unsafe: sig.unsafety.is_some(),
        params,
        ret,
        ret_span,
        body,
        exprs: cx.exprs,
        locals: cx.locals,
        globals: cx.globals,
        base_line,
    })
}

struct Lower {
    exprs: Vec<Expr>,
    locals: Vec<Local>,
    scopes: Vec<HashMap<String, LocalId>>,
    diags: Diags,
    loop_depth: u32,
    subst: Subst,
    /// The scope a bare `x = e` declares a new name in: the function's, or inside a `prange` body
    /// that body's (each iteration's own, as Numba makes such names private).
    bare_scope: usize,
    outer: Outer,
    /// The module-level constants named so far (`Outer::Open`).
    globals: Vec<(String, Span)>,
}

/// What a name that is not a local resolves to (see `Globals`).
enum Outer {
    None,
    Open,
    Frozen(HashMap<String, Constant>),
}

impl Lower {
    fn error(&mut self, d: Diag) {
        self.diags.push(d);
    }

    fn declare(&mut self, name: &str, declared: Option<Ty>, span: Span) -> LocalId {
        let id = LocalId(self.locals.len() as u32);
        self.locals.push(Local { name: name.to_string(), declared, span });
        if name != "_" {
            self.scopes.last_mut().expect("scope").insert(name.to_string(), id);
        }
        id
    }

    fn resolve(&self, name: &str) -> Option<LocalId> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    fn push(&mut self, kind: ExprKind, node: &impl ToTokens) -> ExprId {
        let (span, end) = crate::diag::span_range(node);
        self.push_at(kind, span, end)
    }

    fn push_at(&mut self, kind: ExprKind, span: Span, end: Span) -> ExprId {
        let id = ExprId(self.exprs.len() as u32);
        self.exprs.push(Expr { kind, span, end });
        id
    }

    fn unsupported(&mut self, node: &impl ToTokens, what: &str) -> ExprId {
        self.error(Diag::spanned(node, format!("{what} are not supported in njit functions")));
        self.push(ExprKind::Error, node)
    }

    fn scoped<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.scopes.push(HashMap::new());
        let out = f(self);
        self.scopes.pop();
        out
    }

    fn block(&mut self, b: &syn::Block) -> Block {
        self.scoped(|cx| cx.block_inner(b))
    }

    fn block_inner(&mut self, b: &syn::Block) -> Block {
        let mut out = Block::default();
        let n = b.stmts.len();
        for (i, stmt) in b.stmts.iter().enumerate() {
            let last = i + 1 == n;
            match stmt {
                syn::Stmt::Expr(e, None) if last && !is_statement_expr(e) => {
                    out.tail = Some(self.expr(e));
                }
                syn::Stmt::Expr(e, _) => self.stmt_expr(e, &mut out.stmts),
                syn::Stmt::Local(l) => self.local(l, &mut out.stmts),
                syn::Stmt::Macro(m) => self.mac(&m.mac, &mut out.stmts),
                syn::Stmt::Item(item) => {
                    self.error(
                        Diag::spanned(item, "items cannot be declared inside njit functions")
                            .help("move the item out of the function; another njit function can be called by name"),
                    );
                }
            }
        }
        out
    }

    fn local(&mut self, l: &syn::Local, stmts: &mut Vec<Stmt>) {
        let Some(init) = &l.init else {
            self.error(
                Diag::spanned(l, "a `let` without a value is not supported").help("give it a value: `let x = 0.0;`"),
            );
            return;
        };
        if let Some((_, d)) = &init.diverge {
            self.error(Diag::spanned(d, "`let … else` is not supported in njit functions"));
        }
        let value = self.expr(&init.expr);
        // The pattern's names come into scope after the value is lowered (`let x = x + 1;`).
        let pat = self.pat(&l.pat, None);
        stmts.push(Stmt::Let { pat, init: value });
    }

    fn pat(&mut self, p: &syn::Pat, declared: Option<Ty>) -> Pat {
        match p {
            syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                Pat::Bind(self.declare(&pi.ident.to_string(), declared, pi.ident.span()))
            }
            syn::Pat::Wild(_) => Pat::Wild,
            syn::Pat::Type(pt) => {
                let ty = match boundary::local_ty(&pt.ty, &self.subst) {
                    Ok(t) => Some(t),
                    Err(d) => {
                        self.error(d);
                        None
                    }
                };
                self.pat(&pt.pat, ty)
            }
            syn::Pat::Tuple(t) => {
                let items = t.elems.iter().map(|e| self.pat(e, None)).collect();
                Pat::Tuple(items, t.span())
            }
            syn::Pat::Paren(p) => self.pat(&p.pat, declared),
            other => {
                self.error(
                    Diag::spanned(other, "this pattern is not supported in njit functions")
                        .help("bind a name (`let x = …`) or a tuple of names (`let (a, b) = …`)"),
                );
                Pat::Wild
            }
        }
    }

    fn stmt_expr(&mut self, e: &syn::Expr, stmts: &mut Vec<Stmt>) {
        match e {
            syn::Expr::Assign(a) => {
                let value = self.expr(&a.right);
                let before = self.locals.len() as u32;
                let place = self.place(&a.left, true);
                // Inside a `prange` body, a name this assignment declares is the iteration's own: a
                // `let`, which is what the loop's analysis privatizes.
                let fresh = |p: &Place| matches!(p, Place::Local(l, _) if l.0 >= before);
                let private = self.bare_scope != 0
                    && match &place {
                        Place::Local(..) => fresh(&place),
                        Place::Tuple(items, _) => !items.is_empty() && items.iter().all(fresh),
                        Place::Index(_) => false,
                    };
                if private {
                    let pat = |p: &Place| match p {
                        Place::Local(l, _) => Pat::Bind(*l),
                        _ => Pat::Wild,
                    };
                    let pat = match &place {
                        Place::Tuple(items, span) => Pat::Tuple(items.iter().map(pat).collect(), *span),
                        p => pat(p),
                    };
                    stmts.push(Stmt::Let { pat, init: value });
                } else {
                    stmts.push(Stmt::Assign { place, value });
                }
            }
            syn::Expr::Binary(b) if compound_op(&b.op).is_some() => {
                let op = compound_op(&b.op).expect("checked");
                let value = self.expr(&b.right);
                let place = self.place(&b.left, false);
                stmts.push(Stmt::OpAssign { op, place, value, span: b.op.span() });
            }
            syn::Expr::While(w) => {
                self.no_label(&w.label);
                let cond = self.expr(&w.cond);
                let body = self.loop_body(&w.body);
                stmts.push(Stmt::While { cond, body });
            }
            syn::Expr::Loop(l) => {
                self.no_label(&l.label);
                let body = self.loop_body(&l.body);
                stmts.push(Stmt::Loop { body });
            }
            syn::Expr::ForLoop(f) => self.for_loop(f, stmts),
            syn::Expr::Break(b) => {
                self.no_label(&b.label);
                if let Some(v) = &b.expr {
                    self.error(Diag::spanned(v, "`break` with a value is not supported"));
                }
                self.check_in_loop(b.break_token.span, "break");
                stmts.push(Stmt::Break(b.break_token.span));
            }
            syn::Expr::Continue(c) => {
                self.no_label(&c.label);
                self.check_in_loop(c.continue_token.span, "continue");
                stmts.push(Stmt::Continue(c.continue_token.span));
            }
            syn::Expr::Return(r) => {
                let value = r.expr.as_ref().map(|v| self.expr(v));
                stmts.push(Stmt::Return(value, r.return_token.span));
            }
            syn::Expr::Macro(m) => self.mac(&m.mac, stmts),
            syn::Expr::Call(c) if path_name(&c.func).as_deref() == Some("print") => {
                let (mut args, mut texts) = (Vec::new(), Vec::new());
                for a in &c.args {
                    match a {
                        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                            texts.push((args.len(), s.value()))
                        }
                        a => args.push(self.expr(a)),
                    }
                }
                stmts.push(Stmt::Print { args, texts, span: c.func.span() });
            }
            other => {
                let id = self.expr(other);
                stmts.push(Stmt::Expr(id));
            }
        }
    }

    fn check_in_loop(&mut self, span: Span, what: &str) {
        if self.loop_depth == 0 {
            self.error(Diag::new(span, format!("`{what}` outside of a loop")));
        }
    }

    fn no_label(&mut self, label: &Option<impl ToTokens>) {
        if let Some(l) = label {
            self.error(Diag::spanned(l, "loop labels are not supported in njit functions"));
        }
    }

    fn loop_body(&mut self, b: &syn::Block) -> Block {
        self.loop_depth += 1;
        let body = self.block(b);
        self.loop_depth -= 1;
        body
    }

    fn for_loop(&mut self, f: &syn::ExprForLoop, stmts: &mut Vec<Stmt>) {
        self.no_label(&f.label);
        let span = f.for_token.span;
        let (range, parallel) = match &*f.expr {
            syn::Expr::Call(c) if matches!(path_name(&c.func).as_deref(), Some("range" | "prange")) => {
                let parallel = path_name(&c.func).as_deref() == Some("prange");
                let args: Vec<ExprId> = c.args.iter().map(|a| self.expr(a)).collect();
                let range = match args.as_slice() {
                    [stop] => Range { start: None, stop: *stop, step: None },
                    [start, stop] => Range { start: Some(*start), stop: *stop, step: None },
                    [start, stop, step] => Range { start: Some(*start), stop: *stop, step: Some(*step) },
                    _ => {
                        let name = if parallel { "prange" } else { "range" };
                        self.error(
                            Diag::spanned(c, format!("`{name}` takes 1 to 3 arguments, found {}", args.len())).help(
                                format!("write `{name}(stop)`, `{name}(start, stop)` or `{name}(start, stop, step)`"),
                            ),
                        );
                        let stop = self.push(ExprKind::Error, c);
                        Range { start: None, stop, step: None }
                    }
                };
                (range, parallel)
            }
            syn::Expr::Range(r) if matches!(r.limits, syn::RangeLimits::HalfOpen(_)) && r.end.is_some() => {
                let start = r.start.as_ref().map(|s| self.expr(s));
                let stop = self.expr(r.end.as_ref().expect("checked"));
                (Range { start, stop, step: None }, false)
            }
            syn::Expr::Tuple(syn::ExprTuple { elems, .. }) | syn::Expr::Array(syn::ExprArray { elems, .. }) => {
                self.for_literal(f, elems.iter().collect(), stmts);
                return;
            }
            syn::Expr::Call(c)
                if matches!(path_name(&c.func).as_deref(), Some("enumerate" | "zip"))
                    && self.resolve(&path_name(&c.func).unwrap_or_default()).is_none() =>
            {
                self.for_zip(f, c, stmts);
                return;
            }
            other => {
                let array = self.expr(other);
                let (var, body) = self.loop_var_and_body(f);
                stmts.push(Stmt::ForIn { var, array, body });
                return;
            }
        };
        let outer = self.bare_scope;
        if parallel {
            // `loop_var_and_body` opens the body's scope at this depth.
            self.bare_scope = self.scopes.len();
        }
        let (var, body) = self.loop_var_and_body(f);
        self.bare_scope = outer;
        stmts.push(Stmt::For { var, range, body, parallel, span });
    }

    /// `for d in (-1, 0, 1)` / `for d in [a, b]`: the items are evaluated once, before the loop,
    /// into locals of their own, and the loop counts through them:
    /// `for k in range(n) { let d = if k == 0 { t0 } else if … else { tn }; body }`. `break` and
    /// `continue` keep their meaning.
    fn for_literal(&mut self, f: &syn::ExprForLoop, items: Vec<&syn::Expr>, stmts: &mut Vec<Stmt>) {
        let span = f.for_token.span;
        if items.is_empty() {
            self.error(Diag::spanned(&f.expr, "a `for` loop over an empty literal never runs").help("remove the loop"));
            return;
        }
        let held: Vec<LocalId> = items
            .iter()
            .enumerate()
            .map(|(k, item)| {
                let init = self.expr(item);
                let id = LocalId(self.locals.len() as u32);
                self.locals.push(Local { name: format!("for_item{k}"), declared: None, span });
                stmts.push(Stmt::Let { pat: Pat::Bind(id), init });
                id
            })
            .collect();
        let node = &f.expr;
        let (counter, var, mut body) = self.scoped(|cx| {
            let counter = LocalId(cx.locals.len() as u32);
            cx.locals.push(Local { name: "for_index".into(), declared: None, span });
            let (var, body) = cx.loop_var_and_body(f);
            (counter, var, body)
        });
        // The selector, from the last item back: `if k == i { t_i } else { … }`.
        let block_of = |cx: &mut Self, id: LocalId| {
            let tail = cx.push(ExprKind::Local(id), node);
            Block { stmts: Vec::new(), tail: Some(tail), is_unsafe: false }
        };
        let last = block_of(self, held[held.len() - 1]);
        let mut select = self.push(ExprKind::Block(last), node);
        for (k, id) in held.iter().enumerate().rev().skip(1) {
            let at = self.push(ExprKind::Local(counter), node);
            let lit = self.push(ExprKind::Int(k as u128, Some(Scalar::Usize)), node);
            let cond = self.push(ExprKind::Binary(BinOp::Eq, at, lit), node);
            let then = block_of(self, *id);
            select = self.push(ExprKind::If { cond, then, els: Some(select) }, node);
        }
        if let Some(v) = var {
            body.stmts.insert(0, Stmt::Let { pat: Pat::Bind(v), init: select });
        }
        let stop = self.push(ExprKind::Int(held.len() as u128, Some(Scalar::Usize)), node);
        let range = Range { start: None, stop, step: None };
        stmts.push(Stmt::For { var: Some(counter), range, body, parallel: false, span });
    }

    /// `for (i, x) in enumerate(a)`, `enumerate(a, start)` and `for (x, y, …) in zip(a, b, …)`, as
    /// Python and Numba mean them, over arrays (the elements of a 1-D one, the rows of an n-D one):
    /// the arrays are evaluated once, before the loop, and the loop counts to the shortest length:
    /// `for k in range(min(len(a), len(b))) { let x = a[k]; let y = b[k]; body }`. The index is a
    /// `usize`, as `range(len(a))` is.
    fn for_zip(&mut self, f: &syn::ExprForLoop, c: &syn::ExprCall, stmts: &mut Vec<Stmt>) {
        let span = f.for_token.span;
        let node = &f.expr;
        let enumerate = path_name(&c.func).as_deref() == Some("enumerate");
        let args: Vec<&syn::Expr> = c.args.iter().collect();
        let (seqs, start) = match (enumerate, args.as_slice()) {
            (true, [a]) => (vec![*a], None),
            (true, [a, s]) => (vec![*a], Some(*s)),
            (false, xs) if xs.len() >= 2 => (xs.to_vec(), None),
            _ => {
                let msg = if enumerate {
                    "`enumerate` takes an array and an optional start: `enumerate(a)`, `enumerate(a, 1)`"
                } else {
                    "`zip` takes two or more arrays: `zip(a, b)`"
                };
                self.error(Diag::spanned(c, msg));
                return;
            }
        };
        let names = usize::from(enumerate) + seqs.len();
        let example = if enumerate { "for (i, x) in enumerate(a)" } else { "for (x, y) in zip(a, b)" };
        let pats: Vec<Option<(String, Span)>> = match &*f.pat {
            syn::Pat::Tuple(t) if t.elems.len() == names => t
                .elems
                .iter()
                .map(|p| match p {
                    syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                        Some((pi.ident.to_string(), pi.ident.span()))
                    }
                    syn::Pat::Wild(_) => None,
                    other => {
                        self.error(Diag::spanned(other, "each name of the loop's tuple must be a plain name or `_`"));
                        None
                    }
                })
                .collect(),
            other => {
                self.error(
                    Diag::spanned(other, format!("this loop gives {names} values at a time: name each in a tuple"))
                        .help(format!("write `{example}`")),
                );
                return;
            }
        };
        let mut hold = |cx: &mut Self, name: String, e: &syn::Expr, declared: Option<Ty>| {
            let init = cx.expr(e);
            let id = LocalId(cx.locals.len() as u32);
            cx.locals.push(Local { name, declared, span });
            stmts.push(Stmt::Let { pat: Pat::Bind(id), init });
            id
        };
        let held: Vec<LocalId> =
            seqs.iter().enumerate().map(|(k, e)| hold(self, format!("for_seq{k}"), e, None)).collect();
        // The start counts like the index: a `usize`.
        let start = start.map(|e| hold(self, "for_start".into(), e, Some(Ty::Scalar(Scalar::Usize))));
        let len = |cx: &mut Self, id: LocalId| {
            let recv = cx.push(ExprKind::Local(id), node);
            cx.push(ExprKind::Method { method: Method::Len, recv, args: Vec::new() }, node)
        };
        let mut stop = len(self, held[0]);
        for id in &held[1..] {
            let other = len(self, *id);
            stop = self.push(ExprKind::Method { method: Method::MinWith, recv: stop, args: vec![other] }, node);
        }
        let (counter, body) = self.scoped(|cx| {
            let counter = LocalId(cx.locals.len() as u32);
            cx.locals.push(Local { name: "for_index".into(), declared: None, span });
            let mut lets = Vec::new();
            let mut pats = pats.into_iter();
            if enumerate {
                if let Some((name, at)) = pats.next().flatten() {
                    let k = cx.push(ExprKind::Local(counter), node);
                    let init = match start {
                        Some(s) => {
                            let s = cx.push(ExprKind::Local(s), node);
                            cx.push(ExprKind::Binary(BinOp::Add, k, s), node)
                        }
                        None => k,
                    };
                    lets.push(Stmt::Let { pat: Pat::Bind(cx.declare(&name, None, at)), init });
                }
            }
            for (seq, pat) in held.iter().zip(pats) {
                if let Some((name, at)) = pat {
                    let base = cx.push(ExprKind::Local(*seq), node);
                    let k = cx.push(ExprKind::Local(counter), node);
                    let init = cx.push(ExprKind::Index(base, vec![IndexArg::At(k)]), node);
                    lets.push(Stmt::Let { pat: Pat::Bind(cx.declare(&name, None, at)), init });
                }
            }
            let mut body = cx.loop_body(&f.body);
            body.stmts.splice(0..0, lets);
            (counter, body)
        });
        let range = Range { start: None, stop, step: None };
        stmts.push(Stmt::For { var: Some(counter), range, body, parallel: false, span });
    }

    fn loop_var_and_body(&mut self, f: &syn::ExprForLoop) -> (Option<LocalId>, Block) {
        self.scoped(|cx| {
            let var = match &*f.pat {
                syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                    Some(cx.declare(&pi.ident.to_string(), None, pi.ident.span()))
                }
                syn::Pat::Wild(_) => None,
                other => {
                    cx.error(Diag::spanned(other, "a `for` loop variable must be a plain name or `_`"));
                    None
                }
            };
            (var, cx.loop_body(&f.body))
        })
    }

    /// `assert!(cond)`, `assert!(cond, "msg")`; any other macro is an error.
    fn mac(&mut self, m: &syn::Macro, stmts: &mut Vec<Stmt>) {
        let name = m.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if name != "assert" || m.path.segments.len() != 1 {
            self.error(Diag::spanned(m, format!("the macro `{name}!` is not supported in njit functions")).help(
                "njit functions accept `assert!(cond)` and `assert!(cond, \"message\")`; print with `print(a, b)`",
            ));
            return;
        }
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        let args = match syn::parse::Parser::parse2(parser, m.tokens.clone()) {
            Ok(a) => a,
            Err(e) => {
                self.error(Diag::new(e.span(), e.to_string()));
                return;
            }
        };
        let mut it = args.iter();
        let Some(cond_expr) = it.next() else {
            self.error(Diag::spanned(m, "`assert!` needs a condition"));
            return;
        };
        let cond = self.expr(cond_expr);
        let msg = match it.next() {
            None => None,
            Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) => Some(s.value()),
            Some(other) => {
                self.error(Diag::spanned(other, "the message of `assert!` must be a string literal"));
                None
            }
        };
        if let Some(extra) = it.next() {
            self.error(Diag::spanned(
                extra,
                "`assert!` in njit functions takes a condition and a message, nothing more",
            ));
        }
        stmts.push(Stmt::Assert { cond, msg, span: m.path.span() });
    }

    /// The left side of an assignment. `declare` lets a bare name declare a new variable.
    fn place(&mut self, e: &syn::Expr, declare: bool) -> Place {
        match e {
            syn::Expr::Path(p) if p.path.get_ident().is_some() => {
                let ident = p.path.get_ident().expect("checked");
                let name = ident.to_string();
                match self.resolve(&name) {
                    Some(id) => Place::Local(id, ident.span()),
                    None if declare => {
                        // Python-style: the first assignment declares a function-wide variable.
                        let id = LocalId(self.locals.len() as u32);
                        self.locals.push(Local { name: name.clone(), declared: None, span: ident.span() });
                        self.scopes[self.bare_scope].insert(name, id);
                        Place::Local(id, ident.span())
                    }
                    None => {
                        self.error(Diag::spanned(p, format!("cannot find value `{name}` in this scope")));
                        Place::Tuple(Vec::new(), ident.span())
                    }
                }
            }
            syn::Expr::Index(_) => Place::Index(self.expr(e)),
            syn::Expr::Tuple(t) => {
                let items = t.elems.iter().map(|x| self.place(x, declare)).collect();
                Place::Tuple(items, t.span())
            }
            syn::Expr::Paren(p) => self.place(&p.expr, declare),
            syn::Expr::Infer(u) => Place::Tuple(Vec::new(), u.span()),
            other => {
                self.error(
                    Diag::spanned(other, "cannot assign to this expression")
                        .help("assign to a variable (`x = …`) or an array element (`a[i] = …`)"),
                );
                Place::Tuple(Vec::new(), other.span())
            }
        }
    }
}
