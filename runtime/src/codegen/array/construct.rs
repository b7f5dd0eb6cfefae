//! NumPy constructors in generated code: `np.zeros`/`ones`/`empty`/`full`, `np.random`,
//! `np.arange`, `np.linspace`.

use super::*;

impl<'a, 'm> FnCx<'a, 'm> {
    /// `np.zeros/ones/empty/full`: the result's type already carries the `dtype`.
    pub fn alloc_builtin(&mut self, id: ExprId, kind: Alloc, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let at = self.ty(id).array().expect("an array");
        let shape = self.shape_arg(args[0])?;
        let fill = match kind {
            Alloc::Full => {
                let v = self.expr(args[1])?;
                let from = self.ty(args[1]);
                Some(self.coerce(v, &from, &Ty::Scalar(at.elem)))
            }
            Alloc::Ones => Some(self.const_one(at.elem)),
            Alloc::Zeros | Alloc::Empty => None,
        };
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let a = self.e.alloc(at.elem, &shape, kind == Alloc::Zeros, site);
        if let Some(v) = fill {
            let elem = at.elem;
            for_each(self, &[(a, at)], &mut |cx, p| {
                cx.e.store_elem(p[0], v, elem);
            });
        }
        Some(a.into())
    }

    /// A shape argument: an integer or a tuple of integers.
    pub(crate) fn shape_arg(&mut self, arg: ExprId) -> Option<Vec<IntValue<'static>>> {
        let shape_v = self.expr(arg)?;
        let shape_t = self.ty(arg);
        Some(match &shape_t {
            Ty::Tuple(items) => items
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    let part = self.e.b().build_extract_value(shape_v.into_struct_value(), i as u32, "dim").unwrap();
                    self.convert(part, it.scalar().expect("int"), Scalar::Usize).into_int_value()
                })
                .collect(),
            t => vec![self.convert(shape_v, t.scalar().expect("int"), Scalar::Usize).into_int_value()],
        })
    }

    /// One uniform `f64` in `[0, 1)`, stepping this thread's xoshiro256++ state inline exactly as
    /// `random::rjit_random` does (the same numbers, without a call per number).
    pub(crate) fn uniform01(&mut self) -> BasicValueEnum<'static> {
        let f = self.e.cg.helper("rjit_random_state");
        let state = self
            .e
            .b()
            .build_call(f, &[], "rng")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .expect("ptr")
            .into_pointer_value();
        let i64t = self.e.cg.i64();
        let word =
            |cx: &Self, k: i64| unsafe { cx.e.b().build_in_bounds_gep(state, &[cx.e.i64c(k)], "rng.word") }.unwrap();
        let ptrs: Vec<PointerValue<'static>> = (0..4).map(|k| word(self, k)).collect();
        let s: Vec<IntValue<'static>> =
            ptrs.iter().map(|p| self.e.b().build_load(*p, "s").unwrap().into_int_value()).collect();
        let rotl = |cx: &Self, x: IntValue<'static>, k: u64| {
            let f = crate::codegen::expr::intrinsic(cx.e.cg, "llvm.fshl", &[i64t.into()]);
            let k = i64t.const_int(k, false);
            cx.e.b()
                .build_call(f, &[x.into(), x.into(), k.into()], "rotl")
                .unwrap()
                .try_as_basic_value()
                .basic()
                .expect("value")
                .into_int_value()
        };
        let b = self.e.b();
        let result =
            b.build_int_add(rotl(self, b.build_int_add(s[0], s[3], "sum").unwrap(), 23), s[0], "result").unwrap();
        let t = b.build_left_shift(s[1], i64t.const_int(17, false), "t").unwrap();
        let s2 = b.build_xor(s[2], s[0], "s2").unwrap();
        let s3 = b.build_xor(s[3], s[1], "s3").unwrap();
        let s1 = b.build_xor(s[1], s2, "s1").unwrap();
        let s0 = b.build_xor(s[0], s3, "s0").unwrap();
        let s2 = b.build_xor(s2, t, "s2").unwrap();
        let s3 = rotl(self, s3, 45);
        for (p, v) in ptrs.iter().zip([s0, s1, s2, s3]) {
            self.e.b().build_store(*p, v).unwrap();
        }
        let b = self.e.b();
        let bits = b.build_right_shift(result, i64t.const_int(11, false), false, "bits").unwrap();
        let x = b.build_unsigned_int_to_float(bits, self.e.cg.ctx.f64_type(), "x").unwrap();
        b.build_float_mul(x, self.e.cg.ctx.f64_type().const_float(1.0 / (1u64 << 53) as f64), "u").unwrap().into()
    }

    /// `np.random.*`: one number, or an array of them filled in C order.
    pub fn random(&mut self, id: ExprId, kind: Random, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        if matches!(kind, Random::Permutation | Random::Choice) {
            return self.drawn(id, kind, args);
        }
        let n = kind.params();
        let target = match kind {
            Random::Seed => Scalar::U64,
            Random::Randint => Scalar::I64,
            _ => Scalar::F64,
        };
        let mut vals = Vec::new();
        for a in &args[..n] {
            vals.push(self.scalar_value(*a, &Ty::Scalar(target))?);
        }
        if kind == Random::Seed {
            let f = self.e.cg.helper("rjit_random_seed");
            self.e.b().build_call(f, &[vals[0].into()], "").unwrap();
            return None;
        }
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        if kind == Random::Randint {
            let (lo, hi) = (vals[0].into_int_value(), vals[1].into_int_value());
            let bad = self.e.b().build_int_compare(IntPredicate::SGE, lo, hi, "empty").unwrap();
            let z = self.e.i64c(0);
            self.e.fail_if(bad, site, kind::EMPTY_RANGE, [lo, hi, z]);
        }
        let draw = |cx: &mut Self| -> BasicValueEnum<'static> {
            let call = |cx: &mut Self, name: &str, args: &[BasicValueEnum<'static>]| {
                let f = cx.e.cg.helper(name);
                cx.call_value(f, args)
            };
            match kind {
                Random::Random => cx.uniform01(),
                Random::Uniform => {
                    let u = cx.uniform01();
                    let width = cx.scalar_op(BinOp::Sub, vals[1], vals[0], Scalar::F64, span);
                    let x = cx.scalar_op(BinOp::Mul, width, u, Scalar::F64, span);
                    cx.scalar_op(BinOp::Add, vals[0], x, Scalar::F64, span)
                }
                Random::Normal => {
                    let z = call(cx, "rjit_normal", &[]);
                    let x = cx.scalar_op(BinOp::Mul, vals[1], z, Scalar::F64, span);
                    cx.scalar_op(BinOp::Add, vals[0], x, Scalar::F64, span)
                }
                Random::Randint => call(cx, "rjit_randint", &[vals[0], vals[1]]),
                Random::Seed | Random::Permutation | Random::Choice => unreachable!("handled above"),
            }
        };
        let Some(size) = args.get(n) else { return Some(draw(self)) };
        let shape = self.shape_arg(*size)?;
        let out = self.e.alloc(target, &shape, false, site);
        let ot = ArrayTy { elem: target, ndim: shape.len() as u8, layout: Layout::C, mutable: true };
        for_each(self, &[(out, ot)], &mut |cx, p| {
            let x = draw(cx);
            cx.e.store_elem(p[0], x, target);
        });
        Some(out.into())
    }

    /// `np.random.permutation(n | a)` and `np.random.choice(n | a[, size])`, drawing in the order
    /// the interpreter does.
    fn drawn(&mut self, id: ExprId, kind: Random, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let st = self.ty(args[0]);
        if kind == Random::Permutation {
            let (out, ot) = match &st {
                Ty::Array(at) => {
                    let (v, owned) = self.borrow(args[0])?;
                    let a = v.into_struct_value();
                    let shape = self.e.shape(a, at);
                    let out = self.e.alloc(at.elem, &shape, false, site);
                    let ot = ArrayTy { layout: Layout::C, mutable: true, ..*at };
                    let elem = at.elem;
                    for_each(self, &[(a, *at), (out, ot)], &mut |cx, p| {
                        let x = cx.e.load_elem(p[0], elem);
                        cx.e.store_elem(p[1], x, elem);
                    });
                    self.release(v, &st, owned);
                    (out, ot)
                }
                _ => {
                    let shape = self.shape_arg(args[0])?;
                    let out = self.e.alloc(Scalar::I64, &shape, false, site);
                    let data = self.e.data(out);
                    counted_loop(self, shape[0], &mut |cx, i| {
                        let p = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "elem") }.unwrap();
                        cx.e.b().build_store(p, i).unwrap();
                    });
                    (out, ArrayTy { elem: Scalar::I64, ndim: 1, layout: Layout::C, mutable: true })
                }
            };
            self.shuffle(out, &ot);
            return Some(out.into());
        }
        let (count, source) = match &st {
            Ty::Array(at) => {
                let (v, owned) = self.borrow(args[0])?;
                let a = v.into_struct_value();
                (self.e.shape(a, at)[0], Some((v, owned, *at)))
            }
            _ => (self.scalar_value(args[0], &Ty::Scalar(Scalar::I64))?.into_int_value(), None),
        };
        let empty = self.e.b().build_int_compare(IntPredicate::SLT, count, self.e.i64c(1), "empty").unwrap();
        let z = self.e.i64c(0);
        self.e.fail_if(empty, site, kind::EMPTY_CHOICE, [count, z, z]);
        let draw = |cx: &mut Self| -> BasicValueEnum<'static> {
            let f = cx.e.cg.helper("rjit_randint");
            let j = cx.call_value(f, &[z.into(), count.into()]).into_int_value();
            match source {
                Some((v, _, at)) => {
                    let p = cx.e.elem_at(v.into_struct_value(), &at, &[j]);
                    cx.e.load_elem(p, at.elem)
                }
                None => j.into(),
            }
        };
        let out = match args.get(1) {
            None => draw(self),
            Some(size) => {
                let shape = self.shape_arg(*size)?;
                let elem = self.ty(id).array().expect("an array").elem;
                let out = self.e.alloc(elem, &shape, false, site);
                let ot = ArrayTy { elem, ndim: shape.len() as u8, layout: Layout::C, mutable: true };
                for_each(self, &[(out, ot)], &mut |cx, p| {
                    let x = draw(cx);
                    cx.e.store_elem(p[0], x, elem);
                });
                out.into()
            }
        };
        if let Some((v, owned, _)) = source {
            self.release(v, &st, owned);
        }
        Some(out)
    }

    /// `np.random.shuffle(a)`: Fisher–Yates along the first axis from the last row down, row `i`
    /// swapped with a uniform row of `0..=i` (the interpreter's order).
    pub fn shuffle(&mut self, a: StructValue<'static>, at: &ArrayTy) {
        let shape = self.e.shape(a, at);
        let strides = self.e.strides(a, at);
        let n = shape[0];
        let one = self.e.i64c(1);
        let steps = self.e.b().build_int_sub(n, one, "steps").unwrap();
        let row = ArrayTy {
            ndim: at.ndim.saturating_sub(1),
            layout: if at.layout == Layout::C { Layout::C } else { Layout::Any },
            ..*at
        };
        let elem = at.elem;
        counted_loop(self, steps, &mut |cx, k| {
            let last = cx.e.b().build_int_sub(n, one, "last").unwrap();
            let i = cx.e.b().build_int_sub(last, k, "i").unwrap();
            let hi = cx.e.b().build_int_add(i, one, "hi").unwrap();
            let f = cx.e.cg.helper("rjit_randint");
            let j = cx.call_value(f, &[cx.e.i64c(0).into(), hi.into()]).into_int_value();
            let swap = |cx: &mut Self, p: PointerValue<'static>, q: PointerValue<'static>| {
                let x = cx.e.load_elem(p, elem);
                let y = cx.e.load_elem(q, elem);
                cx.e.store_elem(p, y, elem);
                cx.e.store_elem(q, x, elem);
            };
            let (pi, pj) = (cx.e.elem_at(a, at, &[i]), cx.e.elem_at(a, at, &[j]));
            if at.ndim == 1 {
                swap(cx, pi, pj);
                return;
            }
            let m = cx.e.meminfo(a);
            let ri = cx.e.descriptor(pi, &shape[1..], &strides[1..], m, &row);
            let rj = cx.e.descriptor(pj, &shape[1..], &strides[1..], m, &row);
            for_each(cx, &[(ri, row), (rj, row)], &mut |cx, p| swap(cx, p[0], p[1]));
        });
    }

    pub(crate) fn const_one(&self, s: Scalar) -> BasicValueEnum<'static> {
        let t = self.e.cg.scalar_ty(s);
        match s {
            s if s.is_float() => t.into_float_type().const_float(1.0).into(),
            s if s.is_complex() => {
                let p = self.e.cg.scalar_ty(s.real_part()).into_float_type();
                t.into_struct_type().const_named_struct(&[p.const_float(1.0).into(), p.const_zero().into()]).into()
            }
            _ => t.into_int_type().const_int(1, false).into(),
        }
    }
}

