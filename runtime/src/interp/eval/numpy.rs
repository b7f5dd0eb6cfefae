//! NumPy functions and methods: constructors, `np.random`, `arange`/`linspace`, `dot`,
//! `argmin`/`argmax`, and the methods on arrays and numbers.

use super::*;

impl Frame<'_> {
    pub(crate) fn builtin(&mut self, id: ExprId, op: Builtin, args: &[ExprId]) -> R<Value> {
        let t = self.ty(id);
        let site = self.expr_site(id);
        let elementwise = matches!(
            op,
            Builtin::Math1(_)
                | Builtin::Abs
                | Builtin::Math2(_)
                | Builtin::Test(_)
                | Builtin::Where
                | Builtin::Dtype(_)
        );
        if elementwise {
            if let Ty::Array(_) = t {
                return self.elementwise(id);
            }
            let mut vals = Vec::new();
            for a in args {
                vals.push(self.expr(*a)?);
            }
            return Ok(self.scalar_node(id, &vals)?);
        }
        Ok(match op {
            Builtin::Alloc(kind) => {
                let at = t.array().expect("an array");
                let shape = self.shape_arg(args[0])?;
                let fill = match kind {
                    Alloc::Full => {
                        let v = self.expr(args[1])?;
                        Some(coerce(v, &self.ty(args[1]), &Ty::Scalar(at.elem)))
                    }
                    Alloc::Ones => Some(Value::one(at.elem)),
                    Alloc::Zeros | Alloc::Empty => None,
                };
                let a = Arr::alloc(at.elem, &shape, &site)?;
                if let Some(v) = fill {
                    for idx in c_order(&shape) {
                        a.set(&idx, &v);
                    }
                }
                Value::Array(a)
            }
            Builtin::Reduce(r) => self.reduction(id, r, args[0])?,
            Builtin::Like(kind) => {
                let a = self.expr(args[0])?;
                let elem = t.array().expect("an array").elem;
                let fill = match kind {
                    Alloc::Full => Some(self.scalar_arg(args[1], elem)?),
                    Alloc::Ones => Some(Value::one(elem)),
                    Alloc::Zeros | Alloc::Empty => None,
                };
                let out = Arr::alloc(elem, &a.array().shape, &site)?;
                if let Some(v) = fill {
                    for idx in c_order(&out.shape) {
                        out.set(&idx, &v);
                    }
                }
                Value::Array(out)
            }
            Builtin::Arange => self.arange(id, args)?,
            Builtin::Sort { arg } => {
                let a = self.expr(args[0])?;
                let a = a.array();
                let out = Arr::alloc(t.array().expect("an array").elem, &a.shape, &site)?;
                if arg {
                    sort_lanes(a, Some(&out));
                } else {
                    for idx in c_order(&a.shape) {
                        out.set(&idx, &a.get(&idx));
                    }
                    sort_lanes(&out, None);
                }
                Value::Array(out)
            }
            Builtin::Linspace => self.linspace(id, args)?,
            Builtin::Random(kind) => self.random(id, kind, args)?,
            Builtin::Arg(max) => {
                let a = self.expr(args[0])?;
                arg_extreme(max, a.array(), &t, &site)?
            }
            Builtin::Cumsum => {
                let a = self.expr(args[0])?;
                let a = a.array();
                let s = t.array().expect("an array").elem;
                let out = Arr::alloc(s, &[a.size()], &site)?;
                let mut acc = Value::literal(s, 0.0, Some(0));
                for (k, x) in a.elements().iter().enumerate() {
                    acc = scalar_op(BinOp::Add, &acc, &convert(x, a.elem, s), s).map_err(|e| e.at(site.site()))?;
                    out.set(&[k], &acc);
                }
                Value::Array(out)
            }
            Builtin::Dot => {
                let a = self.expr(args[0])?;
                let b = self.expr(args[1])?;
                dot(a.array(), b.array(), &t, &site)?
            }
            Builtin::Const(_) => unreachable!("constants are literals"),
            _ => unreachable!("element-wise builtins are handled above"),
        })
    }

    /// A shape argument: an integer or a tuple of integers.
    pub(crate) fn shape_arg(&mut self, arg: ExprId) -> R<Vec<usize>> {
        let v = self.expr(arg)?;
        let dim = |v: &Value, t: &Ty| convert(v, t.scalar().expect("an integer"), Scalar::Usize).int() as usize;
        Ok(match (v, self.ty(arg)) {
            (Value::Tuple(items), Ty::Tuple(ts)) => items.iter().zip(&ts).map(|(v, t)| dim(v, t)).collect(),
            (v, t) => vec![dim(&v, &t)],
        })
    }

    pub(crate) fn scalar_arg(&mut self, a: ExprId, to: Scalar) -> R<Value> {
        let v = self.expr(a)?;
        Ok(coerce(v, &self.ty(a), &Ty::Scalar(to)))
    }

    pub(crate) fn arange(&mut self, id: ExprId, args: &[ExprId]) -> R<Value> {
        let s = self.ty(id).array().expect("an array").elem;
        let site = self.expr_site(id);
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.scalar_arg(*a, s)?);
        }
        let (start, stop, step) = match vals.as_slice() {
            [stop] => (Value::literal(s, 0.0, Some(0)), stop.clone(), Value::one(s)),
            [start, stop] => (start.clone(), stop.clone(), Value::one(s)),
            [start, stop, step] => (start.clone(), stop.clone(), step.clone()),
            _ => unreachable!("checked: 1 to 3 arguments"),
        };
        let n: usize = if s.is_float() {
            if step.float() == 0.0 {
                return Err(Error::ZeroStep { site: site.site() }.into());
            }
            let d = scalar_op(BinOp::Sub, &stop, &start, s).map_err(|e| e.at(site.site()))?;
            let q = math1(
                rjit_front::builtins::Math1::Ceil,
                &scalar_op(BinOp::Div, &d, &step, s).map_err(|e| e.at(site.site()))?,
                s,
            );
            if q.float().is_nan() {
                return Err(Error::NanLength { site: site.site() }.into());
            }
            (convert(&q, s, Scalar::I64).int() as i64).max(0) as usize
        } else {
            if step.int() == 0 {
                return Err(Error::ZeroStep { site: site.site() }.into());
            }
            // Beyond `usize::MAX` there is no array anyway; beyond `isize::MAX` allocation fails.
            range_count(start.int(), stop.int(), step.int()).min(usize::MAX as u128) as usize
        };
        let out = Arr::alloc(s, &[n], &site)?;
        for i in 0..n {
            let fi = convert(&Value::Int(i as i128, Scalar::I64), Scalar::I64, s);
            let off = scalar_op(BinOp::Mul, &fi, &step, s).map_err(|e| e.at(site.site()))?;
            let v = scalar_op(BinOp::Add, &start, &off, s).map_err(|e| e.at(site.site()))?;
            out.set(&[i], &v);
        }
        Ok(Value::Array(out))
    }

    pub(crate) fn linspace(&mut self, id: ExprId, args: &[ExprId]) -> R<Value> {
        let s = self.ty(id).array().expect("an array").elem;
        let site = self.expr_site(id);
        let start = self.scalar_arg(args[0], s)?;
        let stop = self.scalar_arg(args[1], s)?;
        // A negative count fails to allocate, as NumPy refuses it.
        let n = self.scalar_arg(args[2], Scalar::I64)?.int() as i64;
        let out = Arr::alloc(s, &[n as usize], &site)?;
        let n1 = (n - 1).max(1);
        let fail = |e: OpError| e.at(site.site());
        let div = convert(&Value::Int(i128::from(n1), Scalar::I64), Scalar::I64, s);
        let width = scalar_op(BinOp::Sub, &stop, &start, s).map_err(fail)?;
        let step = scalar_op(BinOp::Div, &width, &div, s).map_err(fail)?;
        for i in 0..n {
            let v = if i == n1 && n > 1 {
                stop.clone()
            } else {
                let fi = convert(&Value::Int(i128::from(i), Scalar::I64), Scalar::I64, s);
                let off = scalar_op(BinOp::Mul, &fi, &step, s).map_err(fail)?;
                scalar_op(BinOp::Add, &start, &off, s).map_err(fail)?
            };
            out.set(&[i as usize], &v);
        }
        Ok(Value::Array(out))
    }

    pub(crate) fn random(&mut self, id: ExprId, kind: Random, args: &[ExprId]) -> R<Value> {
        let n = kind.params();
        if self.in_prange {
            self.it.parallel_random.set(true);
        }
        if matches!(kind, Random::Permutation | Random::Choice) {
            return self.drawn(id, kind, args);
        }
        let target = match kind {
            Random::Seed => Scalar::U64,
            Random::Randint => Scalar::I64,
            _ => Scalar::F64,
        };
        let mut vals = Vec::new();
        for a in &args[..n] {
            vals.push(self.scalar_arg(*a, target)?);
        }
        if kind == Random::Seed {
            crate::random::rjit_random_seed(vals[0].int() as u64);
            return Ok(Value::Unit);
        }
        let site = self.expr_site(id);
        if kind == Random::Randint {
            let (lo, hi) = (vals[0].int() as i64, vals[1].int() as i64);
            if lo >= hi {
                return Err(Error::EmptyRange { site: site.site(), low: lo, high: hi }.into());
            }
        }
        let f64v = |x: f64| Value::Float(x, Scalar::F64);
        let draw = || -> Value {
            match kind {
                Random::Random => f64v(crate::random::rjit_random()),
                Random::Uniform => {
                    let u = crate::random::rjit_random();
                    let (lo, hi) = (vals[0].float(), vals[1].float());
                    f64v(lo + (hi - lo) * u)
                }
                Random::Normal => {
                    let z = crate::random::rjit_normal();
                    f64v(vals[0].float() + vals[1].float() * z)
                }
                Random::Randint => Value::Int(
                    i128::from(crate::random::rjit_randint(vals[0].int() as i64, vals[1].int() as i64)),
                    Scalar::I64,
                ),
                Random::Seed | Random::Permutation | Random::Choice => unreachable!("handled above"),
            }
        };
        let Some(size) = args.get(n) else { return Ok(draw()) };
        let shape = self.shape_arg(*size)?;
        let out = Arr::alloc(target, &shape, &site)?;
        for idx in c_order(&shape) {
            out.set(&idx, &draw());
        }
        Ok(Value::Array(out))
    }

    /// `np.random.permutation(n | a)` and `np.random.choice(n | a[, size])`, drawing in the order
    /// compiled code does.
    fn drawn(&mut self, id: ExprId, kind: Random, args: &[ExprId]) -> R<Value> {
        let site = self.expr_site(id);
        let source = match self.ty(args[0]) {
            Ty::Array(_) => self.expr(args[0])?,
            _ => self.scalar_arg(args[0], Scalar::I64)?,
        };
        if kind == Random::Permutation {
            let out = match &source {
                Value::Array(a) => {
                    let out = Arr::alloc(a.elem, &a.shape, &site)?;
                    for idx in c_order(&a.shape) {
                        out.set(&idx, &a.get(&idx));
                    }
                    out
                }
                _ => {
                    let shape = self.shape_arg(args[0])?;
                    let out = Arr::alloc(Scalar::I64, &shape, &site)?;
                    for i in 0..shape[0] {
                        out.set(&[i], &Value::Int(i as i128, Scalar::I64));
                    }
                    out
                }
            };
            shuffle(&out);
            return Ok(Value::Array(out));
        }
        let count = match &source {
            Value::Array(a) => a.shape[0] as i64,
            v => v.int() as i64,
        };
        if count < 1 {
            return Err(Error::EmptyChoice { site: site.site(), count }.into());
        }
        let draw = || {
            let j = crate::random::rjit_randint(0, count);
            match &source {
                Value::Array(a) => a.get(&[j as usize]),
                _ => Value::Int(i128::from(j), Scalar::I64),
            }
        };
        let Some(size) = args.get(1) else { return Ok(draw()) };
        let shape = self.shape_arg(*size)?;
        let elem = self.ty(id).array().expect("an array").elem;
        let out = Arr::alloc(elem, &shape, &site)?;
        for idx in c_order(&shape) {
            out.set(&idx, &draw());
        }
        Ok(Value::Array(out))
    }

    pub(crate) fn method(&mut self, id: ExprId, m: Method, recv: ExprId, args: &[ExprId]) -> R<Value> {
        let t = self.ty(id);
        let rt = self.ty(recv);
        let site = self.expr_site(id);
        if let Ty::Array(_) = rt {
            if let Method::Reduce(r) = m {
                return self.reduction(id, r, recv);
            }
            let a = self.expr(recv)?;
            let a = a.array().clone();
            let usize_v = |n: usize| Value::Int(n as i128, t.scalar().unwrap_or(Scalar::Usize));
            return Ok(match m {
                Method::Len => usize_v(a.shape[0]),
                Method::Ndim => usize_v(a.shape.len()),
                Method::Size => usize_v(a.size()),
                Method::Shape => Value::Tuple(a.shape.iter().map(|d| Value::Int(*d as i128, Scalar::Usize)).collect()),
                Method::Copy => {
                    let out = Arr::alloc(a.elem, &a.shape, &site)?;
                    for idx in c_order(&a.shape) {
                        out.set(&idx, &a.get(&idx));
                    }
                    Value::Array(out)
                }
                Method::Ravel if a.shape.len() == 1 => Value::Array(a.clone()),
                Method::Ravel | Method::Flatten => {
                    let out = Arr::alloc(a.elem, &[a.size()], &site)?;
                    for (k, idx) in c_order(&a.shape).enumerate() {
                        out.set(&[k], &a.get(&idx));
                    }
                    Value::Array(out)
                }
                Method::Argmin | Method::Argmax => arg_extreme(m == Method::Argmax, &a, &t, &site)?,
                Method::T => {
                    let mut shape = a.shape.clone();
                    let mut strides = a.strides.clone();
                    shape.reverse();
                    strides.reverse();
                    Value::Array(a.view(&vec![0; a.shape.len()], shape, strides))
                }
                Method::Fill => {
                    let x = self.scalar_arg(args[0], a.elem)?;
                    for idx in c_order(&a.shape) {
                        a.set(&idx, &x);
                    }
                    Value::Unit
                }
                Method::Sort => {
                    sort_lanes(&a, None);
                    Value::Unit
                }
                Method::Reshape => {
                    let sv = self.expr(args[0])?;
                    let dims: Vec<i64> = match (sv, self.ty(args[0])) {
                        (Value::Tuple(items), Ty::Tuple(ts)) => items
                            .iter()
                            .zip(&ts)
                            .map(|(v, t)| convert(v, t.scalar().expect("an integer"), Scalar::I64).int() as i64)
                            .collect(),
                        (v, t) => vec![convert(&v, t.scalar().expect("an integer"), Scalar::I64).int() as i64],
                    };
                    let fin = reshaped(a.size() as i64, &dims).map_err(|(into, bad_axes)| Error::Reshape {
                        site: site.site(),
                        size: a.size() as i64,
                        into,
                        bad_axes,
                    })?;
                    if rt.array().expect("an array").layout == Layout::C {
                        let strides = contiguous_strides(&fin, false);
                        Value::Array(a.view(&vec![0; a.shape.len()], fin, strides))
                    } else {
                        let out = Arr::alloc(a.elem, &fin, &site)?;
                        for (idx, x) in c_order(&fin).zip(a.elements()) {
                            out.set(&idx, &x);
                        }
                        Value::Array(out)
                    }
                }
                Method::Shuffle => {
                    if self.in_prange {
                        self.it.parallel_random.set(true);
                    }
                    shuffle(&a);
                    Value::Unit
                }
                Method::Dot => {
                    let b = self.expr(args[0])?;
                    dot(&a, b.array(), &t, &site)?
                }
                other => unreachable!("method {other:?} on an array"),
            });
        }
        let s = t.scalar().expect("a number");
        let rs = rt.scalar().expect("a number");
        Ok(match m {
            Method::Math1(m1) => math1(m1, &self.scalar_arg(recv, s)?, s),
            Method::Abs => abs(&self.expr(recv)?, rs),
            Method::MinWith | Method::MaxWith => {
                let a = self.scalar_arg(recv, s)?;
                let b = self.scalar_arg(args[0], s)?;
                min_max(m == Method::MaxWith, &a, &b, s, false)
            }
            Method::Powi => {
                let a = self.scalar_arg(recv, s)?;
                let n = self.expr(args[0])?;
                let n = convert(&n, self.ty(args[0]).scalar().expect("an integer"), Scalar::I32).int() as i32;
                powi(&a, n, s)
            }
            Method::Powf => {
                let a = self.scalar_arg(recv, s)?;
                let b = self.scalar_arg(args[0], s)?;
                math2(rjit_front::builtins::Math2::Power, &a, &b, s).map_err(|e| e.at(site.site()))?
            }
            Method::Re | Method::Im | Method::Conj => {
                let v = self.expr(recv)?;
                match (m, v) {
                    (Method::Re, Value::Complex(re, _, _)) => Value::Float(re, rs.real_part()),
                    (Method::Im, Value::Complex(_, im, _)) => Value::Float(im, rs.real_part()),
                    (Method::Conj, Value::Complex(re, im, s)) => Value::Complex(re, -im, s),
                    (Method::Im, _) => Value::literal(rs, 0.0, Some(0)),
                    (_, v) => v,
                }
            }
            other => unreachable!("method {other:?} on a number"),
        })
    }
}

