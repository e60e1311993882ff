// sweeplab's MLP kernels in WebAssembly SIMD128. The TypeScript backend owns the memory layout and
// calls these per layer; every buffer is 16-byte aligned.
//
// Layout conventions (see src/layout.ts):
// - widths are padded to multiples of 8 (K -> Kp, N -> Np) and batches to multiples of 4 (B -> Bp);
//   padding is kept at exactly zero in weights, biases, activations and gradients;
// - activations are row-major [Bp x width];
// - weights are packed in panels of 8 output columns: W[k][n] lives at w[(n/8)*Kp*8 + k*8 + n%8], so
//   the forward tile, the dW tile and its fused update, and the dX dot products all read contiguous
//   vectors. Logically it is still in x out, like DenseParams.
#include "vmath.h"

#define EXPORT(name) __attribute__((export_name(#name)))

enum { ACT_LINEAR = 0, ACT_RELU = 1, ACT_TANH = 2, ACT_SIGMOID = 3, ACT_ELU = 4 };
enum { OPT_SGD = 0, OPT_MOMENTUM = 1, OPT_ADAM = 2, OPT_RMSPROP = 3, OPT_GRAD = 4, OPT_NORM = 5 };

INLINE v4 activate(v4 z, const int act) {
  switch (act) {
    case ACT_RELU: return wasm_f32x4_max(z, SPLAT(0.0f));
    case ACT_TANH: return v_tanh(z);
    case ACT_SIGMOID: return v_sigmoid(z);
    case ACT_ELU: return v_elu(z);
    default: return z;
  }
}

// The derivative expressed through the activation's output, so the forward pass keeps A only.
INLINE v4 derivative(v4 a, const int act) {
  switch (act) {
    case ACT_RELU: return wasm_v128_and(wasm_f32x4_gt(a, SPLAT(0.0f)), SPLAT(1.0f));
    case ACT_TANH: return wasm_f32x4_sub(SPLAT(1.0f), wasm_f32x4_mul(a, a));
    case ACT_SIGMOID: return wasm_f32x4_mul(a, wasm_f32x4_sub(SPLAT(1.0f), a));
    case ACT_ELU:
      return wasm_v128_bitselect(SPLAT(1.0f), wasm_f32x4_add(a, SPLAT(1.0f)), wasm_f32x4_gt(a, SPLAT(0.0f)));
    default: return SPLAT(1.0f);
  }
}

// Lanes [0, count) all ones, the rest zero: masks the padded columns of a panel.
INLINE v4 lane_mask(int count) {
  v4 iota = wasm_i32x4_make(0, 1, 2, 3);
  return wasm_i32x4_lt(iota, wasm_i32x4_splat(count));
}

#define MAC(acc, a, b) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))

// ---- forward: out = act(x . W + bias) --------------------------------------------------------------
// Computes output panels [p0, p1) only: threads split a layer by output columns, so every output is
// the same sum in the same order whatever the thread count (see src/threads/).
// 4x8 register tile: per k, one broadcast X element per row and two W vectors; 8 accumulators, 14
// live vectors in all, under V8's ~15 xmm registers. Panels outermost so a W panel stays in L1 while
// every row tile streams past it.
INLINE void forward_impl(const float *x, const float *w, const float *bias, float *out, int bp, int kp, int np,
                         int n, int p0, int p1, const int act) {
  for (int p = p0; p < p1; p++) {
    const float *wp = w + p * kp * 8;
    v4 m0 = lane_mask(n - p * 8), m1 = lane_mask(n - p * 8 - 4);
    v4 b0 = wasm_v128_load(bias + p * 8), b1 = wasm_v128_load(bias + p * 8 + 4);
    for (int r = 0; r < bp; r += 4) {
      const float *x0 = x + r * kp, *x1 = x0 + kp, *x2 = x1 + kp, *x3 = x2 + kp;
      v4 a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
      for (int k = 0; k < kp; k++) {
        v4 w0 = wasm_v128_load(wp + k * 8), w1 = wasm_v128_load(wp + k * 8 + 4);
        v4 s = wasm_v128_load32_splat(x0 + k);
        MAC(a00, s, w0); MAC(a01, s, w1);
        s = wasm_v128_load32_splat(x1 + k);
        MAC(a10, s, w0); MAC(a11, s, w1);
        s = wasm_v128_load32_splat(x2 + k);
        MAC(a20, s, w0); MAC(a21, s, w1);
        s = wasm_v128_load32_splat(x3 + k);
        MAC(a30, s, w0); MAC(a31, s, w1);
      }
      float *o = out + r * np + p * 8;
      // The mask keeps padded columns at zero even where act(0) is not zero (sigmoid).
      wasm_v128_store(o, wasm_v128_and(activate(a00, act), m0));
      wasm_v128_store(o + 4, wasm_v128_and(activate(a01, act), m1));
      wasm_v128_store(o + np, wasm_v128_and(activate(a10, act), m0));
      wasm_v128_store(o + np + 4, wasm_v128_and(activate(a11, act), m1));
      wasm_v128_store(o + 2 * np, wasm_v128_and(activate(a20, act), m0));
      wasm_v128_store(o + 2 * np + 4, wasm_v128_and(activate(a21, act), m1));
      wasm_v128_store(o + 3 * np, wasm_v128_and(activate(a30, act), m0));
      wasm_v128_store(o + 3 * np + 4, wasm_v128_and(activate(a31, act), m1));
    }
  }
}

