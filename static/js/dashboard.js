// Charts from the numbers the page already shows (json_script blocks): no inline scripts.
(() => {
  if (!window.Chart) return;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  // Thai writes no spaces between words: a long name is broken at word boundaries
  // (Intl.Segmenter knows Thai words), into lines of about `width` characters.
  // The dictionary splits some of the programme's own words in two (ครัว|เรือน,
  // เป้า|หมาย): those are put back together before a label is wrapped.
  const WHOLE = ["ครัวเรือน", "เป้าหมาย", "ผู้รับผิดชอบ", "ลงพื้นที่", "วิทยากร", "ประกอบอาชีพ", "สัมมาชีพ"];
  const joined = (parts) => {
    const out = [];
    for (const part of parts) {
      const last = out.length - 1;
      const pair = last >= 0 ? out[last] + part : "";
      if (last >= 0 && WHOLE.some((w) => w.startsWith(pair))) out[last] = pair;
      else out.push(part);
    }
    return out;
  };
  const words = (text) =>
    window.Intl && Intl.Segmenter
      ? joined(Array.from(new Intl.Segmenter("th", { granularity: "word" }).segment(text), (w) => w.segment))
      : text.split(/(\s+)/); // no lookbehind: Safari before 16.4 would not parse the file
  const wrap = (label, width) => {
    const lines = [""];
    for (const word of words(String(label))) {
      if (lines[lines.length - 1] && (lines[lines.length - 1] + word).trim().length > width) lines.push("");
      lines[lines.length - 1] += word;
    }
    const trimmed = lines.map((line) => line.trim()).filter(Boolean);
    return trimmed.length > 1 ? trimmed : String(label);
  };
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    // An area with nothing to show (a province with no target village yet) takes no bar's
    // room: the country's chart showed 77 rows, most of them empty, before its table.
    const shown = spec.labels.map((_, i) => spec.datasets.some((d) => Number(d.data[i]) > 0));
    if (spec.labels.length > 8 && shown.some(Boolean) && !shown.every(Boolean)) {
      spec.labels = spec.labels.filter((_, i) => shown[i]);
      spec.datasets = spec.datasets.map((d) => ({ ...d, data: d.data.filter((_, i) => shown[i]) }));
    }
    // Many bars lie down, each with room for its name (a province's 26 districts, the
    // country's 77 provinces): on a phone, standing bars dropped every other name. A name too
    // long for a third of the chart's width goes on two lines or more, rather than off its edge.
    const lying = spec.labels.length > 8 || spec.labels.some((label) => String(label).length > 14);
    const bars = spec.datasets.length;
    let labels = spec.labels;
    if (lying) {
      const width = Math.max(10, Math.floor(canvas.parentElement.clientWidth / 22));
      labels = spec.labels.map((label) => wrap(label, width));
      const lines = labels.reduce((sum, label) => sum + Math.max(Array.isArray(label) ? label.length : 1, 1), 0);
      const height = Math.max(spec.labels.length * (12 + 10 * bars), lines * 16) + 70;
      canvas.parentElement.style.height = `${height}px`;
    }
    new Chart(canvas, {
      type: spec.type,
      data: { labels, datasets: spec.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: lying ? "y" : "x",
        plugins: { legend: { display: bars > 1 } },
        scales: {
          x: { beginAtZero: true },
          y: { beginAtZero: true, ticks: { autoSkip: !lying } },
        },
      },
    });
  });
})();

// Sortable tables: click a header to sort by that column (numbers as numbers).
document.querySelectorAll("table[data-sortable]").forEach((table) => {
  table.querySelectorAll("thead th").forEach((th, index) => {
    th.classList.add("sortable");
    th.setAttribute("role", "button");
    th.tabIndex = 0;
    const sort = () => {
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const asc = th.dataset.dir !== "asc";
      table.querySelectorAll("thead th").forEach((other) => delete other.dataset.dir);
      th.dataset.dir = asc ? "asc" : "desc";
      // "—" (nothing to take a share of) and an empty data-value sort last either way
      const value = (row) => {
        const text = row.cells[index].dataset.value ?? row.cells[index].textContent.trim();
        if (text === "" || text === "—") return null;
        const number = parseFloat(text.replace(/[,%+]/g, ""));
        return Number.isNaN(number) ? text : number;
      };
      rows.sort((a, b) => {
        const x = value(a), y = value(b);
        if (x === null || y === null) return (x === null) - (y === null);
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "th");
        return asc ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
  });
});
