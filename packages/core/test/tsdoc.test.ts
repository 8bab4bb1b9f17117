import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every function `@shizi/core` exports (packages/core/src/index.ts, followed through its re-exports) carries
 * TSDoc with an `@example`, so editors show a usage line and the package README is not the only guide.
 */
const entry = join(import.meta.dirname, '..', 'src', 'index.ts');

function exportedFunctions(): { name: string; file: string; examples: number }[] {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const out: { name: string; file: string; examples: number }[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (symbol.flags & ts.SymbolFlags.Class) continue;
    const declaration = symbol.valueDeclaration;
    if (declaration === undefined) continue;
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    if (!(symbol.flags & ts.SymbolFlags.Function) && type.getCallSignatures().length === 0) continue;
    const tags = symbol.getJsDocTags(checker).filter((tag) => tag.name === 'example' && ts.displayPartsToString(tag.text).trim() !== '');
    out.push({ name: exported.name, file: declaration.getSourceFile().fileName.replace(/.*\/src\//, 'src/'), examples: tags.length });
  }
  return out;
}

describe('TSDoc', () => {
  const functions = exportedFunctions();

  it('finds the exported functions (the check reads the real export list)', () => {
    expect(functions.map((fn) => fn.name)).toEqual(expect.arrayContaining(['academicYearOf', 'appraiseAll', 'parsePolicy', 'isValidRecordFast']));
  });

  it('gives every exported function an @example', () => {
    expect(functions.filter((fn) => fn.examples === 0).map((fn) => `${fn.file}: ${fn.name}`)).toEqual([]);
  });
});
