// Optional location from the phone: fills the hidden fields; the visit saves without it.
(() => {
  const button = document.getElementById("locate");
  if (!button || !navigator.geolocation) return;
  const status = document.getElementById("locate-status");
  button.classList.remove("d-none");
  button.addEventListener("click", () => {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
        document.getElementById("id_accuracy_m").value = Math.round(pos.coords.accuracy);
        status.textContent = status.dataset.ok.replace("%s", Math.round(pos.coords.accuracy));
        button.disabled = false;
      },
      () => {
        status.textContent = status.dataset.fail;
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  });
})();

// What is typed is kept in this tab (sessionStorage, gone when the tab closes) until the
// visit is saved: a session that ended while typing, or a reload, no longer loses the notes.
// The visit's page names the form's token once saved, and portal.js forgets the draft then.
(() => {
  const form = document.getElementById("visit-form");
  if (!form || !window.sessionStorage) return;
  const key = "draft:" + location.pathname;
  const kept = (el) =>
    el.name && el.type !== "file" && el.type !== "password" && el.name !== "csrfmiddlewaretoken";
  const save = () => {
    const values = {};
    for (const el of form.elements) {
      if (!kept(el)) continue;
      values[el.name] = el.type === "checkbox" ? el.checked : el.value;
    }
    sessionStorage.setItem(key, JSON.stringify(values));
  };
  const stored = sessionStorage.getItem(key);
  if (stored && form.dataset.fresh !== undefined) {
    const values = JSON.parse(stored);
    for (const el of form.elements) {
      if (!kept(el) || !(el.name in values)) continue;
      if (el.type === "checkbox") el.checked = values[el.name];
      else el.value = values[el.name];
    }
    const notice = document.getElementById("draft-notice");
    if (notice) notice.classList.remove("d-none");
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
