//! Sorting in generated code: `a.sort()`, `np.sort(a)`, `np.argsort(a)`, one helper call per lane
//! (the elements along the last axis) into the runtime's stable sort.

use super::*;

impl<'a, 'm> FnCx<'a, 'm> {
    /// `np.sort(a)` (a sorted C-contiguous copy) and `np.argsort(a)` (the `usize` indices that sort
    /// each lane).
    pub fn sorted(&mut self, id: ExprId, arg: bool, src: ExprId) -> Option<BasicValueEnum<'static>> {
        let (v, owned) = self.borrow(src)?;
        let st = self.ty(src);
        let at = st.array().expect("an array");
        let a = v.into_struct_value();
        let shape = self.e.shape(a, &at);
        let site = self.e.site(self.f.expr(id).span, "");
        let ot = self.ty(id).array().expect("an array");
        let out = self.e.alloc(ot.elem, &shape, false, site);
        if arg {
            self.sort_lanes(a, &at, Some((out, ot)));
        } else {
            let elem = at.elem;
            for_each(self, &[(a, at), (out, ot)], &mut |cx, p| {
                let x = cx.e.load_elem(p[0], elem);
                cx.e.store_elem(p[1], x, elem);
            });
            self.sort_lanes(out, &ot, None);
        }
        self.release(v, &st, owned);
        Some(out.into())
    }

    /// Sorts each lane of `a` in place or, with `out`, writes the indices that sort it into `out`'s
    /// lane at the same place.
    pub fn sort_lanes(&mut self, a: StructValue<'static>, at: &ArrayTy, out: Option<(StructValue<'static>, ArrayTy)>) {
        let shape = self.e.shape(a, at);
        let last = shape.len() - 1;
        let mut idx = Vec::new();
        self.each_lane(a, at, out, &shape[..last], &mut idx);
    }

    fn each_lane(
        &mut self,
        a: StructValue<'static>,
        at: &ArrayTy,
        out: Option<(StructValue<'static>, ArrayTy)>,
        outer: &[IntValue<'static>],
        idx: &mut Vec<IntValue<'static>>,
    ) {
        if idx.len() == outer.len() {
            let e = &self.e;
            let last = usize::from(at.ndim) - 1;
            let n = e.shape(a, at)[last];
            let stride = e.strides(a, at)[last];
            let lane = e.elem_at(a, at, idx);
            let lane = e.b().build_pointer_cast(lane, e.cg.i8_ptr(), "lane").unwrap();
            let code = e.cg.ctx.i32_type().const_int(u64::from(crate::sort::elem_code(at.elem)), false);
            match out {
                None => {
                    let f = e.cg.helper("rjit_sort");
                    e.b().build_call(f, &[lane.into(), n.into(), stride.into(), code.into()], "").unwrap();
                }
                Some((o, ot)) => {
                    let o_stride = e.strides(o, &ot)[last];
                    let o_lane = e.elem_at(o, &ot, idx);
                    let o_lane = e.b().build_pointer_cast(o_lane, e.cg.i8_ptr(), "out_lane").unwrap();
                    let f = e.cg.helper("rjit_argsort");
                    let args = [lane.into(), n.into(), stride.into(), code.into(), o_lane.into(), o_stride.into()];
                    e.b().build_call(f, &args, "").unwrap();
                }
            }
            return;
        }
        let n = outer[idx.len()];
        counted_loop(self, n, &mut |cx, i| {
            idx.push(i);
            cx.each_lane(a, at, out, outer, idx);
            idx.pop();
        });
    }
}
