// dW = A^T . dZ with the optimizer step fused into W, and the same for the bias (db = column sums).
// Included once, by mlp.c.
//
// Hyperparameters arrive as h0..h6, in the tfjs formulations:
//   sgd       w -= h0 g                                      h0 = lr
//   momentum  v = h1 v + g;  w -= h0 v                        h0 = lr, h1 = momentum
//   adam      m = h1 m + h2 g;  v = h3 v + h4 g^2;            h0 = lr / (1 - beta1^t), h5 = 1 / (1 - beta2^t)
//             w -= h0 m / (sqrt(h5 v) + h6)                   h1..h4 = beta1, 1-beta1, beta2, 1-beta2; h6 = eps
//   rmsprop   s = h1 s + h2 g^2;  w -= h0 g / sqrt(s + h6)    h1 = decay, h2 = 1 - decay, h6 = eps
//   grad      s1 = g (gradient read-back, for tests)
//   norm      nothing written; returns the sum of g^2 (gradient norm without an update)

typedef struct {
  v4 h0, h1, h2, h3, h4, h5, h6;
} hyper_t;

// Applies one gradient vector to 4 weights (and their state); returns g^2 for the norm mode.
INLINE v4 apply(float *w, float *s1, float *s2, v4 g, const hyper_t *h, const int mode) {
  switch (mode) {
    case OPT_SGD:
      wasm_v128_store(w, wasm_f32x4_sub(wasm_v128_load(w), wasm_f32x4_mul(h->h0, g)));
      break;
    case OPT_MOMENTUM: {
      v4 v = wasm_f32x4_add(wasm_f32x4_mul(h->h1, wasm_v128_load(s1)), g);
      wasm_v128_store(s1, v);
      wasm_v128_store(w, wasm_f32x4_sub(wasm_v128_load(w), wasm_f32x4_mul(h->h0, v)));
      break;
    }
    case OPT_ADAM: {
      v4 m = wasm_f32x4_add(wasm_f32x4_mul(h->h1, wasm_v128_load(s1)), wasm_f32x4_mul(h->h2, g));
      v4 v = wasm_f32x4_add(wasm_f32x4_mul(h->h3, wasm_v128_load(s2)), wasm_f32x4_mul(h->h4, wasm_f32x4_mul(g, g)));
      wasm_v128_store(s1, m);
      wasm_v128_store(s2, v);
      v4 den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_mul(h->h5, v)), h->h6);
      wasm_v128_store(w, wasm_f32x4_sub(wasm_v128_load(w), wasm_f32x4_div(wasm_f32x4_mul(h->h0, m), den)));
      break;
    }
    case OPT_RMSPROP: {
      v4 s = wasm_f32x4_add(wasm_f32x4_mul(h->h1, wasm_v128_load(s1)), wasm_f32x4_mul(h->h2, wasm_f32x4_mul(g, g)));
      wasm_v128_store(s1, s);
      v4 step = wasm_f32x4_div(wasm_f32x4_mul(h->h0, g), wasm_f32x4_sqrt(wasm_f32x4_add(s, h->h6)));
      wasm_v128_store(w, wasm_f32x4_sub(wasm_v128_load(w), step));
      break;
    }
    case OPT_GRAD:
      wasm_v128_store(s1, g);
      break;
    default:
      break;
  }
  return wasm_f32x4_mul(g, g);
}

// Packs the layer input A [bp x kp] as 4-column strips, strip-major ([kp/4][bp][4]), and dZ [bp x np]
// as 8-column panels ([np/8][bp][8]): the dW tile then reads both operands contiguously as it walks
// the batch, instead of hopping a whole row (kp or np floats) per step. Costs one copy of each.
INLINE void pack_operands(const float *a, const float *dz, float *pa, float *pd, int bp, int kp, int np) {
  for (int r = 0; r < bp; r++) {
    for (int k = 0; k < kp; k += 4) wasm_v128_store(pa + k * bp + r * 4, wasm_v128_load(a + r * kp + k));
    for (int n = 0; n < np; n += 8) {
      wasm_v128_store(pd + n * bp + r * 8, wasm_v128_load(dz + r * np + n));
      wasm_v128_store(pd + n * bp + r * 8 + 4, wasm_v128_load(dz + r * np + n + 4));
    }
  }
}

// The step's hyperparameters, in memory, not in locals: as locals, clang keeps all seven vectors in
// registers across the dW tile loop, which with its 8 accumulators spills inside the inner loop (adam
// ran at half sgd's speed). Stores to the weights may alias this global, so each update reloads the
// few it needs instead. One per memory: update_prepare writes it, every thread's update_panels reads it.
static hyper_t hyper;

// The first half of a layer's update, on one thread: packs A and dZ into `scratch` (bp * (kp + np)
// floats) and sets the step's hyperparameters. Threads then share update_panels.
EXPORT(update_prepare)
void update_prepare(const float *a, const float *dz, float *scratch, int bp, int kp, int np, float h0, float h1,
                    float h2, float h3, float h4, float h5, float h6) {
  hyper = (hyper_t){SPLAT(h0), SPLAT(h1), SPLAT(h2), SPLAT(h3), SPLAT(h4), SPLAT(h5), SPLAT(h6)};
  pack_operands(a, dz, scratch, scratch + bp * kp, bp, kp, np);
}

