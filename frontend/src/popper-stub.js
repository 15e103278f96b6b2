// Bootstrap's dropdown asks Popper to place a menu only outside a navbar; the portal's one
// dropdown is the account menu in the navbar, placed by CSS (data-bs-popper="static").
// This stands in for Popper so its 20 KB are not sent to every phone.
export const createPopper = () => ({ destroy() {}, update() {}, setOptions() {} });
