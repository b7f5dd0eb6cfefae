//! Array methods and reductions: `sum`/`min`/`max`/`mean`…, `fill`, `argmin`/`argmax`,
//! `cumsum`, `dot`.

use super::*;

impl<'a, 'm> FnCx<'a, 'm> {
    pub fn array_method(
        &mut self,
        id: ExprId,
        m: Method,
        a: BasicValueEnum<'static>,
        rt: &Ty,
    ) -> BasicValueEnum<'static> {
        let at = rt.array().expect("array");
        let a = a.into_struct_value();
        match m {
            Method::Len => self.e.dim(a, 1, 0).into(),
            Method::Ndim => self.e.i64c(i64::from(at.ndim)).into(),
            Method::Size => self.e.size(a, &at).into(),
            Method::Shape => {
                let st = self.e.cg.llty(&self.ty(id)).into_struct_type();
                let mut agg = st.get_undef();
                for (k, d) in self.e.shape(a, &at).into_iter().enumerate() {
                    agg = self.e.b().build_insert_value(agg, d, k as u32, "shape").unwrap().into_struct_value();
                }
                agg.into()
            }
            Method::Reduce(r) => self.reduce(id, r, a.into(), rt),
            Method::Copy => {
                let shape = self.e.shape(a, &at);
                let site = self.e.site(self.f.expr(id).span, "");
                let out = self.e.alloc(at.elem, &shape, false, site);
                let c = ArrayTy { layout: Layout::C, ..at };
                for_each(self, &[(a, at), (out, c)], &mut |cx, p| {
                    let x = cx.e.b().build_load(p[0], "x").unwrap();
                    let store = cx.e.b().build_store(p[1], x).unwrap();
                    crate::codegen::alias::tag_fresh_copy(cx.e.cg, x.as_instruction_value(), store);
                });
                out.into()
            }
            Method::Argmin | Method::Argmax => self.arg_extreme(id, m == Method::Argmax, a, &at),
            // A C-contiguous copy, described as 1-D (the copy's reference becomes the result's).
            Method::Ravel | Method::Flatten => {
                let copy = self.array_method(id, Method::Copy, a.into(), rt).into_struct_value();
                let c = ArrayTy { layout: Layout::C, mutable: true, ..at };
                let size = self.e.size(copy, &c);
                let vt = self.ty(id).array().expect("an array");
                let data = self.e.data(copy);
                let meminfo = self.e.meminfo(copy);
                self.e.descriptor(data, &[size], &[self.e.i64c(1)], meminfo, &vt).into()
            }
            Method::T => {
                let vt = self.ty(id).array().expect("an array");
                let mut shape = self.e.shape(a, &at);
                let mut strides = self.e.strides(a, &at);
                shape.reverse();
                strides.reverse();
                let data = self.e.data(a);
                let m = self.e.meminfo(a);
                self.e.descriptor(data, &shape, &strides, m, &vt).into()
            }
            other => unreachable!("method {other:?} on an array; are we missing a diagnostic?"),
        }
    }

    /// `a.fill(x)`.
    pub fn fill(&mut self, a: StructValue<'static>, at: &ArrayTy, x: BasicValueEnum<'static>) {
        let elem = at.elem;
        for_each(self, &[(a, *at)], &mut |cx, p| {
            cx.e.store_elem(p[0], x, elem);
        });
    }

    /// The flat C-order index of the first minimum or maximum (a NaN counts as the extreme, as in NumPy).
    pub fn arg_extreme(
        &mut self,
        id: ExprId,
        max: bool,
        a: StructValue<'static>,
        at: &ArrayTy,
    ) -> BasicValueEnum<'static> {
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let n = self.e.size(a, at);
        let empty = self.e.b().build_int_compare(IntPredicate::EQ, n, self.e.i64c(0), "empty").unwrap();
        let z = self.e.i64c(0);
        self.e.fail_if(empty, site, kind::EMPTY, [z, z, z]);
        let elem = at.elem;
        let best = self.e.alloca(self.e.cg.scalar_ty(elem), "best");
        let best_i = self.e.alloca(self.e.cg.i64().into(), "best_i");
        let k = self.e.alloca(self.e.cg.i64().into(), "k");
        let first = vec![self.e.i64c(0); usize::from(at.ndim)];
        let p0 = self.e.elem_at(a, at, &first);
        let v0 = self.e.load_elem(p0, elem);
        self.e.b().build_store(best, v0).unwrap();
        self.e.b().build_store(best_i, z).unwrap();
        self.e.b().build_store(k, z).unwrap();
        for_each(self, &[(a, *at)], &mut |cx, p| {
            let x = cx.e.load_elem(p[0], elem);
            let cur = cx.e.b().build_load(best, "best").unwrap();
            let i = cx.e.b().build_load(k, "k").unwrap().into_int_value();
            let better = if elem.is_float() {
                let (xf, cf) = (x.into_float_value(), cur.into_float_value());
                let b = cx.e.b();
                let p = if max { inkwell::FloatPredicate::OGT } else { inkwell::FloatPredicate::OLT };
                let strictly = b.build_float_compare(p, xf, cf, "better").unwrap();
                let xnan = b.build_float_compare(inkwell::FloatPredicate::UNO, xf, xf, "xnan").unwrap();
                let cnan = b.build_float_compare(inkwell::FloatPredicate::UNO, cf, cf, "cnan").unwrap();
                let not_cnan = b.build_not(cnan, "not_cnan").unwrap();
                let nan_first = b.build_and(xnan, not_cnan, "nan_first").unwrap();
                b.build_or(strictly, nan_first, "better").unwrap()
            } else {
                let op = if max { BinOp::Gt } else { BinOp::Lt };
                cx.scalar_op(op, x, cur, elem, span).into_int_value()
            };
            let b = cx.e.b();
            let nb = b.build_select(better, x, cur, "best").unwrap();
            let bi = b.build_load(best_i, "best_i").unwrap().into_int_value();
            let ni = b.build_select(better, i, bi, "best_i").unwrap();
            b.build_store(best, nb).unwrap();
            b.build_store(best_i, ni).unwrap();
            let next = b.build_int_add(i, cx.e.i64c(1), "k").unwrap();
            cx.e.b().build_store(k, next).unwrap();
        });
        self.e.b().build_load(best_i, "argextreme").unwrap()
    }
}