// dW and db for output panels [p0, p1), each applied in place: threads split a layer by output units,
// never by batch, so every gradient is the same sum over the batch in the same order whatever the
// thread count. s1/s2 address the state of W (same panel layout) followed by the state of the bias, so
// state offsets are the weight offsets shifted by one constant. Returns the sum of g^2 over those
// panels in mode OPT_NORM (a reduction across panels: callers run that mode on one thread).
INLINE double update_impl(float *w, float *bias, float *s1, float *s2, int bp, int kp, int np,
                          const float *scratch, int p0, int p1, const hyper_t *h, const int mode) {
  v4 sq = SPLAT(0.0f);
  const int bias_at = kp * np;  // the bias state follows the weight state
  const float *pa = scratch, *pd = scratch + bp * kp;
  for (int p = p0; p < p1; p++) {
    const float *dp = pd + p * 8 * bp;
    // Bias: column sums of dZ over the batch.
    v4 g0 = SPLAT(0.0f), g1 = g0;
    for (int r = 0; r < bp; r++) {
      g0 = wasm_f32x4_add(g0, wasm_v128_load(dp + r * 8));
      g1 = wasm_f32x4_add(g1, wasm_v128_load(dp + r * 8 + 4));
    }
    int o = p * 8;
    sq = wasm_f32x4_add(sq, apply(bias + o, s1 + bias_at + o, s2 + bias_at + o, g0, h, mode));
    sq = wasm_f32x4_add(sq, apply(bias + o + 4, s1 + bias_at + o + 4, s2 + bias_at + o + 4, g1, h, mode));
    // Weights: 4 inputs x 8 outputs per tile, reducing over the batch, then the update in place.
    for (int k = 0; k < kp; k += 4) {
      v4 a00 = SPLAT(0.0f), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
      const float *ak = pa + k * bp;
      for (int r = 0; r < bp; r++) {
        v4 d0 = wasm_v128_load(dp + r * 8), d1 = wasm_v128_load(dp + r * 8 + 4);
        const float *ar = ak + r * 4;
        v4 s = wasm_v128_load32_splat(ar);
        MAC(a00, s, d0); MAC(a01, s, d1);
        s = wasm_v128_load32_splat(ar + 1);
        MAC(a10, s, d0); MAC(a11, s, d1);
        s = wasm_v128_load32_splat(ar + 2);
        MAC(a20, s, d0); MAC(a21, s, d1);
        s = wasm_v128_load32_splat(ar + 3);
        MAC(a30, s, d0); MAC(a31, s, d1);
      }
      int at = p * kp * 8 + k * 8;  // the tile's 32 weights are contiguous in the panel layout
      sq = wasm_f32x4_add(sq, apply(w + at, s1 + at, s2 + at, a00, h, mode));
      sq = wasm_f32x4_add(sq, apply(w + at + 4, s1 + at + 4, s2 + at + 4, a01, h, mode));
      sq = wasm_f32x4_add(sq, apply(w + at + 8, s1 + at + 8, s2 + at + 8, a10, h, mode));
      sq = wasm_f32x4_add(sq, apply(w + at + 12, s1 + at + 12, s2 + at + 12, a11, h, mode));
      sq = wasm_f32x4_add(sq, apply(w + at + 16, s1 + at + 16, s2 + at + 16, a20, h, mode));
      sq = wasm_f32x4_add(sq, apply(w + at + 20, s1 + at + 20, s2 + at + 20, a21, h, mode));
      sq = wasm_f32x4_add(sq, apply(w + at + 24, s1 + at + 24, s2 + at + 24, a30, h, mode));
      sq = wasm_f32x4_add(sq, apply(w + at + 28, s1 + at + 28, s2 + at + 28, a31, h, mode));
    }
  }
  return mode == OPT_NORM ? (double)hsum(sq) : 0.0;
}

EXPORT(update_panels)
double update_panels(float *w, float *bias, float *s1, float *s2, int bp, int kp, int np, const float *scratch,
                     int mode, int p0, int p1) {
  const hyper_t *h_ = &hyper;
  switch (mode) {
    case OPT_SGD: return update_impl(w, bias, s1, s2, bp, kp, np, scratch, p0, p1, h_, OPT_SGD);
    case OPT_MOMENTUM: return update_impl(w, bias, s1, s2, bp, kp, np, scratch, p0, p1, h_, OPT_MOMENTUM);
    case OPT_ADAM: return update_impl(w, bias, s1, s2, bp, kp, np, scratch, p0, p1, h_, OPT_ADAM);
    case OPT_RMSPROP: return update_impl(w, bias, s1, s2, bp, kp, np, scratch, p0, p1, h_, OPT_RMSPROP);
    case OPT_GRAD: return update_impl(w, bias, s1, s2, bp, kp, np, scratch, p0, p1, h_, OPT_GRAD);
    default: return update_impl(w, bias, s1, s2, bp, kp, np, scratch, p0, p1, h_, OPT_NORM);
  }
}
