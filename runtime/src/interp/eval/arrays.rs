//! Arrays: fused element-wise trees evaluated per element, reductions, indexing and views,
//! broadcasting.

use super::*;

impl Frame<'_> {
    /// An element-wise node applied to scalars (a scalar expression, or one element of an array
    /// expression): `x` are its operands' values, each of its operand's own (element) type.
    pub(crate) fn scalar_node(&self, id: ExprId, x: &[Value]) -> Result<Value, Error> {
        let f = self.f();
        let out = elem_of(&self.ty(id));
        let operands: Vec<ExprId> = match &f.expr(id).kind {
            ExprKind::Binary(_, l, r) => vec![*l, *r],
            ExprKind::Unary(_, x) => vec![*x],
            ExprKind::Builtin { args, .. } => args.clone(),
            _ => unreachable!("not element-wise"),
        };
        let elems: Vec<Scalar> = operands.iter().map(|c| elem_of(&self.ty(*c))).collect();
        let fail = |e: OpError| e.at(self.expr_site(id).site());
        Ok(match &f.expr(id).kind {
            ExprKind::Binary(op, ..) if op.is_shift() => {
                let l = convert(&x[0], elems[0], out).int();
                shift(*op, l, x[1].int(), out)
            }
            ExprKind::Binary(op, ..) => {
                let operand = if op.is_comparison() { common(elems[0], elems[1]) } else { out };
                let a = convert(&x[0], elems[0], operand);
                let b = convert(&x[1], elems[1], operand);
                scalar_op(*op, &a, &b, operand).map_err(fail)?
            }
            ExprKind::Unary(op, _) => {
                let v = convert(&x[0], elems[0], out);
                match op {
                    UnOp::Neg => neg(&v, out),
                    UnOp::Not => not(&v, out),
                }
            }
            ExprKind::Builtin { op, .. } => match *op {
                Builtin::Math1(m) => math1(m, &convert(&x[0], elems[0], out), out),
                Builtin::Abs => abs(&x[0], elems[0]),
                Builtin::Math2(m) => {
                    math2(m, &convert(&x[0], elems[0], out), &convert(&x[1], elems[1], out), out).map_err(fail)?
                }
                Builtin::Test(test_kind) => test(test_kind, &x[0], elems[0]),
                Builtin::Where => {
                    if x[0].bool() {
                        convert(&x[1], elems[1], out)
                    } else {
                        convert(&x[2], elems[2], out)
                    }
                }
                Builtin::Dtype(to) if x.len() == 2 => {
                    let p = to.real_part();
                    let re = convert(&x[0], elems[0], p).float();
                    let im = convert(&x[1], elems[1], p).float();
                    Value::Complex(re, im, to)
                }
                Builtin::Dtype(to) => convert(&x[0], elems[0], to),
                other => unreachable!("{other:?} is not element-wise"),
            },
            _ => unreachable!("not element-wise"),
        })
    }

    pub(crate) fn is_elementwise(&self, id: ExprId) -> bool {
        rjit_front::fusion::is_elementwise(self.f(), &self.fun.typed, id)
    }

    /// Walks the element-wise tree under `id`, evaluating its leaves once, in order.
    pub(crate) fn fuse_tree(&mut self, id: ExprId, leaves: &mut Vec<Value>) -> R<Node> {
        if !self.is_elementwise(id) {
            leaves.push(self.expr(id)?);
            return Ok(Node::Leaf(leaves.len() - 1));
        }
        let kids: Vec<ExprId> = match &self.f().expr(id).kind {
            ExprKind::Binary(_, l, r) => vec![*l, *r],
            ExprKind::Unary(_, x) => vec![*x],
            ExprKind::Builtin { args, .. } => args.clone(),
            _ => unreachable!("not element-wise"),
        };
        let mut nodes = Vec::new();
        for c in kids {
            nodes.push(self.fuse_tree(c, leaves)?);
        }
        Ok(Node::Op(id, nodes))
    }

    pub(crate) fn eval_node(&self, node: &Node, xs: &[Value]) -> Result<Value, Error> {
        match node {
            Node::Leaf(i) => Ok(xs[*i].clone()),
            Node::Op(id, kids) => {
                let vals = kids.iter().map(|k| self.eval_node(k, xs)).collect::<Result<Vec<_>, _>>()?;
                self.scalar_node(*id, &vals)
            }
        }
    }

    /// The tree's value at every index of `shape`, in C order, its array leaves broadcast to it.
    pub(crate) fn tree_values(
        &self,
        tree: &Node,
        leaves: &[Value],
        shape: &[usize],
        site: &At,
    ) -> Result<Vec<Value>, Error> {
        let views: Vec<Option<Arr>> = leaves
            .iter()
            .map(|l| if let Value::Array(a) = l { broadcast_to(a, shape, site).map(Some) } else { Ok(None) })
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for idx in c_order(shape) {
            let xs: Vec<Value> =
                leaves.iter().zip(&views).map(|(l, v)| v.as_ref().map_or_else(|| l.clone(), |a| a.get(&idx))).collect();
            out.push(self.eval_node(tree, &xs)?);
        }
        Ok(out)
    }

    /// An element-wise array expression: leaves first, then the broadcast shape, one result.
    pub(crate) fn elementwise(&mut self, id: ExprId) -> R<Value> {
        let out_t = self.ty(id).array().expect("an element-wise array");
        let mut leaves = Vec::new();
        let tree = self.fuse_tree(id, &mut leaves)?;
        let site = self.expr_site(id);
        let arrays: Vec<&Arr> =
            leaves.iter().filter_map(|l| if let Value::Array(a) = l { Some(a) } else { None }).collect();
        let shape = broadcast_shape(&arrays, usize::from(out_t.ndim), &site)?;
        let out = Arr::alloc(out_t.elem, &shape, &site)?;
        for (idx, v) in c_order(&shape).zip(self.tree_values(&tree, &leaves, &shape, &site)?) {
            out.set(&idx, &v);
        }
        Ok(Value::Array(out))
    }

    /// `a op= value` on a whole array (or view): the right side is computed first, then combined
    /// element by element.
    pub(crate) fn fused_in_place(&mut self, op: BinOp, a: &Arr, value: ExprId, site: &At) -> R<()> {
        let mut leaves = Vec::new();
        let tree = self.fuse_tree(value, &mut leaves)?;
        let vs = elem_of(&self.ty(value));
        let vals = self.tree_values(&tree, &leaves, &a.shape, site)?;
        for (idx, v) in c_order(&a.shape).zip(vals) {
            let r = combine(op, &a.get(&idx), a.elem, &v, vs, site)?;
            a.set(&idx, &r);
        }
        Ok(())
    }

    /// A reduction of values already in the accumulator's type, in C order; in a `parallel`
    /// function a large one is cut into the row chunks compiled code uses, each starting from the
    /// identity, combined in chunk order.
    pub(crate) fn reduce_values(
        &self,
        r: Reduce,
        vals: Vec<Value>,
        rows: usize,
        acc_s: Scalar,
        site: &At,
    ) -> Result<Value, Error> {
        let op = match r {
            Reduce::Sum | Reduce::Mean => RedOp::Add,
            Reduce::Prod => RedOp::Mul,
            Reduce::Min => RedOp::Min,
            Reduce::Max => RedOp::Max,
        };
        let step = |cur: &Value, x: &Value| -> Result<Value, Error> {
            Ok(match r {
                Reduce::Sum | Reduce::Mean => scalar_op(BinOp::Add, cur, x, acc_s).map_err(|e| e.at(site.site()))?,
                Reduce::Prod => scalar_op(BinOp::Mul, cur, x, acc_s).map_err(|e| e.at(site.site()))?,
                Reduce::Min => min_max(false, cur, x, acc_s, true),
                Reduce::Max => min_max(true, cur, x, acc_s, true),
            })
        };
        let fold = |xs: &[Value]| xs.iter().try_fold(identity(op, acc_s), |acc, x| step(&acc, x));
        let split = self.may_split() && vals.len() as i64 >= crate::pool::MIN_SPLIT_ELEMS && rows >= 2;
        if !split {
            return fold(&vals);
        }
        let chunks = rows.min(crate::pool::MAX_CHUNKS as usize);
        let per_row = vals.len() / rows;
        let mut total: Option<Value> = None;
        for c in 0..chunks {
            let lo = c * rows / chunks;
            let hi = (c + 1) * rows / chunks;
            let part = fold(&vals[lo * per_row..hi * per_row])?;
            total = Some(match total {
                None => part,
                Some(t) => step(&t, &part)?,
            });
        }
        Ok(total.expect("at least one chunk"))
    }

    /// `sum prod min max mean` of an array (`fused`: of an element-wise tree, never stored).
    pub(crate) fn reduction(&mut self, id: ExprId, r: Reduce, arg: ExprId) -> R<Value> {
        let site = self.expr_site(id);
        let out = self.ty(id).scalar().expect("a reduction gives a number");
        let elem = elem_of(&self.ty(arg));
        let acc_s = r.accumulator(elem, out);
        let (vals, shape) = if self.is_elementwise(arg) {
            let rt = self.ty(arg).array().expect("an array");
            let mut leaves = Vec::new();
            let tree = self.fuse_tree(arg, &mut leaves)?;
            let arrays: Vec<&Arr> =
                leaves.iter().filter_map(|l| if let Value::Array(a) = l { Some(a) } else { None }).collect();
            let shape = broadcast_shape(&arrays, usize::from(rt.ndim), &site)?;
            if matches!(r, Reduce::Min | Reduce::Max) && shape.iter().product::<usize>() == 0 {
                return Err(Error::EmptyReduction { site: site.site() }.into());
            }
            (self.tree_values(&tree, &leaves, &shape, &site)?, shape)
        } else {
            let a = self.expr(arg)?;
            let a = a.array();
            if matches!(r, Reduce::Min | Reduce::Max) && a.size() == 0 {
                return Err(Error::EmptyReduction { site: site.site() }.into());
            }
            (a.elements(), a.shape.clone())
        };
        let n = vals.len();
        let vals: Vec<Value> = vals.iter().map(|v| convert(v, elem, acc_s)).collect();
        let total = self.reduce_values(r, vals, shape.first().copied().unwrap_or(1), acc_s, &site)?;
        if r == Reduce::Mean {
            let n = convert(&Value::Int(n as i128, Scalar::I64), Scalar::I64, acc_s);
            return Ok(scalar_op(BinOp::Div, &total, &n, acc_s).map_err(|e| e.at(site.site()))?);
        }
        Ok(total)
    }

    // ----- indexing -----

    pub(crate) fn index_parts(&mut self, id: ExprId) -> R<(Arr, Vec<Part>)> {
        let f = self.fun.f.clone();
        let ExprKind::Index(base, args) = &f.expr(id).kind else { unreachable!("an index expression") };
        let a = self.expr(*base)?.array().clone();
        let site = self.expr_site(id);
        let mut parts = Vec::new();
        for (k, arg) in args.iter().enumerate() {
            let len = a.shape[k];
            parts.push(match arg {
                IndexArg::At(ix) => {
                    let v = self.expr(*ix)?;
                    let s = self.ty(*ix).scalar().expect("checked: an integer index");
                    Part::At(checked_index(&v, s, len, k as u32, &site)?)
                }
                IndexArg::Range(lo, hi) => {
                    let lo = match lo {
                        Some(x) => self.slice_bound(*x, len)?,
                        None => 0,
                    };
                    let hi = match hi {
                        Some(x) => self.slice_bound(*x, len)?,
                        None => len,
                    };
                    Part::Range(lo, hi.saturating_sub(lo))
                }
            });
        }
        Ok((a, parts))
    }

    /// A slice bound: negative counts from the end; clamped to `0..=len`.
    pub(crate) fn slice_bound(&mut self, x: ExprId, len: usize) -> R<usize> {
        let v = self.expr(x)?;
        let s = self.ty(x).scalar().expect("checked: an integer bound");
        let v = convert(&v, s, if s.is_signed() { Scalar::I64 } else { Scalar::U64 }).int() as i64;
        let v = if s.is_signed() {
            let v = if v < 0 { v.wrapping_add(len as i64) } else { v };
            v.max(0)
        } else {
            v
        };
        Ok(if v as u64 > len as u64 { len } else { v as usize })
    }

    pub(crate) fn view(&self, a: &Arr, parts: &[Part]) -> Arr {
        let n = a.shape.len();
        let starts: Vec<usize> = (0..n).map(|k| parts.get(k).map_or(0, start)).collect();
        let (mut dims, mut steps) = (Vec::new(), Vec::new());
        for k in 0..n {
            match parts.get(k) {
                Some(Part::At(_)) => {}
                Some(Part::Range(_, len)) => {
                    dims.push(*len);
                    steps.push(a.strides[k]);
                }
                None => {
                    dims.push(a.shape[k]);
                    steps.push(a.strides[k]);
                }
            }
        }
        a.view(&starts, dims, steps)
    }

    // ----- builtins and methods -----
}

