// Builds whatever part of the product is missing or older than its sources, so that `npm start`
// and the command-line tools work straight after `npm install`.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function stale(output, sources) {
  if (!fs.existsSync(output)) return true;
  const built = fs.statSync(output).mtimeMs;
  return sources.some((dir) => fs.existsSync(dir) && newestMtime(dir) > built);
}

function ensureBuilt({ client = true } = {}) {
  const run = (script) => execSync(`npm run --silent ${script}`, { cwd: root, stdio: 'inherit' });
  if (stale(path.join(root, 'dist/server/main.js'), [path.join(root, 'server/src')])) {
    console.error('Building the server...');
    run('build:server');
  }
  if (client && stale(path.join(root, 'dist/client/index.html'), [path.join(root, 'client/src')])) {
    console.error('Building the dashboard...');
    run('build:client');
  }
}

module.exports = { ensureBuilt, root };
