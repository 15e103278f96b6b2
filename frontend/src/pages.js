// Every page's script (build/pages.js): the navbar's menu and the account menu, then the
// portal's small enhancements. One file, one request.
import "./ui.js";
import "./portal.js";
