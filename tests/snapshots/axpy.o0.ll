; axpy(f32, f32[::1], f32[::1])
; ModuleID = 'axpy'
source_filename = "axpy"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@site.0 = private constant [37 x i8] c"axpy\1Ftests/suite/snapshots.rs\1F15\1F20\1F\00"
@site.1 = private constant [36 x i8] c"axpy\1Ftests/suite/snapshots.rs\1F15\1F8\1F\00"

define internal void @axpy.0(i8* %0, float %1, { float*, [1 x i64], [1 x i64], i8* } %2, { float*, [1 x i64], [1 x i64], i8* } %3) {
entry:
  %range.i45 = alloca i64, align 8
  %i24 = alloca i64, align 8
  %range.i = alloca i64, align 8
  %a = alloca float, align 4
  %y = alloca { float*, [1 x i64], [1 x i64], i8* }, align 8
  %x = alloca { float*, [1 x i64], [1 x i64], i8* }, align 8
  call void @llvm.experimental.noalias.scope.decl(metadata !1)
  call void @llvm.experimental.noalias.scope.decl(metadata !4)
  store { float*, [1 x i64], [1 x i64], i8* } zeroinitializer, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  store { float*, [1 x i64], [1 x i64], i8* } zeroinitializer, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  store float 0.000000e+00, float* %a, align 4
  store float %1, float* %a, align 4
  store { float*, [1 x i64], [1 x i64], i8* } %2, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %meminfo = extractvalue { float*, [1 x i64], [1 x i64], i8* } %2, 3
  %owned = icmp ne i8* %meminfo, null
  store i64 0, i64* %i24, align 8
  br i1 %owned, label %rc, label %rc.done

rc:                                               ; preds = %entry
  %count = bitcast i8* %meminfo to i64*
  %4 = atomicrmw add i64* %count, i64 1 monotonic, align 8
  br label %rc.done

rc.done:                                          ; preds = %rc, %entry
  %dims = extractvalue { float*, [1 x i64], [1 x i64], i8* } %2, 1
  %dim = extractvalue [1 x i64] %dims, 0
  %dim.ok = icmp sge i64 %dim, 0
  call void @llvm.assume(i1 %dim.ok)
  store { float*, [1 x i64], [1 x i64], i8* } %3, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  %meminfo1 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %3, 3
  %owned2 = icmp ne i8* %meminfo1, null
  br i1 %owned2, label %rc3, label %rc.done4

rc3:                                              ; preds = %rc.done
  %count5 = bitcast i8* %meminfo1 to i64*
  %5 = atomicrmw add i64* %count5, i64 1 monotonic, align 8
  br label %rc.done4

rc.done4:                                         ; preds = %rc3, %rc.done
  %dims6 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %3, 1
  %dim7 = extractvalue [1 x i64] %dims6, 0
  %dim.ok8 = icmp sge i64 %dim7, 0
  call void @llvm.assume(i1 %dim.ok8)
  %borrow = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %dims9 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim10 = extractvalue [1 x i64] %dims9, 0
  %empty = icmp uge i64 0, %dim10
  %wide = zext i64 %dim10 to i128
  %last = sub i128 %wide, 1
  %hi = add i128 %last, 0
  %array = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  %dims11 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %array, 1
  %dim12 = extractvalue [1 x i64] %dims11, 0
  %wide13 = zext i64 %dim12 to i128
  %in.type = icmp sle i128 %hi, 18446744073709551615
  %below.len = icmp slt i128 %hi, %wide13
  %in = and i1 true, %below.len
  %site.ok = and i1 %in.type, %in
  %ok = and i1 true, %site.ok
  %hi14 = add i128 %last, 0
  %array15 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %dims16 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %array15, 1
  %dim17 = extractvalue [1 x i64] %dims16, 0
  %wide18 = zext i64 %dim17 to i128
  %in.type19 = icmp sle i128 %hi14, 18446744073709551615
  %below.len20 = icmp slt i128 %hi14, %wide18
  %in21 = and i1 true, %below.len20
  %site.ok22 = and i1 %in.type19, %in21
  %ok23 = and i1 %ok, %site.ok22
  %proven = or i1 %empty, %ok23
  br i1 %proven, label %for.unchecked, label %for.checked, !prof !6

for.unchecked:                                    ; preds = %rc.done4
  store i64 0, i64* %range.i, align 8
  br label %for.head

for.checked:                                      ; preds = %rc.done4
  store i64 0, i64* %range.i45, align 8
  br label %for.head46

for.done:                                         ; preds = %for.exit49, %for.exit
  %local = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %meminfo83 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %local, 3
  %owned84 = icmp ne i8* %meminfo83, null
  br i1 %owned84, label %rc85, label %rc.done86

for.head:                                         ; preds = %for.latch, %for.unchecked
  %i = load i64, i64* %range.i, align 8
  %up = icmp ult i64 %i, %dim10
  br i1 %up, label %for.body, label %for.exit

for.body:                                         ; preds = %for.head
  store i64 %i, i64* %i24, align 8
  %load = load float, float* %a, align 4
  %borrow25 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %dims26 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow25, 1
  %dim27 = extractvalue [1 x i64] %dims26, 0
  %load28 = load i64, i64* %i24, align 8
  %dims29 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow25, 1
  %dim30 = extractvalue [1 x i64] %dims29, 0
  %off = mul i64 %load28, 1
  %off31 = add i64 0, %off
  %data = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow25, 0
  %elem = getelementptr inbounds float, float* %data, i64 %off31
  %elem32 = load float, float* %elem, align 4, !alias.scope !1, !noalias !4
  %fmul = fmul float %load, %elem32
  %borrow33 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  %dims34 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow33, 1
  %dim35 = extractvalue [1 x i64] %dims34, 0
  %load36 = load i64, i64* %i24, align 8
  %dims37 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow33, 1
  %dim38 = extractvalue [1 x i64] %dims37, 0
  %off39 = mul i64 %load36, 1
  %off40 = add i64 0, %off39
  %data41 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow33, 0
  %elem42 = getelementptr inbounds float, float* %data41, i64 %off40
  %elem43 = load float, float* %elem42, align 4, !alias.scope !4, !noalias !1
  %fadd = fadd float %elem43, %fmul
  store float %fadd, float* %elem42, align 4, !alias.scope !4, !noalias !1
  br label %for.latch

for.latch:                                        ; preds = %for.body
  %i44 = load i64, i64* %range.i, align 8
  %next = add i64 %i44, 1
  store i64 %next, i64* %range.i, align 8
  br label %for.head

for.exit:                                         ; preds = %for.head
  br label %for.done

for.head46:                                       ; preds = %for.latch48, %for.checked
  %i50 = load i64, i64* %range.i45, align 8
  %up51 = icmp ult i64 %i50, %dim10
  br i1 %up51, label %for.body47, label %for.exit49

for.body47:                                       ; preds = %for.head46
  store i64 %i50, i64* %i24, align 8
  %load52 = load float, float* %a, align 4
  %borrow53 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %dims54 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow53, 1
  %dim55 = extractvalue [1 x i64] %dims54, 0
  %load56 = load i64, i64* %i24, align 8
  %oob = icmp uge i64 %load56, %dim55
  br i1 %oob, label %fail, label %ok57

for.latch48:                                      ; preds = %ok72
  %i81 = load i64, i64* %range.i45, align 8
  %next82 = add i64 %i81, 1
  store i64 %next82, i64* %range.i45, align 8
  br label %for.head46

for.exit49:                                       ; preds = %for.head46
  br label %for.done

fail:                                             ; preds = %for.body47
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([37 x i8], [37 x i8]* @site.0, i32 0, i32 0), i32 2, i64 %load56, i64 0, i64 %dim55)
  ret void

