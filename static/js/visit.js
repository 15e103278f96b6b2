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

// Photos are made smaller on the phone before they are sent: a village's slow line sends a
// 4 MB camera photo in a minute, and the same photo at 2560 px in a few seconds. Not when the
// officer keeps the photos' GPS position: a redrawn photo has no EXIF, so the originals go.
// Anything the browser cannot draw (or that would not get smaller) goes as it is; the server
// checks every photo either way.
(() => {
  const input = document.getElementById("id_photos");
  const keep = document.getElementById("id_keep_location");
  const status = document.getElementById("photos-status");
  if (!input || !status || !window.DataTransfer || !window.createImageBitmap) return;
  const LONGEST = 2560;
  const submit = input.form.querySelector("button[type=submit]");
  let originals = [];
  let round = 0;

  // One photo at a time, each bitmap closed once drawn: ten 12-megapixel photos decoded
  // together would be half a gigabyte, more than a low-end phone gives a tab.
  const smaller = async (file) => {
    if (!file.type.startsWith("image/")) return file;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
      const scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 1024 * 1024) return file;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // a PNG's transparency becomes white, as on the server
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.85));
      if (!blob || blob.size >= file.size) return file;
      const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
      return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
    } catch {
      return file;
    } finally {
      if (bitmap) bitmap.close();
    }
  };

  const megabytes = (files) => (files.reduce((sum, f) => sum + f.size, 0) / 1048576).toFixed(1);

  // Each choice (of photos, or of keeping their position) starts a new round; only the
  // latest round sets the input, the message and the Save button, whichever way it ends.
  const prepare = async () => {
    const mine = ++round;
    const chosen = originals;
    const shrink = chosen.length > 0 && !(keep && keep.checked);
    submit.disabled = shrink;
    status.textContent = shrink ? status.dataset.working : "";
    let files = chosen;
    try {
      if (shrink) {
        files = [];
        for (const file of chosen) {
          files.push(await smaller(file));
          if (mine !== round) return; // the officer chose again meanwhile
        }
      }
      const list = new DataTransfer();
      for (const file of files) list.items.add(file);
      input.files = list.files;
      const same = files.every((file, i) => file === chosen[i]);
      status.textContent = same
        ? ""
        : status.dataset.done
            .replace("%(before)s", megabytes(chosen))
            .replace("%(after)s", megabytes(files));
    } finally {
      if (mine === round) submit.disabled = false;
    }
  };

  input.addEventListener("change", () => {
    originals = Array.from(input.files); // what the officer chose (the page sets smaller ones)
    prepare();
  });
  if (keep) keep.addEventListener("change", prepare);
})();
