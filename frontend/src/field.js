// The field officer's pages (build/field.js, base.html for a user the field app is for): every
// page's script, the officer's app and the visit form's, in one request: on a village's line
// each request waits 400 ms before its first byte.
import "./pages.js";
import "./offline.js";
import "../../static/js/visit.js";
