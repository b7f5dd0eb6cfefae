//! Lowering: syn's syntax tree of an njit function → `hir::Function`.
//!
//! Resolves variable names to locals (Rust's block scoping for `let`; a bare `x = e` to a new name
//! declares a function-wide variable, as in Python), resolves `np.` names and methods through
//! `builtins`, and rejects every construct outside the DSL with a diagnostic naming it.

use crate::builtins::{Builtin, Method, Random, Reduce};
use crate::diag::{Diag, Diags};
use crate::hir::*;
use crate::sig::{self, Subst};
use crate::ty::{Scalar, Ty};
use proc_macro2::Span;
use quote::ToTokens;
use std::collections::HashMap;
use syn::spanned::Spanned;

/// Lowers a whole function, with its type parameters replaced as `subst` says. `base_line` is the
/// user-file line of the text's first line (1 when the tokens come straight from rustc).
pub fn lower_fn(item: &syn::ItemFn, base_line: u32, subst: &Subst) -> Result<Function, Vec<Diag>> {
    let mut cx = Lower {
        exprs: Vec::new(),
        locals: Vec::new(),
        scopes: vec![HashMap::new()],
        diags: Diags::default(),
        loop_depth: 0,
        subst: subst.clone(),
    };
    let sig = &item.sig;
    if let Err(d) = sig::generics(&sig.generics) {
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
                let ty = match sig::param_ty(&pt.ty, &cx.subst) {
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
        syn::ReturnType::Type(_, t) => match sig::ret_ty(t, &cx.subst) {
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
                let ty = match sig::local_ty(&pt.ty, &self.subst) {
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
                let place = self.place(&a.left, true);
                stmts.push(Stmt::Assign { place, value });
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
            other => {
                let array = self.expr(other);
                let (var, body) = self.loop_var_and_body(f);
                stmts.push(Stmt::ForIn { var, array, body });
                return;
            }
        };
        let (var, body) = self.loop_var_and_body(f);
        stmts.push(Stmt::For { var, range, body, parallel, span });
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
                        self.scopes[0].insert(name, id);
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

    fn expr(&mut self, e: &syn::Expr) -> ExprId {
        match e {
            syn::Expr::Lit(l) => self.lit(&l.lit, e),
            syn::Expr::Path(p) => self.path_expr(p),
            syn::Expr::Paren(p) => self.expr(&p.expr),
            syn::Expr::Group(g) => self.expr(&g.expr),
            syn::Expr::Unary(u) => {
                let op = match u.op {
                    syn::UnOp::Neg(_) => UnOp::Neg,
                    syn::UnOp::Not(_) => UnOp::Not,
                    _ => return self.unsupported(e, "references and dereferences (`*`)"),
                };
                let inner = self.expr(&u.expr);
                self.push(ExprKind::Unary(op, inner), e)
            }
            syn::Expr::Binary(b) => match binary_op(&b.op) {
                Some(op) => {
                    let l = self.expr(&b.left);
                    let r = self.expr(&b.right);
                    self.push(ExprKind::Binary(op, l, r), e)
                }
                None => {
                    self.error(Diag::spanned(e, "compound assignment is a statement in njit functions, not a value"));
                    self.push(ExprKind::Error, e)
                }
            },
            syn::Expr::Cast(c) => {
                let inner = self.expr(&c.expr);
                match sig::scalar_of(&c.ty, &self.subst) {
                    Some(s) => self.push(ExprKind::Cast(inner, s), e),
                    None => {
                        self.error(
                            Diag::spanned(&c.ty, "`as` casts only to a scalar type")
                                .help("write a scalar type such as `f64`, `i64` or `usize`"),
                        );
                        self.push(ExprKind::Error, e)
                    }
                }
            }
            syn::Expr::Index(ix) => {
                let base = self.expr(&ix.expr);
                let indices = match &*ix.index {
                    syn::Expr::Array(a) => a.elems.iter().map(|x| self.index(x)).collect(),
                    syn::Expr::Tuple(t) => t.elems.iter().map(|x| self.index(x)).collect(),
                    other => vec![self.index(other)],
                };
                self.push(ExprKind::Index(base, indices), e)
            }
            syn::Expr::Tuple(t) => {
                let items = t.elems.iter().map(|x| self.expr(x)).collect();
                self.push(ExprKind::Tuple(items), e)
            }
            syn::Expr::Field(f) => self.field(f, e),
            syn::Expr::Call(c) => self.call(c, e),
            syn::Expr::MethodCall(m) => self.method_call(m, e),
            syn::Expr::If(i) => self.if_expr(i, e),
            syn::Expr::Block(b) => {
                self.no_label(&b.label);
                let block = self.block(&b.block);
                self.push(ExprKind::Block(block), e)
            }
            syn::Expr::Unsafe(u) => {
                let mut block = self.block(&u.block);
                block.is_unsafe = true;
                self.push(ExprKind::Block(block), e)
            }
            syn::Expr::Assign(_)
            | syn::Expr::While(_)
            | syn::Expr::Loop(_)
            | syn::Expr::ForLoop(_)
            | syn::Expr::Break(_)
            | syn::Expr::Continue(_)
            | syn::Expr::Return(_) => {
                self.error(Diag::spanned(e, "this statement cannot be used as a value in njit functions"));
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Closure(_) => self.unsupported(e, "closures"),
            syn::Expr::Match(_) => {
                self.error(
                    Diag::spanned(e, "`match` is not supported in njit functions").help("use `if … else if … else`"),
                );
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Struct(_) => self.unsupported(e, "struct expressions"),
            syn::Expr::Reference(_) => {
                self.error(
                    Diag::spanned(e, "references are not supported in njit functions")
                        .help("pass the value itself; arrays are passed as views without copying"),
                );
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Macro(m) => {
                let name = m.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                self.error(Diag::spanned(
                    e,
                    format!("the macro `{name}!` cannot be used as a value in njit functions"),
                ));
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Range(_) => {
                self.error(Diag::spanned(e, "a range can only be the iterable of a `for` loop here"));
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Array(_) | syn::Expr::Repeat(_) => self.unsupported(e, "array literals"),
            syn::Expr::Try(_) => self.unsupported(e, "`?` operators"),
            syn::Expr::Async(_) | syn::Expr::Await(_) => self.unsupported(e, "async blocks and `.await`"),
            _ => self.unsupported(e, "expressions of this kind"),
        }
    }

    fn index(&mut self, e: &syn::Expr) -> IndexArg {
        match e {
            syn::Expr::Range(r) if matches!(r.limits, syn::RangeLimits::HalfOpen(_)) => {
                let lo = r.start.as_ref().map(|x| self.expr(x));
                let hi = r.end.as_ref().map(|x| self.expr(x));
                IndexArg::Range(lo, hi)
            }
            syn::Expr::Range(r) => {
                self.error(
                    Diag::spanned(r, "inclusive ranges (`..=`) are not supported in indices")
                        .help("write `lo..hi + 1`"),
                );
                IndexArg::At(self.push(ExprKind::Error, e))
            }
            other => IndexArg::At(self.expr(other)),
        }
    }

    fn lit(&mut self, lit: &syn::Lit, node: &syn::Expr) -> ExprId {
        let kind = match lit {
            syn::Lit::Bool(b) => ExprKind::Bool(b.value),
            syn::Lit::Int(i) => {
                let suffix = match i.suffix() {
                    "" => None,
                    s => match Scalar::from_rust_name(s) {
                        Some(sc) if sc.is_numeric() && !sc.is_complex() => Some(sc),
                        _ => {
                            self.error(Diag::spanned(node, format!("invalid suffix `{s}` for a number literal")));
                            return self.push(ExprKind::Error, node);
                        }
                    },
                };
                match i.base10_parse::<u128>() {
                    Ok(v) if suffix.is_some_and(|s| s.is_float()) => ExprKind::Float(v as f64, suffix),
                    Ok(v) => ExprKind::Int(v, suffix),
                    Err(err) => {
                        self.error(Diag::spanned(node, err.to_string()));
                        ExprKind::Error
                    }
                }
            }
            syn::Lit::Float(f) => {
                let suffix = match f.suffix() {
                    "" => None,
                    "f32" => Some(Scalar::F32),
                    "f64" => Some(Scalar::F64),
                    s => {
                        self.error(Diag::spanned(node, format!("invalid suffix `{s}` for a float literal")));
                        return self.push(ExprKind::Error, node);
                    }
                };
                match f.base10_parse::<f64>() {
                    Ok(v) => ExprKind::Float(v, suffix),
                    Err(err) => {
                        self.error(Diag::spanned(node, err.to_string()));
                        ExprKind::Error
                    }
                }
            }
            syn::Lit::Str(_) => {
                self.error(Diag::spanned(
                    node,
                    "strings are only allowed as the message of `assert!` and in `print(…)`",
                ));
                ExprKind::Error
            }
            _ => {
                self.error(Diag::spanned(node, "this kind of literal is not supported in njit functions"));
                ExprKind::Error
            }
        };
        self.push(kind, node)
    }

    fn path_expr(&mut self, p: &syn::ExprPath) -> ExprId {
        if let Some(ident) = p.path.get_ident() {
            let name = ident.to_string();
            if let Some(id) = self.resolve(&name) {
                return self.push(ExprKind::Local(id), p);
            }
            let d = match name.as_str() {
                "np" => {
                    Diag::spanned(p, "`np` is a namespace, not a value").help("use a name inside it, e.g. `np.sqrt(x)`")
                }
                "range" | "prange" => Diag::spanned(p, format!("`{name}` can only be the iterable of a `for` loop")),
                _ => Diag::spanned(p, format!("cannot find value `{name}` in this scope")),
            };
            self.error(d);
            return self.push(ExprKind::Error, p);
        }
        self.error(Diag::spanned(p, "paths are only allowed as the names of called njit functions"));
        self.push(ExprKind::Error, p)
    }

    fn field(&mut self, f: &syn::ExprField, node: &syn::Expr) -> ExprId {
        if is_np(&f.base) {
            if let syn::Member::Named(name) = &f.member {
                return match Builtin::lookup(&name.to_string()) {
                    Some(Builtin::Const(v)) => {
                        self.push(ExprKind::Builtin { op: Builtin::Const(v), args: vec![], dtype: None }, node)
                    }
                    Some(Builtin::Dtype(_)) => {
                        self.error(Diag::spanned(node, format!("the dtype `np.{name}` is not a value")).help(format!(
                            "cast with `np.{name}(x)`, or pass it as `dtype = np.{name}` to an array creator"
                        )));
                        self.push(ExprKind::Error, node)
                    }
                    Some(_) => {
                        self.error(
                            Diag::spanned(node, format!("`np.{name}` is a function"))
                                .help(format!("call it: `np.{name}(…)`")),
                        );
                        self.push(ExprKind::Error, node)
                    }
                    None => self.unknown_np(&name.to_string(), node),
                };
            }
        }
        match &f.member {
            syn::Member::Unnamed(index) => {
                let base = self.expr(&f.base);
                self.push(ExprKind::Field(base, index.index), node)
            }
            syn::Member::Named(name) if name == "re" || name == "im" => {
                let recv = self.expr(&f.base);
                let method = if name == "re" { Method::Re } else { Method::Im };
                self.push(ExprKind::Method { method, recv, args: Vec::new() }, node)
            }
            syn::Member::Named(name) => {
                self.error(
                    Diag::spanned(&f.member, format!("no field `{name}` on values in njit functions"))
                        .help("tuples are read with `t.0`; arrays have methods such as `a.len()` and `a.shape()`"),
                );
                self.push(ExprKind::Error, node)
            }
        }
    }

    fn unknown_np(&mut self, name: &str, node: &impl ToTokens) -> ExprId {
        self.error(
            Diag::spanned(node, format!("cannot find `np.{name}` among the NumPy names njit functions support"))
                .help("see the list of supported names in DSL.md §4"),
        );
        self.push(ExprKind::Error, node)
    }

    fn call(&mut self, c: &syn::ExprCall, node: &syn::Expr) -> ExprId {
        let syn::Expr::Path(p) = &*c.func else {
            self.error(Diag::spanned(&c.func, "only named njit functions can be called"));
            return self.push(ExprKind::Error, node);
        };
        if p.qself.is_some() || p.path.segments.iter().any(|s| !s.arguments.is_none()) {
            self.error(Diag::spanned(&c.func, "generic arguments and qualified paths are not supported in calls"));
            return self.push(ExprKind::Error, node);
        }
        let name = path_to_string(&p.path);
        match name.as_str() {
            "range" | "prange" => {
                self.error(Diag::spanned(node, format!("`{name}` can only be the iterable of a `for` loop")));
                return self.push(ExprKind::Error, node);
            }
            "print" => {
                self.error(Diag::spanned(node, "`print(…)` is a statement, not a value"));
                return self.push(ExprKind::Error, node);
            }
            _ => {}
        }
        if p.path.get_ident().and_then(|i| self.resolve(&i.to_string())).is_some() {
            self.error(Diag::spanned(&c.func, format!("`{name}` is a variable, not a function")));
            return self.push(ExprKind::Error, node);
        }
        let args = c.args.iter().map(|a| self.expr(a)).collect();
        self.push(ExprKind::Call { path: name, args }, node)
    }

    fn method_call(&mut self, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        let name = m.method.to_string();
        if let Some(t) = &m.turbofish {
            self.error(Diag::spanned(t, "generic arguments on methods are not supported"));
        }
        if is_np(&m.receiver) {
            return self.np_call(&name, m, node);
        }
        if let syn::Expr::Field(f) = &*m.receiver {
            if is_np(&f.base) {
                let sub = f.member.to_token_stream().to_string();
                if sub == "random" {
                    return self.random_call(&name, m, node);
                }
                self.error(Diag::spanned(node, format!("`np.{sub}.{name}` is not supported")));
                return self.push(ExprKind::Error, node);
            }
        }
        let nargs = m.args.len();
        let method = match (name.as_str(), nargs) {
            ("min", 0) => Some(Method::Reduce(Reduce::Min)),
            ("max", 0) => Some(Method::Reduce(Reduce::Max)),
            _ => Method::lookup(&name),
        };
        let Some(method) = method else {
            self.error(Diag::spanned(&m.method, format!("no method named `{name}` in njit functions"))
                .help("arrays have `len shape ndim size sum prod min max mean`; numbers have `sqrt exp ln abs floor ceil round min max powi powf` and the like"));
            return self.push(ExprKind::Error, node);
        };
        if method.arity() != nargs && !matches!(method, Method::Reduce(_)) {
            self.error(Diag::spanned(node, format!("`.{name}()` takes {} argument(s), found {nargs}", method.arity())));
            return self.push(ExprKind::Error, node);
        }
        if matches!(method, Method::Reduce(_)) && nargs != 0 {
            self.error(
                Diag::spanned(node, format!("`.{name}()` takes no arguments here"))
                    .help("reductions along an axis are not supported yet"),
            );
            return self.push(ExprKind::Error, node);
        }
        let recv = self.expr(&m.receiver);
        let args = m.args.iter().map(|a| self.expr(a)).collect();
        self.push(ExprKind::Method { method, recv, args }, node)
    }

    fn np_call(&mut self, name: &str, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        let Some(op) = Builtin::lookup(name) else {
            return self.unknown_np(name, node);
        };
        let mut args = Vec::new();
        let mut dtype = None;
        for a in &m.args {
            match a {
                syn::Expr::Assign(kw) => {
                    let key = path_name(&kw.left).unwrap_or_default();
                    if key != "dtype" || !matches!(op, Builtin::Alloc(_) | Builtin::Like { .. } | Builtin::Arange) {
                        self.error(Diag::spanned(&kw.left, format!("`np.{name}` has no keyword argument `{key}`")));
                        continue;
                    }
                    match dtype_of(&kw.right) {
                        Some(s) => dtype = Some(s),
                        None => {
                            self.error(Diag::spanned(&kw.right, "expected a dtype such as `np.float64` or `np.uint64`"))
                        }
                    }
                }
                other => args.push(self.expr(other)),
            }
        }
        let (lo, hi) = op.arity();
        if matches!(op, Builtin::Const(_)) {
            self.error(
                Diag::spanned(node, format!("`np.{name}` is a constant, not a function"))
                    .help(format!("write `np.{name}`")),
            );
            return self.push(ExprKind::Error, node);
        }
        if args.len() < lo || args.len() > hi {
            let want = if lo == hi { lo.to_string() } else { format!("{lo} to {hi}") };
            self.error(Diag::spanned(node, format!("`np.{name}` takes {want} argument(s), found {}", args.len())));
            return self.push(ExprKind::Error, node);
        }
        self.push(ExprKind::Builtin { op, args, dtype }, node)
    }

    /// `np.random.<name>(…)`, with NumPy's defaults filled in and `size` (positional or keyword) last.
    fn random_call(&mut self, name: &str, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        if name == "rand" || name == "randn" {
            return self.random_dims_call(name, m, node);
        }
        let Some(kind) = Random::lookup(name) else {
            self.error(
                Diag::spanned(
                    node,
                    format!("cannot find `np.random.{name}` among the generators njit functions support"),
                )
                .help("the supported ones are `seed`, `random`, `uniform`, `normal`, `randint`, `rand` and `randn`"),
            );
            return self.push(ExprKind::Error, node);
        };
        let mut args = Vec::new();
        let mut size = None;
        for a in &m.args {
            match a {
                syn::Expr::Assign(kw) if path_name(&kw.left).as_deref() == Some("size") && kind != Random::Seed => {
                    size = Some(self.expr(&kw.right))
                }
                syn::Expr::Assign(kw) => {
                    let key = path_name(&kw.left).unwrap_or_default();
                    self.error(
                        Diag::spanned(&kw.left, format!("`np.random.{name}` has no keyword argument `{key}`"))
                            .help("pass it by position"),
                    );
                }
                other => args.push(self.expr(other)),
            }
        }
        let (span, end) = crate::diag::span_range(node);
        let lit = |cx: &mut Self, v: f64| cx.push_at(ExprKind::Float(v, None), span, end);
        match kind {
            // NumPy's defaults: `uniform(low=0.0, high=1.0)`, `normal(loc=0.0, scale=1.0)`.
            Random::Uniform | Random::Normal => {
                if args.is_empty() {
                    args.push(lit(self, 0.0));
                }
                if args.len() == 1 {
                    args.push(lit(self, 1.0));
                }
            }
            Random::Randint if args.len() == 1 => {
                let zero = self.push_at(ExprKind::Int(0, None), span, end);
                args.insert(0, zero);
            }
            _ => {}
        }
        if args.len() > kind.params() && size.is_none() {
            size = args.pop();
        }
        if args.len() != kind.params() || (size.is_some() && kind == Random::Seed) {
            self.error(Diag::spanned(
                node,
                format!("`np.random.{name}` takes {} argument(s) here, found {}", kind.params(), m.args.len()),
            ));
            return self.push(ExprKind::Error, node);
        }
        args.extend(size);
        self.push(ExprKind::Builtin { op: Builtin::Random(kind), args, dtype: None }, node)
    }

    /// `np.random.rand(d0, d1, …)` and `np.random.randn(d0, …)`: NumPy's shorthands taking the
    /// dimensions as arguments (none: one number), meaning `random(size)` and
    /// `normal(0.0, 1.0, size)`.
    fn random_dims_call(&mut self, name: &str, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        let mut dims = Vec::new();
        for a in &m.args {
            if let syn::Expr::Assign(kw) = a {
                let key = path_name(&kw.left).unwrap_or_default();
                self.error(
                    Diag::spanned(&kw.left, format!("`np.random.{name}` has no keyword argument `{key}`"))
                        .help(format!("`np.random.{name}(d0, d1, …)` takes the dimensions by position")),
                );
                return self.push(ExprKind::Error, node);
            }
            dims.push(self.expr(a));
        }
        let (span, end) = crate::diag::span_range(node);
        let (kind, mut args) = if name == "rand" {
            (Random::Random, Vec::new())
        } else {
            let lo = self.push_at(ExprKind::Float(0.0, None), span, end);
            let hi = self.push_at(ExprKind::Float(1.0, None), span, end);
            (Random::Normal, vec![lo, hi])
        };
        match dims.len() {
            0 => {}
            1 => args.push(dims[0]),
            _ => args.push(self.push_at(ExprKind::Tuple(dims), span, end)),
        }
        self.push(ExprKind::Builtin { op: Builtin::Random(kind), args, dtype: None }, node)
    }

    fn if_expr(&mut self, i: &syn::ExprIf, node: &syn::Expr) -> ExprId {
        let cond = self.expr(&i.cond);
        let then = self.block(&i.then_branch);
        let els = i.else_branch.as_ref().map(|(_, e)| self.expr(e));
        self.push(ExprKind::If { cond, then, els }, node)
    }
}

/// Expressions that end a block as statements even without a `;` (a trailing `for`, `while`, …).
fn is_statement_expr(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::ForLoop(_)
        | syn::Expr::While(_)
        | syn::Expr::Loop(_)
        | syn::Expr::Assign(_)
        | syn::Expr::Macro(_)
        | syn::Expr::Return(_)
        | syn::Expr::Break(_)
        | syn::Expr::Continue(_) => true,
        syn::Expr::Binary(b) => compound_op(&b.op).is_some(),
        syn::Expr::Call(c) => path_name(&c.func).as_deref() == Some("print"),
        _ => false,
    }
}

fn is_np(e: &syn::Expr) -> bool {
    path_name(e).as_deref() == Some("np")
}

fn path_name(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    }
}

fn path_to_string(p: &syn::Path) -> String {
    let mut s = String::new();
    if p.leading_colon.is_some() {
        s.push_str("::");
    }
    for (i, seg) in p.segments.iter().enumerate() {
        if i > 0 {
            s.push_str("::");
        }
        s.push_str(&seg.ident.to_string());
    }
    s
}

/// `np.float64` (or a bare Rust scalar name) in a `dtype = …` argument.
fn dtype_of(e: &syn::Expr) -> Option<Scalar> {
    match e {
        syn::Expr::Field(f) if is_np(&f.base) => match &f.member {
            syn::Member::Named(n) => Scalar::from_numpy_name(&n.to_string()),
            _ => None,
        },
        syn::Expr::Path(p) => Scalar::from_rust_name(&p.path.get_ident()?.to_string()),
        _ => None,
    }
}

fn binary_op(op: &syn::BinOp) -> Option<BinOp> {
    use syn::BinOp as B;
    Some(match op {
        B::Add(_) => BinOp::Add,
        B::Sub(_) => BinOp::Sub,
        B::Mul(_) => BinOp::Mul,
        B::Div(_) => BinOp::Div,
        B::Rem(_) => BinOp::Rem,
        B::And(_) => BinOp::And,
        B::Or(_) => BinOp::Or,
        B::BitXor(_) => BinOp::BitXor,
        B::BitAnd(_) => BinOp::BitAnd,
        B::BitOr(_) => BinOp::BitOr,
        B::Shl(_) => BinOp::Shl,
        B::Shr(_) => BinOp::Shr,
        B::Eq(_) => BinOp::Eq,
        B::Lt(_) => BinOp::Lt,
        B::Le(_) => BinOp::Le,
        B::Ne(_) => BinOp::Ne,
        B::Ge(_) => BinOp::Ge,
        B::Gt(_) => BinOp::Gt,
        _ => return None,
    })
}

fn compound_op(op: &syn::BinOp) -> Option<BinOp> {
    use syn::BinOp as B;
    Some(match op {
        B::AddAssign(_) => BinOp::Add,
        B::SubAssign(_) => BinOp::Sub,
        B::MulAssign(_) => BinOp::Mul,
        B::DivAssign(_) => BinOp::Div,
        B::RemAssign(_) => BinOp::Rem,
        B::BitXorAssign(_) => BinOp::BitXor,
        B::BitAndAssign(_) => BinOp::BitAnd,
        B::BitOrAssign(_) => BinOp::BitOr,
        B::ShlAssign(_) => BinOp::Shl,
        B::ShrAssign(_) => BinOp::Shr,
        _ => return None,
    })
}
