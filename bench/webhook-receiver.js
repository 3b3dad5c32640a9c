// Webhook receiver for bench/webhooks.sh: a separate process, so the server never competes with
// its own receiver inside one JVM.
//   node bench/webhook-receiver.js [port]        (0 or nothing: a free port, printed on stdout)
// POST <any path>[?delay=MS]  counts the delivery (and its event id, to see duplicates), answers
//                             200 after MS milliseconds (default 0: at once)
// GET /count                  {"count":n,"unique":u,"firstMs":t0,"lastMs":t1} (wall-clock ms)
// GET /reset                  sets everything back to zero
'use strict';
const http = require('http');

let count = 0;
let firstMs = 0;
let lastMs = 0;
let ids = new Set();

const server = http.createServer((req, res) => {
  if (req.method === 'POST') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const now = Date.now();
      if (count === 0) firstMs = now;
      lastMs = now;
      count++;
      try {
        ids.add(JSON.parse(Buffer.concat(chunks).toString('utf8')).id);
      } catch (e) {
        // counted, but not a JSON body: shows up as count > unique
      }
      const q = req.url.indexOf('delay=');
      const delay = q < 0 ? 0 : parseInt(req.url.substring(q + 6), 10) || 0;
      const answer = () => {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '2' });
        res.end('ok');
      };
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
    return;
  }
  if (req.url === '/reset') {
    count = 0;
    firstMs = 0;
    lastMs = 0;
    ids = new Set();
  }
  const body = JSON.stringify({ count, unique: ids.size, firstMs, lastMs });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.headersTimeout = 65000;
server.listen(parseInt(process.argv[2] || '0', 10), '127.0.0.1', () => {
  console.log('listening ' + server.address().port);
});
