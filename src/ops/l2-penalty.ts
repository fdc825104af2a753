// l2Penalty: loss + weightDecay * sqrt(sum of squared parameters), the article's L2 term, with its own gradient.
import * as tf from '@tensorflow/tfjs-core';
import { scale, sumSquares } from './sum-squares.js';

/**
 * `loss + weightDecay * ||parameters||`. Differentiable through a custom gradient (d/dp = weightDecay * p / ||p||)
 * so it needs none of tfjs's stock gradients, which tfjs-core alone does not register in Node.
 */
export function l2Penalty(loss: tf.Scalar, parameters: tf.Tensor[], weightDecay: number): tf.Scalar {
  const f = tf.customGrad((...args: unknown[]) => {
    const [l, ...params] = args.slice(0, -1) as tf.Tensor[];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const norm = tf.sqrt(sumSquares(params));
    save([...params, norm]);
    return {
      value: tf.add(l, tf.mul(norm, weightDecay)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const d = dy as tf.Tensor;
        const n = saved[saved.length - 1];
        const s = tf.div(tf.mul(d, weightDecay), tf.maximum(n, 1e-12));
        return [d, ...saved.slice(0, -1).map((p) => scale(p, s))];
      },
    };
  });
  return f(loss, ...parameters) as tf.Scalar;
}
