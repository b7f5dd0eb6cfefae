//! Type inference and checking of a lowered function (DSL.md §3–4).
//!
//! Two passes over one walker. The first runs to a fixpoint, joining every assignment into its
//! variable's type (`s = 0.0; s += h[i]` makes `s` an `f32`), reporting nothing. Literals still
//! undecided in variables then default (`i64`, `f64`). The second pass checks every expression
//! against those types, reports mistakes, and settles each literal to the type its context gives.
//! The result is a side table: a type per expression and per local.

use crate::builtins::{Alloc, Builtin, Math1, Math2, Method, Reduce};
use crate::diag::{Diag, Diags};
use crate::hir::*;
use crate::ty::{converts_implicitly, join, ArrayTy, Layout, Scalar, Ty};
use std::collections::HashMap;

/// A callee's signature as a call site sees it: parameter types with the caller's layouts filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct CalleeSig {
    pub params: Vec<Ty>,
    pub ret: Ty,
}

/// How the checker learns about other njit functions. The macro cannot see them and answers
/// `None` (their results are `Deferred`); the runtime answers from their embedded source.
pub trait Callees {
    fn signature(&self, path: &str, args: &[Ty]) -> Option<Result<CalleeSig, String>>;
}

/// The checker's answer when no callee can be seen.
pub struct NoCallees;
impl Callees for NoCallees {
    fn signature(&self, _: &str, _: &[Ty]) -> Option<Result<CalleeSig, String>> {
        None
    }
}

/// The side table: the type of every expression and local, and each call's callee signature.
#[derive(Debug)]
pub struct Typed {
    pub exprs: Vec<Ty>,
    /// Whether each expression was an unsuffixed literal (or made only of them) before defaulting.
    pub literal: Vec<bool>,
    pub locals: Vec<Ty>,
    pub ret: Ty,
    pub calls: HashMap<ExprId, CalleeSig>,
}

impl Typed {
    pub fn expr(&self, id: ExprId) -> &Ty {
        &self.exprs[id.0 as usize]
    }
    pub fn local(&self, id: LocalId) -> &Ty {
        &self.locals[id.0 as usize]
    }
}

/// Checks `f` with the given parameter types (`None`: the declared ones).
pub fn check(f: &Function, params: Option<&[Ty]>, callees: &dyn Callees) -> Result<Typed, Vec<Diag>> {
    let mut locals: Vec<Ty> = f.locals.iter().map(|l| l.declared.clone().unwrap_or(Ty::Unknown)).collect();
    if let Some(ps) = params {
        for (p, t) in f.params.iter().zip(ps) {
            locals[p.local.0 as usize] = t.clone();
        }
    }
    let mut cx = Cx {
        f,
        callees,
        locals,
        exprs: vec![Ty::Unknown; f.exprs.len()],
        calls: HashMap::new(),
        diags: Diags::default(),
        report: false,
        changed: false,
        returned: Vec::new(),
    };
    for _ in 0..32 {
        cx.changed = false;
        cx.body();
        if !cx.changed {
            break;
        }
    }
    for t in &mut cx.locals {
        *t = t.defaulted();
    }
    cx.report = true;
    cx.exprs.iter_mut().for_each(|t| *t = Ty::Unknown);
    cx.body();
    if !cx.diags.is_empty() {
        return Err(cx.diags.0);
    }
    let literal = cx.exprs.iter().map(Ty::is_literal).collect();
    let exprs = cx.exprs.iter().map(Ty::defaulted).collect();
    let ret = if f.ret == Ty::Unknown {
        // `-> _`: the join of every value returned.
        match cx.returned.iter().try_fold(Ty::Unknown, |a, t| join(&a, t)) {
            Some(Ty::Unknown) => Ty::Unit,
            Some(t) => t.defaulted(),
            None => {
                let d = Diag::new(f.ret_span, "the values this function returns have incompatible types")
                    .help("convert them to one type, or declare the return type");
                return Err(vec![d]);
            }
        }
    } else {
        cx.returned.iter().fold(f.ret.clone(), |r, t| returned_ty(&r, t))
    };
    Ok(Typed { exprs, literal, locals: cx.locals, ret, calls: cx.calls })
}

/// The return type refined by one returned value: arrays take the join of the returned values'
/// layouts and mutability (a declared `Array1<T>` may be a fresh array or a view of an argument).
fn returned_ty(declared: &Ty, value: &Ty) -> Ty {
    match (declared, value) {
        (Ty::Array(d), Ty::Array(v)) => {
            let (layout, mutable) = if d.layout == Layout::Any && !d.mutable {
                (v.layout, v.mutable)
            } else {
                (d.layout.join(v.layout), d.mutable && v.mutable)
            };
            Ty::Array(ArrayTy { layout, mutable, ..*d })
        }
        (Ty::Tuple(ds), Ty::Tuple(vs)) if ds.len() == vs.len() => {
            Ty::Tuple(ds.iter().zip(vs).map(|(d, v)| returned_ty(d, v)).collect())
        }
        (d, _) => d.clone(),
    }
}

struct Cx<'a> {
    f: &'a Function,
    callees: &'a dyn Callees,
    locals: Vec<Ty>,
    exprs: Vec<Ty>,
    calls: HashMap<ExprId, CalleeSig>,
    diags: Diags,
    /// Second pass: report mistakes (the first pass only infers).
    report: bool,
    /// Second pass: the types of every value returned.
    returned: Vec<Ty>,
    changed: bool,
}

fn int_ty(t: &Ty) -> bool {
    matches!(t, Ty::IntLit) || t.scalar().is_some_and(Scalar::is_int)
}
fn bool_ty(t: &Ty) -> bool {
    *t == Ty::Scalar(Scalar::Bool)
}
fn numeric(t: &Ty) -> bool {
    t.is_literal() || t.scalar().is_some_and(Scalar::is_numeric)
}

/// Whether a literal's value fits the integer type it settles to.
fn int_fits(v: u128, s: Scalar) -> bool {
    match s {
        Scalar::I8 => v <= i8::MAX as u128 + 1,
        Scalar::I16 => v <= i16::MAX as u128 + 1,
        Scalar::I32 => v <= i32::MAX as u128 + 1,
        Scalar::I64 | Scalar::Isize => v <= i64::MAX as u128 + 1,
        Scalar::U8 => v <= u8::MAX as u128,
        Scalar::U16 => v <= u16::MAX as u128,
        Scalar::U32 => v <= u32::MAX as u128,
        Scalar::U64 | Scalar::Usize => v <= u64::MAX as u128,
        _ => true,
    }
}

impl<'a> Cx<'a> {
    fn error(&mut self, d: Diag) {
        if self.report {
            self.diags.push(d);
        }
    }

    fn at(&self, id: ExprId) -> Diag {
        let e = self.f.expr(id);
        Diag::range(e.span, e.end, String::new())
    }

    fn err_at(&mut self, id: ExprId, msg: impl Into<String>, help: Option<String>) {
        let mut d = self.at(id);
        d.msg = msg.into();
        d.help = help;
        self.error(d);
    }