pub(crate) fn start(p: &Part) -> usize {
    match p {
        Part::At(i) | Part::Range(i, _) => *i,
    }
}

/// An index converted to `i64`, counted from the end when negative and signed, and checked.
pub(crate) fn checked_index(v: &Value, s: Scalar, len: usize, axis: u32, site: &At) -> Result<usize, Error> {
    let raw = if s.is_signed() { v.int() as i64 } else { v.int() as u64 as i64 };
    let idx = if s.is_signed() && raw < 0 { raw.wrapping_add(len as i64) } else { raw };
    if idx as u64 >= len as u64 {
        // Checked even under `boundscheck = false`: the interpreter never reads out of bounds.
        let index = if s.is_signed() { i128::from(raw) } else { i128::from(raw as u64) };
        return Err(Error::IndexOutOfBounds { site: site.site(), index, axis, size: len as u64 });
    }
    Ok(idx as usize)
}

/// `cur op v`, stored back as `cur`'s type (`cs`), as a compound assignment does.
pub(crate) fn combine(op: BinOp, cur: &Value, cs: Scalar, v: &Value, vs: Scalar, site: &At) -> Result<Value, Error> {
    if op.is_shift() {
        return Ok(shift(op, cur.int(), v.int(), cs));
    }
    let c = common(cs, vs);
    let a = convert(cur, cs, c);
    let b = convert(v, vs, c);
    let r = scalar_op(op, &a, &b, c).map_err(|e| e.at(site.site()))?;
    Ok(convert(&r, c, cs))
}