ok57:                                             ; preds = %for.body47
  %dims58 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow53, 1
  %dim59 = extractvalue [1 x i64] %dims58, 0
  %off60 = mul i64 %load56, 1
  %off61 = add i64 0, %off60
  %data62 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow53, 0
  %elem63 = getelementptr inbounds float, float* %data62, i64 %off61
  %elem64 = load float, float* %elem63, align 4, !alias.scope !1, !noalias !4
  %fmul65 = fmul float %load52, %elem64
  %borrow66 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  %dims67 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow66, 1
  %dim68 = extractvalue [1 x i64] %dims67, 0
  %load69 = load i64, i64* %i24, align 8
  %oob70 = icmp uge i64 %load69, %dim68
  br i1 %oob70, label %fail71, label %ok72

fail71:                                           ; preds = %ok57
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([36 x i8], [36 x i8]* @site.1, i32 0, i32 0), i32 2, i64 %load69, i64 0, i64 %dim68)
  ret void

ok72:                                             ; preds = %ok57
  %dims73 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow66, 1
  %dim74 = extractvalue [1 x i64] %dims73, 0
  %off75 = mul i64 %load69, 1
  %off76 = add i64 0, %off75
  %data77 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow66, 0
  %elem78 = getelementptr inbounds float, float* %data77, i64 %off76
  %elem79 = load float, float* %elem78, align 4, !alias.scope !4, !noalias !1
  %fadd80 = fadd float %elem79, %fmul65
  store float %fadd80, float* %elem78, align 4, !alias.scope !4, !noalias !1
  br label %for.latch48

rc85:                                             ; preds = %for.done
  %count87 = bitcast i8* %meminfo83 to i64*
  %6 = atomicrmw sub i64* %count87, i64 1 acq_rel, align 8
  %last88 = icmp eq i64 %6, 1
  br i1 %last88, label %rc.free, label %rc.done86

rc.done86:                                        ; preds = %rc.free, %rc85, %for.done
  %local89 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  %meminfo90 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %local89, 3
  %owned91 = icmp ne i8* %meminfo90, null
  br i1 %owned91, label %rc92, label %rc.done93