impl<'a, 'm> FnCx<'a, 'm> {
    /// `np.cumsum(a)`: the running sums over `a` in C order, as a 1-D array.
    pub fn cumsum(&mut self, id: ExprId, a: BasicValueEnum<'static>, at: &Ty) -> BasicValueEnum<'static> {
        let at = at.array().expect("an array");
        let a = a.into_struct_value();
        let s = self.ty(id).array().expect("an array").elem;
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let n = self.e.size(a, &at);
        let out = self.e.alloc(s, &[n], false, site);
        let data = self.e.data(out);
        let acc = self.e.alloca(self.e.cg.scalar_ty(s), "acc");
        self.e.b().build_store(acc, self.e.cg.scalar_ty(s).const_zero()).unwrap();
        let k = self.e.alloca(self.e.cg.i64().into(), "k");
        self.e.b().build_store(k, self.e.i64c(0)).unwrap();
        let elem = at.elem;
        for_each(self, &[(a, at)], &mut |cx, p| {
            let x = cx.e.load_elem(p[0], elem);
            let x = cx.convert(x, elem, s);
            let cur = cx.e.b().build_load(acc, "acc").unwrap();
            let next = cx.scalar_op(BinOp::Add, cur, x, s, span);
            cx.e.b().build_store(acc, next).unwrap();
            let i = cx.e.b().build_load(k, "k").unwrap().into_int_value();
            let q = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "out") }.unwrap();
            cx.e.store_elem(q, next, s);
            let i1 = cx.e.b().build_int_add(i, cx.e.i64c(1), "k").unwrap();
            cx.e.b().build_store(k, i1).unwrap();
        });
        out.into()
    }

    /// `np.dot(a, b)`: sums of products in order; shapes must agree.
    pub fn dot(
        &mut self,
        id: ExprId,
        a: BasicValueEnum<'static>,
        at: &Ty,
        b: BasicValueEnum<'static>,
        bt: &Ty,
    ) -> BasicValueEnum<'static> {
        let (at, bt) = (at.array().expect("array"), bt.array().expect("array"));
        let (a, b) = (a.into_struct_value(), b.into_struct_value());
        let t = self.ty(id);
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let s = match &t {
            Ty::Scalar(s) => *s,
            Ty::Array(x) => x.elem,
            _ => unreachable!("dot gives a number or an array"),
        };
        // The contracted axis: the last of `a`, the first of `b`.
        let k_a = self.e.dim(a, 1, u32::from(at.ndim) - 1);
        let k_b = self.e.dim(b, 1, 0);
        let differs = self.e.b().build_int_compare(IntPredicate::NE, k_a, k_b, "differs").unwrap();
        let axis = self.e.i64c(i64::from(at.ndim) - 1);
        self.e.fail_if(differs, site, kind::SHAPE, [axis, k_a, k_b]);
        let zero = self.e.cg.scalar_ty(s).const_zero();
        let (ea, eb) = (at.elem, bt.elem);
        // One dot product of `a[i, :]` (or `a`) and `b[:, j]` (or `b`).
        let inner =
            |cx: &mut Self, ia: Option<IntValue<'static>>, jb: Option<IntValue<'static>>| -> BasicValueEnum<'static> {
                let acc = cx.e.alloca(cx.e.cg.scalar_ty(s), "acc");
                cx.e.b().build_store(acc, zero).unwrap();
                crate::codegen::func::counted_loop(cx, k_a, &mut |cx, k| {
                    let pa = cx.e.elem_at(a, &at, &ia.map_or(vec![k], |i| vec![i, k]));
                    let pb = cx.e.elem_at(b, &bt, &jb.map_or(vec![k], |j| vec![k, j]));
                    let x = cx.e.load_elem(pa, ea);
                    let x = cx.convert(x, ea, s);
                    let y = cx.e.load_elem(pb, eb);
                    let y = cx.convert(y, eb, s);
                    let prod = cx.scalar_op(BinOp::Mul, x, y, s, span);
                    let cur = cx.e.b().build_load(acc, "acc").unwrap();
                    let next = cx.scalar_op(BinOp::Add, cur, prod, s, span);
                    cx.e.b().build_store(acc, next).unwrap();
                });
                cx.e.b().build_load(acc, "dot").unwrap()
            };
        match (at.ndim, bt.ndim) {
            (1, 1) => inner(self, None, None),
            (1, 2) => {
                let cols = self.e.dim(b, 1, 1);
                let out = self.e.alloc(s, &[cols], false, site);
                let data = self.e.data(out);
                crate::codegen::func::counted_loop(self, cols, &mut |cx, j| {
                    let v = inner(cx, None, Some(j));
                    let p = unsafe { cx.e.b().build_in_bounds_gep(data, &[j], "out") }.unwrap();
                    cx.e.store_elem(p, v, s);
                });
                out.into()
            }
            (2, 1) => {
                let rows = self.e.dim(a, 1, 0);
                let out = self.e.alloc(s, &[rows], false, site);
                let data = self.e.data(out);
                crate::codegen::func::counted_loop(self, rows, &mut |cx, i| {
                    let v = inner(cx, Some(i), None);
                    let p = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "out") }.unwrap();
                    cx.e.store_elem(p, v, s);
                });
                out.into()
            }
            _ => {
                let rows = self.e.dim(a, 1, 0);
                let cols = self.e.dim(b, 1, 1);
                let out = self.e.alloc(s, &[rows, cols], false, site);
                let ot = ArrayTy { elem: s, ndim: 2, layout: Layout::C, mutable: true };
                crate::codegen::func::counted_loop(self, rows, &mut |cx, i| {
                    crate::codegen::func::counted_loop(cx, cols, &mut |cx, j| {
                        let v = inner(cx, Some(i), Some(j));
                        let p = cx.e.elem_at(out, &ot, &[i, j]);
                        cx.e.store_elem(p, v, s);
                    });
                });
                out.into()
            }
        }
    }

    /// `sum`, `prod`, `min`, `max`, `mean` over every element, in C order.
    pub fn reduce(&mut self, id: ExprId, r: Reduce, a: BasicValueEnum<'static>, at: &Ty) -> BasicValueEnum<'static> {
        let at = at.array().expect("array");
        let a = a.into_struct_value();
        let out = self.ty(id).scalar().expect("scalar");
        let acc_s = r.accumulator(at.elem, out);
        let acc_t = self.e.cg.scalar_ty(acc_s);
        let span = self.f.expr(id).span;
        let total = if self.may_split() {
            // Large arrays: each chunk of rows reduces on its own, and the chunks combine in order.
            let slot = self.e.alloca(acc_t, "total");
            let size = self.e.size(a, &at);
            let rows = self.e.dim(a, 1, 0);
            self.if_worth_splitting(size, rows, &mut |cx, split| {
                let v = if split {
                    let (partials, chunks) = cx.split_rows(
                        "reduce",
                        &[(a.into(), Ty::Array(at))],
                        rows,
                        &mut |cx, vals, lo, hi, partial| {
                            let whole = vals[0].into_struct_value();
                            let rows = cx.e.dim(whole, 1, 0);
                            let (part, pt) = cx.slice_rows(whole, at, at.ndim, rows, lo, hi);
                            let v = cx.reduce_serial(r, part, &pt, acc_s, span);
                            let p =
                                cx.e.b()
                                    .build_pointer_cast(partial, acc_t.ptr_type(AddressSpace::default()), "partial")
                                    .unwrap();
                            cx.e.b().build_store(p, v).unwrap();
                        },
                    );
                    cx.combine_partials(partials, chunks, acc_t, &mut |cx, a, b| cx.reduce_step(r, a, b, acc_s, span))
                } else {
                    cx.reduce_serial(r, a, &at, acc_s, span)
                };
                cx.e.b().build_store(slot, v).unwrap();
            });
            self.e.b().build_load(slot, "total").unwrap()
        } else {
            self.reduce_serial(r, a, &at, acc_s, span)
        };
        if r == Reduce::Mean {
            let n = self.e.size(a, &at);
            let n = self.convert(n.into(), Scalar::I64, acc_s);
            return self.scalar_op(BinOp::Div, total, n, acc_s, span);
        }
        total
    }

    /// One step of a reduction: the accumulator `cur` with `x` (both of the accumulator's type).
    pub(crate) fn reduce_step(
        &mut self,
        r: Reduce,
        cur: BasicValueEnum<'static>,
        x: BasicValueEnum<'static>,
        acc_s: Scalar,
        span: Span,
    ) -> BasicValueEnum<'static> {
        match r {
            Reduce::Sum | Reduce::Mean => self.scalar_op(BinOp::Add, cur, x, acc_s, span),
            Reduce::Prod => self.scalar_op(BinOp::Mul, cur, x, acc_s, span),
            Reduce::Min => self.min_max(false, cur, x, acc_s, true),
            Reduce::Max => self.min_max(true, cur, x, acc_s, true),
        }
    }

    /// The reduction of `a` on this thread, in C order (a mean's sum, for `Mean`).
    pub(crate) fn reduce_serial(
        &mut self,
        r: Reduce,
        a: StructValue<'static>,
        at: &ArrayTy,
        acc_s: Scalar,
        span: Span,
    ) -> BasicValueEnum<'static> {
        let acc_t = self.e.cg.scalar_ty(acc_s);
        let acc = self.e.alloca(acc_t, "acc");
        let init = match r {
            Reduce::Sum | Reduce::Mean => acc_t.const_zero(),
            Reduce::Prod => self.const_one(acc_s),
            Reduce::Min | Reduce::Max => {
                let site = self.e.site(span, "");
                let n = self.e.size(a, at);
                let empty = self.e.b().build_int_compare(IntPredicate::EQ, n, self.e.i64c(0), "empty").unwrap();
                let z = self.e.i64c(0);
                self.e.fail_if(empty, site, kind::EMPTY, [z, z, z]);
                let first = vec![self.e.i64c(0); usize::from(at.ndim)];
                let p = self.e.elem_at(a, at, &first);
                self.e.load_elem(p, at.elem)
            }
        };
        self.e.b().build_store(acc, init).unwrap();
        let elem = at.elem;
        let mut body = |cx: &mut Self, p: &[PointerValue<'static>]| {
            let x = cx.e.load_elem(p[0], elem);
            let x = cx.convert(x, elem, acc_s);
            let cur = cx.e.b().build_load(acc, "acc").unwrap();
            let next = cx.reduce_step(r, cur, x, acc_s, span);
            cx.e.b().build_store(acc, next).unwrap();
        };
        for_each(self, &[(a, *at)], &mut body);
        self.e.b().build_load(acc, "total").unwrap()
    }
}
