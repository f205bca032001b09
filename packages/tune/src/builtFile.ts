/**
 * The URL of a built file of this package (under `dist/`), also when the calling module runs from
 * the TypeScript sources (tests): worker threads and child processes always load built code.
 * `sourceUrl` is the caller's `import.meta.url`; `relative` the path from it, as it is in `dist`.
 */
export function builtFile(sourceUrl: string, relative: string): URL {
  if (!sourceUrl.endsWith('.ts')) return new URL(relative, sourceUrl);
  const inSrc = new URL(relative.replace(/\.js$/, '.ts'), sourceUrl).href;
  return new URL(inSrc.replace('/src/', '/dist/').replace(/\.ts$/, '.js'));
}
