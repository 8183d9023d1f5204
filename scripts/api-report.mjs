#!/usr/bin/env node
// The public surface of every published package, one report per entry of its `exports` map, from the built
// `.d.ts` (what users compile against) through the TypeScript compiler API: each export's name, kind and
// declaration (signatures, members, type aliases). The reports are checked in (`<package dir>/api/`), so
// that a change to the surface is seen in review and happens only on purpose.
//
//   npm run api:update   builds every package, then rewrites the reports (commit them)
//   node scripts/api-report.mjs --check   (the turbo task `api:check`, part of `npm test` and CI) fails when
//                        the built surface differs from the checked-in reports, and says what differs
//
// The compiler API comes from `typescript-api` (TypeScript 5.9, a root devDependency): TypeScript 7, which
// type-checks the project, has no stable JavaScript API yet.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ts = createRequire(import.meta.url)('typescript-api');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const FORMAT =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  ts.TypeFormatFlags.WriteClassExpressionAsTypeLiteral;

/** Every published package (not `private`) with its entries: `{ name, dir, entries: [[entry, dts]] }`. */
function publishedPackages() {
  const out = [];
  const dirs = ['packages', 'apps'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group))
          .sort()
          .map((name) => join(group, name))
      : [],
  );
  for (const dir of dirs) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.private === true) continue;
    const entries = [];
    for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
      if (typeof target === 'object' && target !== null && typeof target.types === 'string') {
        entries.push([entry, join(root, dir, target.types)]);
      }
    }
    out.push({ name: pkg.name, dir: join(root, dir), entries });
  }
  return out;
}

