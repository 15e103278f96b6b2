// The service worker (served by Django at /sw.js, which puts the app shell's served names
// where self.__WB_MANIFEST stands). Workbox keeps the officer's pages and the app shell for
// use with no signal; pages that need the server answer with the offline page.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkFirst, NetworkOnly, StaleWhileRevalidate } from "workbox-strategies";
import { sendWaiting } from "./outbox.js";

const PAGES = "pages";
const OFFLINE = "/offline/";

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Only the page itself is kept, never the login page a lapsed session was sent to.
const onlyThePage = {
  cacheWillUpdate: async ({ response }) =>
    response && response.status === 200 && !response.redirected ? response : null,
};
// With no network: the page as kept (for another village, if not this one), else the
// offline page.
const keptOrOffline = {
  handlerDidError: async ({ request }) =>
    (await (await caches.open(PAGES)).match(request, { ignoreSearch: true })) ||
    matchPrecache(OFFLINE),
};
const navigation = (paths) => ({ request, url }) =>
  request.mode === "navigate" && url.origin === self.location.origin && paths.includes(url.pathname);

// The visit form and the outbox change only with the officer's villages: shown at once from
// the phone, brought up to date behind (its one-time token is made anew by offline.js).
registerRoute(
  navigation(["/visits/new/", "/outbox/"]),
  new StaleWhileRevalidate({ cacheName: PAGES, plugins: [onlyThePage, keptOrOffline] }),
);
// The officer's home: as it is now when the server answers within a few seconds.
registerRoute(
  navigation(["/"]),
  new NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 4,
    plugins: [onlyThePage, keptOrOffline],
  }),
);
// Logging out or in: the pages kept for the officer who was logged in go.
for (const method of ["POST", "GET"]) {
  registerRoute(
    ({ url }) => url.pathname === "/accounts/logout/" || url.pathname === "/accounts/login/",
    async ({ request }) => {
      if (request.method === "POST") await caches.delete(PAGES);
      return fetch(request);
    },
    method,
  );
}
// Any other page needs the server.
registerRoute(({ request }) => request.mode === "navigate", new NetworkOnly());
setCatchHandler(async ({ request }) =>
  request.destination === "document" ? matchPrecache(OFFLINE) : Response.error(),
);

self.addEventListener("message", (event) => {
  // {keep: [urls]}: the officer's pages to have with no signal (the home sends its links)
  if (event.data && Array.isArray(event.data.keep)) {
    event.waitUntil(
      caches.open(PAGES).then((cache) =>
        Promise.all(
          event.data.keep.map(async (url) => {
            const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
            const good = response && (await onlyThePage.cacheWillUpdate({ response }));
            if (good) await cache.put(url, good);
          }),
        ),
      ),
    );
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(
    sendWaiting().then((result) => {
      if (result.offline) throw new Error("still offline: the browser tries again later");
    }),
  );
});
