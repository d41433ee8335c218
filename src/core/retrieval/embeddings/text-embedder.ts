/** A local, deterministic text embedder (LSA or hashed n-grams). Pure TypeScript. */
export interface TextEmbedder {
  readonly kind: string;
  /** Changes whenever the model changes: vectors are reused only under the same id. */
  readonly id: string;
  readonly dimensions: number;
  embed(text: string): Float32Array;
  toJSON(): unknown;
}
