// `npm start`: build what is not built yet, then run the server with its dashboard.
const { ensureBuilt, root } = require('./ensure-built.cjs');
const path = require('node:path');

ensureBuilt();
require(path.join(root, 'dist/server/main.js'));
