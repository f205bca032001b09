// A TypeScript module (type annotations Node cannot strip by itself) for the module loader's tsx test.
export const answer: number = 42 as number;
