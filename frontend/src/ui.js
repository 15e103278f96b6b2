// What the templates asked of Bootstrap's collapse and dropdown plugins (data-bs-toggle):
// the navbar's menu on a phone and the account menu, in a few hundred bytes instead of their
// 6.5 KB (gzipped). Bootstrap's stylesheet does the rest: .show opens, and a menu marked
// data-bs-popper="static" (base.html) is placed by CSS under its button, as Bootstrap's plugin
// places any menu in a navbar.
const expand = (button, open) => button.setAttribute("aria-expanded", open ? "true" : "false");

// --- Collapse: data-bs-toggle="collapse" data-bs-target="#id" ---------------------------------
const toggleCollapse = (button) => {
  const target = document.querySelector(button.dataset.bsTarget);
  if (!target) return;
  const open = target.classList.toggle("show");
  button.classList.toggle("collapsed", !open);
  expand(button, open);
};

// --- Dropdown: the toggle's next sibling .dropdown-menu ----------------------------------------
const menuOf = (button) => button.parentElement.querySelector(".dropdown-menu");
const items = (menu) => Array.from(menu.querySelectorAll(".dropdown-item:not(.disabled):not(:disabled)"));
const setDropdown = (button, open) => {
  const menu = menuOf(button);
  if (!menu) return;
  button.classList.toggle("show", open);
  menu.classList.toggle("show", open);
  expand(button, open);
};
const openToggles = () => document.querySelectorAll('[data-bs-toggle="dropdown"].show');
const closeAll = (except) =>
  openToggles().forEach((button) => button !== except && setDropdown(button, false));

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-bs-toggle]");
  if (button && button.dataset.bsToggle === "collapse") {
    event.preventDefault();
    toggleCollapse(button);
  } else if (button && button.dataset.bsToggle === "dropdown") {
    event.preventDefault();
    closeAll(button);
    setDropdown(button, !button.classList.contains("show"));
    return;
  }
  // a click anywhere else (or on an item of the menu) closes an open menu
  closeAll(null);
});

// Keys as Bootstrap has them: Escape closes and gives the focus back to the toggle; the arrows
// open the menu and walk its items.
document.addEventListener("keydown", (event) => {
  const inside = event.target.closest(".dropdown");
  const button = inside && inside.querySelector('[data-bs-toggle="dropdown"]');
  if (!button) return;
  const menu = menuOf(button);
  if (event.key === "Escape" && button.classList.contains("show")) {
    setDropdown(button, false);
    button.focus();
  } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && menu) {
    event.preventDefault();
    setDropdown(button, true);
    const list = items(menu);
    if (!list.length) return;
    const at = list.indexOf(document.activeElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = at < 0 ? (step > 0 ? 0 : list.length - 1) : (at + step + list.length) % list.length;
    list[next].focus();
  }
});
// Leaving the menu with Tab closes it.
document.addEventListener("focusin", (event) => {
  openToggles().forEach((button) => {
    if (!button.parentElement.contains(event.target)) setDropdown(button, false);
  });
});
