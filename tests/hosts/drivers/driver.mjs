// Drives the component transpiled by jco 1.35.0 in Node, on @bytecodealliance/preview2-shim 0.26.1.
//
//   node driver.mjs <transpiled comp.js> '<calls JSON>'
//
// The calls are a JSON list of {"fn": <WIT name>, "args": [...]}, arguments in WIT shape
// (kebab-case names, null for none). jco wants camelCase function and field names and leaves
// a none option undefined, so names are converted and null fields dropped. The shim hands the
// component this process's environment (TFY_BASE_URL, TFY_API_KEY) and does wasi:http with
// Node's own HTTP client.
//
// Prints one JSON list on stdout: per call {"ok": value} or, when the call threw jco's
// ComponentError, {"err": error.payload, "thrown": <class name>} ({tag, val}); anything else
// thrown ends the process with its stack.
import { pathToFileURL } from 'node:url';

const [, , componentJs, callsJson] = process.argv;
const { volumes } = await import(pathToFileURL(componentJs).href);

const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

function toJs(value) {
  if (Array.isArray(value)) return value.map(toJs);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== null)
        .map(([name, field]) => [camel(name), toJs(field)]),
    );
  }
  return value;
}

const results = JSON.parse(callsJson).map(({ fn, args }) => {
  try {
    return { ok: volumes[camel(fn)](...args.map(toJs)) };
  } catch (error) {
    if (error && error.payload !== undefined) {
      return { err: error.payload, thrown: error.constructor.name };
    }
    throw error;
  }
});
process.stdout.write(JSON.stringify(results) + '\n');
