#!/usr/bin/env node
// Checks that each route's declared error codes (`errors(...codes)` in its createRoute, plus the standard codes)
// are exactly the codes its handler can raise. A static analysis over the worker's sources with the TypeScript
// checker:
// - raised: every `new ApiError(code)` and `problem(c, code)` reachable from the route's handler and its
//   route-level middleware, following calls (and functions passed as values) into any function of the worker's
//   own sources, to any depth. A code that is not a literal is resolved from its type (a union of literals);
//   a code the checker cannot narrow to literals is reported, so nothing escapes the check;
// - implied: codes the app's shared middleware raises for the route: `content-too-large` on every method but
//   GET (the body limit, app.ts; evidence uploads have their own `file-too-large`), and `unsupported-media-type`
//   where the route's body takes JSON or a form (@hono/zod-openapi answers 415 for any other Content-Type).
// A raised code that is not declared is `missing`; a declared code (beyond the standard ones) that is neither
// raised nor implied is `dead`. `npm run check:errors` fails on either (and on a code it cannot resolve);
// node-test/error-codes.test.ts runs the check and plants one of each to show that it can fail.
import ts from 'typescript';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILE_UPLOAD_PATH = '/records/{id}/files';
let previousProgram;

/**
 * @param {{ workerDir?: string, override?: (fileName: string) => string | undefined, routeFiles?: string[] }} [options]
 *   `override` may replace a source file's text (tests plant mismatches this way). `routeFiles` (paths under
 *   src/, e.g. `routes/records.ts`) checks only the routes declared in those files (the calls they make are still
 *   followed into every file): the planted test's run, which needs only a few routes, takes a fraction of the time.
 */
