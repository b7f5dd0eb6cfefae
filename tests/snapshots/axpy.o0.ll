; axpy(f32, f32[::1], f32[::1])
; ModuleID = 'axpy'
source_filename = "axpy"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@site.0 = private constant [31 x i8] c"axpy\1Ftests/snapshots.rs\1F15\1F20\1F\00"
@site.1 = private constant [30 x i8] c"axpy\1Ftests/snapshots.rs\1F15\1F8\1F\00"

define internal void @axpy.0(i8* %0, float %1, { float*, [1 x i64], [1 x i64], i8* } %2, { float*, [1 x i64], [1 x i64], i8* } %3) {
entry:
  %i6 = alloca i64, align 8
  %range.i = alloca i64, align 8
  %a = alloca float, align 4
  %y = alloca { float*, [1 x i64], [1 x i64], i8* }, align 8
  %x = alloca { float*, [1 x i64], [1 x i64], i8* }, align 8
  store { float*, [1 x i64], [1 x i64], i8* } zeroinitializer, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  store { float*, [1 x i64], [1 x i64], i8* } zeroinitializer, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  store float 0.000000e+00, float* %a, align 4
  store float %1, float* %a, align 4
  store { float*, [1 x i64], [1 x i64], i8* } %2, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %meminfo = extractvalue { float*, [1 x i64], [1 x i64], i8* } %2, 3
  %owned = icmp ne i8* %meminfo, null
  store i64 0, i64* %i6, align 8
  br i1 %owned, label %rc, label %rc.done

rc:                                               ; preds = %entry
  %count = bitcast i8* %meminfo to i64*
  %4 = atomicrmw add i64* %count, i64 1 monotonic, align 8
  br label %rc.done

rc.done:                                          ; preds = %rc, %entry
  store { float*, [1 x i64], [1 x i64], i8* } %3, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  %meminfo1 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %3, 3
  %owned2 = icmp ne i8* %meminfo1, null
  br i1 %owned2, label %rc3, label %rc.done4

rc3:                                              ; preds = %rc.done
  %count5 = bitcast i8* %meminfo1 to i64*
  %5 = atomicrmw add i64* %count5, i64 1 monotonic, align 8
  br label %rc.done4

rc.done4:                                         ; preds = %rc3, %rc.done
  %borrow = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %dims = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim = extractvalue [1 x i64] %dims, 0
  store i64 0, i64* %range.i, align 8
  br label %for.head

for.head:                                         ; preds = %for.latch, %rc.done4
  %i = load i64, i64* %range.i, align 8
  %up = icmp ult i64 %i, %dim
  br i1 %up, label %for.body, label %for.exit

for.body:                                         ; preds = %for.head
  store i64 %i, i64* %i6, align 8
  %load = load float, float* %a, align 4
  %borrow7 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %dims8 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow7, 1
  %dim9 = extractvalue [1 x i64] %dims8, 0
  %load10 = load i64, i64* %i6, align 8
  %oob = icmp uge i64 %load10, %dim9
  br i1 %oob, label %fail, label %ok

for.latch:                                        ; preds = %ok21
  %i29 = load i64, i64* %range.i, align 8
  %next = add i64 %i29, 1
  store i64 %next, i64* %range.i, align 8
  br label %for.head

for.exit:                                         ; preds = %for.head
  %local = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %x, align 8
  %meminfo30 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %local, 3
  %owned31 = icmp ne i8* %meminfo30, null
  br i1 %owned31, label %rc32, label %rc.done33

fail:                                             ; preds = %for.body
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([31 x i8], [31 x i8]* @site.0, i32 0, i32 0), i32 2, i64 %load10, i64 0, i64 %dim9)
  ret void

ok:                                               ; preds = %for.body
  %dims11 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow7, 1
  %dim12 = extractvalue [1 x i64] %dims11, 0
  %off = mul i64 %load10, 1
  %off13 = add i64 0, %off
  %data = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow7, 0
  %elem = getelementptr inbounds float, float* %data, i64 %off13
  %elem14 = load float, float* %elem, align 4
  %fmul = fmul float %load, %elem14
  %borrow15 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  %dims16 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow15, 1
  %dim17 = extractvalue [1 x i64] %dims16, 0
  %load18 = load i64, i64* %i6, align 8
  %oob19 = icmp uge i64 %load18, %dim17
  br i1 %oob19, label %fail20, label %ok21

fail20:                                           ; preds = %ok
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([30 x i8], [30 x i8]* @site.1, i32 0, i32 0), i32 2, i64 %load18, i64 0, i64 %dim17)
  ret void

ok21:                                             ; preds = %ok
  %dims22 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow15, 1
  %dim23 = extractvalue [1 x i64] %dims22, 0
  %off24 = mul i64 %load18, 1
  %off25 = add i64 0, %off24
  %data26 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %borrow15, 0
  %elem27 = getelementptr inbounds float, float* %data26, i64 %off25
  %elem28 = load float, float* %elem27, align 4
  %fadd = fadd float %elem28, %fmul
  store float %fadd, float* %elem27, align 4
  br label %for.latch

rc32:                                             ; preds = %for.exit
  %count34 = bitcast i8* %meminfo30 to i64*
  %6 = atomicrmw sub i64* %count34, i64 1 acq_rel, align 8
  %last = icmp eq i64 %6, 1
  br i1 %last, label %rc.free, label %rc.done33

rc.done33:                                        ; preds = %rc.free, %rc32, %for.exit
  %local35 = load { float*, [1 x i64], [1 x i64], i8* }, { float*, [1 x i64], [1 x i64], i8* }* %y, align 8
  %meminfo36 = extractvalue { float*, [1 x i64], [1 x i64], i8* } %local35, 3
  %owned37 = icmp ne i8* %meminfo36, null
  br i1 %owned37, label %rc38, label %rc.done39

rc.free:                                          ; preds = %rc32
  call void @rjit_free(i8* %0, i8* %meminfo30)
  br label %rc.done33

rc38:                                             ; preds = %rc.done33
  %count40 = bitcast i8* %meminfo36 to i64*
  %7 = atomicrmw sub i64* %count40, i64 1 acq_rel, align 8
  %last41 = icmp eq i64 %7, 1
  br i1 %last41, label %rc.free42, label %rc.done39

rc.done39:                                        ; preds = %rc.free42, %rc38, %rc.done33
  ret void

rc.free42:                                        ; preds = %rc38
  call void @rjit_free(i8* %0, i8* %meminfo36)
  br label %rc.done39
}

; Function Attrs: cold
declare void @rjit_fail(i8*, i8*, i32, i64, i64, i64) #0

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

attributes #0 = { cold }

!llvm.module.flags = !{!0}

!0 = !{i32 2, !"Debug Info Version", i32 3}
