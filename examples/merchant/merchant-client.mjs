// A merchant backend calling Capsule's payments API with an RFC 9421 signed request, with nothing but Node's
// standard library (node:crypto, node:https).
//
//   node merchant-client.mjs METHOD URL KEY_ID KEY_FILE [JSON_CONTENT]
//   node merchant-client.mjs pay-sign APP_ID PREPAY_ID KEY_FILE
//
// KEY_FILE: the Ed25519 private key (PKCS#8 PEM) of an ed25519 merchant key, or the base64 secret of an
// hmac-sha256 merchant key. CAPSULE_CA_CERT (optional): a PEM certificate to trust. Prints the status and the
// response; exits 0 for a 2xx answer. docs/payments.md, "Signing requests", explains every line.
//
// pay-sign prints, as one line of JSON, what the mini-program passes to wx.requestPayment for an intent's prepay id:
// {timeStamp, nonceStr, package, signType, paySign} (docs/payments.md, "paySign and the prepay id"). It sends nothing.
import { createHash, createHmac, createPrivateKey, randomBytes, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

const [method, url, keyId, keyFile, content] = process.argv.slice(2);
if (!keyFile || process.argv.length > 7 || (method === 'pay-sign' && content !== undefined)) {
  console.error('usage: node merchant-client.mjs METHOD URL KEY_ID KEY_FILE [JSON_CONTENT]\n'
    + '       node merchant-client.mjs pay-sign APP_ID PREPAY_ID KEY_FILE');
  process.exit(2);
}
const keyText = readFileSync(keyFile, 'utf8').trim();
const ed25519 = keyText.startsWith('-----BEGIN PRIVATE KEY-----');
// The algorithm is the key's: Capsule refuses a signature whose alg differs from the key's.
const alg = ed25519 ? 'ed25519' : 'hmac-sha256';
// One signing function for both uses: Ed25519 with the private key, or HMAC-SHA256 under the secret.
const signBytes = (bytes) => ed25519
  ? sign(null, bytes, createPrivateKey(keyText))
  : createHmac('sha256', Buffer.from(keyText, 'base64')).update(bytes).digest();

if (method === 'pay-sign') {
  // WeChat Pay v3 JSAPI's message: app id, timestamp, nonce and package, each line ending with a line feed. The
  // timestamp must be within 300 s of the server's clock when the user pays: sign just before handing it over.
  const [appId, prepayId] = [url, keyId];
  if (!/^prepay_[A-Za-z0-9]{1,64}$/.test(prepayId)) {
    console.error("pay-sign: PREPAY_ID must be an intent's prepayId (prepay_…)");
    process.exit(2);
  }
  const timeStamp = String(Math.floor(Date.now() / 1000));
  const nonceStr = randomBytes(16).toString('hex');
  const pkg = `prepay_id=${prepayId}`;
  const paySign = signBytes(Buffer.from(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, 'utf8')).toString('base64');
  console.log(JSON.stringify({ timeStamp, nonceStr, package: pkg, signType: ed25519 ? 'ED25519' : 'HMAC-SHA256', paySign }));
  process.exit(0);
}

const target = new URL(url);
// @target-uri as Capsule normalizes it: lower-case scheme and host, no default port, raw path and query.
const targetUri = `${target.protocol}//${target.host}${target.pathname}${target.search}`;
const body = content === undefined ? null : Buffer.from(content, 'utf8');

const headers = {};
const covered = [['@method', method], ['@target-uri', targetUri]];
if (body) {
  headers['Content-Type'] = 'application/json';
  // RFC 9530: sha-256 of the content, as an RFC 8941 byte sequence.
  headers['Content-Digest'] = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
  covered.push(['content-digest', headers['Content-Digest']], ['content-type', headers['Content-Type']]);
}
if (method === 'POST') {
  // Every POST needs an Idempotency-Key: reuse the same key (IDEMPOTENCY_KEY) to retry safely; signed like the rest.
  headers['Idempotency-Key'] = process.env.IDEMPOTENCY_KEY || randomUUID();
  covered.push(['idempotency-key', headers['Idempotency-Key']]);
}

// RFC 9421 §2.3 signature parameters: a window of at most 300 s and a fresh nonce per request.
const created = Math.floor(Date.now() / 1000);
const nonce = randomBytes(16).toString('base64url');
const params = `(${covered.map(([name]) => `"${name}"`).join(' ')})`
  + `;created=${created};expires=${created + 120};nonce="${nonce}";alg="${alg}";keyid="${keyId}"`;

// RFC 9421 §2.5 signature base: one line per covered component, then @signature-params; no final newline.
const base = covered.map(([name, value]) => `"${name}": ${value}`).concat(`"@signature-params": ${params}`).join('\n');
const signature = signBytes(Buffer.from(base, 'utf8'));

headers['Signature-Input'] = `sig1=${params}`;
headers['Signature'] = `sig1=:${signature.toString('base64')}:`;
if (body) {
  headers['Content-Length'] = String(body.length);
}

const caFile = process.env.CAPSULE_CA_CERT;
const req = request(target, { method, headers, ...(caFile ? { ca: readFileSync(caFile) } : {}) }, (res) => {
  const chunks = [];
  res.on('data', (chunk) => chunks.push(chunk));
  res.on('end', () => {
    console.log(res.statusCode);
    console.log(Buffer.concat(chunks).toString('utf8'));
    process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 1);
  });
});
req.on('error', (error) => {
  console.error(`request failed: ${error.message}`);
  process.exit(1);
});
if (body) {
  req.write(body);
}
req.end();