/// The shape arrays broadcast to (NumPy's rules), failing as compiled code does.
pub(crate) fn broadcast_shape(arrays: &[&Arr], ndim: usize, site: &At) -> Result<Vec<usize>, Error> {
    let mut shape = vec![1usize; ndim];
    for a in arrays {
        let off = ndim - a.shape.len();
        for (k, d) in a.shape.iter().enumerate() {
            let j = off + k;
            let r = shape[j];
            let new = if r == 1 { *d } else { r };
            if *d != new && *d != 1 {
                return Err(Error::ShapeMismatch {
                    site: site.site(),
                    axis: j as u32,
                    left: r as u64,
                    right: *d as u64,
                });
            }
            shape[j] = new;
        }
    }
    Ok(shape)
}

/// `b` seen with `shape`: stretched and missing axes get stride 0.
pub(crate) fn broadcast_to(b: &Arr, shape: &[usize], site: &At) -> Result<Arr, Error> {
    let n = shape.len();
    let off = n - b.shape.len();
    let mut strides = vec![0isize; n];
    for (k, d) in b.shape.iter().enumerate() {
        let j = off + k;
        if *d != shape[j] && *d != 1 {
            return Err(Error::ShapeMismatch {
                site: site.site(),
                axis: j as u32,
                left: shape[j] as u64,
                right: *d as u64,
            });
        }
        strides[j] = if *d == shape[j] { b.strides[k] } else { 0 };
    }
    Ok(b.view(&vec![0; b.shape.len()], shape.to_vec(), strides))
}
