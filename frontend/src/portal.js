// Small progressive enhancements; every page works without them. No inline scripts anywhere.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]") && el.form) el.form.submit();
});
document.documentElement.classList.add("js");
document.body.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
// A form that removes something asks first: data-confirm holds the question. A form that
// is being sent is not sent again by a second tap on a slow line (the server also knows a
// repeated visit); it may be sent again after a while, or once the page is shown again.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
  if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  window.setTimeout(() => delete form.dataset.sending, 15000);
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sending]").forEach((form) => delete form.dataset.sending);
});
// A visit's page after saving names its form's token: the draft kept for it is done with.
document.querySelectorAll("[data-draft-saved]").forEach((el) => {
  if (!window.sessionStorage) return;
  for (const key of Object.keys(sessionStorage)) {
    if (!key.startsWith("draft:")) continue;
    const values = JSON.parse(sessionStorage.getItem(key) || "{}");
    if (values.submission === el.dataset.draftSaved) sessionStorage.removeItem(key);
  }
});
// A board change that did not reach the server, or that it refused, must not look saved:
// say so, and show what is saved (the form as loaded; the page again if the server answered).
document.body.addEventListener("htmx:sendError", (event) => {
  window.alert(document.body.dataset.notSent);
  const form = event.detail.elt.closest("form");
  if (form) form.reset();
});
document.body.addEventListener("htmx:responseError", () => {
  window.alert(document.body.dataset.notSaved);
  window.location.reload();
});
// The board's answer that asks something or refuses (data-attention) sits at the top of the
// board, which may be far above the row or the sticky bar the head used: bring it into view,
// and to a screen reader's attention. A change that went through is shown on its own row.
document.body.addEventListener("htmx:afterSettle", () => {
  const alert = document.querySelector("#board [data-attention]");
  if (!alert) return;
  alert.setAttribute("tabindex", "-1");
  alert.scrollIntoView({ block: "center" });
  alert.focus({ preventScroll: true });
});
// A wide table on a phone: its other columns, and back (data-show-all names the table).
document.querySelectorAll("button[data-show-all]").forEach((button) => {
  const table = document.querySelector(button.dataset.showAll);
  if (!table) return;
  const more = button.textContent, fewer = button.dataset.fewer;
  button.addEventListener("click", () => {
    const all = table.classList.toggle("show-all");
    button.textContent = all ? fewer : more;
    button.setAttribute("aria-expanded", all ? "true" : "false");
  });
});
// The suggestion's accept button says what it will do: all the moves, some of them, or none.
const acceptMoves = document.getElementById("accept-moves");
if (acceptMoves) {
  const boxes = Array.from(acceptMoves.form.querySelectorAll("input[name=move]"));
  const say = () => {
    const k = boxes.filter((box) => box.checked).length, n = boxes.length;
    const text = k === 0 ? acceptMoves.dataset.none : k === n ? acceptMoves.dataset.all : acceptMoves.dataset.some;
    acceptMoves.textContent = text.replace("{k}", k).replace("{n}", n);
    acceptMoves.disabled = k === 0;
  };
  boxes.forEach((box) => box.addEventListener("change", say));
  if (boxes.length > 1) say();
}
