import * as tf from '@tensorflow/tfjs-core';

type GradFn = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];

/** Adapts a typed body to tf.customGrad's `(...inputs: (Tensor | GradSaveFunc)[])` signature. */
function custom(
  body: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFn },
) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    return body(args as tf.Tensor[], save);
  });
}

/**
 * x·W + b whose backward pass uses only untransposed matMuls. tfjs-wasm sends matMul to XNNPACK only
 * when neither operand is transposed; stock gradients use transposed matMuls that fall onto a scalar
 * path about 13x slower. Transposing explicitly and then multiplying is far cheaper.
 * With `needInputGrad` false (the first layer: x is data), dX is not computed at all.
 */
export function fastDense(
  x: tf.Tensor2D,
  w: tf.Variable,
  b: tf.Variable,
  needInputGrad: boolean,
): tf.Tensor2D {
  if (!needInputGrad) {
    const f = custom(([wIn, bIn]) => ({
      value: tf.add(tf.matMul(x, wIn as tf.Tensor2D), bIn!),
      gradFunc: (dy) => [tf.matMul(tf.transpose(x), dy as tf.Tensor2D), tf.sum(dy, 0)],
    }));
    return f(w, b) as tf.Tensor2D;
  }
  const f = custom(([xIn, wIn, bIn], save) => {
    save([xIn!, wIn!]);
    return {
      value: tf.add(tf.matMul(xIn as tf.Tensor2D, wIn as tf.Tensor2D), bIn!),
      gradFunc: (dy, saved) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [
          tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)),
          tf.matMul(tf.transpose(xs), dy as tf.Tensor2D),
          tf.sum(dy, 0),
        ];
      },
    };
  });
  return f(x, w, b) as tf.Tensor2D;
}

/** The plain dense layer with tfjs's stock gradients: the reference the fast path is checked against. */
export function referenceDense(x: tf.Tensor2D, w: tf.Variable, b: tf.Variable): tf.Tensor2D {
  return tf.add(tf.matMul(x, w), b);
}
