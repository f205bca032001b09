/**
 * What a published LoomRL tarball must hold and declare, as functions returning the problems they
 * find (an empty list = fine), so a failing test names every problem at once.
 */
import { builtinModules } from 'node:module';

/** The parts of a package.json these checks read. */
export interface Manifest {
  readonly name: string;
  readonly license?: string;
  readonly main?: string;
  readonly types?: string;
  readonly engines?: Readonly<Record<string, string>>;
  readonly sideEffects?: boolean | readonly string[];
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[\w.]+)?$/;
const NOT_SHIPPED = /\.test\.|__fixtures__|\.tsbuildinfo$/;

/** Every file a manifest points at (`main`, `types`, each `exports` target, `sideEffects` entries), as `./path`. */
function pointedAt(manifest: Manifest): string[] {
  const targets = [manifest.main, manifest.types];
  for (const target of Object.values(manifest.exports ?? {})) {
    targets.push(...(typeof target === 'string' ? [target] : Object.values(target)));
  }
  if (Array.isArray(manifest.sideEffects)) targets.push(...manifest.sideEffects);
  return targets.filter((t): t is string => t !== undefined);
}

/**
 * Problems with a tarball's files (paths inside the package, e.g. `dist/index.js`) and manifest: it
 * must ship dist with types, a README and the Apache-2.0 LICENSE, every file the manifest points at,
 * no tests or fixtures, declare `engines.node >= 20.19`, and give peers as ranges (no exact pins).
 */
export function tarballProblems(manifest: Manifest, files: readonly string[], licenseText: string): string[] {
  const problems: string[] = [];
  const has = new Set(files);
  for (const required of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
    if (!has.has(required)) problems.push(`${manifest.name}: does not ship ${required}`);
  }
  for (const target of pointedAt(manifest)) {
    if (!has.has(target.replace(/^\.\//, '')))
      problems.push(`${manifest.name}: package.json points at ${target}, which is not in the tarball`);
  }
  for (const file of files.filter((f) => NOT_SHIPPED.test(f))) problems.push(`${manifest.name}: ships ${file}`);
  if (manifest.license !== 'Apache-2.0') problems.push(`${manifest.name}: license is ${String(manifest.license)}, not Apache-2.0`);
  if (!/Apache License\s+Version 2\.0, January 2004/.test(licenseText))
    problems.push(`${manifest.name}: LICENSE is not the Apache-2.0 text`);
  if (manifest.engines?.node !== '>=20.19')
    problems.push(`${manifest.name}: engines.node is ${String(manifest.engines?.node)}, not >=20.19`);
  const specs = { ...manifest.dependencies, ...manifest.peerDependencies };
  for (const [dep, spec] of Object.entries(specs)) {
    if (/^(workspace|catalog):/.test(spec)) problems.push(`${manifest.name}: ${dep} is still "${spec}" in the tarball`);
  }
  for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
    if (EXACT_VERSION.test(range)) problems.push(`${manifest.name}: peer ${peer} is pinned to ${range}; a peer must be a range`);
  }
  return problems;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for relative paths and Node builtins. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.startsWith('file:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  return builtinModules.includes(name) ? null : name;
}

/** The packages built code imports by string literal (`import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`). */
export function importedPackages(code: string): Set<string> {
  const found = new Set<string>();
  const patterns = [
    /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm, // static imports and re-exports, statements at a line start
    /^\s*import\s*['"]([^'"]+)['"]/gm, // side-effect imports
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // dynamic imports and import types of .d.ts files
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const name = packageOf(match[1] ?? '');
      if (name !== null) found.add(name);
    }
  }
  return found;
}

/**
 * Problems with what a package declares against what its built code imports (`imported`, from its
 * `.js` and `.d.ts` files): every imported package must be declared, and every declared one used —
 * `@types/x` counts as used when `x` is imported. `loadedByVariable` names packages imported through a
 * variable specifier (optional peers such as tsx); each must be an optional peer that `code` names.
 */
export function dependencyProblems(
  manifest: Manifest,
  imported: ReadonlySet<string>,
  loadedByVariable: readonly string[],
  code: string,
): string[] {
  const problems: string[] = [];
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  for (const name of imported) {
    if (name !== manifest.name && !declared.has(name)) problems.push(`${manifest.name}: imports ${name} but does not declare it`);
  }
  for (const name of declared) {
    const typesOf = name.startsWith('@types/') ? name.slice('@types/'.length) : null;
    const used = imported.has(name) || (typesOf !== null && imported.has(typesOf)) || loadedByVariable.includes(name);
    if (!used) problems.push(`${manifest.name}: declares ${name} but never imports it`);
  }
  for (const name of loadedByVariable) {
    if (manifest.peerDependenciesMeta?.[name]?.optional !== true)
      problems.push(`${manifest.name}: ${name} is loaded on demand but is not an optional peer`);
    if (!code.includes(`'${name}`))
      problems.push(`${manifest.name}: the built code no longer names ${name}; update the list of packages loaded by variable`);
  }
  return problems;
}