/// The flat C-order index of the first minimum or maximum (a NaN counts as the extreme).
pub(crate) fn arg_extreme(max: bool, a: &Arr, t: &Ty, site: &At) -> Result<Value, Error> {
    let vals = a.elements();
    let Some(first) = vals.first() else { return Err(Error::EmptyReduction { site: site.site() }) };
    let (mut best, mut best_i) = (first.clone(), 0usize);
    for (k, x) in vals.iter().enumerate() {
        let better = if a.elem.is_float() {
            let (xf, cf) = (x.float(), best.float());
            (if max { xf > cf } else { xf < cf }) || (xf.is_nan() && !cf.is_nan())
        } else {
            let (xi, ci) = (x.int(), best.int());
            if max {
                xi > ci
            } else {
                xi < ci
            }
        };
        if better {
            best = x.clone();
            best_i = k;
        }
    }
    Ok(Value::Int(best_i as i128, t.scalar().unwrap_or(Scalar::Usize)))
}

/// `np.dot`: sums of products in order, after checking the contracted axis.
pub(crate) fn dot(a: &Arr, b: &Arr, t: &Ty, site: &At) -> Result<Value, Error> {
    let s = match t {
        Ty::Scalar(s) => *s,
        Ty::Array(x) => x.elem,
        _ => unreachable!("dot gives a number or an array"),
    };
    let (na, nb) = (a.shape.len(), b.shape.len());
    let (k_a, k_b) = (a.shape[na - 1], b.shape[0]);
    if k_a != k_b {
        return Err(Error::ShapeMismatch {
            site: site.site(),
            axis: (na - 1) as u32,
            left: k_a as u64,
            right: k_b as u64,
        });
    }
    let fail = |e: OpError| e.at(site.site());
    let inner = |i: Option<usize>, j: Option<usize>| -> Result<Value, Error> {
        let mut acc = Value::literal(s, 0.0, Some(0));
        for k in 0..k_a {
            let x = convert(&a.get(&i.map_or(vec![k], |i| vec![i, k])), a.elem, s);
            let y = convert(&b.get(&j.map_or(vec![k], |j| vec![k, j])), b.elem, s);
            let prod = scalar_op(BinOp::Mul, &x, &y, s).map_err(fail)?;
            acc = scalar_op(BinOp::Add, &acc, &prod, s).map_err(fail)?;
        }
        Ok(acc)
    };
    Ok(match (na, nb) {
        (1, 1) => inner(None, None)?,
        (1, 2) => {
            let out = Arr::alloc(s, &[b.shape[1]], site)?;
            for j in 0..b.shape[1] {
                out.set(&[j], &inner(None, Some(j))?);
            }
            Value::Array(out)
        }
        (2, 1) => {
            let out = Arr::alloc(s, &[a.shape[0]], site)?;
            for i in 0..a.shape[0] {
                out.set(&[i], &inner(Some(i), None)?);
            }
            Value::Array(out)
        }
        _ => {
            let (rows, cols) = (a.shape[0], b.shape[1]);
            let out = Arr::alloc(s, &[rows, cols], site)?;
            for i in 0..rows {
                for j in 0..cols {
                    out.set(&[i, j], &inner(Some(i), Some(j))?);
                }
            }
            Value::Array(out)
        }
    })
}

