// The phone's outbox: visits saved with no signal, kept in IndexedDB (through idb) with their
// photos until the server has them. Shared by the pages (offline.js) and the service worker
// (sw.js), which both send: the one-time token (the entry's id) makes a second send of the
// same visit find the first one on the server, so two senders at once store it once.
import { openDB } from "idb";

// fieldwork/urls.py: visit_sync. The service worker has no page to read it from.
export const SYNC_URL = "/visits/sync/";
const STORE = "visits";
// A send that never finished (the tab was closed on the way) is tried again after this.
const STALE_SENDING_MS = 60 * 1000;

let opened;
const db = () =>
  (opened ??= openDB("sammachip-outbox", 1, {
    upgrade(database) {
      database.createObjectStore(STORE, { keyPath: "id" });
    },
  }));

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("outbox") : null;
const listeners = new Set();
if (channel) channel.onmessage = () => listeners.forEach((listener) => listener());
/** ``listener`` is called when any page or the service worker changes the outbox. */
export function onChange(listener) {
  listeners.add(listener);
}
function changed() {
  listeners.forEach((listener) => listener());
  if (channel) channel.postMessage("changed");
}

/** The entries of one officer (all with no ``user``), oldest first. */
export async function entries(user) {
  const all = await (await db()).getAll(STORE);
  return all
    .filter((entry) => !user || entry.user === user)
    .sort((a, b) => (a.savedAt < b.savedAt ? -1 : 1));
}

export async function get(id) {
  return (await db()).get(STORE, id);
}

export async function put(entry) {
  await (await db()).put(STORE, entry);
  changed();
}

export async function remove(id) {
  await (await db()).delete(STORE, id);
  changed();
}

/** Waiting to be sent (so a reason to warn before logging out): not sent, not refused. */
export const isWaiting = (entry) =>
  entry.state === "waiting" ||
  (entry.state === "sending" && Date.now() - (entry.tried || 0) > STALE_SENDING_MS);

let running = null;
/** Send every waiting visit of the logged-in officer, one at a time. Resolves to
 * ``{offline: true}`` when the network or the server could not be reached (Background Sync
 * then tries again later), else ``{offline: false}``. Calls made meanwhile share the run. */
export function sendWaiting() {
  running ??= send().finally(() => {
    running = null;
  });
  return running;
}

async function send() {
  const waiting = (await entries()).filter(isWaiting);
  if (!waiting.length) return { offline: false };
  let session;
  try {
    const answer = await fetch(SYNC_URL, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    });
    // the login page (the session ended): nothing is sent until the officer logs in again
    if (!answer.ok || !(answer.headers.get("Content-Type") || "").includes("json")) {
      return { offline: false, loggedOut: true };
    }
    session = await answer.json();
  } catch {
    return { offline: true };
  }
  for (const entry of waiting) {
    // a visit kept by one officer is never sent in another's session
    if (entry.user !== session.user) continue;
    await put({ ...entry, state: "sending", tried: Date.now() });
    const body = new FormData();
    for (const [name, value] of entry.fields) body.append(name, value);
    for (const photo of entry.photos) body.append("photos", photo.blob, photo.name);
    body.append("submission", entry.id);
    body.append("saved_on_phone_at", entry.savedAt);
    let response, answer;
    try {
      response = await fetch(SYNC_URL, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": session.csrf, Accept: "application/json" },
      });
      answer = await response.json();
    } catch {
      await put({ ...entry, state: "waiting" });
      return { offline: true };
    }
    if (response.status === 200 || response.status === 201) {
      // the photos are on the server now: the phone's space is given back
      await put({
        ...entry,
        state: "sent",
        url: answer.url,
        receivedAt: answer.received_at,
        photos: [],
        reason: "",
      });
    } else if (response.status === 422) {
      await put({ ...entry, state: "refused", reason: answer.reason });
    } else {
      await put({ ...entry, state: "waiting" });
      return { offline: false };
    }
  }
  return { offline: false };
}
