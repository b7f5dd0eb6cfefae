//! Expressions: literals, locals, operators and their promotions, indexing and views, calls of
//! other njit functions.

use super::*;

impl<'a> Cx<'a> {
    /// Checks that `target op= value` fits back into `target`'s type.
    pub(crate) fn binary_result(
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

    pub(crate) fn expr(&mut self, id: ExprId) -> Ty {
        let t = self.expr_inner(id);
        self.exprs[id.0 as usize] = t.clone();
        t
    }

    pub(crate) fn expr_inner(&mut self, id: ExprId) -> Ty {
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
            ExprKind::Global(_) => Ty::Deferred,
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
                    Ty::Tuple(items) if field_position(*n, items.len()).is_some() => {
                        items[field_position(*n, items.len()).expect("checked")].clone()
                    }
                    t if t.is_open() => Ty::Unknown,
                    Ty::Tuple(items) if *n < 0 => {
                        let msg = format!("index {n} is out of range for a shape of {} axes", items.len());
                        self.err_at(id, msg, None);
                        Ty::Unknown
                    }
                    t => {
                        self.err_at(id, format!("no field `{n}` on type `{t}`"), None);
                        Ty::Unknown
                    }
                }
            }
            ExprKind::Call { path, args } => self.call(id, path, args),
            ExprKind::Builtin { op, args, dtype } => {
                let dtype = match dtype {
                    None => None,
                    Some(Dtype::Named(s)) => Some(*s),
                    Some(Dtype::Of(a)) => match self.expr(*a) {
                        Ty::Array(at) => Some(at.elem),
                        t if t.is_open() => return Ty::Deferred,
                        t => {
                            self.err_at(*a, format!("only arrays have a `dtype`, found `{t}`"), None);
                            return Ty::Unknown;
                        }
                    },
                };
                self.builtin(id, *op, args, dtype)
            }
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
    pub(crate) fn binary(
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
        if self.report && op.is_comparison() {
            self.unsigned_against_zero(op, &common, l, r, span);
        }
        Some(if op.is_comparison() { Ty::Scalar(Scalar::Bool) } else { common })
    }

    /// `j >= 0` or `j < 0` (and `0 <= j`, `0 > j`) on an unsigned `j` is always true or always false:
    /// where Python code counting down breaks silently, so an error.
    fn unsigned_against_zero(
        &mut self,
        op: BinOp,
        common: &Ty,
        l: Option<ExprId>,
        r: Option<ExprId>,
        span: (proc_macro2::Span, proc_macro2::Span),
    ) {
        let unsigned = common.scalar().is_some_and(|s| s.is_int() && !s.is_signed());
        let zero = |e: Option<ExprId>| e.is_some_and(|e| matches!(self.f.expr(e).kind, ExprKind::Int(0, _)));
        let always = match op {
            BinOp::Ge if zero(r) => "true",
            BinOp::Lt if zero(r) => "false",
            BinOp::Le if zero(l) => "true",
            BinOp::Gt if zero(l) => "false",
            _ => return,
        };
        if !unsigned {
            return;
        }
        let d = Diag::range(
            span.0,
            span.1,
            format!("this comparison is always {always}: `{common}` is unsigned and never below 0"),
        )
        .help("compare a signed value, `int(j) >= 0`, or count down with `range(n - 1, -1, -1)`");
        self.error(d);
    }

    pub(crate) fn index_int(&mut self, ix: ExprId) {
        let t = self.expr(ix);
        if int_ty(&t) {
            if t.is_literal() {
                self.settle(ix, &Ty::Scalar(Scalar::I64));
            }
        } else if let Ty::Array(a) = &t {
            // NumPy's boolean masks and index arrays.
            let (what, help) = if a.elem == Scalar::Bool {
                ("a boolean mask", "loop and test each element: `for i in range(len(a)) { if mask[i] { … a[i] … } }`")
            } else {
                ("an array of indices", "loop over the indices: `for k in range(len(idx)) { … a[idx[k]] … }`")
            };
            self.err_at(
                ix,
                format!("indexing with {what} (`{t}`) is not supported in njit functions yet"),
                Some(help.into()),
            );
        } else if !t.is_open() {
            self.err_at(
                ix,
                format!("array indices must be integers, found `{t}`"),
                Some("convert with `as usize` or `as i64`".into()),
            );
        }
    }

    pub(crate) fn index(&mut self, id: ExprId, base: ExprId, indices: &[IndexArg]) -> Ty {
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
        // A mask or an index array was reported; what it gives is unknown, not another error.
        let array_index = |cx: &Self, x: &ExprId| matches!(cx.exprs[x.0 as usize], Ty::Array(_));
        if indices.iter().any(|i| matches!(i, IndexArg::At(x) if array_index(self, x))) {
            return Ty::Unknown;
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

    pub(crate) fn call(&mut self, id: ExprId, path: &str, args: &[ExprId]) -> Ty {
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
}
