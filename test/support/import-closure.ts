import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../shared/paths';

const root = repoRoot();

let compilerOptions: ts.CompilerOptions | undefined;
/** The project's own module resolution settings (tsconfig.json), read once. */
function options(): ts.CompilerOptions {
  if (!compilerOptions) {
    const host: ts.ParseConfigFileHost = {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    };
    compilerOptions = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, host)!.options;
  }
  return compilerOptions;
}

/**
 * Every project source file `entry` loads, directly or through others: static imports and
 * exports, `import()`, and `require()` (lazily required modules are still loaded). Type-only
 * imports count too, which is stricter than the runtime. Paths relative to the repository,
 * with `/`; packages in node_modules are left out.
 */
export function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [join(root, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const imported of importedFiles) {
      const resolved = ts.resolveModuleName(imported.fileName, file, options(), ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || resolved.extension !== ts.Extension.Ts) continue;
      pending.push(resolved.resolvedFileName);
    }
  }
  return [...seen].map((f) => relative(root, f).split(sep).join('/')).sort();
}