/// Shuffles `a` along its first axis in place: Fisher–Yates from the last row down, row `i`
/// swapped with a uniform row of `0..=i`, as NumPy (and compiled code) do.
fn shuffle(a: &Arr) {
    let Some(&n) = a.shape.first() else { return };
    let rest = a.shape[1..].to_vec();
    for i in (1..n).rev() {
        let j = crate::random::rjit_randint(0, i as i64 + 1) as usize;
        for idx in c_order(&rest) {
            let (mut p, mut q) = (vec![i], vec![j]);
            p.extend(&idx);
            q.extend(&idx);
            let (x, y) = (a.get(&p), a.get(&q));
            a.set(&p, &y);
            a.set(&q, &x);
        }
    }
}

/// Sorts each lane of `a` (its elements along the last axis) in place or, with `out`, writes the
/// indices that sort it into `out`: the stable sort and NumPy's order that compiled code's
/// helpers use (`crate::sort`), so both give the same bits.
fn sort_lanes(a: &Arr, out: Option<&Arr>) {
    let last = a.shape.len() - 1;
    let n = a.shape[last];
    let order = |x: &Value, y: &Value| {
        if a.elem.is_float() {
            crate::sort::float_order(x.float(), y.float())
        } else {
            x.int().cmp(&y.int())
        }
    };
    for outer in c_order(&a.shape[..last]) {
        let at = |k: usize| {
            let mut i = outer.clone();
            i.push(k);
            i
        };
        let values: Vec<Value> = (0..n).map(|k| a.get(&at(k))).collect();
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by(|i, j| order(&values[*i], &values[*j]));
        for (k, i) in idx.into_iter().enumerate() {
            match out {
                Some(o) => o.set(&at(k), &Value::Int(i as i128, Scalar::Usize)),
                None => a.set(&at(k), &values[i]),
            }
        }
    }
}

/// The shape `dims` (one axis may be -1) gives an array of `size` elements, computed as compiled
/// code does, or `Err((product of the axes given, bad axes))`.
fn reshaped(size: i64, dims: &[i64]) -> Result<Vec<usize>, (i64, bool)> {
    let known = dims.iter().fold(1i64, |k, d| k.wrapping_mul(if *d == -1 { 1 } else { *d }));
    let unknowns = dims.iter().filter(|d| **d == -1).count();
    if dims.iter().any(|d| *d < -1) || unknowns > 1 {
        return Err((known, true));
    }
    let fill = if known == 0 { 0 } else { ((size as u64) / (known as u64)) as i64 };
    let fin: Vec<i64> = dims.iter().map(|d| if *d == -1 { fill } else { *d }).collect();
    match fin.iter().try_fold(1i64, |t, d| t.checked_mul(*d)) {
        Some(total) if total == size => Ok(fin.iter().map(|d| *d as usize).collect()),
        _ => Err((known, false)),
    }
}