rc.free:                                          ; preds = %rc85
  call void @rjit_free(i8* %0, i8* %meminfo83)
  br label %rc.done86

rc92:                                             ; preds = %rc.done86
  %count94 = bitcast i8* %meminfo90 to i64*
  %7 = atomicrmw sub i64* %count94, i64 1 acq_rel, align 8
  %last95 = icmp eq i64 %7, 1
  br i1 %last95, label %rc.free96, label %rc.done93

rc.done93:                                        ; preds = %rc.free96, %rc92, %rc.done86
  ret void

rc.free96:                                        ; preds = %rc92
  call void @rjit_free(i8* %0, i8* %meminfo90)
  br label %rc.done93
}

; Function Attrs: inaccessiblememonly nofree nosync nounwind willreturn
declare void @llvm.experimental.noalias.scope.decl(metadata) #0

; Function Attrs: inaccessiblememonly nofree nosync nounwind willreturn
declare void @llvm.assume(i1 noundef) #0

; Function Attrs: cold
declare void @rjit_fail(i8*, i8*, i32, i64, i64, i64) #1

declare void @rjit_free(i8*, i8*)

define void @rjit_entry_axpy_1(i8** %0, i8* %1, i8* %2) {
entry:
  %arg.slot = getelementptr inbounds i8*, i8** %0, i64 0
  %arg.ptr = load i8*, i8** %arg.slot, align 8
  %arg.typed = bitcast i8* %arg.ptr to float*
  %arg = load float, float* %arg.typed, align 4
  %arg.slot1 = getelementptr inbounds i8*, i8** %0, i64 1
  %arg.ptr2 = load i8*, i8** %arg.slot1, align 8
  %arg.typed3 = bitcast i8* %arg.ptr2 to { float*, [1 x i64], [1 x i64] }*
  %arg4 = load { float*, [1 x i64], [1 x i64] }, { float*, [1 x i64], [1 x i64] }* %arg.typed3, align 8
  %f = extractvalue { float*, [1 x i64], [1 x i64] } %arg4, 0
  %arg5 = insertvalue { float*, [1 x i64], [1 x i64], i8* } undef, float* %f, 0
  %f6 = extractvalue { float*, [1 x i64], [1 x i64] } %arg4, 1
  %arg7 = insertvalue { float*, [1 x i64], [1 x i64], i8* } %arg5, [1 x i64] %f6, 1
  %f8 = extractvalue { float*, [1 x i64], [1 x i64] } %arg4, 2
  %arg9 = insertvalue { float*, [1 x i64], [1 x i64], i8* } %arg7, [1 x i64] %f8, 2
  %arg10 = insertvalue { float*, [1 x i64], [1 x i64], i8* } %arg9, i8* null, 3
  %arg.slot11 = getelementptr inbounds i8*, i8** %0, i64 2
  %arg.ptr12 = load i8*, i8** %arg.slot11, align 8
  %arg.typed13 = bitcast i8* %arg.ptr12 to { float*, [1 x i64], [1 x i64] }*
  %arg14 = load { float*, [1 x i64], [1 x i64] }, { float*, [1 x i64], [1 x i64] }* %arg.typed13, align 8
  %f15 = extractvalue { float*, [1 x i64], [1 x i64] } %arg14, 0
  %arg16 = insertvalue { float*, [1 x i64], [1 x i64], i8* } undef, float* %f15, 0
  %f17 = extractvalue { float*, [1 x i64], [1 x i64] } %arg14, 1
  %arg18 = insertvalue { float*, [1 x i64], [1 x i64], i8* } %arg16, [1 x i64] %f17, 1
  %f19 = extractvalue { float*, [1 x i64], [1 x i64] } %arg14, 2
  %arg20 = insertvalue { float*, [1 x i64], [1 x i64], i8* } %arg18, [1 x i64] %f19, 2
  %arg21 = insertvalue { float*, [1 x i64], [1 x i64], i8* } %arg20, i8* null, 3
  call void @axpy.0(i8* %2, float %arg, { float*, [1 x i64], [1 x i64], i8* } %arg10, { float*, [1 x i64], [1 x i64], i8* } %arg21)
  %status.ptr = bitcast i8* %2 to i32*
  %status = load i32, i32* %status.ptr, align 4
  %failed = icmp ne i32 %status, 0
  br i1 %failed, label %done, label %ok

ok:                                               ; preds = %entry
  br label %done

done:                                             ; preds = %ok, %entry
  ret void
}

attributes #0 = { inaccessiblememonly nofree nosync nounwind willreturn }
attributes #1 = { cold }

!llvm.module.flags = !{!0}

!0 = !{i32 2, !"Debug Info Version", i32 3}
!1 = !{!2}
!2 = !{!"rjit.axpy.0.0", !3}
!3 = !{!"rjit.axpy.0"}
!4 = !{!5}
!5 = !{!"rjit.axpy.0.1", !3}
!6 = !{!"branch_weights", i32 2000, i32 1}
