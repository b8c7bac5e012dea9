// Verifying a Capsule webhook without a library, with node:crypto only (docs/payments.md, "Webhooks").
// Checks the timestamp, then accepts the message if any `v1` (HMAC-SHA256 under the endpoint's whsec_ secret) or
// `v1a` (Ed25519 under the endpoint's whpk_ public key) signature in webhook-signature matches. Pass the raw body
// bytes exactly as received. Run by Capsule's StandardWebhooksNodeTest against delivered webhooks.
'use strict';
const crypto = require('node:crypto');

const TOLERANCE_SECONDS = 300;
// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function verify(rawBody, headers, { secret, publicKey }, nowSeconds = Date.now() / 1000) {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !signatures || !/^\d+$/.test(ts || '') || Math.abs(nowSeconds - Number(ts)) > TOLERANCE_SECONDS) {
    return false;
  }
  const content = Buffer.concat([Buffer.from(`${id}.${ts}.`), rawBody]);
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature || '', 'base64');
    if (version === 'v1' && secret) {
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const expected = crypto.createHmac('sha256', key).update(content).digest();
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    }
    if (version === 'v1a' && publicKey) {
      const raw = Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64');
      const key = crypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
      return crypto.verify(null, content, key, given);
    }
    return false;
  });
}

module.exports = { verify };
