// AssemblyScript source of LoomRL's dense-net kernels (WebAssembly SIMD), built into
// ../src/kernels/denseKernelBinary.ts by `pnpm --filter @loomrl/core build:kernels`.
// Every function works on float32 arrays in linear memory given as byte addresses; the caller (the
// JS side, src/kernels/) owns all allocation. Loops run in a fixed order, so results are
// bit-identical from run to run.

// ---------------------------------------------------------------------------------------------
// Matrix products

/**
 * C[m×n] = (accumulate ? C : 0) + A·B, where A(i, p) = a[i·sai + p·sak] (element strides, so A
 * may be read transposed), B is row-major with row stride ldb and C with row stride ldc. SIMD runs
 * across n: 4×8 register blocks, then 4×4, then single rows and scalar columns.
 */
export function gemm(a: usize, sai: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32, accumulate: i32): void {
  const aRow = <usize>sai << 2;
  const aStep = <usize>sak << 2;
  const bStep = <usize>ldb << 2;
  const cRow = <usize>ldc << 2;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let i = 0;
    for (; i + 4 <= m; i += 4) block4x8(a + <usize>i * aRow, aRow, aStep, b + (<usize>j << 2), bStep, c + <usize>i * cRow + (<usize>j << 2), cRow, k, accumulate);
    for (; i < m; i++) block1x8(a + <usize>i * aRow, aStep, b + (<usize>j << 2), bStep, c + <usize>i * cRow + (<usize>j << 2), k, accumulate);
  }
  for (; j + 4 <= n; j += 4) {
    let i = 0;
    for (; i + 4 <= m; i += 4) block4x4(a + <usize>i * aRow, aRow, aStep, b + (<usize>j << 2), bStep, c + <usize>i * cRow + (<usize>j << 2), cRow, k, accumulate);
    for (; i < m; i++) block1x4(a + <usize>i * aRow, aStep, b + (<usize>j << 2), bStep, c + <usize>i * cRow + (<usize>j << 2), k, accumulate);
  }
  for (; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let pa = a + <usize>i * aRow;
      let pb = b + (<usize>j << 2);
      let s: f32 = 0;
      for (let p = 0; p < k; p++) {
        s += load<f32>(pa) * load<f32>(pb);
        pa += aStep;
        pb += bStep;
      }
      const pc = c + <usize>i * cRow + (<usize>j << 2);
      store<f32>(pc, accumulate ? load<f32>(pc) + s : s);
    }
  }
}

// @ts-ignore: decorator
@inline
function block4x8(a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, c: usize, cRow: usize, k: i32, accumulate: i32): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa + aRow);
    const a2 = v128.load32_splat(pa + 2 * aRow);
    const a3 = v128.load32_splat(pa + 3 * aRow);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    pa += aStep;
    pb += bStep;
  }
  if (accumulate) {
    c00 = f32x4.add(v128.load(c), c00);
    c01 = f32x4.add(v128.load(c, 16), c01);
    c10 = f32x4.add(v128.load(c + cRow), c10);
    c11 = f32x4.add(v128.load(c + cRow, 16), c11);
    c20 = f32x4.add(v128.load(c + 2 * cRow), c20);
    c21 = f32x4.add(v128.load(c + 2 * cRow, 16), c21);
    c30 = f32x4.add(v128.load(c + 3 * cRow), c30);
    c31 = f32x4.add(v128.load(c + 3 * cRow, 16), c31);
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + cRow, c10);
  v128.store(c + cRow, c11, 16);
  v128.store(c + 2 * cRow, c20);
  v128.store(c + 2 * cRow, c21, 16);
  v128.store(c + 3 * cRow, c30);
  v128.store(c + 3 * cRow, c31, 16);
}

// @ts-ignore: decorator
@inline
function block1x8(a: usize, aStep: usize, b: usize, bStep: usize, c: usize, k: i32, accumulate: i32): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  for (let p = 0; p < k; p++) {
    const a0 = v128.load32_splat(pa);
    c0 = f32x4.add(c0, f32x4.mul(a0, v128.load(pb)));
    c1 = f32x4.add(c1, f32x4.mul(a0, v128.load(pb, 16)));
    pa += aStep;
    pb += bStep;
  }
  if (accumulate) {
    c0 = f32x4.add(v128.load(c), c0);
    c1 = f32x4.add(v128.load(c, 16), c1);
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}

