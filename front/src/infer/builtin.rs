//! NumPy functions and Rust's math: `np.` constructors, math, reductions, `np.random`, `dot`.

use super::*;

impl<'a> Cx<'a> {
    pub(crate) fn builtin(&mut self, id: ExprId, op: Builtin, args: &[ExprId], dtype: Option<Scalar>) -> Ty {
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
                    Math2::Arctan2 | Math2::Hypot | Math2::Copysign if int_ty(&j) => Ty::Scalar(Scalar::F64),
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
                    Math2::Arctan2 | Math2::Hypot | Math2::Copysign if int_ty(&j) => Ty::Scalar(Scalar::F64),
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
            Builtin::Sort { arg } => match &tys[0] {
                Ty::Array(a) if a.elem.is_complex() => {
                    let name = if arg { "argsort" } else { "sort" };
                    self.err_at(id, format!("complex numbers have no order: `{name}` does not apply"), None);
                    Ty::Unknown
                }
                Ty::Array(a) => {
                    let elem = if arg { Scalar::Usize } else { a.elem };
                    Ty::Array(ArrayTy { elem, ndim: a.ndim, layout: Layout::C, mutable: true })
                }
                t => {
                    self.err_at(args[0], format!("expected an array, found `{t}`"), None);
                    Ty::Unknown
                }
            },
            Builtin::Like(kind) => match &tys[0] {
                Ty::Array(a) => {
                    let elem = dtype.unwrap_or(a.elem);
                    if kind == Alloc::Full {
                        self.coerce(args[1], &Ty::Scalar(elem), "the array's dtype");
                    }
                    Ty::Array(ArrayTy { elem, layout: Layout::C, mutable: true, ..*a })
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
    pub(crate) fn random(&mut self, kind: crate::builtins::Random, args: &[ExprId], tys: &[Ty]) -> Ty {
        use crate::builtins::Random;
        let n = kind.params();
        let drawn_from = |cx: &mut Self| -> Option<Ty> {
            match &tys[0] {
                t if int_ty(t) => {
                    cx.settle(args[0], &Ty::Scalar(Scalar::I64));
                    Some(Ty::Scalar(Scalar::I64))
                }
                Ty::Array(a) if kind == Random::Permutation => {
                    Some(Ty::Array(ArrayTy { layout: Layout::C, mutable: true, ..*a }))
                }
                Ty::Array(a) if a.ndim == 1 => Some(Ty::Scalar(a.elem)),
                t => {
                    let what = if kind == Random::Choice { "a 1-D array" } else { "an array" };
                    cx.err_at(args[0], format!("expected a count or {what}, found `{t}`"), None);
                    None
                }
            }
        };
        let (elem, want_int) = match kind {
            Random::Permutation => {
                return match drawn_from(self) {
                    Some(Ty::Scalar(s)) => Ty::Array(ArrayTy { elem: s, ndim: 1, layout: Layout::C, mutable: true }),
                    Some(t) => t,
                    None => Ty::Unknown,
                };
            }
            Random::Choice => match drawn_from(self) {
                Some(Ty::Scalar(s)) => (s, false),
                _ => return Ty::Unknown,
            },
            Random::Seed => (Scalar::U64, true),
            Random::Randint => (Scalar::I64, true),
            _ => (Scalar::F64, false),
        };
        let checked = if kind == Random::Choice { 0 } else { n };
        for (a, t) in args[..checked].iter().zip(tys) {
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

    /// `np.dot(a, b)` / `a.dot(b)`: 1-D·1-D is a number, 2-D·1-D and 1-D·2-D a vector, 2-D·2-D a
    /// matrix.
    pub(crate) fn dot(&mut self, id: ExprId, a: &Ty, b: &Ty) -> Ty {
        match (a, b) {
            (Ty::Array(x), Ty::Array(y)) => {
                let Some(elem) = crate::ty::promote(x.elem, y.elem).filter(|e| e.is_numeric()) else {
                    self.err_at(id, format!("cannot multiply `{x}` by `{y}`"), None);
                    return Ty::Unknown;
                };
                match (x.ndim, y.ndim) {
                    (1, 1) => Ty::Scalar(elem),
                    (2, 1) | (1, 2) => Ty::Array(ArrayTy { elem, ndim: 1, layout: Layout::C, mutable: true }),
                    (2, 2) => Ty::Array(ArrayTy { elem, ndim: 2, layout: Layout::C, mutable: true }),
                    (m, n) => {
                        self.err_at(
                            id,
                            format!("`dot` of a {m}-D and a {n}-D array is not supported"),
                            Some("`dot` takes 1-D·1-D, 2-D·1-D, 1-D·2-D or 2-D·2-D".into()),
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

    pub(crate) fn float_arg(&mut self, arg: ExprId, t: &Ty, what: &str) -> Option<Scalar> {
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

    pub(crate) fn math1(&mut self, _id: ExprId, m: Math1, arg: ExprId, t: &Ty) -> Ty {
        let name = format!("{m:?}").to_lowercase();
        if let Ty::Array(a) = t {
            return match self.float_arg(arg, &Ty::Scalar(a.elem), &name) {
                Some(s) => elementwise(s, &[t]),
                None => Ty::Unknown,
            };
        }
        self.float_arg(arg, t, &name).map(Ty::Scalar).unwrap_or(Ty::Unknown)
    }

    pub(crate) fn abs(&mut self, arg: ExprId, t: &Ty) -> Ty {
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

    pub(crate) fn reduce(&mut self, id: ExprId, r: Reduce, t: &Ty) -> Ty {
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
}
