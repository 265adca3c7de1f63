// `npm run demo`: build, load the two real data sets from ../shared/datasets (an import that has
// already run finds every incident unchanged), then start the server with its dashboard.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureBuilt, root } = require('./ensure-built.cjs');

const datasets = path.resolve(process.env.DATASETS_DIR || path.join(root, '..', 'shared', 'datasets'));
const cli = path.join(root, 'dist/server/cli/main.js');

const imports = [
  {
    file: 'servicenow-uci-incident-event-log/incident_event_log.csv.gz',
    args: ['--format', 'servicenow', '--source', 'servicenow-uci'],
  },
  {
    file: 'bpi2014-rabobank-itil/Detail_Incident.csv',
    args: [
      '--format', 'bpi2014',
      '--source', 'rabobank-bpi2014',
      // Rabobank's service desk is in the Netherlands; the export's times carry no zone.
      '--timezone', 'Europe/Amsterdam',
      '--events', path.join(datasets, 'bpi2014-rabobank-itil/EventLog_incident_activity_derived.csv.gz'),
    ],
  },
];

ensureBuilt();
for (const { file, args } of imports) {
  const full = path.join(datasets, file);
  if (!fs.existsSync(full)) {
    console.error(`Skipping ${file}: not found under ${datasets} (set DATASETS_DIR to the folder of the data sets).`);
    continue;
  }
  console.error(`Importing ${file} ...`);
  const result = spawnSync(process.execPath, [cli, 'import', full, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
require(path.join(root, 'dist/server/main.js'));