impl<'a, 'm> FnCx<'a, 'm> {
    /// `np.arange(stop)`, `(start, stop)`, `(start, stop, step)`: `ceil((stop - start) / step)` values.
    pub fn arange(&mut self, id: ExprId, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let at = self.ty(id).array().expect("an array");
        let t = Ty::Scalar(at.elem);
        let mut vals = Vec::new();
        for a in args {
            let v = self.expr(*a)?;
            let from = self.ty(*a);
            vals.push(self.coerce(v, &from, &t));
        }
        let s = at.elem;
        let ty = self.e.cg.scalar_ty(s);
        let (start, stop, step) = match vals.as_slice() {
            [stop] => (ty.const_zero(), *stop, self.const_one(s)),
            [start, stop] => (*start, *stop, self.const_one(s)),
            [start, stop, step] => (*start, *stop, *step),
            _ => unreachable!("checked: 1 to 3 arguments"),
        };
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let n = if s.is_float() {
            let (a, b, c) = (start.into_float_value(), stop.into_float_value(), step.into_float_value());
            let zero = c.get_type().const_zero();
            let is_zero = self.e.b().build_float_compare(inkwell::FloatPredicate::OEQ, c, zero, "zero").unwrap();
            let z = self.e.i64c(0);
            self.e.fail_if(is_zero, site, kind::ZERO_STEP, [z, z, z]);
            let b_ = self.e.b();
            let d = b_.build_float_sub(b, a, "span").unwrap();
            let q = b_.build_float_div(d, c, "q").unwrap();
            let ceil = crate::codegen::expr::intrinsic(self.e.cg, "llvm.ceil", &[ty]);
            let q = self.call_value(ceil, &[q.into()]);
            let nan = self
                .e
                .b()
                .build_float_compare(inkwell::FloatPredicate::UNO, q.into_float_value(), q.into_float_value(), "nan")
                .unwrap();
            self.e.fail_if(nan, site, kind::NAN_LENGTH, [z, z, z]);
            let n = self.convert(q, s, Scalar::I64).into_int_value();
            // A negative count means empty.
            let neg = self.e.b().build_int_compare(IntPredicate::SLT, n, self.e.i64c(0), "neg").unwrap();
            self.e.b().build_select(neg, self.e.i64c(0), n, "n").unwrap().into_int_value()
        } else {
            let wide = if s.is_signed() { Scalar::I64 } else { Scalar::U64 };
            let (a, b, c) = (
                self.convert(start, s, wide).into_int_value(),
                self.convert(stop, s, wide).into_int_value(),
                self.convert(step, s, wide).into_int_value(),
            );
            let zero = self.e.i64c(0);
            let is_zero = self.e.b().build_int_compare(IntPredicate::EQ, c, zero, "zero").unwrap();
            self.e.fail_if(is_zero, site, kind::ZERO_STEP, [zero, zero, zero]);
            // Exact, in unsigned arithmetic: a count beyond `i64::MAX` then fails to allocate.
            self.e.range_count(a, b, c, s.is_signed())
        };
        let out = self.e.alloc(s, &[n], false, site);
        let data = self.e.data(out);
        crate::codegen::func::counted_loop(self, n, &mut |cx, i| {
            let fi = cx.convert(i.into(), Scalar::I64, s);
            let off = cx.scalar_op(BinOp::Mul, fi, step, s, span);
            let v = cx.scalar_op(BinOp::Add, start, off, s, span);
            let p = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "elem") }.unwrap();
            cx.e.store_elem(p, v, s);
        });
        Some(out.into())
    }

    /// `np.linspace(start, stop, num)`: `num` evenly spaced values, the last exactly `stop`.
    pub fn linspace(&mut self, id: ExprId, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let at = self.ty(id).array().expect("an array");
        let s = at.elem;
        let t = Ty::Scalar(s);
        let start = self.scalar_value(args[0], &t)?;
        let stop = self.scalar_value(args[1], &t)?;
        let n = self.scalar_value(args[2], &Ty::Scalar(Scalar::I64))?.into_int_value();
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        // A negative count (or one beyond `i64::MAX`) fails to allocate, as NumPy refuses it.
        let out = self.e.alloc(s, &[n], false, site);
        let data = self.e.data(out);
        let one = self.e.i64c(1);
        let n1 = self.e.b().build_int_sub(n, one, "n1").unwrap();
        let few = self.e.b().build_int_compare(IntPredicate::SLT, n1, one, "few").unwrap();
        let n1 = self.e.b().build_select(few, one, n1, "div").unwrap().into_int_value();
        let div = self.convert(n1.into(), Scalar::I64, s);
        let span_v = self.scalar_op(BinOp::Sub, stop, start, s, span);
        let step = self.scalar_op(BinOp::Div, span_v, div, s, span);
        crate::codegen::func::counted_loop(self, n, &mut |cx, i| {
            let fi = cx.convert(i.into(), Scalar::I64, s);
            let off = cx.scalar_op(BinOp::Mul, fi, step, s, span);
            let v = cx.scalar_op(BinOp::Add, start, off, s, span);
            let last = cx.e.b().build_int_compare(IntPredicate::EQ, i, n1, "last").unwrap();
            let more_than_one = cx.e.b().build_int_compare(IntPredicate::SGT, n, one, "many").unwrap();
            let is_end = cx.e.b().build_and(last, more_than_one, "end").unwrap();
            let v = cx.e.b().build_select(is_end, stop, v, "v").unwrap();
            let p = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "elem") }.unwrap();
            cx.e.store_elem(p, v, s);
        });
        Some(out.into())
    }

    pub fn scalar_value(&mut self, a: ExprId, t: &Ty) -> Option<BasicValueEnum<'static>> {
        let v = self.expr(a)?;
        let from = self.ty(a);
        Some(self.coerce(v, &from, t))
    }
}
