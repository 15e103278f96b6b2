// The field officer's app on every page of theirs: the service worker, the outbox's sending
// (on each page load, when the phone is back online, and by Background Sync), the warning
// before logging out with visits waiting; on the visit form, keeping a visit in the outbox
// when there is no signal; the outbox page; the install hint on the home page. The words
// come from the page (#field-app's data-*), in the officer's language.
import { entries, get, isWaiting, onChange, put, remove, sendWaiting } from "./outbox.js";

const app = document.getElementById("field-app");
// fieldwork/urls.py: visit_new (named in no page of an officer who has no village to log)
const FORM_URL = "/visits/new/";
const text = app ? app.dataset : {};
const user = text.user;

const registration =
  app && "serviceWorker" in navigator
    ? navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => null)
    : Promise.resolve(null);

const askForSync = async () => {
  const reg = await registration;
  if (reg && reg.sync) await reg.sync.register("outbox").catch(() => null);
};

// --- How many are waiting: the badges and the warning before logging out ---------------------
let waiting = 0;
const count = async () => {
  if (!user) return;
  waiting = (await entries(user)).filter(isWaiting).length;
  document.querySelectorAll("[data-outbox-count]").forEach((badge) => {
    badge.textContent = waiting;
    badge.classList.toggle("d-none", waiting === 0);
  });
};
onChange(count);

// Capture phase: before portal.js marks the form as being sent.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!app || !form.querySelector("#logout") || waiting === 0) return;
    if (!window.confirm(text.logoutWarning.replace("%(n)s", waiting))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// --- The visit form -------------------------------------------------------------------------
const form = document.getElementById("visit-form");
const field = (name) => (form ? form.elements.namedItem(name) : null);
const cookie = (name) =>
  document.cookie
    .split("; ")
    .find((pair) => pair.startsWith(name + "="))
    ?.slice(name.length + 1);
const bangkokToday = () => {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok" })
    .format(new Date())
    .split("-");
  return `${d}/${m}/${Number(y) + 543}`;
};

if (app && form) {
  const submission = field("submission");
  const restored = !document.getElementById("draft-notice")?.classList.contains("d-none");
  // The page may come from the phone (kept by the service worker): a new visit gets a new
  // one-time token, and the day it was kept on is not today.
  if (form.dataset.fresh !== undefined && !restored) {
    submission.value = crypto.randomUUID();
    const date = field("date");
    if (date && form.dataset.today && date.value === form.dataset.today) date.value = bangkokToday();
  }
  // The token the page was kept with may be an earlier session's: the cookie's is current.
  form.addEventListener("submit", () => {
    const token = cookie("csrftoken");
    if (token) field("csrfmiddlewaretoken").value = token;
  });

  const editing = new URLSearchParams(location.search).get("outbox");
  let kept = null;
  if (editing) {
    get(editing).then((entry) => {
      if (!entry || entry.state === "sent") return;
      kept = entry;
      submission.value = entry.id;
      for (const [name, value] of entry.fields) {
        const el = field(name);
        if (!el || el.type === "file") continue;
        if (el.type === "checkbox") el.checked = value === "on";
        else el.value = value;
      }
      const note = document.getElementById("outbox-editing");
      if (note) note.classList.remove("d-none");
    });
  }

  const keep = async () => {
    const photos = [];
    for (const file of field("photos").files) photos.push({ blob: file, name: file.name });
    const fields = [];
    for (const [name, value] of new FormData(form)) {
      if (["csrfmiddlewaretoken", "photos", "submission"].includes(name)) continue;
      fields.push([name, value]);
    }
    const label = (name) => {
      const el = field(name);
      return el && el.selectedIndex >= 0 ? el.options[el.selectedIndex].text : "";
    };
    await put({
      id: submission.value || crypto.randomUUID(),
      user,
      fields,
      photos: kept && photos.length === 0 ? kept.photos : photos,
      village: label("target"),
      stage: label("stage"),
      date: field("date").value,
      activity: field("activity").value,
      located: Boolean(field("lat").value),
      savedAt: kept ? kept.savedAt : new Date().toISOString(),
      state: "waiting",
      reason: "",
    });
    sessionStorage.removeItem("draft:" + location.pathname);
    await askForSync();
    location.assign(text.outboxUrl);
  };

  // With no signal (or when the officer asks), the visit goes to the outbox, not the server.
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target !== form) return;
      const later = event.submitter && event.submitter.id === "keep-for-later";
      if (navigator.onLine && !later && !kept) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (!form.checkValidity()) {
        form.reportValidity();
        return;
      }
      keep();
    },
    true,
  );
  const offlineNote = document.getElementById("offline-note");
  const showState = () => offlineNote && offlineNote.classList.toggle("d-none", navigator.onLine);
  window.addEventListener("online", showState);
  window.addEventListener("offline", showState);
  showState();
}

