// A merchant's webhook receiver as a merchant would write it, with the Standard Webhooks reference library
// (npm "standardwebhooks"): the outside client of StandardWebhooksNodeTest. It listens on 127.0.0.1 with the test's
// TLS certificate, verifies each POST with `new Webhook(secret).verify(rawBody, headers)` under the secret configured
// for its path, answers 204 if it verified and 400 if not, and prints one JSON line per request for the test. It also
// runs the library-free check of examples/webhooks/verify.js (copied beside it) with the secret alone (v1) and with the
// public key alone (v1a), and reports both.
// Usage: node receiver.js <cert.pem> <key.pem> <secrets.json: {"/path": {"secret": "whsec_...", "publicKey": "whpk_..."}}>
'use strict';
const fs = require('node:fs');
const https = require('node:https');
const { Webhook } = require('standardwebhooks');
const { verify } = require('./verify.js');

const [certFile, keyFile, secretsFile] = process.argv.slice(2);
const secrets = JSON.parse(fs.readFileSync(secretsFile, 'utf8'));

const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const payload = raw.toString('utf8');
    const result = { path: req.url, id: req.headers['webhook-id'] || null, signatures: (req.headers['webhook-signature'] || '').split(' ').length };
    try {
      const keys = secrets[req.url];
      if (!keys) throw new Error('no secret for this path');
      result.manualV1 = verify(raw, req.headers, { secret: keys.secret });
      result.manualV1a = verify(raw, req.headers, { publicKey: keys.publicKey });
      const event = new Webhook(keys.secret).verify(payload, req.headers);
      result.verified = true;
      result.type = event.type;
      res.writeHead(204);
    } catch (e) {
      result.verified = false;
      result.error = String(e && e.message);
      res.writeHead(400);
    }
    res.end();
    process.stdout.write(JSON.stringify(result) + '\n');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ listening: server.address().port }) + '\n'));