EXPORT(forward_layer)
void forward_layer(const float *x, const float *w, const float *bias, float *out, int bp, int kp, int np, int n,
                   int act, int p0, int p1) {
  switch (act) {
    case ACT_RELU: forward_impl(x, w, bias, out, bp, kp, np, n, p0, p1, ACT_RELU); break;
    case ACT_TANH: forward_impl(x, w, bias, out, bp, kp, np, n, p0, p1, ACT_TANH); break;
    case ACT_SIGMOID: forward_impl(x, w, bias, out, bp, kp, np, n, p0, p1, ACT_SIGMOID); break;
    case ACT_ELU: forward_impl(x, w, bias, out, bp, kp, np, n, p0, p1, ACT_ELU); break;
    default: forward_impl(x, w, bias, out, bp, kp, np, n, p0, p1, ACT_LINEAR); break;
  }
}

// ---- softmax cross-entropy ----------------------------------------------------------------------------
// Per row: loss = log(sum exp(z - max)) - (z[y] - max). With dz non-null, also writes
// dz = (softmax - onehot) * scale for rows < b and zeros for the padding rows [b, bp).
// Returns the summed loss; the count of rows whose first argmax equals the label goes to *correct.
EXPORT(softmax_xent)
double softmax_xent(const float *logits, const int *labels, float *dz, int b, int bp, int n, int np,
                    float scale, int *correct) {
  double loss = 0;
  int hits = 0;
  const v4 neg_inf = SPLAT(-__builtin_inff());
  for (int r = 0; r < b; r++) {
    const float *z = logits + r * np;
    v4 vmax = neg_inf;
    for (int c = 0; c < np; c += 4) vmax = wasm_f32x4_max(vmax, wasm_v128_bitselect(wasm_v128_load(z + c), neg_inf, lane_mask(n - c)));
    float zmax = hmax(vmax);
    v4 vm = SPLAT(zmax), vsum = SPLAT(0.0f);
    for (int c = 0; c < np; c += 4) {
      v4 e = wasm_v128_and(v_exp(wasm_f32x4_sub(wasm_v128_load(z + c), vm)), lane_mask(n - c));
      vsum = wasm_f32x4_add(vsum, e);
      if (dz) wasm_v128_store(dz + r * np + c, e);
    }
    float sum = hsum(vsum);
    int y = labels[r];
    loss += (double)(s_log(sum) - (z[y] - zmax));
    int arg = 0;
    for (int c = 1; c < n; c++) if (z[c] > z[arg]) arg = c;
    hits += arg == y;
    if (dz) {
      v4 k = SPLAT(scale / sum);
      float *d = dz + r * np;
      for (int c = 0; c < np; c += 4) wasm_v128_store(d + c, wasm_f32x4_mul(wasm_v128_load(d + c), k));
      d[y] -= scale;
    }
  }
  if (dz) {
    for (int r = b; r < bp; r++)
      for (int c = 0; c < np; c += 4) wasm_v128_store(dz + r * np + c, SPLAT(0.0f));
  }
  *correct = hits;
  return loss;
}

// ---- backward to the input: dprev = (dz . W^T) * act'(aprev) ------------------------------------------
// Dot-product tiles of 2 rows x 4 inputs: 8 accumulators over the output dimension, reduced with a
// 4x4 transpose-add so the 4 sums come out as one vector ready for the activation derivative. Must run
// before the layer's weights are updated. Computes blocks of 4 input columns [q0, q1) only, the split
// between threads: each output's reduction over the layer's outputs stays whole.
INLINE v4 reduce4(v4 a0, v4 a1, v4 a2, v4 a3) {
  v4 t0 = wasm_f32x4_add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  v4 t1 = wasm_f32x4_add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5), wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5), wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
}