// --- The outbox page ------------------------------------------------------------------------
const list = document.getElementById("outbox-list");
const when = (iso) =>
  new Intl.DateTimeFormat(`${document.documentElement.lang || "th"}-u-ca-buddhist`, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Asia/Bangkok",
  }).format(new Date(iso));
const STATE_CLASS = {
  waiting: "text-bg-warning",
  sending: "text-bg-info",
  sent: "text-bg-success",
  refused: "text-bg-danger",
};

const render = async () => {
  const mine = (await entries(user)).reverse();
  list.replaceChildren();
  document.getElementById("outbox-empty").classList.toggle("d-none", mine.length > 0);
  for (const entry of mine) {
    const item = document.createElement("li");
    item.className = "list-group-item";
    item.dataset.state = entry.state;
    item.dataset.id = entry.id;
    const title = document.createElement("div");
    title.className = "fw-bold";
    title.textContent = `${entry.village} · ${entry.date}`;
    const state = document.createElement("span");
    state.className = `badge ms-2 ${STATE_CLASS[entry.state] || "text-bg-secondary"}`;
    state.textContent = text[`state-${entry.state}`.replace(/-(\w)/g, (_, c) => c.toUpperCase())];
    title.append(state);
    const about = document.createElement("div");
    about.className = "small";
    const photos = entry.state === "sent" ? "" : ` · ${text.photos.replace("%(n)s", entry.photos.length)}`;
    about.textContent = `${entry.stage} · ${entry.activity}${photos}${entry.located ? " · " + text.located : ""}`;
    const times = document.createElement("div");
    times.className = "small text-muted";
    times.textContent = text.savedAt.replace("%(when)s", when(entry.savedAt));
    if (entry.receivedAt) times.textContent += " · " + text.receivedAt.replace("%(when)s", when(entry.receivedAt));
    item.append(title, about, times);
    if (entry.reason) {
      const reason = document.createElement("div");
      reason.className = "alert alert-danger py-1 px-2 my-1 small outbox-reason";
      reason.textContent = entry.reason;
      item.append(reason);
    }
    const actions = document.createElement("div");
    actions.className = "d-flex flex-wrap gap-2 mt-1";
    if (entry.state === "sent") {
      const open = document.createElement("a");
      open.className = "btn btn-sm btn-outline-primary";
      open.href = entry.url;
      open.textContent = text.open;
      actions.append(open);
    } else {
      const edit = document.createElement("a");
      edit.className = "btn btn-sm btn-outline-primary";
      edit.href = `${FORM_URL}?outbox=${encodeURIComponent(entry.id)}`;
      edit.textContent = text.edit;
      actions.append(edit);
    }
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-sm btn-outline-danger outbox-delete";
    drop.textContent = entry.state === "sent" ? text.clear : text.delete;
    drop.addEventListener("click", () => {
      if (entry.state === "sent" || window.confirm(text.deleteQuestion)) remove(entry.id);
    });
    actions.append(drop);
    item.append(actions);
    list.append(item);
  }
};
if (app && list) {
  onChange(render);
  render();
  document.getElementById("outbox-send")?.addEventListener("click", () => sendWaiting());
}

// --- The home page: the install hint, and the pages to have with no signal ----------------
const install = document.getElementById("install-app");
if (install) {
  let prompt = null;
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    prompt = event;
    install.classList.remove("d-none");
  });
  install.querySelector("button").addEventListener("click", async () => {
    if (!prompt) return;
    prompt.prompt();
    await prompt.userChoice;
    install.classList.add("d-none");
  });
  window.addEventListener("appinstalled", () => install.classList.add("d-none"));
}
const keepForOffline = async () => {
  const reg = await registration;
  if (!reg || !navigator.onLine) return;
  const worker = reg.active || (await navigator.serviceWorker.ready).active;
  const links = new Set([location.pathname + location.search, text.outboxUrl]);
  document.querySelectorAll(`a[href^="${FORM_URL}"]`).forEach((a) => links.add(a.getAttribute("href")));
  worker.postMessage({ keep: [...links] });
};

if (app) {
  count();
  if (document.getElementById("my-targets")) keepForOffline();
  sendWaiting();
  window.addEventListener("online", () => sendWaiting());
}