    fn body(&mut self) {
        let f = self.f;
        let t = self.block(&f.body);
        if let Some(tail) = f.body.tail {
            let ret = f.ret.clone();
            self.coerce(tail, &ret, "the return type");
        } else if !t.is_open() && f.ret != Ty::Unit && !block_diverges(&f.body) {
            let d = Diag::new(
                f.ret_span,
                format!("this njit function returns `{}`, but its body can end without a value", f.ret),
            )
            .help("end the body with the value to return, or `return` it");
            self.error(d);
        }
    }

    /// The type a block produces: its tail's, `()` without one, `Unknown` (bottom) when it diverges.
    fn block(&mut self, b: &Block) -> Ty {
        for s in &b.stmts {
            self.stmt(s);
        }
        match b.tail {
            Some(t) => self.expr(t),
            None if block_diverges(b) => Ty::Unknown,
            None => Ty::Unit,
        }
    }

    fn assign_local(&mut self, local: LocalId, value: ExprId, vt: &Ty) {
        let i = local.0 as usize;
        if !self.report {
            if self.f.local(local).declared.is_none() {
                if let Some(j) = join(&self.locals[i], vt) {
                    if j != self.locals[i] {
                        self.locals[i] = j;
                        self.changed = true;
                    }
                }
            }
            return;
        }
        let target = self.locals[i].clone();
        let name = self.f.local(local).name.clone();
        self.coerce(value, &target, &format!("the variable `{name}`"));
    }

    fn bind(&mut self, pat: &Pat, value: Option<ExprId>, vt: &Ty) {
        match pat {
            Pat::Wild => {}
            Pat::Bind(l) => match value {
                Some(v) => self.assign_local(*l, v, vt),
                None => self.assign_ty(*l, vt),
            },
            Pat::Tuple(items, span) => match vt {
                Ty::Tuple(ts) if ts.len() == items.len() => {
                    for (p, t) in items.iter().zip(ts) {
                        self.bind(p, None, t);
                    }
                }
                t if t.is_open() => {
                    for p in items {
                        self.bind(p, None, t);
                    }
                }
                t => {
                    let d = Diag::new(*span, format!("expected a tuple of {} values, found `{t}`", items.len()));
                    self.error(d);
                }
            },
        }
    }

    /// Assigns a type with no expression behind it (a part of a destructured tuple).
    fn assign_ty(&mut self, local: LocalId, vt: &Ty) {
        let i = local.0 as usize;
        if self.f.local(local).declared.is_some() {
            return;
        }
        if let Some(j) = join(&self.locals[i], &vt.defaulted()) {
            if j != self.locals[i] && !self.report {
                self.locals[i] = j;
                self.changed = true;
            }
        }
    }

    fn place_assign(&mut self, place: &Place, value: ExprId, vt: &Ty) {
        match place {
            Place::Local(l, _) => self.assign_local(*l, value, vt),
            Place::Index(ix) => {
                let target = self.index_place(*ix);
                match (target, vt) {
                    // `a[lo..hi] = x` fills the view; `a[lo..hi] = b` copies an array of its shape.
                    (Ty::Array(view), Ty::Array(b)) => {
                        if b.ndim > view.ndim || !converts_implicitly(b.elem, view.elem) {
                            self.err_at(value, format!("cannot copy a `{b}` into a `{view}`"), Some("copy an array that broadcasts to the view's shape, whose elements convert by widening".into()));
                        }
                    }
                    (Ty::Array(view), _) => self.coerce(value, &Ty::Scalar(view.elem), "the array element"),
                    (t, _) => self.coerce(value, &t, "the array element"),
                }
            }
            Place::Tuple(items, span) => match vt {
                Ty::Tuple(ts) if ts.len() == items.len() => {
                    for (p, t) in items.iter().zip(ts) {
                        if let Place::Local(l, _) = p {
                            self.assign_ty(*l, t);
                        } else if let Place::Tuple(v, _) = p {
                            if !v.is_empty() {
                                let d = Diag::new(*span, "nested tuple assignment is not supported");
                                self.error(d);
                            }
                        } else {
                            let d = Diag::new(*span, "tuple assignment takes variable names only");
                            self.error(d);
                        }
                    }
                }
                t if t.is_open() || items.is_empty() => {}
                t => {
                    let d = Diag::new(*span, format!("expected a tuple of {} values, found `{t}`", items.len()));
                    self.error(d);
                }
            },
        }
    }

    /// The type of an indexed place, checking that the array is writable.
    fn index_place(&mut self, ix: ExprId) -> Ty {
        let t = self.expr(ix);
        if let ExprKind::Index(base, _) = &self.f.expr(ix).kind {
            if let Some(a) = self.exprs[base.0 as usize].array() {
                if !a.mutable {
                    let name = self.describe(*base);
                    self.err_at(
                        *base,
                        format!("cannot assign through {name}: it is a read-only array"),
                        Some(format!(
                            "take the parameter as writable: `ArrayViewMut{n}<{e}>`, `&mut Array{n}<{e}>`{slice}",
                            n = a.ndim,
                            e = a.elem.rust_name(),
                            slice = if a.ndim == 1 {
                                format!(" or `&mut [{}]`", a.elem.rust_name())
                            } else {
                                String::new()
                            }
                        )),
                    );
                }
            }
        }
        t
    }

    fn describe(&self, id: ExprId) -> String {
        match &self.f.expr(id).kind {
            ExprKind::Local(l) => format!("`{}`", self.f.local(*l).name),
            _ => "this expression".to_string(),
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Let { pat, init } => {
                let t = self.expr(*init);
                self.bind(pat, Some(*init), &t);
            }
            Stmt::Assign { place, value } => {
                let t = self.expr(*value);
                self.place_assign(place, *value, &t);
            }
            Stmt::OpAssign { op, place, value, span } => self.op_assign(*op, place, *value, *span),
            Stmt::Expr(e) => {
                self.expr(*e);
            }
            Stmt::While { cond, body } => {
                self.expect_bool(*cond, "a `while` condition");
                self.block(body);
            }
            Stmt::Loop { body } => {
                self.block(body);
            }
            Stmt::For { var, range, body, .. } => {
                let mut parts = vec![range.stop];
                parts.extend(range.start);
                parts.extend(range.step);
                let mut t = Ty::Unknown;
                for p in &parts {
                    let pt = self.expr(*p);
                    if !int_ty(&pt) && !pt.is_open() {
                        self.err_at(
                            *p,
                            format!("range bounds must be integers, found `{pt}`"),
                            Some("convert with `as i64` or `as usize`".into()),
                        );
                    }
                    t = join(&t, &pt).unwrap_or(t);
                }
                let t = t.defaulted();
                for p in &parts {
                    self.settle(*p, &t);
                }
                if let Some(v) = var {
                    self.assign_ty(*v, &t);
                }
                self.block(body);
            }
            Stmt::ForIn { var, array, body } => {
                let t = self.expr(*array);
                let item = match &t {
                    Ty::Array(a) if a.ndim == 1 => Ty::Scalar(a.elem),
                    Ty::Array(a) => Ty::Array(a.row()),
                    t if t.is_open() => Ty::Unknown,
                    t => {
                        self.err_at(
                            *array,
                            format!("`for` iterates over an array or a range, found `{t}`"),
                            Some("write `for i in range(n)`".into()),
                        );
                        Ty::Unknown
                    }
                };
                if let Some(v) = var {
                    self.assign_ty(*v, &item);
                }
                self.block(body);
            }
            Stmt::Break(_) | Stmt::Continue(_) => {}
            Stmt::Return(value, span) => {
                let ret = self.f.ret.clone();
                match value {
                    Some(v) => {
                        self.expr(*v);
                        self.coerce(*v, &ret, "the return type");
                    }
                    None if ret != Ty::Unit && !ret.is_open() => {
                        let d = Diag::new(*span, format!("`return` needs a value of type `{ret}`"));
                        self.error(d);
                    }
                    None => {}
                }
            }
            Stmt::Assert { cond, .. } => self.expect_bool(*cond, "an `assert!` condition"),
            Stmt::Print { args, .. } => {
                for a in args {
                    let t = self.expr(*a);
                    if !t.is_scalar_like() && !t.is_open() {
                        self.err_at(*a, format!("`print` takes numbers and booleans, found `{t}`"), None);
                    }
                }
            }
        }
    }