export function checkErrorCodes(options = {}) {
  const workerDir = resolve(options.workerDir ?? join(root, 'packages', 'worker'));
  const srcDir = join(workerDir, 'src') + '/';
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(workerDir, 'tsconfig.json'),
    { noEmit: true, composite: false, incremental: false },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  const rootNames = parsed.fileNames.filter((name) => resolve(name).startsWith(srcDir));
  const host = ts.createCompilerHost(parsed.options);
  if (options.override) {
    const original = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, ...rest) => {
      const text = options.override(resolve(fileName));
      return text === undefined ? original(fileName, languageVersion, ...rest) : ts.createSourceFile(fileName, text, languageVersion, true);
    };
  }
  // The previous run's program: its unchanged source files are reused, not parsed again.
  const program = ts.createProgram({ rootNames, options: parsed.options, host, oldProgram: previousProgram });
  previousProgram = program;
  const checker = program.getTypeChecker();
  const inWorker = (node) => resolve(node.getSourceFile().fileName).startsWith(srcDir);
  const fileOf = (node) => resolve(node.getSourceFile().fileName);
  const where = (node) => {
    const { line } = node.getSourceFile().getLineAndCharacterOfPosition(node.getStart());
    return `${fileOf(node).slice(srcDir.length)}:${line + 1}`;
  };

  const symbolOf = (node) => {
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol;
  };
  const isWorkerExport = (node, name, file) => {
    const symbol = symbolOf(node);
    return !!symbol && symbol.name === name && (symbol.declarations ?? []).some((declaration) => fileOf(declaration) === join(srcDir, file));
  };

  const unresolved = [];
  /** The codes an expression of type ErrorCode may hold. */
  function codesOfExpression(expression) {
    const type = checker.getTypeAtLocation(expression);
    const parts = type.isUnion() ? type.types : [type];
    if (parts.every((part) => part.isStringLiteral())) return parts.map((part) => part.value);
    unresolved.push(`${where(expression)}: ${expression.getText()} is not narrowed to literal error codes`);
    return [];
  }

  /** A function-like declaration with a body, of the worker's own sources, that a node refers to. */
  function functionsReferredBy(node) {
    const out = [];
    const add = (declaration) => {
      if (!declaration || !inWorker(declaration)) return;
      if (ts.isFunctionLike(declaration) && declaration.body) out.push(declaration);
      else if (ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))) out.push(declaration.initializer);
      else if ((ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer && ts.isFunctionLike(declaration.initializer)) out.push(declaration.initializer);
    };
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) add(checker.getResolvedSignature(node)?.declaration);
    else if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) for (const declaration of symbolOf(node)?.declarations ?? []) add(declaration);
    return out;
  }

  const catchesApiErrors = (clause) => {
    let found = false;
    const visit = (node) => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && isWorkerExport(node.right, 'ApiError', 'errors.ts')) found = true;
      ts.forEachChild(node, visit);
    };
    visit(clause.block);
    return found;
  };
  /**
   * What a catch clause of ApiErrors keeps: it compares `error.code` with literal codes. `code !== 'x'` in its
   * rethrow condition means x is caught (and every other code rethrown); `code === 'x'` alone means x is
   * rethrown (and every other code caught).
   */
  const catchModel = (clause) => {
    const unequal = new Set();
    const equal = new Set();
    const visit = (node) => {
      if (ts.isBinaryExpression(node) && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'code' && ts.isStringLiteral(node.right)) {
        const kind = node.operatorToken.kind;
        if (kind === ts.SyntaxKind.ExclamationEqualsEqualsToken) unequal.add(node.right.text);
        if (kind === ts.SyntaxKind.EqualsEqualsEqualsToken) equal.add(node.right.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(clause.block);
    return unequal.size > 0 ? { caught: unequal, rethrown: null } : { caught: null, rethrown: equal };
  };

  const memo = new Map();
  /** Every code `root` (a function, or any expression) can raise, following calls into worker functions. */
  function codesOf(rootNode) {
    if (memo.has(rootNode)) return memo.get(rootNode);
    const codes = new Set();
    memo.set(rootNode, codes); // recursion ends here; a cycle adds nothing new
    const visit = (node) => {
      if (ts.isTypeNode(node)) return; // `ReturnType<typeof f>` calls nothing
      if (ts.isTryStatement(node) && node.catchClause && catchesApiErrors(node.catchClause)) {
        // Codes raised in the try block that the catch clause turns into an answer are not raised by the route.
        const inTry = codesOf(node.tryBlock);
        const { caught, rethrown } = catchModel(node.catchClause);
        for (const code of inTry) if (caught ? !caught.has(code) : rethrown.has(code)) codes.add(code);
        ts.forEachChild(node.catchClause, visit);
        if (node.finallyBlock) ts.forEachChild(node.finallyBlock, visit);
        return;
      }
      if (ts.isNewExpression(node) && isWorkerExport(node.expression, 'ApiError', 'errors.ts')) {
        if (node.arguments?.[0]) for (const code of codesOfExpression(node.arguments[0])) codes.add(code);
      } else if (ts.isCallExpression(node) && isWorkerExport(node.expression, 'problem', 'errors.ts')) {
        if (node.arguments[1]) for (const code of codesOfExpression(node.arguments[1])) codes.add(code);
      } else if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
        for (const fn of functionsReferredBy(node)) if (fn !== rootNode) for (const code of codesOf(fn)) codes.add(code);
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(rootNode, visit);
    return codes;
  }

  const property = (object, name) => object.properties.find((item) => ts.isPropertyAssignment(item) && item.name.getText() === name)?.initializer;
  let standardCodes;
  const routes = [];
  for (const file of program.getSourceFiles()) {
    if (!resolve(file.fileName).startsWith(srcDir)) continue;
    const relative = resolve(file.fileName).slice(srcDir.length);
    if (options.routeFiles && relative !== 'openapi.ts' && !options.routeFiles.includes(relative)) continue;
    const visit = (node) => {
      if (!standardCodes && ts.isVariableDeclaration(node) && node.name.getText() === 'standardCodes' && fileOf(node) === join(srcDir, 'openapi.ts')) {
        let array = node.initializer;
        while (array && !ts.isArrayLiteralExpression(array)) array = array.expression;
        standardCodes = array.elements.map((element) => element.text);
      }
      // `.openapi(route, handler)` where `route` is a createRoute({...})
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'openapi' && node.arguments.length >= 2) {
        const routeArg = node.arguments[0];
        // a route variable `const r = createRoute({...})`, or a call of a route factory `(a) => createRoute({...})`
        // A route factory's createRoute: an arrow's body, or the expression a function returns.
        const createRouteOf = (call) => {
          const factory = functionsReferredBy(call)[0];
          if (!factory) return undefined;
          if (factory.body && !ts.isBlock(factory.body)) return factory.body;
          const returned = factory.body?.statements.find((statement) => ts.isReturnStatement(statement));
          return returned?.expression;
        };
        let init;
        if (ts.isCallExpression(routeArg)) init = createRouteOf(routeArg);
        else {
          const declaration = symbolOf(routeArg)?.declarations?.[0];
          init = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
          if (init && ts.isCallExpression(init) && init.expression.getText() !== 'createRoute') init = createRouteOf(init);
        }
        if (init && ts.isCallExpression(init) && init.expression.getText() === 'createRoute' && ts.isObjectLiteralExpression(init.arguments[0])) {
          routes.push({ config: init.arguments[0], handler: node.arguments[1], routeArg });
        } else if (!ts.isStringLiteralLike(routeArg) && fileOf(node).includes('/routes/')) {
          unresolved.push(`${where(node)}: .openapi(${routeArg.getText()}, …) is not a createRoute({...}) the check can read`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  if (!standardCodes) throw new Error('standardCodes not found in src/openapi.ts');

  const results = [];
  /** A route's `method` or `path`: from the route's type where the factory makes it (`path: P`), else the literal. */
  const routeString = (config, routeArg, name) => {
    const routeType = checker.getTypeAtLocation(routeArg);
    const symbol = routeType.getProperty(name);
    const type = symbol && checker.getTypeOfSymbolAtLocation(symbol, routeArg);
    if (type?.isStringLiteral()) return type.value;
    const node = property(config, name);
    if (ts.isStringLiteralLike(node)) return node.text;
    if (ts.isTemplateExpression(node)) return node.getText().slice(1, -1); // `/records/{id}/${action}`: a label only
    unresolved.push(`${where(config)}: the route's ${name} is not a literal`);
    return node.getText();
  };
  for (const { config, handler, routeArg } of routes) {
    const method = routeString(config, routeArg, 'method');
    const path = routeString(config, routeArg, 'path');
    const responses = property(config, 'responses');
    const declared = new Set();
    let declares = false;
    const findErrors = (node) => {
      if (ts.isCallExpression(node) && isWorkerExport(node.expression, 'errors', 'openapi.ts')) {
        declares = true;
        for (const code of standardCodes) declared.add(code);
        for (const argument of node.arguments) for (const code of codesOfExpression(argument)) declared.add(code);
      }
      ts.forEachChild(node, findErrors);
    };
    findErrors(responses);
    const raised = new Set(codesOf(handler));
    const middleware = property(config, 'middleware');
    if (middleware) for (const code of codesOf(middleware)) raised.add(code);
    // A handler given by name: follow it too.
    for (const fn of functionsReferredBy(handler)) for (const code of codesOf(fn)) raised.add(code);
    const implied = new Set();
    if (method !== 'get' && path !== FILE_UPLOAD_PATH) implied.add('content-too-large');
    const body = property(config, 'request') && property(property(config, 'request'), 'body');
    const content = body && ts.isObjectLiteralExpression(body) ? property(body, 'content') : undefined;
    const mediaTypes = content && ts.isObjectLiteralExpression(content) ? content.properties.map((item) => item.name?.getText().replace(/^['"]|['"]$/g, '') ?? '') : [];
    if (mediaTypes.some((type) => /json|form/.test(type))) implied.add('unsupported-media-type');
    if (!declares && (raised.size > 0 || implied.size > 0)) raised.add('(declares no errors())');
    const missing = [...raised, ...implied].filter((code) => !declared.has(code));
    const dead = [...declared].filter((code) => !standardCodes.includes(code) && !raised.has(code) && !implied.has(code));
    results.push({ route: `${method.toUpperCase()} /v1${path}`, at: where(config), declared: [...declared].sort(), raised: [...raised].sort(), implied: [...implied].sort(), missing: [...new Set(missing)].sort(), dead: dead.sort() });
  }
  return { routes: results, unresolved, standardCodes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { routes, unresolved } = checkErrorCodes();
  const bad = routes.filter((route) => route.missing.length > 0 || route.dead.length > 0);
  for (const route of bad) {
    if (route.missing.length > 0) console.error(`${route.route} (${route.at}) can raise undeclared: ${route.missing.join(', ')}`);
    if (route.dead.length > 0) console.error(`${route.route} (${route.at}) declares codes it never raises: ${route.dead.join(', ')}`);
  }
  for (const line of unresolved) console.error(line);
  if (bad.length > 0 || unresolved.length > 0) process.exit(1);
  console.log(`Error codes: each of ${routes.length} routes declares exactly the codes its handler can raise.`);
}
