//! `a.reshape(shape)` in generated code: the new shape checked against the array's size (one
//! axis may be `-1`), then a view of a C-contiguous array or a C-order copy of any other.

use super::*;

impl<'a, 'm> FnCx<'a, 'm> {
    /// The reshaped array: a new view of `a` (which the caller gives its reference count) when `a`
    /// is C-contiguous, else a fresh copy.
    pub fn reshape(
        &mut self,
        id: ExprId,
        a: StructValue<'static>,
        at: &ArrayTy,
        shape: ExprId,
    ) -> Option<StructValue<'static>> {
        let sv = self.expr(shape)?;
        let st = self.ty(shape);
        let dims: Vec<IntValue<'static>> = match &st {
            Ty::Tuple(items) => items
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    let part = self.e.b().build_extract_value(sv.into_struct_value(), k as u32, "dim").unwrap();
                    self.convert(part, t.scalar().expect("an integer"), Scalar::I64).into_int_value()
                })
                .collect(),
            t => vec![self.convert(sv, t.scalar().expect("an integer"), Scalar::I64).into_int_value()],
        };
        let site = self.e.site(self.f.expr(id).span, "");
        let size = self.e.size(a, at);
        let e = &self.e;
        let b = e.b();
        let (zero, one, minus_one) = (e.i64c(0), e.i64c(1), e.i64c(-1));
        let mut known = one;
        let mut unknowns = zero;
        let mut bad = e.cg.ctx.bool_type().const_zero();
        for d in &dims {
            let is_unknown = b.build_int_compare(IntPredicate::EQ, *d, minus_one, "unknown").unwrap();
            let below = b.build_int_compare(IntPredicate::SLT, *d, minus_one, "below").unwrap();
            bad = b.build_or(bad, below, "bad").unwrap();
            let u = b.build_int_z_extend(is_unknown, e.cg.i64(), "u").unwrap();
            unknowns = b.build_int_add(unknowns, u, "unknowns").unwrap();
            let factor = b.build_select(is_unknown, one, *d, "factor").unwrap().into_int_value();
            known = b.build_int_mul(known, factor, "known").unwrap();
        }
        let two = b.build_int_compare(IntPredicate::UGT, unknowns, one, "two_unknowns").unwrap();
        let bad = b.build_or(bad, two, "bad").unwrap();
        self.e.fail_if(bad, site, kind::RESHAPE, [size, known, one]);
        // The `-1` axis: what the others leave of the size (0 when they make 0).
        let e = &self.e;
        let b = e.b();
        let known_zero = b.build_int_compare(IntPredicate::EQ, known, zero, "known_zero").unwrap();
        let divisor = b.build_select(known_zero, one, known, "divisor").unwrap().into_int_value();
        let quotient = b.build_int_unsigned_div(size, divisor, "fill").unwrap();
        let fill = b.build_select(known_zero, zero, quotient, "fill").unwrap().into_int_value();
        let fin: Vec<IntValue<'static>> = dims
            .iter()
            .map(|d| {
                let is_unknown = b.build_int_compare(IntPredicate::EQ, *d, minus_one, "unknown").unwrap();
                b.build_select(is_unknown, fill, *d, "dim").unwrap().into_int_value()
            })
            .collect();
        // Their product, with an overflow counting as a mismatch (a wrapped product could equal
        // the size and describe memory the array does not have).
        let max = e.i64c(i64::MAX);
        let mut total = one;
        let mut overflow = e.cg.ctx.bool_type().const_zero();
        for d in &fin {
            let nonzero = b.build_int_compare(IntPredicate::NE, *d, zero, "nonzero").unwrap();
            let safe_d = b.build_select(nonzero, *d, one, "safe").unwrap().into_int_value();
            let limit = b.build_int_unsigned_div(max, safe_d, "limit").unwrap();
            let over = b.build_int_compare(IntPredicate::UGT, total, limit, "over").unwrap();
            let over = b.build_and(over, nonzero, "over").unwrap();
            overflow = b.build_or(overflow, over, "overflow").unwrap();
            total = b.build_int_mul(total, *d, "total").unwrap();
        }
        let differs = b.build_int_compare(IntPredicate::NE, total, size, "differs").unwrap();
        let mismatch = b.build_or(differs, overflow, "mismatch").unwrap();
        self.e.fail_if(mismatch, site, kind::RESHAPE, [size, known, zero]);
        let rt = self.ty(id).array().expect("an array");
        if at.layout == Layout::C {
            let strides = c_strides(&self.e, &fin);
            let data = self.e.data(a);
            let m = self.e.meminfo(a);
            return Some(self.e.descriptor(data, &fin, &strides, m, &rt));
        }
        let out = self.e.alloc(at.elem, &fin, false, site);
        let out_data = self.e.data(out);
        let k = self.e.alloca(self.e.cg.i64().into(), "k");
        self.e.b().build_store(k, self.e.i64c(0)).unwrap();
        let elem = at.elem;
        for_each(self, &[(a, *at)], &mut |cx, p| {
            let i = cx.e.b().build_load(k, "k").unwrap().into_int_value();
            let x = cx.e.load_elem(p[0], elem);
            let q = unsafe { cx.e.b().build_in_bounds_gep(out_data, &[i], "out") }.unwrap();
            cx.e.store_elem(q, x, elem);
            let next = cx.e.b().build_int_add(i, cx.e.i64c(1), "next").unwrap();
            cx.e.b().build_store(k, next).unwrap();
        });
        Some(out)
    }
}
