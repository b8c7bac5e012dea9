// The settings page's only script: registers a passkey for payments (docs/payments.md, "The payment sheet").
// It asks the server for creation options, lets the browser create the credential, and posts the credential's JSON
// back; the CSRF token comes from the body's data-shell-csrf. Text is written with textContent only.
'use strict';

(() => {
  const add = document.getElementById('add-passkey');
  const status = document.getElementById('passkey-status');
  if (!add || !status) {
    return;
  }
  const headers = {'Content-Type': 'application/json', 'X-Shell-Csrf': document.body.dataset.shellCsrf || ''};

  async function post(path, body) {
    const response = await fetch(path, {method: 'POST', credentials: 'same-origin', cache: 'no-store', headers, body});
    const json = await response.json().catch(() => ({}));
    return {ok: response.ok, json: json !== null && typeof json === 'object' ? json : {}};
  }

  add.addEventListener('click', async () => {
    add.disabled = true;
    status.textContent = 'Follow your browser\u2019s prompt\u2026';
    try {
      const options = await post('/shell/passkeys/options', '{}');
      if (!options.ok) {
        status.textContent = typeof options.json.detail === 'string' ? options.json.detail : 'The passkey could not be started.';
        return;
      }
      const credential = await navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.json)});
      const registered = await post('/shell/passkeys', JSON.stringify(credential.toJSON()));
      if (!registered.ok) {
        status.textContent = typeof registered.json.detail === 'string' ? registered.json.detail : 'The passkey could not be added.';
        return;
      }
      window.location.reload();
    } catch (e) {
      status.textContent = 'No passkey was added.';
    } finally {
      add.disabled = false;
    }
  });
})();
