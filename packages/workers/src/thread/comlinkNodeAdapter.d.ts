/** Types for comlink's Node adapter (its own .d.ts uses DOM listener types that Node's lib lacks). */
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';

  interface NodePort {
    postMessage(message: unknown, transfer?: readonly unknown[]): void;
    on(type: 'message', listener: (value: unknown) => void): unknown;
    off(type: 'message', listener: (value: unknown) => void): unknown;
  }
  export default function nodeEndpoint(port: NodePort): Endpoint;
}
