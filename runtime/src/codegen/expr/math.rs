//! NumPy functions and Rust's math on numbers: `np.` builtins, libm and LLVM intrinsics, the
//! float tests, `abs`, `min`/`max` (one compare-and-select where no NaN can occur), two-argument
//! math.

use super::*;

/// A libm function of one or two real arguments (`sin`/`sinf`).
pub(crate) fn libm(cg: &Codegen<'_>, base: &str, s: Scalar, arity: usize) -> FunctionValue<'static> {
    let name = if s == Scalar::F32 { format!("{base}f") } else { base.to_string() };
    if let Some(f) = cg.module.get_function(&name) {
        return f;
    }
    let t = cg.scalar_ty(s);
    let args = vec![t.into(); arity];
    cg.module.add_function(&name, t.fn_type(&args, false), None)
}

impl<'a, 'm> FnCx<'a, 'm> {
    pub(crate) fn builtin(&mut self, id: ExprId, op: Builtin, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let t = self.ty(id);
        let elementwise = matches!(
            op,
            Builtin::Math1(_)
                | Builtin::Abs
                | Builtin::Math2(_)
                | Builtin::Test(_)
                | Builtin::Where
                | Builtin::Dtype(_)
        );
        if let (true, Ty::Array(_)) = (elementwise, &t) {
            return self.elementwise(id);
        }
        match op {
            Builtin::Alloc(kind) => self.alloc_builtin(id, kind, args),
            Builtin::Reduce(r) if self.is_elementwise(args[0]) => self.fused_reduce(id, r, args[0]),
            Builtin::Reduce(r) => {
                let (v, owned) = self.borrow(args[0])?;
                let at = self.ty(args[0]);
                let x = self.reduce(id, r, v, &at);
                self.release(v, &at, owned);
                Some(x)
            }
            Builtin::Dtype(to) if args.len() == 2 => {
                let part = Ty::Scalar(to.real_part());
                let re = self.scalar_arg(args[0], &part)?.into_float_value();
                let im = self.scalar_arg(args[1], &part)?.into_float_value();
                Some(self.complex(to, re, im))
            }
            Builtin::Dtype(to) => {
                let v = self.expr(args[0])?;
                let from = self.ty(args[0]).scalar().expect("scalar");
                Some(self.convert(v, from, to))
            }
            Builtin::Like(kind) => {
                let (v, owned) = self.borrow(args[0])?;
                let a = v.into_struct_value();
                let at = self.ty(args[0]).array().expect("an array");
                let ot = t.array().expect("an array");
                let fill = match kind {
                    Alloc::Full => Some(self.scalar_arg(args[1], &Ty::Scalar(ot.elem))?),
                    Alloc::Ones => Some(self.const_one(ot.elem)),
                    Alloc::Zeros | Alloc::Empty => None,
                };
                let shape = self.e.shape(a, &at);
                let site = self.e.site(self.f.expr(id).span, "");
                let out = self.e.alloc(ot.elem, &shape, kind == Alloc::Zeros, site);
                self.release(v, &Ty::Array(at), owned);
                if let Some(x) = fill {
                    self.fill(out, &ot, x);
                }
                Some(out.into())
            }
            Builtin::Arange => self.arange(id, args),
            Builtin::Sort { arg } => self.sorted(id, arg, args[0]),
            Builtin::Random(kind) => self.random(id, kind, args),
            Builtin::Arg(max) => {
                let (v, owned) = self.borrow(args[0])?;
                let at = self.ty(args[0]);
                let r = self.arg_extreme(id, max, v.into_struct_value(), &at.array().expect("an array"));
                self.release(v, &at, owned);
                Some(r)
            }
            Builtin::Linspace => self.linspace(id, args),
            Builtin::Cumsum => {
                let (a, owned) = self.borrow(args[0])?;
                let at = self.ty(args[0]);
                let out = self.cumsum(id, a, &at);
                self.release(a, &at, owned);
                Some(out)
            }
            Builtin::Dot => {
                let (a, a_owned) = self.borrow(args[0])?;
                let (b, b_owned) = self.borrow(args[1])?;
                let (at, bt) = (self.ty(args[0]), self.ty(args[1]));
                let out = self.dot(id, a, &at, b, &bt);
                self.release(a, &at, a_owned);
                self.release(b, &bt, b_owned);
                Some(out)
            }
            Builtin::Test(test) => {
                let v = self.expr(args[0])?;
                let s = self.ty(args[0]).scalar().expect("scalar");
                Some(self.test(test, v, s))
            }
            Builtin::Where => {
                let c = self.expr(args[0])?.into_int_value();
                let a = self.scalar_arg(args[1], &t)?;
                let b = self.scalar_arg(args[2], &t)?;
                Some(self.e.b().build_select(c, a, b, "where").unwrap())
            }
            Builtin::Math1(m) => {
                let v = self.scalar_arg(args[0], &t)?;
                Some(self.math1(m, v, t.scalar().expect("scalar")))
            }
            Builtin::Abs => {
                let v = self.expr(args[0])?;
                let from = self.ty(args[0]).scalar().expect("scalar");
                Some(self.abs(v, from))
            }
            Builtin::Math2(m) => {
                let s = t.scalar().expect("scalar");
                let a = self.scalar_arg(args[0], &t)?;
                let b = self.scalar_arg(args[1], &t)?;
                let span = self.f.expr(id).span;
                Some(self.math2(m, a, b, s, span))
            }
            Builtin::Const(_) => unreachable!("constants are lowered as literals"),
        }
    }

    /// Lowers an argument and converts it to `t`'s scalar type.
    pub(crate) fn scalar_arg(&mut self, a: ExprId, t: &Ty) -> Option<BasicValueEnum<'static>> {
        let v = self.expr(a)?;
        let from = self.ty(a).scalar().expect("scalar");
        Some(self.convert(v, from, t.scalar().expect("scalar")))
    }

    pub fn math1(&mut self, m: Math1, v: BasicValueEnum<'static>, s: Scalar) -> BasicValueEnum<'static> {
        let ty = self.e.cg.scalar_ty(s);
        let llvm = match m {
            Math1::Sqrt => "llvm.sqrt",
            Math1::Exp => "llvm.exp",
            Math1::Log => "llvm.log",
            Math1::Log2 => "llvm.log2",
            Math1::Log10 => "llvm.log10",
            Math1::Sin => "llvm.sin",
            Math1::Cos => "llvm.cos",
            Math1::Floor => "llvm.floor",
            Math1::Ceil => "llvm.ceil",
            Math1::Trunc => "llvm.trunc",
            Math1::Round => "llvm.roundeven",
            Math1::RoundAway => "llvm.round",
            Math1::Fabs => "llvm.fabs",
            other => {
                let base = match other {
                    Math1::Tan => "tan",
                    Math1::Arcsin => "asin",
                    Math1::Arccos => "acos",
                    Math1::Arctan => "atan",
                    Math1::Sinh => "sinh",
                    Math1::Cosh => "cosh",
                    Math1::Tanh => "tanh",
                    Math1::Expm1 => "expm1",
                    Math1::Log1p => "log1p",
                    Math1::Arcsinh => "asinh",
                    Math1::Arccosh => "acosh",
                    Math1::Arctanh => "atanh",
                    Math1::Erf => "erf",
                    Math1::Erfc => "erfc",
                    Math1::Gamma => "tgamma",
                    _ => "lgamma",
                };
                let f = libm(self.e.cg, base, s, 1);
                return self.call_value(f, &[v]);
            }
        };
        let f = intrinsic(self.e.cg, llvm, &[ty]);
        self.call_value(f, &[v])
    }

    /// `np.isnan`, `np.isinf`, `np.isfinite` (integers are always finite).
    pub(crate) fn test(
        &mut self,
        test: rjit_front::builtins::Test,
        v: BasicValueEnum<'static>,
        s: Scalar,
    ) -> BasicValueEnum<'static> {
        use rjit_front::builtins::Test;
        let bool_t = self.e.cg.ctx.bool_type();
        if !s.is_float() {
            return bool_t.const_int(u64::from(test == Test::IsFinite), false).into();
        }
        let x = v.into_float_value();
        let b = self.e.b();
        match test {
            Test::IsNan => b.build_float_compare(FloatPredicate::UNO, x, x, "isnan").unwrap().into(),
            _ => {
                let a = self.abs(v, s).into_float_value();
                let inf = x.get_type().const_float(f64::INFINITY);
                let b = self.e.b();
                let p = if test == Test::IsInf { FloatPredicate::OEQ } else { FloatPredicate::OLT };
                b.build_float_compare(p, a, inf, "isinf").unwrap().into()
            }
        }
    }

    pub fn abs(&mut self, v: BasicValueEnum<'static>, s: Scalar) -> BasicValueEnum<'static> {
        if s.is_complex() {
            let (re, im) = self.parts(v);
            let f = libm(self.e.cg, "hypot", s.real_part(), 2);
            return self.call_value(f, &[re.into(), im.into()]);
        }
        if s.is_float() {
            let f = intrinsic(self.e.cg, "llvm.fabs", &[v.get_type()]);
            return self.call_value(f, &[v]);
        }
        if s.is_unsigned() {
            return v;
        }
        let x = v.into_int_value();
        let b = self.e.b();
        let neg = b.build_int_compare(IntPredicate::SLT, x, x.get_type().const_zero(), "isneg").unwrap();
        let minus = b.build_int_neg(x, "neg").unwrap();
        b.build_select(neg, minus, x, "abs").unwrap()
    }

    /// `min`/`max` of two values of type `s`. `nan_propagates`: NumPy's `minimum` (NaN wins) rather
    /// than Rust's `f64::min` (the number wins).
    pub fn min_max(
        &mut self,
        max: bool,
        a: BasicValueEnum<'static>,
        b: BasicValueEnum<'static>,
        s: Scalar,
        nan_propagates: bool,
    ) -> BasicValueEnum<'static> {
        if s.is_float() {
            let (x, y) = (a.into_float_value(), b.into_float_value());
            if !nan_propagates {
                let f = intrinsic(self.e.cg, if max { "llvm.maxnum" } else { "llvm.minnum" }, &[a.get_type()]);
                return self.call_value(f, &[a, b]);
            }
            let bl = self.e.b();
            let p = if max { FloatPredicate::OGT } else { FloatPredicate::OLT };
            let pick = bl.build_float_compare(p, x, y, "pick").unwrap();
            let r = bl.build_select(pick, x, y, "mm").unwrap();
            let xnan = bl.build_float_compare(FloatPredicate::UNO, x, x, "xnan").unwrap();
            bl.build_select(xnan, x, r.into_float_value(), "mm").unwrap()
        } else {
            let (x, y) = (a.into_int_value(), b.into_int_value());
            let p = match (max, s.is_signed()) {
                (true, true) => IntPredicate::SGT,
                (true, false) => IntPredicate::UGT,
                (false, true) => IntPredicate::SLT,
                (false, false) => IntPredicate::ULT,
            };
            let bl = self.e.b();
            let pick = bl.build_int_compare(p, x, y, "pick").unwrap();
            bl.build_select(pick, x, y, "mm").unwrap()
        }
    }

    /// Rust's `a.max(b)` / `a.min(b)` on floats when `a` (`a_never_nan`) or else `b` is known never
    /// to be NaN: one compare and select instead of `maxnum`'s three instructions, with the same
    /// result (the other operand when one is NaN; `a` when they compare equal, as LLVM lowers
    /// `maxnum`).
    pub(crate) fn min_max_never_nan(
        &mut self,
        max: bool,
        a: BasicValueEnum<'static>,
        b: BasicValueEnum<'static>,
        a_never_nan: bool,
    ) -> BasicValueEnum<'static> {
        let (x, y) = (a.into_float_value(), b.into_float_value());
        let bl = self.e.b();
        let pick_b = match (max, a_never_nan) {
            // `b` wins only when it is strictly beyond `a` (so a NaN `b` loses).
            (true, true) => bl.build_float_compare(FloatPredicate::OGT, y, x, "pick").unwrap(),
            (false, true) => bl.build_float_compare(FloatPredicate::OLT, y, x, "pick").unwrap(),
            // `a` wins when it is at least `b` (so a NaN `a` loses).
            (true, false) => {
                bl.build_not(bl.build_float_compare(FloatPredicate::OGE, x, y, "keep").unwrap(), "pick").unwrap()
            }
            (false, false) => {
                bl.build_not(bl.build_float_compare(FloatPredicate::OLE, x, y, "keep").unwrap(), "pick").unwrap()
            }
        };
        bl.build_select(pick_b, y, x, "mm").unwrap()
    }

    /// Python's `min(a, b)` / `max(a, b)`: `b` when it compares strictly below (above) `a`, else
    /// `a` (an ordered compare, so a NaN on either side keeps `a`).
    fn py_min_max(
        &mut self,
        max: bool,
        a: BasicValueEnum<'static>,
        b: BasicValueEnum<'static>,
        s: Scalar,
    ) -> BasicValueEnum<'static> {
        let bl = self.e.b();
        let pick_b = if s.is_float() {
            let p = if max { FloatPredicate::OGT } else { FloatPredicate::OLT };
            bl.build_float_compare(p, b.into_float_value(), a.into_float_value(), "pick").unwrap()
        } else {
            let p = match (max, s.is_signed()) {
                (true, true) => IntPredicate::SGT,
                (true, false) => IntPredicate::UGT,
                (false, true) => IntPredicate::SLT,
                (false, false) => IntPredicate::ULT,
            };
            bl.build_int_compare(p, b.into_int_value(), a.into_int_value(), "pick").unwrap()
        };
        bl.build_select(pick_b, b, a, "pyminmax").unwrap()
    }

    pub(crate) fn math2(
        &mut self,
        m: Math2,
        a: BasicValueEnum<'static>,
        b: BasicValueEnum<'static>,
        s: Scalar,
        span: proc_macro2::Span,
    ) -> BasicValueEnum<'static> {
        match m {
            Math2::Minimum => self.min_max(false, a, b, s, true),
            Math2::Maximum => self.min_max(true, a, b, s, true),
            Math2::Arctan2 | Math2::Hypot => {
                let f = libm(self.e.cg, if m == Math2::Arctan2 { "atan2" } else { "hypot" }, s, 2);
                self.call_value(f, &[a, b])
            }
            Math2::Copysign => {
                let f = intrinsic(self.e.cg, "llvm.copysign", &[a.get_type()]);
                self.call_value(f, &[a, b])
            }
            Math2::PyMin | Math2::PyMax => self.py_min_max(m == Math2::PyMax, a, b, s),
            Math2::Power if s.is_float() => {
                let f = intrinsic(self.e.cg, "llvm.pow", &[a.get_type()]);
                self.call_value(f, &[a, b])
            }
            Math2::Power => {
                let site = self.e.site(span, "");
                let wide = if s.is_signed() { Scalar::I64 } else { Scalar::U64 };
                let x = self.convert(a, s, wide);
                let y = self.convert(b, s, wide);
                let f = self.e.cg.helper("rjit_ipow");
                let signed = self.e.cg.ctx.i32_type().const_int(u64::from(s.is_signed()), false);
                let r = self
                    .e
                    .b()
                    .build_call(f, &[self.e.env.into(), site.into(), x.into(), y.into(), signed.into()], "ipow")
                    .unwrap();
                let r = r.try_as_basic_value().basic().expect("value");
                self.e.check_status();
                self.convert(r, wide, s)
            }
        }
    }
}
