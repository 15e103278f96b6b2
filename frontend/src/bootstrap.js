// The two Bootstrap plugins the templates use (data-bs-toggle="collapse" and "dropdown"),
// instead of the whole bundle: each registers its data attributes when loaded.
import "bootstrap/js/src/collapse.js";
import "bootstrap/js/src/dropdown.js";
