// Passkeys (stagegids/passkeys.py): the button asks the server for the ceremony's options, lets the browser make or
// use a passkey, and posts the browser's answer with its form, so the server's verdict is an ordinary page. Where
// the browser has no WebAuthn the button stays hidden and the sentence saying so stays. The texts come from the
// page's data- attributes, in the page's language.
(function () {
  "use strict";

  const supported = Boolean(window.PublicKeyCredential && navigator.credentials && navigator.credentials.create);

  // WebAuthn's binary fields travel as base64url in JSON (py_webauthn's options, the answer it parses).
  function fromBase64url(text) {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
  }
  function toBase64url(buffer) {
    let binary = "";
    new Uint8Array(buffer).forEach((b) => (binary += String.fromCharCode(b)));
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function withIds(list) {
    return (list || []).map((item) => Object.assign({}, item, { id: fromBase64url(item.id) }));
  }
  function creationOptions(options) {
    return Object.assign({}, options, {
      challenge: fromBase64url(options.challenge),
      user: Object.assign({}, options.user, { id: fromBase64url(options.user.id) }),
      excludeCredentials: withIds(options.excludeCredentials),
    });
  }
  function requestOptions(options) {
    return Object.assign({}, options, {
      challenge: fromBase64url(options.challenge),
      allowCredentials: withIds(options.allowCredentials),
    });
  }
  function answer(credential) {
    const r = credential.response;
    const json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(r.clientDataJSON) },
    };
    if (credential.authenticatorAttachment) json.authenticatorAttachment = credential.authenticatorAttachment;
    if (r.attestationObject) {
      json.response.attestationObject = toBase64url(r.attestationObject);
      json.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(r.authenticatorData);
      json.response.signature = toBase64url(r.signature);
      if (r.userHandle) json.response.userHandle = toBase64url(r.userHandle);
    }
    return json;
  }

  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    const button = form.querySelector("[data-passkey-button]");
    const status = form.querySelector("[data-passkey-status]");
    if (!supported || !button) return;
    form.querySelectorAll("[data-passkey-unsupported]").forEach((el) => (el.hidden = true));
    form.querySelectorAll("[data-passkey-field]").forEach((el) => (el.hidden = false));
    button.hidden = false;

    function say(text) {
      status.textContent = text || "";
    }
    function failure(error) {
      if (error && error.detail) return error.detail;
      if (error && (error.name === "NotAllowedError" || error.name === "AbortError")) return form.dataset.errorCancelled;
      if (error && error.name === "InvalidStateError" && form.dataset.errorExists) return form.dataset.errorExists;
      return form.dataset.errorFailed;
    }

    button.addEventListener("click", async function () {
      if (!form.reportValidity()) return;
      button.disabled = true;
      say(form.dataset.busy);
      try {
        const response = await fetch(form.dataset.options, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
        });
        const options = await response.json().catch(() => ({}));
        if (!response.ok) throw { detail: options.detail };
        const credential =
          form.dataset.passkey === "toevoegen"
            ? await navigator.credentials.create({ publicKey: creationOptions(options) })
            : await navigator.credentials.get({ publicKey: requestOptions(options) });
        form.elements.answer.value = JSON.stringify(answer(credential));
        form.submit();
      } catch (error) {
        say(failure(error));
        button.disabled = false;
      }
    });
  });
})();
