// The console dashboard's charts. The page's tables hold the numbers (the page works without this script); this
// script reads them and draws each as a uPlot chart in the element marked data-chart-for=<table id> above it.
// No markup is ever built from text: labels are read with textContent and handed to uPlot, which sets textContent.
'use strict';
(function () {
  const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7c3aed', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#1e40af', '#57534e'];
  const HEIGHT = 220;

  function readTable(table) {
    const labels = Array.from(table.tHead.rows[0].cells).slice(1).map(cell => cell.textContent.trim());
    const xs = [];
    const series = labels.map(() => []);
    for (const row of table.tBodies[0].rows) {
      xs.push(Number(row.dataset.t));
      Array.from(row.cells).slice(1).forEach((cell, i) => series[i].push(Number(cell.dataset.v)));
    }
    return { labels, data: [xs, ...series] };
  }

  function draw(holder, table) {
    const { labels, data } = readTable(table);
    const bars = table.dataset.chart === 'bars' && typeof uPlot.paths.bars === 'function' ? uPlot.paths.bars({ size: [0.8, 40] }) : null;
    const options = {
      width: Math.max(320, holder.clientWidth || table.clientWidth || 640),
      height: HEIGHT,
      // The tables are in UTC; so are the charts (uPlot would otherwise show the browser's time zone).
      tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { label: 'count' }],
      series: [{ label: 'time' }].concat(labels.map((label, i) => {
        const color = PALETTE[i % PALETTE.length];
        const s = { label, stroke: color, width: 2, points: { show: false } };
        if (bars) {
          s.paths = bars;
          s.fill = color;
        }
        return s;
      })),
    };
    holder.classList.add('drawn');
    const chart = new uPlot(options, data, holder);
    // With a chart drawn, the numbers fold away (still one click away); without this script they stay open.
    const details = table.closest('details');
    if (details) {
      details.open = false;
    }
    return chart;
  }

  function start() {
    if (typeof uPlot !== 'function') {
      return; // the tables stay as they are
    }
    for (const holder of document.querySelectorAll('[data-chart-for]')) {
      const table = document.getElementById(holder.dataset.chartFor);
      if (table && table.tHead && table.tBodies.length > 0) {
        draw(holder, table);
      }
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
