// smoke.cjs: loads growthops into Node's better-sqlite3 (version 12) and runs
// smoke.sql.
//
// usage: node smoke.cjs MODULE SMOKE_SQL
//
// better-sqlite3 is found the usual way (node_modules, NODE_PATH).  Prints
// every row as "N: v1|v2|..." (see smoke.sql).  Exits 3, with a message
// saying why and what to do, when better-sqlite3 cannot be loaded.
'use strict';
const fs = require('fs');

let Database;
try {
  Database = require('better-sqlite3');
} catch (e) {
  process.stderr.write(
    `growthops: Node ${process.version} cannot load better-sqlite3 (${e.code || e.message}).\n` +
    'Install it where this script finds it, e.g.\n' +
    '  npm install --prefix ~/.cache/growthops/node better-sqlite3@12\n' +
    '  NODE_PATH=~/.cache/growthops/node/node_modules node smoke.cjs ...\n' +
    'better-sqlite3 12 needs Node 20 or newer.\n');
  process.exit(3);
}

const [modulePath, smokeSql] = process.argv.slice(2);
if (!modulePath || !smokeSql) {
  process.stderr.write('usage: node smoke.cjs MODULE SMOKE_SQL\n');
  process.exit(2);
}

const db = new Database(':memory:');
db.loadExtension(modulePath);

const lines = fs.readFileSync(smokeSql, 'utf8').split('\n')
  .map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('--'));
let out = '';
lines.forEach((sql, i) => {
  const stmt = db.prepare(sql);
  if (!stmt.reader) {
    stmt.run();
    return;
  }
  for (const row of stmt.raw(true).all()) {
    const values = row.map((v) => (v === null ? 'NULL' : String(v)));
    out += `${i + 1}: ${values.join('|')}\n`;
  }
});
db.close();
process.stdout.write(out);