    fn expect_bool(&mut self, e: ExprId, what: &str) {
        let t = self.expr(e);
        if !bool_ty(&t) && !t.is_open() {
            self.err_at(
                e,
                format!("{what} must be a `bool`, found `{t}`"),
                Some("compare explicitly, e.g. `x != 0`".into()),
            );
        }
    }

    fn op_assign(&mut self, op: BinOp, place: &Place, value: ExprId, span: proc_macro2::Span) {
        let vt = self.expr(value);
        let (pt, local) = match place {
            Place::Local(l, _) => (self.locals[l.0 as usize].clone(), Some(*l)),
            Place::Index(ix) => (self.index_place(*ix), None),
            Place::Tuple(..) => {
                self.error(Diag::new(span, "compound assignment needs a variable or an array element on its left"));
                return;
            }
        };
        if let Ty::Array(a) = &pt {
            // In place, element-wise: `h /= h.sum()`.
            if let (Some(l), false) = (local, a.mutable) {
                let name = self.f.local(l).name.clone();
                self.error(Diag::new(span, format!("cannot update `{name}` in place: it is a read-only array")).help(
                    format!("take the parameter as writable, e.g. `ArrayViewMut{}<{}>`", a.ndim, a.elem.rust_name()),
                ));
            }
            let elem = Ty::Scalar(a.elem);
            match &vt {
                Ty::Array(b) if b.ndim > a.ndim => {
                    self.err_at(
                        value,
                        format!("cannot combine a {}-D array into a {}-D array in place", b.ndim, a.ndim),
                        Some("the right side must broadcast to the left side's shape".into()),
                    );
                }
                Ty::Array(b) => self.binary_result(op, &elem, &Ty::Scalar(b.elem), Some(value), span, &elem),
                t => self.binary_result(op, &elem, t, Some(value), span, &elem),
            };
            return;
        }
        if !self.report {
            // First pass: join the result into the variable (`s = 0; s += 0.5` makes `s` an `f64`).
            let Some(l) = local.filter(|l| self.f.local(*l).declared.is_none()) else { return };
            let rt =
                if pt == Ty::Unknown { Some(vt) } else { self.binary(op, &pt, &vt, None, Some(value), (span, span)) };
            if let Some(j) = rt.and_then(|rt| join(&self.locals[l.0 as usize], &rt)) {
                if j != self.locals[l.0 as usize] {
                    self.locals[l.0 as usize] = j;
                    self.changed = true;
                }
            }
            return;
        }
        self.binary_result(op, &pt, &vt, Some(value), span, &pt);
    }

    /// Checks that `target op= value` fits back into `target`'s type.
    fn binary_result(
        &mut self,
        op: BinOp,
        target: &Ty,
        vt: &Ty,
        value: Option<ExprId>,
        span: proc_macro2::Span,
        store: &Ty,
    ) {
        let Some(rt) = self.binary(op, target, vt, None, value, (span, span)) else { return };
        if let (Some(r), Some(s)) = (rt.scalar(), store.scalar()) {
            if !(converts_implicitly(r, s) || (op.is_shift() && r == s)) {
                self.error(
                    Diag::new(span, format!("`{}=` would store a `{r}` into a `{s}`", op.symbol()))
                        .help(format!("convert the right side first: `… {}= x as {s}`", op.symbol())),
                );
            }
        }
    }

    fn expr(&mut self, id: ExprId) -> Ty {
        let t = self.expr_inner(id);
        self.exprs[id.0 as usize] = t.clone();
        t
    }

    fn expr_inner(&mut self, id: ExprId) -> Ty {
        let f = self.f;
        let e = f.expr(id);
        match &e.kind {
            ExprKind::Int(v, suffix) => match suffix {
                Some(s) => {
                    if !int_fits(*v, *s) {
                        self.err_at(id, format!("literal out of range for `{s}`", s = s.rust_name()), None);
                    }
                    Ty::Scalar(*s)
                }
                None => Ty::IntLit,
            },
            ExprKind::Float(_, suffix) => suffix.map(Ty::Scalar).unwrap_or(Ty::FloatLit),
            ExprKind::Bool(_) => Ty::Scalar(Scalar::Bool),
            ExprKind::Local(l) => self.locals[l.0 as usize].clone(),
            ExprKind::Error => Ty::Unknown,
            ExprKind::Unary(op, inner) => {
                let t = self.expr(*inner);
                match (op, &t) {
                    (_, t) if t.is_open() => t.clone(),
                    (UnOp::Neg, Ty::Array(a)) if a.elem.is_signed() || a.elem.is_float() || a.elem.is_complex() => {
                        elementwise(a.elem, &[&t])
                    }
                    (UnOp::Not, Ty::Array(a)) if a.elem == Scalar::Bool || a.elem.is_int() => {
                        elementwise(a.elem, &[&t])
                    }
                    (UnOp::Neg, Ty::IntLit | Ty::FloatLit) => t.clone(),
                    (UnOp::Neg, Ty::Scalar(s)) if s.is_signed() || s.is_float() || s.is_complex() => t.clone(),
                    (UnOp::Not, Ty::Scalar(s)) if *s == Scalar::Bool || s.is_int() => t.clone(),
                    (UnOp::Not, Ty::IntLit) => t.clone(),
                    _ => {
                        let sym = if *op == UnOp::Neg { "-" } else { "!" };
                        self.err_at(id, format!("cannot apply unary operator `{sym}` to type `{t}`"), None);
                        Ty::Unknown
                    }
                }
            }
            ExprKind::Binary(op, l, r) => {
                let lt = self.expr(*l);
                let rt = self.expr(*r);
                self.binary(*op, &lt, &rt, Some(*l), Some(*r), (e.span, e.end)).unwrap_or(Ty::Unknown)
            }
            ExprKind::Cast(inner, to) => {
                let t = self.expr(*inner);
                match &t {
                    Ty::IntLit if to.is_int() || to.is_float() || to.is_complex() => {
                        let target = if to.is_int() { Ty::Scalar(*to) } else { Ty::Scalar(Scalar::I64) };
                        self.settle(*inner, &target);
                    }
                    Ty::FloatLit => {
                        self.settle(*inner, &Ty::Scalar(if *to == Scalar::F32 { Scalar::F32 } else { Scalar::F64 }))
                    }
                    Ty::Scalar(s) if s.is_complex() && !to.is_complex() => {
                        self.err_at(
                            id,
                            format!("cannot cast a complex `{s}` to `{to}`", s = s.rust_name(), to = to.rust_name()),
                            Some("take a part first: `z.re` or `z.im`".into()),
                        );
                    }
                    Ty::Scalar(_) | Ty::Unknown | Ty::Deferred => {}
                    other => self.err_at(
                        id,
                        format!("cannot cast `{other}` to `{}`", to.rust_name()),
                        Some("only scalars can be cast with `as`".into()),
                    ),
                }
                Ty::Scalar(*to)
            }
            ExprKind::Index(base, indices) => self.index(id, *base, indices),
            ExprKind::Tuple(items) => Ty::Tuple(items.iter().map(|i| self.expr(*i)).collect()),
            ExprKind::Field(base, n) => {
                let t = self.expr(*base);
                match &t {
                    Ty::Tuple(items) if (*n as usize) < items.len() => items[*n as usize].clone(),
                    t if t.is_open() => Ty::Unknown,
                    t => {
                        self.err_at(id, format!("no field `{n}` on type `{t}`"), None);
                        Ty::Unknown
                    }
                }
            }
            ExprKind::Call { path, args } => self.call(id, path, args),
            ExprKind::Builtin { op, args, dtype } => self.builtin(id, *op, args, *dtype),
            ExprKind::Method { method, recv, args } => self.method(id, *method, *recv, args),
            ExprKind::If { cond, then, els } => {
                self.expect_bool(*cond, "an `if` condition");
                let tt = self.block(then);
                match els {
                    None => Ty::Unit,
                    Some(e) => {
                        let et = self.expr(*e);
                        match join(&tt, &et) {
                            Some(j) => {
                                if let Some(t) = then.tail {
                                    self.settle(t, &j.defaulted());
                                }
                                self.settle(*e, &j.defaulted());
                                j
                            }
                            None => {
                                self.err_at(
                                    id,
                                    format!("`if` and `else` have incompatible types: `{tt}` and `{et}`"),
                                    None,
                                );
                                Ty::Unknown
                            }
                        }
                    }
                }
            }
            ExprKind::Block(b) => self.block(b),
        }
    }

