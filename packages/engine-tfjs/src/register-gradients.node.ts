// Node: tfjs-core's CommonJS bundle carries no gradients, and its ESM gradient files use extensionless
// imports that Node refuses. The @tensorflow/tfjs Node bundle registers every gradient on tfjs-core.
import '@tensorflow/tfjs';