const reportName = (entry) => (entry === '.' ? 'index' : entry.replace(/^\.\//, '').replaceAll('/', '-'));

/** Type text without `import("/abs/path/_shared-HASH").` qualifiers (machine paths, chunk hashes). */
const clean = (text) => text.replace(/import\("[^"]*"\)\./g, '');

function describeSymbol(checker, exported, at) {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const name = exported.name;
  const typeText = (type) => clean(checker.typeToString(type, at, FORMAT));
  // `<T>(a: A) : R` style (the returned type after the last top-level colon).
  const signature = (sig) => clean(checker.signatureToString(sig, at, FORMAT));
  const typeParameters = (declaration) =>
    declaration?.typeParameters ? `<${declaration.typeParameters.map((p) => p.getText()).join(', ')}>` : '';
  // Own members only (inherited ones are in the base's report); a unique-symbol key prints as `[NAME]`.
  const owners = new Set(symbol.declarations ?? []);
  const isOwn = (member) =>
    (member.declarations ?? []).some(
      (d) => owners.has(d.parent) || (ts.isParameter(d) && owners.has(d.parent?.parent)),
    );
  const memberName = (member) => member.name.replace(/^__@(\w+)@\d+$/, '[$1]');
  const memberLines = (type, isClass) => {
    const lines = [];
    const members = checker.getPropertiesOfType(type).filter(isOwn);
    for (const member of members.sort((a, b) => memberName(a).localeCompare(memberName(b)))) {
      const declaration = member.valueDeclaration ?? member.declarations?.[0];
      const modifiers = declaration ? ts.getCombinedModifierFlags(declaration) : 0;
      if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      if (member.name.startsWith('#') || member.name.startsWith('__#')) continue;
      const readonly = modifiers & ts.ModifierFlags.Readonly ? 'readonly ' : '';
      const optional = member.flags & ts.SymbolFlags.Optional ? '?' : '';
      const memberType = checker.getTypeOfSymbolAtLocation(member, declaration ?? at);
      if (member.flags & ts.SymbolFlags.Method) {
        for (const sig of memberType.getCallSignatures()) {
          lines.push(`  ${memberName(member)}${optional}${signature(sig)};`);
        }
      } else {
        lines.push(`  ${readonly}${memberName(member)}${optional}: ${typeText(memberType)};`);
      }
    }
    if (isClass) {
      const staticType = checker.getTypeOfSymbolAtLocation(symbol, at);
      for (const sig of staticType.getConstructSignatures()) {
        lines.unshift(`  constructor${signature(sig).replace(/: [^:)]*$/, '')};`);
      }
      for (const member of checker.getPropertiesOfType(staticType)) {
        if (member.name === 'prototype') continue;
        lines.push(`  static ${member.name}: ${typeText(checker.getTypeOfSymbolAtLocation(member, at))};`);
      }
    }
    return lines;
  };

  const blocks = [];
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) {
    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    const bases = checker.getBaseTypes(declared).map(typeText);
    const head = `class ${name}${typeParameters(symbol.declarations?.find(ts.isClassDeclaration))}${bases.length > 0 ? ` extends ${bases.join(', ')}` : ''}`;
    blocks.push(`${head} {\n${memberLines(declared, true).join('\n')}\n}`);
  } else if (flags & ts.SymbolFlags.Function) {
    for (const sig of checker.getTypeOfSymbolAtLocation(symbol, at).getCallSignatures()) {
      blocks.push(`function ${name}${signature(sig)};`);
    }
  } else if (flags & ts.SymbolFlags.Variable) {
    const declaration = symbol.valueDeclaration;
    const isConst =
      declaration !== undefined &&
      ts.isVariableDeclaration(declaration) &&
      (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
    blocks.push(
      `${isConst ? 'const' : 'let'} ${name}: ${typeText(checker.getTypeOfSymbolAtLocation(symbol, at))};`,
    );
  } else if (flags & ts.SymbolFlags.Enum) {
    blocks.push(`enum ${name}`);
  }
  if (flags & ts.SymbolFlags.Interface) {
    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    const bases = checker.getBaseTypes(declared).map(typeText);
    const head = `interface ${name}${typeParameters(symbol.declarations?.find(ts.isInterfaceDeclaration))}${bases.length > 0 ? ` extends ${bases.join(', ')}` : ''}`;
    blocks.push(`${head} {\n${memberLines(declared, false).join('\n')}\n}`);
  }
  if (flags & ts.SymbolFlags.TypeAlias) {
    const declaration = symbol.declarations?.find(ts.isTypeAliasDeclaration);
    const text = declaration
      ? clean(declaration.type.getText())
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\/\/[^\n]*/g, '')
      : typeText(checker.getDeclaredTypeOfSymbol(symbol));
    blocks.push(`type ${name}${typeParameters(declaration)} = ${text.replace(/\s+/g, ' ').trim()};`);
  }
  if (blocks.length === 0) blocks.push(`/* ${name}: ${ts.SymbolFlags[flags] ?? flags} */`);
  return blocks.join('\n');
}

function renderReport(pkg, entry, dts) {
  const program = ts.createProgram([dts], {
    noEmit: true,
    skipLibCheck: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dts);
  if (source === undefined) throw new Error(`cannot read ${dts}: build the package first`);
  const module = checker.getSymbolAtLocation(source);
  const exported = module === undefined ? [] : checker.getExportsOfModule(module);
  const sorted = [...exported].sort((a, b) => a.name.localeCompare(b.name));
  const body = sorted.map((symbol) => describeSymbol(checker, symbol, source)).join('\n\n');
  const specifier = entry === '.' ? pkg.name : `${pkg.name}/${entry.replace(/^\.\//, '')}`;
  return `# API report: \`${specifier}\`

Generated by \`scripts/api-report.mjs\` from \`${relative(pkg.dir, dts)}\`: do not edit. ${sorted.length} exports.
A change here is a change of the public surface: make it on purpose, then run \`npm run api:update\`.

\`\`\`ts
${body}
\`\`\`
`;
}

const expected = new Map();
for (const pkg of publishedPackages()) {
  for (const [entry, dts] of pkg.entries) {
    expected.set(join(pkg.dir, 'api', `${reportName(entry)}.api.md`), renderReport(pkg, entry, dts));
  }
}
// Reports of entries that no longer exist.
const stale = [];
for (const pkg of publishedPackages()) {
  const dir = join(pkg.dir, 'api');
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (name.endsWith('.api.md') && !expected.has(file)) stale.push(file);
  }
}

if (check) {
  const problems = [];
  for (const [file, text] of expected) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === undefined) problems.push(`${relative(root, file)}: missing`);
    else if (current !== text) {
      const want = new Set(text.split('\n'));
      const have = new Set(current.split('\n'));
      const added = [...want].filter((line) => !have.has(line)).slice(0, 10);
      const removed = [...have].filter((line) => !want.has(line)).slice(0, 10);
      problems.push(
        `${relative(root, file)} differs from the built surface:\n${[
          ...removed.map((line) => `  - ${line}`),
          ...added.map((line) => `  + ${line}`),
        ].join('\n')}`,
      );
    }
  }
  for (const file of stale) problems.push(`${relative(root, file)}: no such entry any more`);
  if (problems.length > 0) {
    process.stderr.write(
      `The public API differs from the checked-in API reports:\n\n${problems.join('\n\n')}\n\n` +
        'If the change is on purpose, run `npm run api:update` and commit the api/ reports.\n',
    );
    process.exit(1);
  }
  process.stdout.write(`API reports match the built surface (${expected.size} entries).\n`);
} else {
  for (const [file, text] of expected) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  for (const file of stale) rmSync(file);
  process.stdout.write(
    `Wrote ${expected.size} API reports${stale.length > 0 ? `, removed ${stale.length}` : ''}.\n`,
  );
}