    /// The type of `l op r`, settling literal operands. `None` after reporting a mistake.
    fn binary(
        &mut self,
        op: BinOp,
        lt: &Ty,
        rt: &Ty,
        l: Option<ExprId>,
        r: Option<ExprId>,
        span: (proc_macro2::Span, proc_macro2::Span),
    ) -> Option<Ty> {
        if lt.is_open() || rt.is_open() {
            return Some(if op.is_comparison() || op.is_logical() { Ty::Scalar(Scalar::Bool) } else { Ty::Deferred });
        }
        let sym = op.symbol();
        let mismatch = |cx: &mut Self, help: Option<String>| {
            let mut d = Diag::range(span.0, span.1, format!("cannot apply `{sym}` to `{lt}` and `{rt}`"));
            d.help = help;
            cx.error(d);
            None
        };
        if matches!(lt, Ty::Array(_)) || matches!(rt, Ty::Array(_)) {
            // Element-wise, with NumPy broadcasting: the scalar rules on the elements.
            if op.is_logical() {
                return mismatch(self, Some("on `bool` arrays, use `&` and `|` (element-wise)".into()));
            }
            let l_scalar = if matches!(lt, Ty::Array(_)) { None } else { l };
            let r_scalar = if matches!(rt, Ty::Array(_)) { None } else { r };
            let st = self.binary(op, &elem_of(lt), &elem_of(rt), l_scalar, r_scalar, span)?;
            return Some(elementwise(st.defaulted().scalar()?, &[lt, rt]));
        }
        if !lt.is_scalar_like() || !rt.is_scalar_like() {
            return mismatch(self, None);
        }
        if op.is_logical() {
            if bool_ty(lt) && bool_ty(rt) {
                return Some(Ty::Scalar(Scalar::Bool));
            }
            return mismatch(self, Some("`&&` and `||` take `bool` operands".into()));
        }
        if op.is_shift() {
            if int_ty(lt) && int_ty(rt) {
                if let Some(r) = r {
                    let t = if rt.is_literal() { Ty::Scalar(Scalar::U32) } else { rt.clone() };
                    self.settle(r, &t);
                }
                return Some(lt.clone());
            }
            return mismatch(self, Some("shifts take integer operands".into()));
        }
        let either_bool = bool_ty(lt) || bool_ty(rt);
        if either_bool {
            let both = bool_ty(lt) && bool_ty(rt);
            if both && (op.is_bitwise() || matches!(op, BinOp::Eq | BinOp::Ne)) {
                return Some(Ty::Scalar(Scalar::Bool));
            }
            return mismatch(
                self,
                Some("`bool` takes no part in arithmetic; convert it with `b as i64` or `b as f64`".into()),
            );
        }
        let Some(common) = join(lt, rt) else { return mismatch(self, None) };
        let complex = common.scalar().is_some_and(Scalar::is_complex);
        if op.is_bitwise() && !int_ty(&common) {
            return mismatch(self, Some("bitwise operators take integers (or two `bool`s)".into()));
        }
        if complex && (op == BinOp::Rem || matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)) {
            return mismatch(self, Some("complex numbers have no order and no remainder".into()));
        }
        if self.report {
            let settled = common.defaulted();
            for side in [l, r].into_iter().flatten() {
                self.settle(side, &settled);
            }
        }
        Some(if op.is_comparison() { Ty::Scalar(Scalar::Bool) } else { common })
    }

    fn index_int(&mut self, ix: ExprId) {
        let t = self.expr(ix);
        if int_ty(&t) {
            if t.is_literal() {
                self.settle(ix, &Ty::Scalar(Scalar::I64));
            }
        } else if !t.is_open() {
            self.err_at(
                ix,
                format!("array indices must be integers, found `{t}`"),
                Some("convert with `as usize` or `as i64`".into()),
            );
        }
    }

    fn index(&mut self, id: ExprId, base: ExprId, indices: &[IndexArg]) -> Ty {
        let bt = self.expr(base);
        for arg in indices {
            match arg {
                IndexArg::At(ix) => self.index_int(*ix),
                IndexArg::Range(lo, hi) => {
                    for x in [lo, hi].into_iter().flatten() {
                        self.index_int(*x);
                    }
                }
            }
        }
        match bt {
            Ty::Array(a) => {
                let k = indices.len();
                if k > usize::from(a.ndim) {
                    self.err_at(id, format!("too many indices: {k} for a {}-D array", a.ndim), None);
                    return Ty::Unknown;
                }
                let ints = indices.iter().filter(|i| matches!(i, IndexArg::At(_))).count();
                if ints == usize::from(a.ndim) {
                    return Ty::Scalar(a.elem);
                }
                Ty::Array(ArrayTy { ndim: a.ndim - ints as u8, layout: view_layout(a, indices), ..a })
            }
            t if t.is_open() => Ty::Unknown,
            t => {
                self.err_at(
                    base,
                    format!("cannot index into a value of type `{t}`"),
                    Some("only arrays can be indexed".into()),
                );
                Ty::Unknown
            }
        }
    }

    fn call(&mut self, id: ExprId, path: &str, args: &[ExprId]) -> Ty {
        // Literals stay undecided here: they take the callee's parameter types, and never decide a
        // generic callee's type parameters.
        let arg_tys: Vec<Ty> = args.iter().map(|a| self.expr(*a)).collect();
        if arg_tys.iter().any(Ty::is_open) {
            return Ty::Deferred;
        }
        match self.callees.signature(path, &arg_tys) {
            None => Ty::Deferred,
            Some(Err(msg)) => {
                self.err_at(id, msg, None);
                Ty::Unknown
            }
            Some(Ok(sig)) => {
                if sig.params.len() != args.len() {
                    self.err_at(
                        id,
                        format!("`{path}` takes {} argument(s), but {} were supplied", sig.params.len(), args.len()),
                        None,
                    );
                    return Ty::Unknown;
                }
                for (a, p) in args.iter().zip(&sig.params) {
                    self.coerce(*a, p, &format!("a parameter of `{path}`"));
                }
                let ret = sig.ret.clone();
                if self.report {
                    self.calls.insert(id, sig);
                }
                ret
            }
        }
    }

    fn builtin(&mut self, id: ExprId, op: Builtin, args: &[ExprId], dtype: Option<Scalar>) -> Ty {
        let tys: Vec<Ty> = args.iter().map(|a| self.expr(*a)).collect();
        if tys.iter().any(Ty::is_open) {
            return Ty::Deferred;
        }
        match op {
            Builtin::Const(_) => Ty::FloatLit,
            Builtin::Alloc(kind) => {
                let ndim = match &tys[0] {
                    t if int_ty(t) => {
                        self.settle(args[0], &Ty::Scalar(Scalar::Usize));
                        1
                    }
                    Ty::Tuple(items) if (1..=4).contains(&items.len()) && items.iter().all(int_ty) => {
                        if let ExprKind::Tuple(parts) = &self.f.expr(args[0]).kind {
                            for p in parts {
                                self.settle(*p, &Ty::Scalar(Scalar::Usize));
                            }
                        }
                        items.len() as u8
                    }
                    t => {
                        self.err_at(
                            args[0],
                            format!("an array shape is an integer or a tuple of 1 to 4 integers, found `{t}`"),
                            None,
                        );
                        return Ty::Unknown;
                    }
                };
                let elem = match (kind, dtype) {
                    (_, Some(d)) => d,
                    (Alloc::Full, None) => match tys[1].defaulted().scalar() {
                        Some(s) => s,
                        None => {
                            self.err_at(args[1], "the fill value must be a scalar", None);
                            return Ty::Unknown;
                        }
                    },
                    _ => Scalar::F64,
                };
                if kind == Alloc::Full {
                    self.coerce(args[1], &Ty::Scalar(elem), "the array's dtype");
                }
                Ty::Array(ArrayTy { elem, ndim, layout: Layout::C, mutable: true })
            }
            Builtin::Math1(m) => self.math1(id, m, args[0], &tys[0]),
            Builtin::Abs => self.abs(args[0], &tys[0]),
            Builtin::Math2(m) if tys.iter().any(|t| matches!(t, Ty::Array(_))) => {
                let (x, y) = (elem_of(&tys[0]), elem_of(&tys[1]));
                let ok = |t: &Ty| numeric(t) && !t.scalar().is_some_and(Scalar::is_complex);
                if !ok(&x) || !ok(&y) {
                    self.err_at(id, format!("expected real numbers, found `{}` and `{}`", tys[0], tys[1]), None);
                    return Ty::Unknown;
                }
                let Some(j) = join(&x, &y) else { return Ty::Unknown };
                let j = match m {
                    Math2::Arctan2 if int_ty(&j) => Ty::Scalar(Scalar::F64),
                    _ => j.defaulted(),
                };
                for (a, t) in args.iter().zip(&tys) {
                    if !matches!(t, Ty::Array(_)) {
                        self.settle(*a, &j);
                    }
                }
                elementwise(j.scalar().unwrap_or(Scalar::F64), &[&tys[0], &tys[1]])
            }
            Builtin::Math2(m) => {
                for (a, t) in args.iter().zip(&tys) {
                    if !numeric(t) || t.scalar().is_some_and(Scalar::is_complex) {
                        self.err_at(*a, format!("expected a real number, found `{t}`"), None);
                        return Ty::Unknown;
                    }
                }
                let Some(j) = join(&tys[0], &tys[1]) else { return Ty::Unknown };
                let j = match m {
                    Math2::Arctan2 if int_ty(&j) => Ty::Scalar(Scalar::F64),
                    Math2::Arctan2 => j.defaulted(),
                    _ => j.defaulted(),
                };
                for a in args {
                    self.settle(*a, &j);
                }
                j
            }
            Builtin::Dtype(to) if args.len() == 2 => {
                let part = Ty::Scalar(to.real_part());
                self.coerce(args[0], &part, "the real part");
                self.coerce(args[1], &part, "the imaginary part");
                Ty::Scalar(to)
            }
            Builtin::Dtype(to) if matches!(tys[0], Ty::Array(_)) => {
                let from = elem_of(&tys[0]).scalar().expect("an element type");
                if from.is_complex() && !to.is_complex() {
                    self.err_at(
                        args[0],
                        format!("cannot convert a complex array to `{}`", to.numpy_name()),
                        Some("take a part first".into()),
                    );
                }
                elementwise(to, &[&tys[0]])
            }
            Builtin::Dtype(to) => {
                let t = &tys[0];
                if !t.is_scalar_like() {
                    self.err_at(args[0], format!("`np.{}` converts a scalar, found `{t}`", to.numpy_name()), None);
                    return Ty::Unknown;
                }
                if t.is_literal() {
                    let lit = if int_ty(t) && to.is_int() { Ty::Scalar(to) } else { t.defaulted() };
                    self.settle(args[0], &lit);
                }
                Ty::Scalar(to)
            }
            Builtin::Reduce(r) => self.reduce(id, r, &tys[0]),
            Builtin::Arg(_) => match &tys[0] {
                Ty::Array(a) if a.elem.is_complex() => {
                    self.err_at(id, "complex numbers have no order: `argmin` and `argmax` do not apply", None);
                    Ty::Unknown
                }
                Ty::Array(_) => Ty::Scalar(Scalar::Usize),
                t => {
                    self.err_at(args[0], format!("expected an array, found `{t}`"), None);
                    Ty::Unknown
                }
            },
            Builtin::Random(kind) => self.random(kind, args, &tys),
            Builtin::Like { .. } => match &tys[0] {
                Ty::Array(a) => {
                    Ty::Array(ArrayTy { elem: dtype.unwrap_or(a.elem), layout: Layout::C, mutable: true, ..*a })
                }
                t => {
                    self.err_at(args[0], format!("expected an array, found `{t}`"), None);
                    Ty::Unknown
                }
            },
            Builtin::Arange | Builtin::Linspace => {
                let mut j = Ty::Unknown;
                for (a, t) in args.iter().zip(&tys) {
                    if !numeric(t) || t.scalar().is_some_and(Scalar::is_complex) {
                        self.err_at(*a, format!("expected a real number, found `{t}`"), None);
                        return Ty::Unknown;
                    }
                    j = join(&j, t).unwrap_or(j);
                }
                let elem = if op == Builtin::Linspace {
                    // `np.linspace(start, stop, num)`: floats; `num` is a count.
                    if !int_ty(&tys[2]) {
                        self.err_at(args[2], format!("the number of points is an integer, found `{}`", tys[2]), None);
                    }
                    self.settle(args[2], &Ty::Scalar(Scalar::I64));
                    let ends = join(&tys[0], &tys[1]).unwrap_or(Ty::FloatLit);
                    match ends.scalar() {
                        Some(Scalar::F32) => Scalar::F32,
                        _ => Scalar::F64,
                    }
                } else {
                    dtype.unwrap_or_else(|| j.defaulted().scalar().unwrap_or(Scalar::I64))
                };
                if op == Builtin::Arange {
                    for a in args {
                        self.settle(*a, &Ty::Scalar(elem));
                    }
                } else {
                    self.settle(args[0], &Ty::Scalar(elem));
                    self.settle(args[1], &Ty::Scalar(elem));
                }
                Ty::Array(ArrayTy { elem, ndim: 1, layout: Layout::C, mutable: true })
            }
            Builtin::Cumsum => match self.reduce(id, Reduce::Sum, &tys[0]) {
                Ty::Scalar(s) => Ty::Array(ArrayTy { elem: s, ndim: 1, layout: Layout::C, mutable: true }),
                t => t,
            },
            Builtin::Dot => self.dot(id, &tys[0], &tys[1]),
            Builtin::Test(_) if matches!(tys[0], Ty::Array(_)) => {
                let e = elem_of(&tys[0]);
                if e.scalar().is_some_and(Scalar::is_complex) || e == Ty::Scalar(Scalar::Bool) {
                    self.err_at(args[0], format!("expected real numbers, found `{}`", tys[0]), None);
                }
                elementwise(Scalar::Bool, &[&tys[0]])
            }
            Builtin::Test(_) => {
                if !numeric(&tys[0]) || tys[0].scalar().is_some_and(Scalar::is_complex) {
                    self.err_at(
                        args[0],
                        format!("expected a real number, found `{}`", tys[0]),
                        Some("test array elements in a loop".into()),
                    );
                }
                if tys[0].is_literal() {
                    self.settle(args[0], &Ty::Scalar(Scalar::F64));
                }
                Ty::Scalar(Scalar::Bool)
            }
            Builtin::Where if tys.iter().any(|t| matches!(t, Ty::Array(_))) => {
                if elem_of(&tys[0]) != Ty::Scalar(Scalar::Bool) {
                    self.err_at(
                        args[0],
                        format!("the condition of `np.where` must be `bool` or a `bool` array, found `{}`", tys[0]),
                        None,
                    );
                }
                match join(&elem_of(&tys[1]), &elem_of(&tys[2])) {
                    Some(j) if j.is_scalar_like() => {
                        let j = j.defaulted();
                        for k in [1, 2] {
                            if !matches!(tys[k], Ty::Array(_)) {
                                self.settle(args[k], &j);
                            }
                        }
                        elementwise(j.scalar().expect("scalar"), &[&tys[0], &tys[1], &tys[2]])
                    }
                    _ => {
                        self.err_at(
                            id,
                            format!("`np.where` cannot choose between `{}` and `{}`", tys[1], tys[2]),
                            None,
                        );
                        Ty::Unknown
                    }
                }
            }
            Builtin::Where => {
                self.expect_bool(args[0], "the condition of `np.where`");
                match join(&tys[1], &tys[2]) {
                    Some(t) if t.is_scalar_like() => {
                        let t = t.defaulted();
                        self.settle(args[1], &t);
                        self.settle(args[2], &t);
                        t
                    }
                    _ => {
                        self.err_at(
                            id,
                            format!("`np.where` chooses between two numbers here, found `{}` and `{}`", tys[1], tys[2]),
                            Some("the array form of `np.where` is not supported yet".into()),
                        );
                        Ty::Unknown
                    }
                }
            }
        }
    }

    /// `np.random.*`: numbers, or arrays of them when a `size` (an integer or a tuple) is given.
    fn random(&mut self, kind: crate::builtins::Random, args: &[ExprId], tys: &[Ty]) -> Ty {
        use crate::builtins::Random;
        let n = kind.params();
        let (elem, want_int) = match kind {
            Random::Seed => (Scalar::U64, true),
            Random::Randint => (Scalar::I64, true),
            _ => (Scalar::F64, false),
        };
        for (a, t) in args[..n].iter().zip(tys) {
            let ok = if want_int { int_ty(t) } else { numeric(t) && !t.scalar().is_some_and(Scalar::is_complex) };
            if !ok {
                let what = if want_int { "an integer" } else { "a real number" };
                self.err_at(*a, format!("expected {what}, found `{t}`"), None);
                return Ty::Unknown;
            }
            let target = if want_int { t.defaulted() } else { Ty::Scalar(Scalar::F64) };
            self.settle(*a, &target);
        }
        if kind == Random::Seed {
            return Ty::Unit;
        }
        let Some(size) = args.get(n) else { return Ty::Scalar(elem) };
        let ndim = match &tys[n] {
            t if int_ty(t) => {
                self.settle(*size, &Ty::Scalar(Scalar::Usize));
                1
            }
            Ty::Tuple(items) if (1..=4).contains(&items.len()) && items.iter().all(int_ty) => {
                if let ExprKind::Tuple(parts) = &self.f.expr(*size).kind {
                    for p in parts {
                        self.settle(*p, &Ty::Scalar(Scalar::Usize));
                    }
                }
                items.len() as u8
            }
            t => {
                self.err_at(*size, format!("a size is an integer or a tuple of 1 to 4 integers, found `{t}`"), None);
                return Ty::Unknown;
            }
        };
        Ty::Array(ArrayTy { elem, ndim, layout: Layout::C, mutable: true })
    }

    /// `np.dot(a, b)` / `a.dot(b)`: 1-D·1-D is a number, 2-D·1-D a vector, 2-D·2-D a matrix.
    fn dot(&mut self, id: ExprId, a: &Ty, b: &Ty) -> Ty {
        match (a, b) {
            (Ty::Array(x), Ty::Array(y)) => {
                let Some(elem) = crate::ty::promote(x.elem, y.elem).filter(|e| e.is_numeric()) else {
                    self.err_at(id, format!("cannot multiply `{x}` by `{y}`"), None);
                    return Ty::Unknown;
                };
                match (x.ndim, y.ndim) {
                    (1, 1) => Ty::Scalar(elem),
                    (2, 1) => Ty::Array(ArrayTy { elem, ndim: 1, layout: Layout::C, mutable: true }),
                    (2, 2) => Ty::Array(ArrayTy { elem, ndim: 2, layout: Layout::C, mutable: true }),
                    (m, n) => {
                        self.err_at(
                            id,
                            format!("`dot` of a {m}-D and a {n}-D array is not supported"),
                            Some("`dot` takes 1-D·1-D, 2-D·1-D or 2-D·2-D".into()),
                        );
                        Ty::Unknown
                    }
                }
            }
            (a, b) => {
                self.err_at(id, format!("`dot` multiplies arrays, found `{a}` and `{b}`"), None);
                Ty::Unknown
            }
        }
    }

    fn float_arg(&mut self, arg: ExprId, t: &Ty, what: &str) -> Option<Scalar> {
        match t {
            Ty::IntLit | Ty::FloatLit => {
                self.settle(arg, &Ty::Scalar(Scalar::F64));
                Some(Scalar::F64)
            }
            Ty::Scalar(s) if s.is_float() => Some(*s),
            Ty::Scalar(s) if s.is_int() => Some(Scalar::F64),
            Ty::Array(_) => {
                self.err_at(
                    arg,
                    format!("`{what}` of a whole array is not supported yet"),
                    Some("apply it element by element in a loop".into()),
                );
                None
            }
            t => {
                self.err_at(arg, format!("`{what}` takes a real number, found `{t}`"), None);
                None
            }
        }
    }

    fn math1(&mut self, _id: ExprId, m: Math1, arg: ExprId, t: &Ty) -> Ty {
        let name = format!("{m:?}").to_lowercase();
        if let Ty::Array(a) = t {
            return match self.float_arg(arg, &Ty::Scalar(a.elem), &name) {
                Some(s) => elementwise(s, &[t]),
                None => Ty::Unknown,
            };
        }
        self.float_arg(arg, t, &name).map(Ty::Scalar).unwrap_or(Ty::Unknown)
    }

    fn abs(&mut self, arg: ExprId, t: &Ty) -> Ty {
        if let Ty::Array(a) = t {
            return match self.abs(arg, &Ty::Scalar(a.elem)) {
                Ty::Scalar(s) => elementwise(s, &[t]),
                other => other,
            };
        }
        match t {
            Ty::Scalar(s) if s.is_complex() => Ty::Scalar(s.real_part()),
            Ty::Scalar(s) if s.is_numeric() => t.clone(),
            Ty::IntLit | Ty::FloatLit => t.clone(),
            t => {
                self.err_at(arg, format!("`abs` takes a number, found `{t}`"), None);
                Ty::Unknown
            }
        }
    }

    fn reduce(&mut self, id: ExprId, r: Reduce, t: &Ty) -> Ty {
        let Ty::Array(a) = t else {
            self.err_at(id, format!("`{}` reduces an array, found `{t}`", format!("{r:?}").to_lowercase()), None);
            return Ty::Unknown;
        };
        let e = a.elem;
        Ty::Scalar(match r {
            Reduce::Sum | Reduce::Prod => match e {
                Scalar::Bool => Scalar::I64,
                s if s.is_signed() => Scalar::I64,
                s if s.is_unsigned() => Scalar::U64,
                s => s,
            },
            Reduce::Min | Reduce::Max => {
                if e.is_complex() {
                    self.err_at(id, "complex numbers have no order: `min` and `max` do not apply", None);
                }
                e
            }
            Reduce::Mean => {
                if e.is_int() || e == Scalar::Bool {
                    Scalar::F64
                } else {
                    e
                }
            }
        })
    }

    fn method(&mut self, id: ExprId, m: Method, recv: ExprId, args: &[ExprId]) -> Ty {
        let rt = self.expr(recv);
        let tys: Vec<Ty> = args.iter().map(|a| self.expr(*a)).collect();
        if rt.is_open() || tys.iter().any(Ty::is_open) {
            return Ty::Deferred;
        }
        let usize_t = Ty::Scalar(Scalar::Usize);
        let needs_array = |cx: &mut Self, name: &str| {
            cx.err_at(recv, format!("`.{name}()` needs an array, found `{rt}`"), None);
            Ty::Unknown
        };
        match m {
            Method::Len | Method::Ndim | Method::Size | Method::Shape => {
                let Ty::Array(a) = &rt else {
                    let name = format!("{m:?}").to_lowercase();
                    return needs_array(self, &name);
                };
                if m == Method::Shape {
                    Ty::Tuple(vec![usize_t; usize::from(a.ndim)])
                } else {
                    usize_t
                }
            }
            Method::Reduce(r) => self.reduce(id, r, &rt),
            Method::Copy => match &rt {
                Ty::Array(a) => Ty::Array(ArrayTy { layout: Layout::C, mutable: true, ..*a }),
                _ => needs_array(self, "copy"),
            },
            Method::Fill => match &rt {
                Ty::Array(a) => {
                    if !a.mutable {
                        self.err_at(
                            recv,
                            format!("cannot fill {}: it is a read-only array", self.describe(recv)),
                            Some("take it as writable, e.g. `ArrayViewMut1<T>`".into()),
                        );
                    }
                    self.coerce(args[0], &Ty::Scalar(a.elem), "the array element");
                    Ty::Unit
                }
                _ => needs_array(self, "fill"),
            },
            Method::Argmin | Method::Argmax => match &rt {
                Ty::Array(a) if a.elem.is_complex() => {
                    self.err_at(id, "complex numbers have no order: `argmin` and `argmax` do not apply", None);
                    Ty::Unknown
                }
                Ty::Array(_) => usize_t,
                _ => needs_array(self, "argmax"),
            },
            Method::Dot => self.dot(id, &rt, &tys[0]),
            Method::Re | Method::Im => match &rt {
                Ty::Scalar(s) if s.is_complex() => Ty::Scalar(s.real_part()),
                Ty::Scalar(s) if s.is_float() => rt.clone(),
                t => {
                    self.err_at(recv, format!("`.re` and `.im` are parts of complex numbers, found `{t}`"), None);
                    Ty::Unknown
                }
            },
            Method::Conj => match &rt {
                Ty::Scalar(s) if s.is_complex() || s.is_float() => rt.clone(),
                t => {
                    self.err_at(recv, format!("`.conj()` takes a complex number, found `{t}`"), None);
                    Ty::Unknown
                }
            },
            Method::T => match &rt {
                Ty::Array(a) => {
                    let layout = match a.layout {
                        Layout::C if a.ndim > 1 => Layout::F,
                        Layout::F => Layout::C,
                        l => l,
                    };
                    Ty::Array(ArrayTy { layout, ..*a })
                }
                _ => needs_array(self, "t"),
            },
            Method::Math1(m1) => {
                if let Ty::Scalar(s) = &rt {
                    if s.is_int() {
                        let name = format!("{m1:?}").to_lowercase();
                        self.err_at(
                            id,
                            format!("no method `{name}` on integers"),
                            Some(format!("convert first: `(x as f64).{name}()`, or use `np.{name}(x)`")),
                        );
                        return Ty::Unknown;
                    }
                }
                self.math1(id, m1, recv, &rt)
            }
            Method::Abs => self.abs(recv, &rt),
            Method::MinWith | Method::MaxWith => {
                let ok = |t: &Ty| numeric(t) && !t.scalar().is_some_and(Scalar::is_complex);
                if !ok(&rt) || !ok(&tys[0]) {
                    self.err_at(
                        id,
                        format!("`min`/`max` compare two real numbers, found `{rt}` and `{}`", tys[0]),
                        None,
                    );
                    return Ty::Unknown;
                }
                let Some(j) = join(&rt, &tys[0]) else { return Ty::Unknown };
                if self.report {
                    self.settle(recv, &j.defaulted());
                    self.settle(args[0], &j.defaulted());
                }
                j
            }
            Method::Powi => {
                let Some(s) = self.float_arg(recv, &rt, "powi") else { return Ty::Unknown };
                if !int_ty(&tys[0]) {
                    self.err_at(
                        args[0],
                        format!("`powi` takes an integer exponent, found `{}`", tys[0]),
                        Some("use `powf` for a real exponent".into()),
                    );
                }
                self.settle(args[0], &Ty::Scalar(Scalar::I32));
                Ty::Scalar(s)
            }
            Method::Powf => {
                let Some(s) = self.float_arg(recv, &rt, "powf") else { return Ty::Unknown };
                self.coerce(args[0], &Ty::Scalar(s), "the exponent");
                Ty::Scalar(s)
            }
        }
    }

    /// Checks that the value of `e` may be stored where `target` is expected; settles literals.
    fn coerce(&mut self, e: ExprId, target: &Ty, what: &str) {
        if !self.report {
            self.refine_literal_local(e, target);
            return;
        }
        if what == "the return type" {
            self.returned.push(self.exprs[e.0 as usize].clone());
        }
        let src = self.exprs[e.0 as usize].clone();
        if src.is_open() || target.is_open() {
            return;
        }
        let fail = |cx: &mut Self, help: Option<String>| {
            cx.err_at(e, format!("mismatched types: {what} is `{target}`, found `{src}`"), help);
        };
        match (&src, target) {
            (Ty::IntLit, Ty::Scalar(t)) if t.is_numeric() => self.settle(e, target),
            (Ty::FloatLit, Ty::Scalar(t)) if t.is_float() || t.is_complex() => self.settle(e, target),
            (Ty::FloatLit, Ty::Scalar(t)) if t.is_int() => {
                fail(self, Some(format!("write an integer, or convert with `as {}`", t.rust_name())))
            }
            (Ty::Scalar(s), Ty::Scalar(t)) => {
                if !converts_implicitly(*s, *t) {
                    let help = if *s == Scalar::Bool || *t == Scalar::Bool {
                        None
                    } else {
                        Some(format!("convert explicitly: `… as {}`", t.rust_name()))
                    };
                    fail(self, help);
                }
            }
            (Ty::Array(s), Ty::Array(t)) => {
                if s.elem != t.elem || s.ndim != t.ndim {
                    fail(self, None);
                } else if t.mutable && !s.mutable {
                    self.err_at(e, format!("{what} needs a writable array, but this one is read-only"), None);
                }
            }
            (Ty::Tuple(items), Ty::Tuple(targets)) if items.len() == targets.len() => {
                if let ExprKind::Tuple(parts) = &self.f.expr(e).kind {
                    for (p, t) in parts.iter().zip(targets) {
                        self.coerce(*p, t, what);
                    }
                } else if !items.iter().zip(targets).all(|(a, b)| join(a, b).as_ref() == Some(b)) {
                    fail(self, None);
                }
            }
            (Ty::Unit, Ty::Unit) => {}
            _ => fail(self, None),
        }
    }

    /// First pass: a variable that so far holds only literals takes the type its value is expected
    /// to have (`let mut n = 0; … n` in a function returning `u64` makes `n` a `u64`), as in Rust.
    fn refine_literal_local(&mut self, e: ExprId, target: &Ty) {
        if let (ExprKind::Tuple(parts), Ty::Tuple(ts)) = (&self.f.expr(e).kind, target) {
            for (p, t) in parts.iter().zip(ts) {
                self.refine_literal_local(*p, t);
            }
            return;
        }
        let ExprKind::Local(l) = self.f.expr(e).kind else { return };
        let i = l.0 as usize;
        let Some(s) = target.scalar() else { return };
        let fits = match self.locals[i] {
            Ty::IntLit => s.is_numeric(),
            Ty::FloatLit => s.is_float() || s.is_complex(),
            _ => false,
        };
        if fits && self.f.local(l).declared.is_none() {
            self.locals[i] = target.clone();
            self.changed = true;
        }
    }

    /// Gives undecided literals inside `e` the concrete type `target`.
    fn settle(&mut self, e: ExprId, target: &Ty) {
        let cur = self.exprs[e.0 as usize].clone();
        if !cur.is_literal() {
            return;
        }
        let Some(s) = target.scalar() else { return };
        if matches!(cur, Ty::FloatLit) && s.is_int() {
            return;
        }
        if !s.is_numeric() {
            return;
        }
        self.exprs[e.0 as usize] = target.clone();
        let f = self.f;
        match &f.expr(e).kind {
            ExprKind::Int(v, None) if s.is_int() && !int_fits(*v, s) => {
                self.err_at(e, format!("literal out of range for `{}`", s.rust_name()), None);
            }
            ExprKind::Unary(UnOp::Neg, inner) => {
                if s.is_unsigned() {
                    self.err_at(e, format!("cannot apply unary operator `-` to type `{}`", s.rust_name()), None);
                }
                self.settle(*inner, target)
            }
            ExprKind::Unary(_, inner) => self.settle(*inner, target),
            ExprKind::Binary(op, l, r) if !op.is_comparison() && !op.is_logical() => {
                self.settle(*l, target);
                if !op.is_shift() {
                    self.settle(*r, target);
                }
            }
            ExprKind::If { then, els, .. } => {
                if let Some(t) = then.tail {
                    self.settle(t, target);
                }
                if let Some(x) = els {
                    self.settle(*x, target);
                }
            }
            ExprKind::Block(b) => {
                if let Some(t) = b.tail {
                    self.settle(t, target);
                }
            }
            ExprKind::Method { recv, args, method: Method::Abs | Method::MinWith | Method::MaxWith } => {
                self.settle(*recv, target);
                for a in args {
                    self.settle(*a, target);
                }
            }
            _ => {}
        }
    }
}