// @ts-ignore: decorator
@inline
function block4x4(a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, c: usize, cRow: usize, k: i32, accumulate: i32): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + aRow), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + 2 * aRow), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + 3 * aRow), b0));
    pa += aStep;
    pb += bStep;
  }
  if (accumulate) {
    c0 = f32x4.add(v128.load(c), c0);
    c1 = f32x4.add(v128.load(c + cRow), c1);
    c2 = f32x4.add(v128.load(c + 2 * cRow), c2);
    c3 = f32x4.add(v128.load(c + 3 * cRow), c3);
  }
  v128.store(c, c0);
  v128.store(c + cRow, c1);
  v128.store(c + 2 * cRow, c2);
  v128.store(c + 3 * cRow, c3);
}

// @ts-ignore: decorator
@inline
function block1x4(a: usize, aStep: usize, b: usize, bStep: usize, c: usize, k: i32, accumulate: i32): void {
  let c0 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  for (let p = 0; p < k; p++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
    pa += aStep;
    pb += bStep;
  }
  if (accumulate) c0 = f32x4.add(v128.load(c), c0);
  v128.store(c, c0);
}

/**
 * C[m×n] = (accumulate ? C : 0) + A·Bᵀ with A [m×k] (row stride lda) and Bt [n×k] (row stride
 * ldbt): one SIMD dot product per output, for narrow outputs (n < 8: policy, value and Q heads).
 */
export function gemmNT(a: usize, lda: i32, bt: usize, ldbt: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32, accumulate: i32): void {
  const k4 = k & ~3;
  for (let i = 0; i < m; i++) {
    const pa = a + ((<usize>i * <usize>lda) << 2);
    for (let j = 0; j < n; j++) {
      const pb = bt + ((<usize>j * <usize>ldbt) << 2);
      let acc = f32x4.splat(0);
      let p = 0;
      for (; p < k4; p += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(pa + (<usize>p << 2)), v128.load(pb + (<usize>p << 2))));
      let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      for (; p < k; p++) s += load<f32>(pa + (<usize>p << 2)) * load<f32>(pb + (<usize>p << 2));
      const pc = c + ((<usize>i * <usize>ldc + <usize>j) << 2);
      store<f32>(pc, accumulate ? load<f32>(pc) + s : s);
    }
  }
}

