// Builds what the pages get from npm, light enough for a phone on a village's line
// (docs/performance.md, "The field officer's app"). Run by `make assets`, so by `make setup`,
// `make run`, `make test` and .ci/run. Writes frontend/dist/ (not committed):
//   static/  served under /static/build/ (sammachip/settings.py STATICFILES_DIRS):
//     portal.css        Bootstrap's stylesheet and static/css/portal.css, keeping only the
//                       rules the templates, scripts and forms use (PurgeCSS), minified
//     sarabun-*.woff2   Sarabun cut to the Thai and Latin letters the portal writes
//     pages.js          every page's script: the navbar's and the account's menus (ui.js, in
//                       place of Bootstrap's plugins) and the portal's enhancements (portal.js)
//     field.js          the field officer's pages: pages.js, the officer's app (outbox,
//                       sending, install hint: offline.js) and the visit form's (visit.js)
//   sw.js              the service worker (Workbox), served from the site root by Django
import { build, transform } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";
import subsetFont from "subset-font";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const OUT = join(HERE, "dist");
const STATIC = join(OUT, "static");
const modules = (path) => join(ROOT, "node_modules", path);

await rm(OUT, { recursive: true, force: true });
await mkdir(STATIC, { recursive: true });

// --- Scripts --------------------------------------------------------------------------------
const common = {
  bundle: true,
  minify: true,
  legalComments: "none",
  target: ["chrome100", "safari15", "firefox100"],
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};
for (const name of ["pages", "field"]) {
  await build({
    ...common,
    entryPoints: [join(HERE, "src", `${name}.js`)],
    outfile: join(STATIC, `${name}.js`),
    format: "iife",
  });
}
await build({
  ...common,
  entryPoints: [join(HERE, "src", "sw.js")],
  outfile: join(OUT, "sw.js"),
  format: "iife",
});

// --- Fonts: Sarabun, only the letters the portal writes -------------------------------------
// Every Thai letter, mark and digit (names come from the data), and printable ASCII with the
// punctuation the templates use; other scripts fall back to the phone's own font.
const range = (from, to) => String.fromCodePoint(...Array.from({ length: to - from + 1 }, (_, i) => from + i));
const THAI = range(0x0e01, 0x0e5b) + "\u200b\u200c\u200d\u25cc";
const LATIN = range(0x20, 0x7e) + "\u00a0\u00b7\u00d7\u00b1–—‘’“”…•→←↑↓€฿";
const UNICODE = { thai: "U+0E01-0E5B, U+200B-200D, U+25CC", latin: "U+0020-007E, U+00A0, U+00B1, U+00B7, U+00D7, U+2013-2014, U+2018-2019, U+201C-201D, U+2022, U+2026, U+2190-2193, U+20AC" };
let faces = "";
// Bold Latin (digits and a few words in headings) is drawn by the browser from the regular
// face: 6.7 KB less for every phone, where bold Thai keeps its own face.
for (const [weight, subsets] of [[400, ["thai", "latin"]], [700, ["thai"]]]) {
  for (const [subset, text] of [["thai", THAI], ["latin", LATIN]].filter(([s]) => subsets.includes(s))) {
    const source = await readFile(modules(`@fontsource/sarabun/files/sarabun-${subset}-${weight}-normal.woff2`));
    const name = `sarabun-${subset}-${weight}.woff2`;
    await writeFile(join(STATIC, name), await subsetFont(source, text, { targetFormat: "woff2" }));
    const face = (family) =>
      `@font-face{font-family:${family};font-style:normal;font-display:swap;font-weight:${weight};src:url(${name}) format("woff2");unicode-range:${UNICODE[subset]}}\n`;
    faces += face("Sarabun");
    // The field officer's pages (body.field-app, static/css/portal.css) have the regular face
    // only, the same files: the browser draws bold from it, and the phone on a village's line
    // is spared the bold face's 9 KB and its request.
    if (weight === 400) faces += face('"Sarabun Field"');
  }
}

// --- The stylesheet: only what is used ------------------------------------------------------
const css =
  faces +
  (await readFile(modules("bootstrap/dist/css/bootstrap.css"), "utf8")).replace(/\/\*# sourceMappingURL=.*\*\//, "") +
  (await readFile(join(ROOT, "static", "css", "portal.css"), "utf8"));
const [purged] = await new PurgeCSS().purge({
  content: [
    join(ROOT, "templates", "**", "*.html"),
    join(ROOT, "*", "templates", "**", "*.html"),
    join(ROOT, "static", "js", "*.js"),
    join(HERE, "src", "*.js"),
    // classes given by forms and template tags (BootstrapWidgets, crispy layouts, icons)
    join(ROOT, "{districts,people,assignments,fieldwork,evaluations,imports,sammachip}", "**", "*.py"),
    // the crispy layouts the forms use (not its accordions, modals, tabs or alerts)
    join(ROOT, ".venv", "lib", "python3*", "site-packages", "crispy_bootstrap5", "templates", "bootstrap5", "{field,errors,inputs,multifield,uni_form,whole_uni_form,display_form}.html"),
    join(ROOT, ".venv", "lib", "python3*", "site-packages", "crispy_bootstrap5", "templates", "bootstrap5", "layout", "{attrs,baseinput,button,buttonholder,column,div,field_errors,field_errors_block,field_file,fieldset,formactions,help_text,help_text_and_errors,multifield,radio_checkbox_select,row}.html"),
  ],
  css: [{ raw: css }],
  fontFace: false,
  variables: false,
  safelist: {
    // classes put together in templates (alert-{{ message.tags }}, text-bg-{% if … %}) and
    // set by Bootstrap's plugins while they run
    standard: [
      /^alert-(success|info|warning|danger)$/,
      /^text-bg-(primary|secondary|success|info|warning|danger)$/,
      "show",
      "showing",
      "collapsing",
    ],
    greedy: [/data-bs-popper/],
  },
});
const { code } = await transform(purged.css, { loader: "css", minify: true, legalComments: "none" });
await writeFile(join(STATIC, "portal.css"), code);
const kb = (n) => (n / 1024).toFixed(1);
console.log(`frontend/build.mjs: portal.css ${kb(code.length)} KB (Bootstrap and portal.css ${kb(css.length)} KB before)`);
