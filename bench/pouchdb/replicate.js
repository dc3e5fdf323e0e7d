#!/usr/bin/env node
// Load a JSONL file into a local PouchDB, push it to a server, pull it into a second
// local PouchDB; time each phase and take the wire bytes of each from the server.
//
//   node replicate.js --server http://127.0.0.1:P --db NAME --input FILE.jsonl --work DIR
//                     [--batch-size N]
//
// stdout: exactly one JSON object (see README.md). Errors: stderr, non-zero exit.
'use strict';

const fs = require('fs');
const path = require('path');
const http = require('http');
const readline = require('readline');

// Keep stdout for the one result line.
console.log = console.info = console.debug = console.error;

function fail(msg) {
  process.stderr.write(`replicate.js: ${msg}\n`);
  process.exit(1);
}

function usage(msg) {
  process.stderr.write(`replicate.js: ${msg}\n` +
    'usage: node replicate.js --server URL --db NAME --input FILE.jsonl --work DIR [--batch-size N]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { server: null, db: null, input: null, work: null, batchSize: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--server') opts.server = next();
    else if (a === '--db') opts.db = next();
    else if (a === '--input') opts.input = next();
    else if (a === '--work') opts.work = next();
    else if (a === '--batch-size') opts.batchSize = next();
    else usage(`unknown argument ${a}`);
  }
  for (const k of ['server', 'db', 'input', 'work']) {
    if (!opts[k]) usage(`--${k} is required`);
  }
  if (opts.batchSize !== null) {
    if (!/^[1-9]\d*$/.test(opts.batchSize)) usage('--batch-size must be a positive integer');
    opts.batchSize = Number(opts.batchSize);
  }
  opts.server = opts.server.replace(/\/+$/, '');
  return opts;
}

const LOAD_CHUNK = 1000;
// PouchDB's own default (opts.batch_size || 100 in its replicator); only reported, never passed.
const DEFAULT_BATCH_SIZE = 100;

function msSince(t0) {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function round3(x) {
  return Math.round(x * 1000) / 1000;
}

// GET /_bench_bytes on a connection of its own (no agent, no keep-alive): the server
// leaves such connections out of its counts.
function benchBytes(server) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server}/_bench_bytes`, { agent: false, headers: { Connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET /_bench_bytes: HTTP ${res.statusCode}: ${body}`));
          return;
        }
        try {
          const j = JSON.parse(body);
          if (typeof j.bytes_in !== 'number' || typeof j.bytes_out !== 'number') throw new Error('missing fields');
          resolve(j);
        } catch (e) {
          reject(new Error(`GET /_bench_bytes: bad body ${JSON.stringify(body)}: ${e.message}`));
        }
      });
    });
    req.on('error', reject);
  });
}

async function loadJsonl(file, db) {
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let chunk = [];
  let count = 0;
  let lineNo = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const res = await db.bulkDocs(chunk);
    for (const r of res) {
      if (r.error) throw new Error(`loading ${r.id}: ${r.name || r.error}: ${r.message || r.reason}`);
    }
    count += chunk.length;
    chunk = [];
  };
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let doc;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}:${lineNo}: not JSON: ${e.message}`);
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || typeof doc._id !== 'string') {
      throw new Error(`${file}:${lineNo}: not an object with a string "_id"`);
    }
    chunk.push(doc);
    if (chunk.length >= LOAD_CHUNK) await flush();
  }
  await flush();
  return count;
}

function freshDir(dir) {
  if (fs.existsSync(dir)) fail(`${dir} already exists; give a fresh --work directory`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.input)) fail(`no such input file: ${opts.input}`);
  const work = path.resolve(opts.work);
  fs.mkdirSync(work, { recursive: true });
  const pushDir = path.join(work, 'push');
  const pullDir = path.join(work, 'pull');
  freshDir(pushDir);
  freshDir(pullDir);

  const PouchDB = require('pouchdb');
  const replOpts = {};
  if (opts.batchSize !== null) replOpts.batch_size = opts.batchSize;

  // a. load (not part of the sync figures)
  const local = new PouchDB(pushDir);
  const tLoad = process.hrtime.bigint();
  const docs = await loadJsonl(opts.input, local);
  const loadMs = msSince(tLoad);
  if (docs === 0) throw new Error(`${opts.input} holds no documents`);
  const localInfo = await local.info();
  if (localInfo.doc_count !== docs) {
    throw new Error(`local store holds ${localInfo.doc_count} docs after loading ${docs} lines (duplicate _id?)`);
  }

  // The remote database is created (PUT) here, outside the timed and counted phases.
  const remote = new PouchDB(`${opts.server}/${encodeURIComponent(opts.db)}`);
  const remoteInfo = await remote.info();
  if (remoteInfo.doc_count !== 0 || remoteInfo.update_seq !== 0 && remoteInfo.update_seq !== '0') {
    throw new Error(`remote database ${opts.db} is not empty; use a new --db name`);
  }

  // b. push
  const b0 = await benchBytes(opts.server);
  const tPush = process.hrtime.bigint();
  const pushRes = await PouchDB.replicate(local, remote, replOpts);
  const pushMs = msSince(tPush);
  const b1 = await benchBytes(opts.server);
  if (!pushRes.ok || pushRes.status !== 'complete') {
    throw new Error(`push did not complete: ${JSON.stringify(pushRes)}`);
  }
  if (pushRes.doc_write_failures) throw new Error(`push: ${pushRes.doc_write_failures} doc write failures`);
  if (pushRes.docs_written !== docs) throw new Error(`push wrote ${pushRes.docs_written} docs, expected ${docs}`);

  // c. pull, into a second fresh local store
  const pulled = new PouchDB(pullDir);
  const b2 = await benchBytes(opts.server);
  const tPull = process.hrtime.bigint();
  const pullRes = await PouchDB.replicate(remote, pulled, replOpts);
  const pullMs = msSince(tPull);
  const b3 = await benchBytes(opts.server);
  if (!pullRes.ok || pullRes.status !== 'complete') {
    throw new Error(`pull did not complete: ${JSON.stringify(pullRes)}`);
  }
  if (pullRes.doc_write_failures) throw new Error(`pull: ${pullRes.doc_write_failures} doc write failures`);
  if (pullRes.docs_read !== docs) throw new Error(`pull read ${pullRes.docs_read} docs, expected ${docs}`);
  const pulledInfo = await pulled.info();
  if (pulledInfo.doc_count !== docs) throw new Error(`pulled store holds ${pulledInfo.doc_count} docs, expected ${docs}`);

  const result = {
    docs,
    load_ms: round3(loadMs),
    push_ms: round3(pushMs),
    pull_ms: round3(pullMs),
    push_bytes_up: b1.bytes_in - b0.bytes_in,
    push_bytes_down: b1.bytes_out - b0.bytes_out,
    pull_bytes_up: b3.bytes_in - b2.bytes_in,
    pull_bytes_down: b3.bytes_out - b2.bytes_out,
    push_requests: b1.requests - b0.requests,
    pull_requests: b3.requests - b2.requests,
    pouchdb_version: PouchDB.version,
    adapter: localInfo.adapter,
    docs_written: pushRes.docs_written,
    docs_read: pullRes.docs_read,
    batch_size: opts.batchSize !== null ? opts.batchSize : DEFAULT_BATCH_SIZE,
  };

  await local.close();
  await pulled.close();
  await remote.close();
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => fail(err && err.stack ? err.stack : String(err)),
);
