// Vector math for the MLP kernels: exp, log, tanh, sigmoid, elu on f32x4, with no libc.
// exp follows Cephes expf (range reduction by ln2 in two parts, degree-5 polynomial): about 1 ulp
// on the clamped range. Inputs are clamped to [-87.3, 88] so that 2^n stays a normal float and the
// exponent trick never overflows into inf/NaN bit patterns.
#ifndef SWEEPLAB_VMATH_H
#define SWEEPLAB_VMATH_H

#include <wasm_simd128.h>

typedef v128_t v4;

#define SPLAT(x) wasm_f32x4_splat(x)
#define INLINE static inline __attribute__((always_inline))

INLINE v4 v_exp(v4 x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, SPLAT(-87.3f)), SPLAT(88.0f));
  v4 fx = wasm_f32x4_nearest(wasm_f32x4_mul(x, SPLAT(1.44269504088896341f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, SPLAT(0.693359375f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, SPLAT(-2.12194440e-4f)));
  v4 z = wasm_f32x4_mul(x, x);
  v4 y = SPLAT(1.9875691500E-4f);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), SPLAT(1.3981999507E-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), SPLAT(8.3334519073E-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), SPLAT(4.1665795894E-2f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), SPLAT(1.6666665459E-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), SPLAT(5.0000001201E-1f));
  y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y, z), x), SPLAT(1.0f));
  v4 n = wasm_i32x4_trunc_sat_f32x4(fx);
  v4 pow2n = wasm_i32x4_shl(wasm_i32x4_add(n, wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(y, pow2n);
}

// expm1 for the elu branch: exp(x) - 1 cancels for small |x|, so a Taylor series takes over there.
INLINE v4 v_expm1(v4 x) {
  v4 big = wasm_f32x4_sub(v_exp(x), SPLAT(1.0f));
  v4 p = SPLAT(1.0f / 5040.0f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x), SPLAT(1.0f / 720.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x), SPLAT(1.0f / 120.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x), SPLAT(1.0f / 24.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x), SPLAT(1.0f / 6.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x), SPLAT(0.5f));
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, x), x), x);
  v4 small = wasm_f32x4_lt(wasm_f32x4_abs(x), SPLAT(0.35f));
  return wasm_v128_bitselect(p, big, small);
}

// tanh: Cephes tanhf polynomial below |x| 0.625 (where 1 - 2/(e^2x + 1) would cancel), else the
// exp form with the sign restored.
INLINE v4 v_tanh(v4 x) {
  v4 ax = wasm_f32x4_abs(x);
  v4 z = wasm_f32x4_mul(x, x);
  v4 p = SPLAT(-5.70498872745E-3f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), SPLAT(2.06390887954E-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), SPLAT(-5.37397155531E-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), SPLAT(1.33314422036E-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), SPLAT(-3.33332819422E-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, z), x), x);
  v4 e = v_exp(wasm_f32x4_add(ax, ax));
  v4 big = wasm_f32x4_sub(SPLAT(1.0f), wasm_f32x4_div(SPLAT(2.0f), wasm_f32x4_add(e, SPLAT(1.0f))));
  v4 sign = wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000));
  big = wasm_v128_or(big, sign);
  return wasm_v128_bitselect(p, big, wasm_f32x4_lt(ax, SPLAT(0.625f)));
}

INLINE v4 v_sigmoid(v4 x) {
  return wasm_f32x4_div(SPLAT(1.0f), wasm_f32x4_add(SPLAT(1.0f), v_exp(wasm_f32x4_neg(x))));
}

INLINE v4 v_elu(v4 x) {
  return wasm_v128_bitselect(x, v_expm1(x), wasm_f32x4_gt(x, SPLAT(0.0f)));
}

// Natural log of a positive finite float (Cephes logf): split into mantissa in [sqrt(.5), sqrt(2))
// and exponent, then a degree-8 polynomial. Used once per row for the log-sum-exp.
INLINE float s_log(float x) {
  union { float f; int i; } u = { x };
  int e = ((u.i >> 23) & 0xff) - 126;
  u.i = (u.i & 0x007fffff) | 0x3f000000;  // mantissa in [0.5, 1)
  float m = u.f;
  if (m < 0.707106781186547524f) {
    e -= 1;
    m = m + m - 1.0f;
  } else {
    m = m - 1.0f;
  }
  float z = m * m;
  float y = 7.0376836292E-2f;
  y = y * m - 1.1514610310E-1f;
  y = y * m + 1.1676998740E-1f;
  y = y * m - 1.2420140846E-1f;
  y = y * m + 1.4249322787E-1f;
  y = y * m - 1.6668057665E-1f;
  y = y * m + 2.0000714765E-1f;
  y = y * m - 2.4999993993E-1f;
  y = y * m + 3.3333331174E-1f;
  y = y * m * z;
  float fe = (float)e;
  y += -2.12194440e-4f * fe;
  y += -0.5f * z;
  return m + y + 0.693359375f * fe;
}

INLINE float hsum(v4 v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

INLINE float hmax(v4 v) {
  v = wasm_f32x4_max(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_max(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}

#endif