/** dst[cols×rows] = src[rows×cols]ᵀ (both dense row-major). */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  // 8×8 tiles keep both sides in cache lines.
  for (let r0 = 0; r0 < rows; r0 += 8) {
    const r1 = min(r0 + 8, rows);
    for (let c0 = 0; c0 < cols; c0 += 8) {
      const c1 = min(c0 + 8, cols);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          store<f32>(dst + ((<usize>c * <usize>rows + <usize>r) << 2), load<f32>(src + ((<usize>r * <usize>cols + <usize>c) << 2)));
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Activations

const ACT_LINEAR = 0;
const ACT_TANH = 1;
const ACT_RELU = 2;
const ACT_SWISH = 3;

// @ts-ignore: decorator
@inline
function expv(x: v128): v128 {
  // exp(x) = 2^n · e^r with n = round(x / ln 2), r = x − n·ln 2 (Cody–Waite), e^r by Cephes' expf
  // polynomial. n is rounded by adding 1.5·2²³ (whose float bits then hold n in the low mantissa),
  // and pmin/pmax clamp: both map to single x64 instructions, unlike nearest/trunc_sat/min/max.
  const cx = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.0)), f32x4.splat(-87.0));
  const magic = f32x4.splat(12582912.0);
  const shifted = f32x4.add(f32x4.mul(cx, f32x4.splat(1.44269504088896341)), magic);
  const n = f32x4.sub(shifted, magic);
  const r = f32x4.sub(f32x4.sub(cx, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^n through the exponent bits: the integer n is the shifted float's bits minus the magic's.
  const e = i32x4.shl(i32x4.add(i32x4.sub(shifted, magic), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

// @ts-ignore: decorator
@inline
function tanhv(x: v128): v128 {
  // 1 − 2/(e^{2x} + 1) on x clamped to ±9 (beyond, tanh rounds to ±1 in float32); absolute error
  // below 2e-7 everywhere.
  const cx = f32x4.pmax(f32x4.pmin(x, f32x4.splat(9)), f32x4.splat(-9));
  const e = expv(f32x4.add(cx, cx));
  return f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
}

// @ts-ignore: decorator
@inline
function sigmoidv(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expv(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline
function activatev(z: v128, act: i32): v128 {
  if (act == ACT_TANH) return tanhv(z);
  // pmax(z, 0) = z < 0 ? 0 : z, which keeps a NaN.
  if (act == ACT_RELU) return f32x4.pmax(z, f32x4.splat(0));
  if (act == ACT_SWISH) return f32x4.mul(z, sigmoidv(z));
  return z;
}

// @ts-ignore: decorator
@inline
function biasActivateWith(z: usize, bias: usize, y: usize, rows: i32, n: i32, act: i32): void {
  const n4 = n & ~3;
  for (let r = 0; r < rows; r++) {
    const row = (<usize>r * <usize>n) << 2;
    let j = 0;
    for (; j < n4; j += 4) {
      const off = row + (<usize>j << 2);
      const pre = f32x4.add(v128.load(z + off), v128.load(bias + (<usize>j << 2)));
      v128.store(z + off, pre);
      v128.store(y + off, activatev(pre, act));
    }
    for (; j < n; j++) {
      // Row tails through the same lane formulas, so they agree with full vectors.
      const off = row + (<usize>j << 2);
      const pre = load<f32>(z + off) + load<f32>(bias + (<usize>j << 2));
      store<f32>(z + off, pre);
      store<f32>(y + off, f32x4.extract_lane(activatev(f32x4.splat(pre), act), 0));
    }
  }
}

// tanh's constants as data, read into locals once per call: V8 rebuilds every v128 constant
// (f32x4.splat of a literal) from immediates at each use inside a loop, which made the constants
// cost more than tanh's arithmetic. Same values, same operations, same order as `tanhv`, so the
// results are bit-identical to it; the inner clamp of `expv` (±88) is dropped since 2x is in ±18.
const TANH_CONSTANTS = memory.data<f32>(
  [9, -9, 12582912.0, 1.44269504088896341, 0.693359375, -2.12194440e-4, 1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, 1, 2],
  16,
);
const EXPONENT_BIAS = memory.data<i32>([127], 16);

/** First free byte after the kernel's static data: the JS side allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline
function tanhTable(x: v128, hi: v128, lo: v128, magic: v128, log2e: v128, ln2hi: v128, ln2lo: v128, p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, p5: v128, one: v128, two: v128, bias127: v128): v128 {
  const cx = f32x4.pmax(f32x4.pmin(x, hi), lo);
  const x2 = f32x4.add(cx, cx);
  const shifted = f32x4.add(f32x4.mul(x2, log2e), magic);
  const n = f32x4.sub(shifted, magic);
  const r = f32x4.sub(f32x4.sub(x2, f32x4.mul(n, ln2hi)), f32x4.mul(n, ln2lo));
  let p = p0;
  p = f32x4.add(f32x4.mul(p, r), p1);
  p = f32x4.add(f32x4.mul(p, r), p2);
  p = f32x4.add(f32x4.mul(p, r), p3);
  p = f32x4.add(f32x4.mul(p, r), p4);
  p = f32x4.add(f32x4.mul(p, r), p5);
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), one);
  const e = f32x4.mul(p, i32x4.shl(i32x4.add(i32x4.sub(shifted, magic), bias127), 23));
  return f32x4.sub(one, f32x4.div(two, f32x4.add(e, one)));
}

/** `biasActivateWith(…, ACT_TANH)` with tanh's constants held in locals (see TANH_CONSTANTS). */
function biasTanh(z: usize, bias: usize, y: usize, rows: i32, n: i32): void {
  const t = TANH_CONSTANTS;
  const hi = v128.load32_splat(t);
  const lo = v128.load32_splat(t, 4);
  const magic = v128.load32_splat(t, 8);
  const log2e = v128.load32_splat(t, 12);
  const ln2hi = v128.load32_splat(t, 16);
  const ln2lo = v128.load32_splat(t, 20);
  const p0 = v128.load32_splat(t, 24);
  const p1 = v128.load32_splat(t, 28);
  const p2 = v128.load32_splat(t, 32);
  const p3 = v128.load32_splat(t, 36);
  const p4 = v128.load32_splat(t, 40);
  const p5 = v128.load32_splat(t, 44);
  const one = v128.load32_splat(t, 48);
  const two = v128.load32_splat(t, 52);
  const bias127 = v128.load32_splat(EXPONENT_BIAS);
  const n4 = n & ~3;
  for (let r = 0; r < rows; r++) {
    const row = (<usize>r * <usize>n) << 2;
    let j = 0;
    for (; j < n4; j += 4) {
      const off = row + (<usize>j << 2);
      const pre = f32x4.add(v128.load(z + off), v128.load(bias + (<usize>j << 2)));
      v128.store(z + off, pre);
      v128.store(y + off, tanhTable(pre, hi, lo, magic, log2e, ln2hi, ln2lo, p0, p1, p2, p3, p4, p5, one, two, bias127));
    }
    for (; j < n; j++) {
      const off = row + (<usize>j << 2);
      const pre = load<f32>(z + off) + load<f32>(bias + (<usize>j << 2));
      store<f32>(z + off, pre);
      const v = tanhTable(f32x4.splat(pre), hi, lo, magic, log2e, ln2hi, ln2lo, p0, p1, p2, p3, p4, p5, one, two, bias127);
      store<f32>(y + off, f32x4.extract_lane(v, 0));
    }
  }
}

/**
 * Adds `bias` [n] to every row of z [rows×n] in place (the pre-activations) and writes
 * y = act(z) (y may be z itself for a linear layer). One loop per activation (constant-folded).
 */
export function biasActivate(z: usize, bias: usize, y: usize, rows: i32, n: i32, act: i32): void {
  if (act == ACT_TANH) biasTanh(z, bias, y, rows, n);
  else if (act == ACT_RELU) biasActivateWith(z, bias, y, rows, n, ACT_RELU);
  else if (act == ACT_SWISH) biasActivateWith(z, bias, y, rows, n, ACT_SWISH);
  else biasActivateWith(z, bias, y, rows, n, ACT_LINEAR);
}

// @ts-ignore: decorator
@inline
function activationGradv(dy: v128, y: v128, z: v128, act: i32): v128 {
  if (act == ACT_TANH) return f32x4.mul(dy, f32x4.sub(f32x4.splat(1), f32x4.mul(y, y)));
  if (act == ACT_RELU) return v128.and(dy, f32x4.gt(z, f32x4.splat(0)));
  if (act == ACT_SWISH) {
    const s = sigmoidv(z);
    return f32x4.add(f32x4.mul(dy, s), f32x4.mul(f32x4.mul(dy, z), f32x4.mul(s, f32x4.sub(f32x4.splat(1), s))));
  }
  return dy;
}

// @ts-ignore: decorator
@inline
function activationGradWith(dy: usize, y: usize, z: usize, dz: usize, len: i32, act: i32): void {
  const len4 = len & ~3;
  let i = 0;
  for (; i < len4; i += 4) {
    const off = <usize>i << 2;
    v128.store(dz + off, activationGradv(v128.load(dy + off), v128.load(y + off), v128.load(z + off), act));
  }
  for (; i < len; i++) {
    const off = <usize>i << 2;
    const v = activationGradv(f32x4.splat(load<f32>(dy + off)), f32x4.splat(load<f32>(y + off)), f32x4.splat(load<f32>(z + off)), act);
    store<f32>(dz + off, f32x4.extract_lane(v, 0));
  }
}

/** `activationGradWith(…, ACT_TANH)` with the constant 1 read once (see TANH_CONSTANTS): dz = dy·(1 − y²). */
function tanhGrad(dy: usize, y: usize, dz: usize, len: i32): void {
  const one = v128.load32_splat(TANH_CONSTANTS, 48);
  const len4 = len & ~3;
  let i = 0;
  for (; i < len4; i += 4) {
    const off = <usize>i << 2;
    const yv = v128.load(y + off);
    v128.store(dz + off, f32x4.mul(v128.load(dy + off), f32x4.sub(one, f32x4.mul(yv, yv))));
  }
  for (; i < len; i++) {
    const off = <usize>i << 2;
    const yv = load<f32>(y + off);
    store<f32>(dz + off, load<f32>(dy + off) * (1 - yv * yv));
  }
}

/** dz = dy · act′ for `len` values, from the layer's outputs y and pre-activations z (dz may be dy). */
export function activationGrad(dy: usize, y: usize, z: usize, dz: usize, len: i32, act: i32): void {
  if (act == ACT_TANH) tanhGrad(dy, y, dz, len);
  else if (act == ACT_RELU) activationGradWith(dy, y, z, dz, len, ACT_RELU);
  else if (act == ACT_SWISH) activationGradWith(dy, y, z, dz, len, ACT_SWISH);
  else activationGradWith(dy, y, z, dz, len, ACT_LINEAR);
}

/** db[n] = (accumulate ? db : 0) + the column sums of d [rows×n]. */
export function columnSums(d: usize, rows: i32, n: i32, db: usize, accumulate: i32): void {
  const n4 = n & ~3;
  let j = 0;
  for (; j < n4; j += 4) {
    let acc = f32x4.splat(0);
    let p = d + (<usize>j << 2);
    const step = <usize>n << 2;
    for (let r = 0; r < rows; r++) {
      acc = f32x4.add(acc, v128.load(p));
      p += step;
    }
    const pb = db + (<usize>j << 2);
    v128.store(pb, accumulate ? f32x4.add(v128.load(pb), acc) : acc);
  }
  for (; j < n; j++) {
    let s: f32 = 0;
    for (let r = 0; r < rows; r++) s += load<f32>(d + ((<usize>r * <usize>n + <usize>j) << 2));
    const pb = db + (<usize>j << 2);
    store<f32>(pb, accumulate ? load<f32>(pb) + s : s);
  }
}

// ---------------------------------------------------------------------------------------------
// Optimizer

/** Σ x² over `len` values, four float32 lanes summed in float64 at the end. */
export function sumSquares(x: usize, len: i32): f64 {
  const len4 = len & ~3;
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i < len4; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    acc = f32x4.add(acc, f32x4.mul(v, v));
  }
  let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; i < len; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    s += <f64>(v * v);
  }
  return s;
}

/** The smallest normal float32, 2⁻¹²⁶. */
const FLT_MIN_NORMAL: f32 = 1.1754943508222875e-38;

/**
 * One Adam step over `len` weights, in tfjs's order of float32 operations: g ← g·scale (global-norm
 * clipping, scale 1 = none); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * w ← w − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε). The caller passes the float32 constants
 * (1 − β₁ᵗ and 1 − β₂ᵗ from the running products).
 *
 * Moments that fall below the smallest normal float32 are stored as 0 (flush to zero, as
 * TensorFlow's CPU kernels run). A weight whose gradient stays 0 (a dead ReLU unit) has its first
 * moment decay by β₁ every step into the subnormal range, where x86 multiplies take ~100 cycles:
 * after a few thousand DQN updates a fifth of a 256×256 layer's moments were subnormal and an update
 * took 1.4–2× as long. A flushed moment changes its weight's step by < 1e-30.
 */
export function adam(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  len: i32,
  scale: f32,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  oneMinusAcc1: f32,
  oneMinusAcc2: f32,
  negLr: f32,
  epsilon: f32,
): void {
  const len4 = len & ~3;
  const vs = f32x4.splat(scale);
  const vb1 = f32x4.splat(beta1);
  const vc1 = f32x4.splat(oneMinusBeta1);
  const vb2 = f32x4.splat(beta2);
  const vc2 = f32x4.splat(oneMinusBeta2);
  const va1 = f32x4.splat(oneMinusAcc1);
  const va2 = f32x4.splat(oneMinusAcc2);
  const vlr = f32x4.splat(negLr);
  const veps = f32x4.splat(epsilon);
  const vmin = f32x4.splat(FLT_MIN_NORMAL);
  const clip = scale != 1;
  let i = 0;
  for (; i < len4; i += 4) {
    const off = <usize>i << 2;
    let gv = v128.load(g + off);
    if (clip) gv = f32x4.mul(gv, vs);
    let mv = f32x4.add(f32x4.mul(v128.load(m + off), vb1), f32x4.mul(gv, vc1));
    let sv = f32x4.add(f32x4.mul(v128.load(v + off), vb2), f32x4.mul(f32x4.mul(gv, gv), vc2));
    mv = v128.and(mv, f32x4.ge(f32x4.abs(mv), vmin));
    sv = v128.and(sv, f32x4.ge(sv, vmin));
    v128.store(m + off, mv);
    v128.store(v + off, sv);
    const step = f32x4.div(f32x4.div(mv, va1), f32x4.add(f32x4.sqrt(f32x4.div(sv, va2)), veps));
    v128.store(w + off, f32x4.add(f32x4.mul(step, vlr), v128.load(w + off)));
  }
  for (; i < len; i++) {
    const off = <usize>i << 2;
    let gv = load<f32>(g + off);
    if (clip) gv = gv * scale;
    let mv = load<f32>(m + off) * beta1 + gv * oneMinusBeta1;
    let sv = load<f32>(v + off) * beta2 + gv * gv * oneMinusBeta2;
    if (Mathf.abs(mv) < FLT_MIN_NORMAL) mv = 0;
    if (sv < FLT_MIN_NORMAL) sv = 0;
    store<f32>(m + off, mv);
    store<f32>(v + off, sv);
    const step = mv / oneMinusAcc1 / (Mathf.sqrt(sv / oneMinusAcc2) + epsilon);
    store<f32>(w + off, step * negLr + load<f32>(w + off));
  }
}

/** target ← source·tau + target·(1 − tau) over `len` values (soft target-network updates). */
export function blend(target: usize, source: usize, len: i32, tau: f32, oneMinusTau: f32): void {
  for (let i = 0; i < len; i++) {
    const off = <usize>i << 2;
    store<f32>(target + off, load<f32>(source + off) * tau + load<f32>(target + off) * oneMinusTau);
  }
}
