//! Loops: `for` over ranges, and `prange`, whose chunks run as the compiled pool runs them
//! (each with private locals and its own reductions, combined in chunk order).

use super::*;

impl Frame<'_> {
    /// Runs a loop body once: `false` when it broke out of the loop.
    pub(crate) fn iteration(&mut self, body: &Block) -> R<bool> {
        match self.block(body) {
            Ok(_) | Err(Stop::Continue) => Ok(true),
            Err(Stop::Break) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// A range's start, stop and step in its integer type, after the zero-step check.
    pub(crate) fn range_values(&mut self, r: &rjit_front::hir::Range, span: Span) -> R<(Scalar, [i128; 3])> {
        let t = self.ty(r.stop);
        let s = t.scalar().expect("checked: an integer range");
        let get = |cx: &mut Self, id: Option<ExprId>, default: i128| -> R<i128> {
            match id {
                Some(id) => {
                    let v = cx.expr(id)?;
                    Ok(coerce(v, &cx.ty(id), &t).int())
                }
                None => Ok(default),
            }
        };
        let start = get(self, r.start, 0)?;
        let stop = get(self, Some(r.stop), 0)?;
        let step = get(self, r.step, 1)?;
        if step == 0 {
            return Err(Error::ZeroStep { site: self.site(span).site() }.into());
        }
        Ok((s, [start, stop, step]))
    }

    /// `for var in range(…)`: the step's sign picks the direction; the loop ends when the next
    /// value would leave the type's range.
    pub(crate) fn for_range(
        &mut self,
        var: Option<LocalId>,
        r: &rjit_front::hir::Range,
        body: &Block,
        span: Span,
    ) -> R<()> {
        let (s, [start, stop, step]) = self.range_values(r, span)?;
        let mut i = start;
        loop {
            let more = if !s.is_signed() || step > 0 { i < stop } else { i > stop };
            if !more {
                break;
            }
            if let Some(v) = var {
                self.store_local(v, Value::Int(i, s), &Ty::Scalar(s));
            }
            if !self.iteration(body)? {
                break;
            }
            let next = i + step;
            if wrap(next, s) != next {
                break;
            }
            i = next;
        }
        Ok(())
    }

    /// A `prange` loop of a `parallel` function, run as compiled code runs it: the same fixed
    /// chunks, each reducing into accumulators that start at the identity, combined in chunk order;
    /// the variables private to the body are the chunk's own.
    pub(crate) fn prange(
        &mut self,
        var: Option<LocalId>,
        r: &rjit_front::hir::Range,
        body: &Block,
        span: Span,
    ) -> R<()> {
        let (s, [start, stop, step]) = self.range_values(r, span)?;
        let trip = range_count(start, stop, step) as u64;
        if trip == 0 {
            return Ok(());
        }
        let info = rjit_front::prange::analyze(self.f(), &self.fun.typed, var, body, false, &mut Vec::new());
        let array_reductions = info.reductions.iter().any(|(l, _)| matches!(self.fun.typed.local(*l), Ty::Array(_)));
        let max = if array_reductions { crate::pool::MAX_ARRAY_REDUCTION_CHUNKS } else { crate::pool::MAX_CHUNKS };
        let chunks = trip.min(max as u64);
        let private: Vec<(LocalId, Value)> =
            info.private.iter().map(|l| (*l, self.locals[l.0 as usize].clone())).collect();
        let outer: Vec<Value> = info.reductions.iter().map(|(l, _)| self.locals[l.0 as usize].clone()).collect();
        let mut partials: Vec<Vec<Value>> = Vec::new();
        let was = std::mem::replace(&mut self.in_prange, true);
        let site = self.site(span);
        let watched = crate::interp::race::begin(|| {
            let s = site.site();
            format!("`{}` at {}:{}", s.function, s.file, s.line)
        });
        let mut run = |cx: &mut Self| -> R<()> {
            for ch in 0..chunks {
                let lo = (u128::from(ch) * u128::from(trip) / u128::from(chunks)) as u64;
                let hi = (u128::from(ch + 1) * u128::from(trip) / u128::from(chunks)) as u64;
                for ((l, op), o) in info.reductions.iter().zip(&outer) {
                    let acc = match (cx.fun.typed.local(*l).clone(), o) {
                        (Ty::Array(at), Value::Array(a)) => {
                            let mut copy = Arr::alloc(at.elem, &a.shape, &site)?;
                            copy.strides = contiguous_strides(&a.shape, at.layout == Layout::F);
                            let id = identity(*op, at.elem);
                            for idx in c_order(&a.shape) {
                                copy.set(&idx, &id);
                            }
                            Value::Array(copy)
                        }
                        (t, _) => identity(*op, t.scalar().expect("checked: a scalar or array reduction")),
                    };
                    cx.locals[l.0 as usize] = acc;
                }
                for k in lo..hi {
                    crate::interp::race::iteration(k);
                    if let Some(v) = var {
                        let i = wrap(start + i128::from(k) * step, s);
                        cx.store_local(v, Value::Int(i, s), &Ty::Scalar(s));
                    }
                    // `break` leaves the chunk's loop, as in the outlined body.
                    if !cx.iteration(body)? {
                        break;
                    }
                }
                partials.push(info.reductions.iter().map(|(l, _)| cx.locals[l.0 as usize].clone()).collect());
            }
            Ok(())
        };
        let result = if was { run(self) } else { crate::pool::with_chunk_random(|| run(self)) };
        if watched {
            crate::interp::race::end();
        }
        self.in_prange = was;
        for (l, v) in private {
            self.locals[l.0 as usize] = v;
        }
        for ((l, _), o) in info.reductions.iter().zip(&outer) {
            self.locals[l.0 as usize] = o.clone();
        }
        result?;
        for part in partials {
            for (((l, op), p), o) in info.reductions.iter().zip(part).zip(&outer) {
                match (o, p) {
                    (Value::Array(a), Value::Array(copy)) => {
                        let bin = match op {
                            RedOp::Add | RedOp::Sub => BinOp::Add,
                            RedOp::Mul => BinOp::Mul,
                            RedOp::And => BinOp::BitAnd,
                            RedOp::Or => BinOp::BitOr,
                            RedOp::Xor => BinOp::BitXor,
                            RedOp::Min | RedOp::Max | RedOp::Minimum | RedOp::Maximum => {
                                unreachable!("checked: arrays reduce with operators only")
                            }
                        };
                        for idx in c_order(&a.shape) {
                            let r = combine(bin, &a.get(&idx), a.elem, &copy.get(&idx), a.elem, &site)?;
                            a.set(&idx, &r);
                        }
                    }
                    (_, p) => {
                        let st = self.fun.typed.local(*l).scalar().expect("a scalar reduction");
                        let cur = self.locals[l.0 as usize].clone();
                        let next = match op {
                            RedOp::Add | RedOp::Sub => scalar_op(BinOp::Add, &cur, &p, st),
                            RedOp::Mul => scalar_op(BinOp::Mul, &cur, &p, st),
                            RedOp::And => scalar_op(BinOp::BitAnd, &cur, &p, st),
                            RedOp::Or => scalar_op(BinOp::BitOr, &cur, &p, st),
                            RedOp::Xor => scalar_op(BinOp::BitXor, &cur, &p, st),
                            RedOp::Min | RedOp::Max | RedOp::Minimum | RedOp::Maximum => {
                                let (max, nan_propagates) = op.min_max().expect("a minimum or maximum");
                                Ok(min_max(max, &cur, &p, st, nan_propagates))
                            }
                        };
                        self.locals[l.0 as usize] = next.map_err(|e| e.at(site.site()))?;
                    }
                }
            }
        }
        Ok(())
    }
}
