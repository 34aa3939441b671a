// Counts, over src/: hand-written SQL calls (h.all/get/run), hand-written row interfaces, casts of rows the runner
// returned, and runner calls typed by a hand-written row type. `npx tsx test/row-types.count.ts [-v]` (issue 11).

import { relative } from 'node:path';
import ts from 'typescript';

const cfgPath = ts.findConfigFile(process.cwd(), ts.sys.fileExists, 'tsconfig.json')!;
const cfg = ts.parseJsonConfigFileContent(ts.readConfigFile(cfgPath, ts.sys.readFile).config, ts.sys, process.cwd());
const program = ts.createProgram(
  cfg.fileNames.filter((f) => f.includes('/src/')),
  cfg.options,
);
const checker = program.getTypeChecker();
let sqlCalls = 0;
const interfaces: string[] = [];
const casts: string[] = [];
const typeArgs: string[] = [];
const isRunnerCall = (n: ts.Node): n is ts.CallExpression =>
  ts.isCallExpression(n) &&
  ts.isPropertyAccessExpression(n.expression) &&
  ['all', 'get', 'run'].includes(n.expression.name.text) &&
  /Reader|Transaction|Database/.test(checker.typeToString(checker.getTypeAtLocation(n.expression.expression)));
const unwrap = (n: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(n) || ts.isAwaitExpression(n) || ts.isNonNullExpression(n) ? unwrap(n.expression) : n;
for (const sf of program.getSourceFiles()) {
  if (!sf.fileName.includes('/src/') || sf.fileName.includes('node_modules')) continue;
  const where = (n: ts.Node) =>
    `${relative(process.cwd(), sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node) => {
    if (isRunnerCall(n)) {
      sqlCalls++;
      const arg = n.typeArguments?.[0];
      // A row type written by hand at the call: an inline object type or an interface, not one derived from a table.
      const handWritten =
        arg !== undefined &&
        (ts.isTypeLiteralNode(arg) ||
          (checker.getTypeAtLocation(arg).getSymbol()?.declarations ?? []).some((d) => ts.isInterfaceDeclaration(d)));
      if (arg && handWritten) typeArgs.push(`${where(n)} ${n.typeArguments[0]!.getText()}`);
    }
    if (ts.isInterfaceDeclaration(n) && (/Row$/.test(n.name.text) || n.name.text === 'CitedStudy'))
      interfaces.push(`${where(n)} ${n.name.text}`);
    if (ts.isAsExpression(n) && n.type.getText() !== 'const') {
      const inner = unwrap(n.expression);
      const t = checker.getTypeAtLocation(inner);
      const untyped = (t.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) !== 0;
      // A value read from an untyped runner row (Record<string, unknown>), or a row passed on as unknown.
      const fromRow =
        ((ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) &&
          checker.typeToString(checker.getTypeAtLocation(inner.expression)) === 'Record<string, unknown>') ||
        (ts.isIdentifier(inner) && /row/i.test(inner.text));
      if (isRunnerCall(inner) || (untyped && fromRow))
        casts.push(`${where(n)} ${n.getText().slice(0, 70).replace(/\s+/g, ' ')}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
if (process.argv.includes('-v')) {
  console.log(interfaces.join('\n'));
  console.log(casts.join('\n'));
  console.log(typeArgs.join('\n'));
}
console.log(
  JSON.stringify({
    sqlCalls,
    rowInterfaces: interfaces.length,
    castsOfRows: casts.length,
    handTypedRunnerCalls: typeArgs.length,
  }),
);
