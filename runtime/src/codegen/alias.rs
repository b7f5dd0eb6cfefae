//! Scoped `noalias` metadata from `rjit_front::alias`: one scope per buffer a function's array
//! locals are known to reach, and on each element load and store through such a local the scope
//! of its buffer (`!alias.scope`) and the scopes of the buffers known to be disjoint from it
//! (`!noalias`). LLVM then needs no run-time overlap test to vectorize a loop that writes one array
//! and reads another, nor to keep values in registers across a store.

use super::Codegen;
use inkwell::values::{FunctionValue, InstructionValue, MetadataValue};
use rjit_front::alias::{Root, Roots};
use rjit_front::hir::{ExprId, Function};
use rjit_front::Typed;

pub(crate) struct AliasTags {
    roots: Roots,
    /// Per root with something disjoint from it: its scope list and its `noalias` list.
    tags: Vec<(Root, MetadataValue<'static>, MetadataValue<'static>)>,
    scope_kind: u32,
    noalias_kind: u32,
}

impl AliasTags {
    /// The tags of `llfn`'s body; `exclusive_params` as [`Roots::of`] takes it.
    pub fn new(
        cg: &Codegen<'_>,
        llfn: FunctionValue<'static>,
        f: &Function,
        typed: &Typed,
        exclusive_params: bool,
    ) -> AliasTags {
        let ctx = cg.ctx;
        let roots = Roots::of(f, typed, exclusive_params);
        let all = roots.all();
        // Scopes named by strings (unique within the module, as function names are); the inliner
        // gives each inlined copy fresh ones.
        let name = llfn.get_name().to_string_lossy().into_owned();
        let domain = ctx.metadata_node(&[ctx.metadata_string(&format!("rjit.{name}")).into()]);
        let scopes: Vec<MetadataValue<'static>> = (0..all.len())
            .map(|k| ctx.metadata_node(&[ctx.metadata_string(&format!("rjit.{name}.{k}")).into(), domain.into()]))
            .collect();
        let mut tags = Vec::new();
        for (k, r) in all.iter().enumerate() {
            let apart: Vec<_> = all
                .iter()
                .enumerate()
                .filter(|(_, o)| roots.disjoint(*r, **o))
                .map(|(j, _)| scopes[j].into())
                .collect();
            if !apart.is_empty() {
                tags.push((*r, ctx.metadata_node(&[scopes[k].into()]), ctx.metadata_node(&apart)));
            }
        }
        AliasTags { roots, tags, scope_kind: ctx.get_kind_id("alias.scope"), noalias_kind: ctx.get_kind_id("noalias") }
    }

    /// Declares each scope where the function body starts (`llvm.experimental.noalias.scope.decl`,
    /// at the builder's position): the claims hold within one execution of the body, so LLVM gives
    /// every copy it makes of it (inlined into a loop, then unrolled) fresh scopes. Without the
    /// declaration, an inlined body's fresh array of one iteration and its argument of the next
    /// (that same array, passed back in) would be claimed apart.
    pub fn declare(&self, cg: &Codegen<'_>) {
        if self.tags.is_empty() {
            return;
        }
        let decl = super::expr::intrinsic(cg, "llvm.experimental.noalias.scope.decl", &[]);
        for (_, scope, _) in &self.tags {
            cg.builder.build_call(decl, &[(*scope).into()], "").unwrap();
        }
    }

    /// Tags `access`, a load or store of an element of `base[…]`, with what is known of `base`.
    pub fn tag(&self, f: &Function, typed: &Typed, base: ExprId, access: Option<InstructionValue<'static>>) {
        let (Some(access), Some(root)) = (access, self.roots.of_base(f, typed, base)) else { return };
        if let Some((_, scope, apart)) = self.tags.iter().find(|(r, ..)| *r == root) {
            access.set_metadata(*scope, self.scope_kind).expect("a load or store takes `alias.scope`");
            access.set_metadata(*apart, self.noalias_kind).expect("a load or store takes `noalias`");
        }
    }
}

/// Tags the load and the store of a loop copying into an array allocated just before it: each
/// apart from the other, in a domain of this copy's own (another copy may read what this one
/// writes).
pub(crate) fn tag_fresh_copy(
    cg: &Codegen<'_>,
    load: Option<InstructionValue<'static>>,
    store: InstructionValue<'static>,
) {
    let Some(load) = load else { return };
    let ctx = cg.ctx;
    let k = cg.copies.get();
    cg.copies.set(k + 1);
    let domain = ctx.metadata_node(&[ctx.metadata_string(&format!("rjit.copy.{k}")).into()]);
    let [src, dst] = ["src", "dst"].map(|part| {
        ctx.metadata_node(&[ctx
            .metadata_node(&[ctx.metadata_string(&format!("rjit.copy.{k}.{part}")).into(), domain.into()])
            .into()])
    });
    let (scope, noalias) = (ctx.get_kind_id("alias.scope"), ctx.get_kind_id("noalias"));
    for (access, own, other) in [(load, src, dst), (store, dst, src)] {
        access.set_metadata(own, scope).expect("a load or store takes `alias.scope`");
        access.set_metadata(other, noalias).expect("a load or store takes `noalias`");
    }
}
