#!/usr/bin/env node
// express + express-pouchdb on 127.0.0.1, counting every byte on every socket.
//
//   node server.js --port P --data DIR [--mode fullCouchDB|minimumForPouchDB] [--no-compression]
//
// --port 0 picks a free port; the one ready line tells which. Nothing else goes to stdout.
'use strict';

const fs = require('fs');
const path = require('path');
const http = require('http');

// Everything a library prints goes to stderr: stdout carries only the ready line.
console.log = console.info = console.debug = console.error;

function usage(msg) {
  process.stderr.write(`server.js: ${msg}\n` +
    'usage: node server.js --port P --data DIR [--mode fullCouchDB|minimumForPouchDB] [--no-compression]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { port: null, data: null, mode: 'fullCouchDB', compression: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') opts.port = next();
    else if (a === '--data') opts.data = next();
    else if (a === '--mode') opts.mode = next();
    else if (a === '--no-compression') opts.compression = false;
    else usage(`unknown argument ${a}`);
  }
  if (opts.port === null || !/^\d+$/.test(opts.port) || Number(opts.port) > 65535) {
    usage('--port must be an integer 0..65535');
  }
  opts.port = Number(opts.port);
  if (!opts.data) usage('--data is required');
  if (opts.mode !== 'fullCouchDB' && opts.mode !== 'minimumForPouchDB') {
    usage('--mode must be fullCouchDB or minimumForPouchDB');
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const dataDir = path.resolve(opts.data);
fs.mkdirSync(dataDir, { recursive: true });

const express = require('express');
const expressPouchDB = require('express-pouchdb');
const PouchDB = require('pouchdb');

// Databases live under DIR (LevelDB, PouchDB's default adapter in Node).
const ServerPouchDB = PouchDB.defaults({ prefix: dataDir + path.sep });

// ---- byte counting, at the socket level ----------------------------------------
// Closed sockets are folded into the totals; open ones are read live by /_bench_bytes.
// Connections that carry a /_bench_bytes request are dedicated to it (the response
// closes them) and are left out of the counts, so reading the counter does not move it.
const totals = { in: 0, out: 0 };
let requests = 0; // HTTP requests other than /_bench_bytes
const openSockets = new Set();

function onConnection(socket) {
  openSockets.add(socket);
  socket.once('close', () => {
    openSockets.delete(socket);
    if (!socket.benchOnly) {
      totals.in += socket.bytesRead;
      totals.out += socket.bytesWritten;
    }
  });
}

function currentBytes() {
  let bytesIn = totals.in;
  let bytesOut = totals.out;
  for (const s of openSockets) {
    if (s.benchOnly) continue;
    bytesIn += s.bytesRead;
    bytesOut += s.bytesWritten;
  }
  return { bytes_in: bytesIn, bytes_out: bytesOut, requests };
}

// ---- app --------------------------------------------------------------------------
const app = express();
app.disable('x-powered-by');

// Handled before express-pouchdb (which would take "_bench_bytes" for a database name).
app.get('/_bench_bytes', (req, res) => {
  req.socket.benchOnly = true;
  const body = JSON.stringify(currentBytes());
  res.set('Connection', 'close');
  res.type('application/json').send(body);
});

const pouchOpts = { mode: opts.mode };
if (opts.mode === 'fullCouchDB') {
  // In-memory config (no config.json); the CouchDB-style log file stays inside DIR.
  pouchOpts.inMemoryConfig = true;
  pouchOpts.logPath = path.join(dataDir, 'log.txt');
}
if (!opts.compression) {
  pouchOpts.overrideMode = { exclude: ['compression'] };
}
app.use(expressPouchDB(ServerPouchDB, pouchOpts));

const server = http.createServer((req, res) => {
  if (req.url !== '/_bench_bytes') requests++;
  app(req, res);
});
server.on('connection', onConnection);
server.on('error', (err) => {
  process.stderr.write(`server.js: ${err.stack || err}\n`);
  process.exit(1);
});

server.listen(opts.port, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`listening on 127.0.0.1:${port}\n`);
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  // Give LevelDB a moment to finish in-flight writes, then leave.
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
