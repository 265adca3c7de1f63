// `npm run import|generate|bench -- ...`: build the server if needed, then run the command.
const { ensureBuilt, root } = require('./ensure-built.cjs');
const path = require('node:path');

ensureBuilt({ client: process.argv[2] === 'bench' });
require(path.join(root, 'dist/server/cli/main.js'));