INLINE void backward_impl(const float *dz, const float *w, const float *aprev, float *dprev, int bp, int kp,
                          int np, int q0, int q1, const int act) {
  for (int k = q0 * 4; k < q1 * 4; k += 4) {
    for (int r = 0; r < bp; r += 2) {
      const float *d0 = dz + r * np, *d1 = d0 + np;
      v4 a00 = SPLAT(0.0f), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
      for (int p = 0; p < np / 8; p++) {
        const float *wk = w + p * kp * 8 + k * 8;
        for (int h = 0; h < 8; h += 4) {
          v4 e0 = wasm_v128_load(d0 + p * 8 + h), e1 = wasm_v128_load(d1 + p * 8 + h);
          v4 w0 = wasm_v128_load(wk + h);
          MAC(a00, e0, w0); MAC(a10, e1, w0);
          v4 w1 = wasm_v128_load(wk + 8 + h);
          MAC(a01, e0, w1); MAC(a11, e1, w1);
          v4 w2 = wasm_v128_load(wk + 16 + h);
          MAC(a02, e0, w2); MAC(a12, e1, w2);
          v4 w3 = wasm_v128_load(wk + 24 + h);
          MAC(a03, e0, w3); MAC(a13, e1, w3);
        }
      }
      const float *ap = aprev + r * kp + k;
      float *o = dprev + r * kp + k;
      wasm_v128_store(o, wasm_f32x4_mul(reduce4(a00, a01, a02, a03), derivative(wasm_v128_load(ap), act)));
      wasm_v128_store(o + kp, wasm_f32x4_mul(reduce4(a10, a11, a12, a13), derivative(wasm_v128_load(ap + kp), act)));
    }
  }
}

EXPORT(backward_input)
void backward_input(const float *dz, const float *w, const float *aprev, float *dprev, int bp, int kp, int np,
                    int act, int q0, int q1) {
  switch (act) {
    case ACT_RELU: backward_impl(dz, w, aprev, dprev, bp, kp, np, q0, q1, ACT_RELU); break;
    case ACT_TANH: backward_impl(dz, w, aprev, dprev, bp, kp, np, q0, q1, ACT_TANH); break;
    case ACT_SIGMOID: backward_impl(dz, w, aprev, dprev, bp, kp, np, q0, q1, ACT_SIGMOID); break;
    case ACT_ELU: backward_impl(dz, w, aprev, dprev, bp, kp, np, q0, q1, ACT_ELU); break;
    default: backward_impl(dz, w, aprev, dprev, bp, kp, np, q0, q1, ACT_LINEAR); break;
  }
}

#include "update.h"

// ---- input: uint8 pixels -> floats in [0, 1] ----------------------------------------------------------
// Normalises a batch staged as uint8 rows (n bytes, a multiple of 16), 16 lanes at a time: the dataset
// stays uint8 in shared memory and is never copied as floats. Division, not a multiply by 1/255, so each
// value is the correctly rounded v / 255, the same float as JavaScript's Math.fround(v / 255).
EXPORT(u8_to_unit)
void u8_to_unit(const unsigned char *src, float *dst, int n) {
  const v4 d = SPLAT(255.0f);
  for (int i = 0; i < n; i += 16) {
    v128_t b = wasm_v128_load(src + i);
    v128_t lo = wasm_u16x8_extend_low_u8x16(b), hi = wasm_u16x8_extend_high_u8x16(b);
    wasm_v128_store(dst + i, wasm_f32x4_div(wasm_f32x4_convert_u32x4(wasm_u32x4_extend_low_u16x8(lo)), d));
    wasm_v128_store(dst + i + 4, wasm_f32x4_div(wasm_f32x4_convert_u32x4(wasm_u32x4_extend_high_u16x8(lo)), d));
    wasm_v128_store(dst + i + 8, wasm_f32x4_div(wasm_f32x4_convert_u32x4(wasm_u32x4_extend_low_u16x8(hi)), d));
    wasm_v128_store(dst + i + 12, wasm_f32x4_div(wasm_f32x4_convert_u32x4(wasm_u32x4_extend_high_u16x8(hi)), d));
  }
}

// ---- calibration --------------------------------------------------------------------------------------
// The machine's SIMD128 mul+add throughput, for the benchmark's "share of the ceiling": `iters` rounds
// of 12 independent f32x4 multiply-then-add chains (96 flops a round). Twelve chains hide the latency,
// and 12 accumulators plus 2 constants fit V8's registers, so nothing but throughput limits it.
EXPORT(simd_peak)
float simd_peak(int iters, float seed) {
  v4 m = SPLAT(0.9999f), c = SPLAT(1e-4f);
  v4 a0 = SPLAT(seed), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
  v4 a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
  for (int i = 0; i < iters; i++) {
#define STEP(a) a = wasm_f32x4_add(wasm_f32x4_mul(a, m), c)
    STEP(a0); STEP(a1); STEP(a2); STEP(a3); STEP(a4); STEP(a5);
    STEP(a6); STEP(a7); STEP(a8); STEP(a9); STEP(a10); STEP(a11);
#undef STEP
  }
  v4 s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)),
                        wasm_f32x4_add(wasm_f32x4_add(a4, a5), wasm_f32x4_add(a6, a7)));
  s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_f32x4_add(a8, a9), wasm_f32x4_add(a10, a11)));
  return hsum(s);
}
