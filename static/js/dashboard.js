// Charts from the numbers the page already shows (json_script blocks): no inline scripts.
(() => {
  if (!window.Chart) return;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    // Many bars lie down, each with room for its name (a province's 26 districts, the
    // country's 77 provinces): on a phone, standing bars dropped every other name.
    const lying = spec.labels.length > 8 || spec.labels.some((label) => String(label).length > 14);
    const bars = spec.datasets.length;
    if (lying) canvas.parentElement.style.height = `${spec.labels.length * (12 + 10 * bars) + 70}px`;
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
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
      const value = (row) => {
        const text = row.cells[index].dataset.value ?? row.cells[index].textContent.trim();
        const number = parseFloat(text.replace(/[,%+]/g, ""));
        return Number.isNaN(number) ? text : number;
      };
      rows.sort((a, b) => {
        const x = value(a), y = value(b);
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "th");
        return asc ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
  });
});
