//! Statements: the body and blocks, `let` and assignment (locals, elements, views), in-place
//! updates, conditions.

use super::*;

impl<'a> Cx<'a> {
    pub(crate) fn body(&mut self) {
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
    pub(crate) fn block(&mut self, b: &Block) -> Ty {
        for s in &b.stmts {
            self.stmt(s);
        }
        match b.tail {
            Some(t) => self.expr(t),
            None if block_diverges(b) => Ty::Unknown,
            None => Ty::Unit,
        }
    }

    pub(crate) fn assign_local(&mut self, local: LocalId, value: ExprId, vt: &Ty) {
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

    pub(crate) fn bind(&mut self, pat: &Pat, value: Option<ExprId>, vt: &Ty) {
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
    pub(crate) fn assign_ty(&mut self, local: LocalId, vt: &Ty) {
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

    pub(crate) fn place_assign(&mut self, place: &Place, value: ExprId, vt: &Ty) {
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
                    (Ty::Array(view), _) => self.store(value, vt, view.elem),
                    (Ty::Scalar(elem), _) => self.store(value, vt, elem),
                    (t, _) => self.coerce(value, &t, "the array element"),
                }
            }
            Place::Tuple(items, span) => match vt {
                Ty::Tuple(ts) if ts.len() == items.len() => {
                    for (p, t) in items.iter().zip(ts) {
                        if let Place::Local(l, _) = p {
                            self.assign_ty(*l, t);
                        } else if let Place::Index(ix) = p {
                            // `(a[i], a[j]) = (a[j], a[i])`: each element stored as `a[i] = …` is.
                            match self.index_place(*ix) {
                                Ty::Scalar(elem) if self.report && !stores_into(t, elem) => {
                                    let d =
                                        Diag::new(*span, format!("cannot store a `{t}` into an element of `{elem}`"));
                                    self.error(d);
                                }
                                Ty::Array(_) => {
                                    let d = Diag::new(*span, "a tuple assignment stores into elements, not views")
                                        .help("assign each view on its own line");
                                    self.error(d);
                                }
                                _ => {}
                            }
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

    /// `a[i] = value` (or a view filled with it): the value converts to the element type as
    /// Numba's setitem converts (Rust's `as` rules), so a `usize` goes into an `int64` array and a
    /// `float64` into a `float32` one. Literals take the element type when they fit; complex
    /// numbers do not go into real arrays, nor numbers into `bool` ones.
    pub(crate) fn store(&mut self, value: ExprId, vt: &Ty, elem: Scalar) {
        let target = Ty::Scalar(elem);
        match vt {
            Ty::Scalar(s) if self.report && stores_into(vt, elem) && !converts_implicitly(*s, elem) => {}
            Ty::FloatLit if elem.is_int() => self.settle(value, &Ty::Scalar(Scalar::F64)),
            _ => self.coerce(value, &target, "the array element"),
        }
    }

    /// The type of an indexed place, checking that the array is writable.
    pub(crate) fn index_place(&mut self, ix: ExprId) -> Ty {
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

    pub(crate) fn describe(&self, id: ExprId) -> String {
        match &self.f.expr(id).kind {
            ExprKind::Local(l) => format!("`{}`", self.f.local(*l).name),
            _ => "this expression".to_string(),
        }
    }

    pub(crate) fn stmt(&mut self, s: &Stmt) {
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
                let (mut unsigned, mut signed) = (false, false);
                for p in &parts {
                    let pt = self.expr(*p);
                    if !int_ty(&pt) && !pt.is_open() {
                        self.err_at(
                            *p,
                            format!("range bounds must be integers, found `{pt}`"),
                            Some("convert with `as i64` or `as usize`".into()),
                        );
                    }
                    let negative_literal = matches!(&self.f.expr(*p).kind, ExprKind::Unary(UnOp::Neg, _));
                    match pt.scalar() {
                        Some(s) if s.is_int() && !pt.is_literal() => {
                            unsigned |= !s.is_signed();
                            signed |= s.is_signed();
                        }
                        _ => signed |= negative_literal,
                    }
                    t = join(&t, &pt).unwrap_or(t);
                }
                // Unsigned and signed bounds together (`range(a.len() - 1, -1, -1)`) count in i64,
                // as Python's integers would.
                let t = if unsigned && signed { Ty::Scalar(Scalar::I64) } else { t.defaulted() };
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

    pub(crate) fn expect_bool(&mut self, e: ExprId, what: &str) {
        let t = self.expr(e);
        if !bool_ty(&t) && !t.is_open() {
            self.err_at(
                e,
                format!("{what} must be a `bool`, found `{t}`"),
                Some("compare explicitly, e.g. `x != 0`".into()),
            );
        }
    }

    pub(crate) fn op_assign(&mut self, op: BinOp, place: &Place, value: ExprId, span: proc_macro2::Span) {
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
}

/// Whether a value of type `t` may be stored into an element of type `elem` (Numba's setitem):
/// real numbers into real numbers by `as`, anything numeric into complex, `bool` into `bool` and
/// numbers.
fn stores_into(t: &Ty, elem: Scalar) -> bool {
    let Some(s) = t.scalar() else { return t.is_open() || matches!(t, Ty::IntLit | Ty::FloatLit) };
    match (s.is_complex(), elem.is_complex()) {
        (true, false) => false,
        (_, true) => true,
        _ if elem == Scalar::Bool => s == Scalar::Bool,
        _ => true,
    }
}
