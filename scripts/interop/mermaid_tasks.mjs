// Parses Mermaid files with Mermaid's own parser (under jsdom, as Mermaid
// needs a DOM) and prints, per file, the diagram type and, for a gantt,
// every task Mermaid's gantt database reads: id, start and end dates.
// Usage: node mermaid_tasks.mjs FILE... (with NODE_PATH at the node_modules
// that hold `mermaid` and `jsdom`). Exits 1 if any file does not parse.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH || '.', 'x.js'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(require.resolve('mermaid'));

const day = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const results = {};
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    const parsed = await mermaid.parse(text);
    const result = { type: parsed.diagramType };
    if (parsed.diagramType === 'gantt') {
      const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
      result.tasks = diagram.db.getTasks().map((t) => ({
        id: t.id, start: day(t.startTime), end: day(t.endTime), milestone: !!t.milestone,
      }));
    }
    results[file] = result;
  } catch (e) {
    failed++;
    results[file] = { error: String(e.message || e) };
  }
}
console.log(JSON.stringify(results));
process.exit(failed ? 1 : 0);