/// The element type of an array, or a scalar's own type.
fn elem_of(t: &Ty) -> Ty {
    match t {
        Ty::Array(a) => Ty::Scalar(a.elem),
        t => t.clone(),
    }
}

/// The type of an element-wise result: a fresh C array with the most axes of its operands.
fn elementwise(elem: Scalar, operands: &[&Ty]) -> Ty {
    let ndim = operands.iter().filter_map(|t| t.array()).map(|a| a.ndim).max().unwrap_or(1);
    Ty::Array(ArrayTy { elem, ndim, layout: Layout::C, mutable: true })
}

/// The layout of `a[indices]`: a view of a C array stays C while, after its first range, every axis
/// is taken whole (`a[i]`, `a[lo..hi]`, `a[(i, lo..hi)]`, `a[(lo..hi, ..)]`); anything else is strided.
fn view_layout(a: ArrayTy, indices: &[IndexArg]) -> Layout {
    if a.layout != Layout::C {
        return Layout::Any;
    }
    let mut ranged = false;
    for arg in indices {
        match arg {
            IndexArg::At(_) if ranged => return Layout::Any,
            IndexArg::At(_) => {}
            IndexArg::Range(None, None) => ranged = true,
            IndexArg::Range(..) if ranged => return Layout::Any,
            IndexArg::Range(..) => ranged = true,
        }
    }
    Layout::C
}

/// Whether control never leaves the end of the block (it ends in `return`, `break` or `continue`).
pub fn block_diverges(b: &Block) -> bool {
    b.tail.is_none() && matches!(b.stmts.last(), Some(Stmt::Return(..) | Stmt::Break(_) | Stmt::Continue(_)))
}
