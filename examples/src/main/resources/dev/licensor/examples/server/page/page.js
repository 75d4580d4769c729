/*
 * The admin pool page's progressive enhancement (no build step): draws the chart with uPlot from
 * the reports the page embeds, shows the seat slider, and re-fetches the what-if report (JSON,
 * with the session cookie) as the slider or the seat field moves, updating the tables and the
 * chart in place. Without JavaScript the page's tables and its GET form do the same.
 */
(function () {
  'use strict';
  var dataEl = document.getElementById('report-data');
  if (!dataEl || typeof uPlot === 'undefined') {
    return;
  }
  var data = JSON.parse(dataEl.textContent);
  var u = data.utilisation;
  var seatsInput = document.getElementById('seats');
  var slider = document.getElementById('seats-slider');
  var chartEl = document.getElementById('chart');
  // One point per bucket start, and one more at the range's end, so the last bucket's step is drawn.
  var xs = u.buckets.map(function (b) { return Date.parse(b.start) / 1000; });
  xs.push(Date.parse(u.to) / 1000);

  /** A bucket field per point; the end point repeats the last value (steps) or has none (bars). */
  function column(list, key, bar) {
    var values = list ? list.map(function (b) { return b[key]; }) : u.buckets.map(function () { return null; });
    values.push(bar || values.length === 0 ? null : values[values.length - 1]);
    return values;
  }

  function constant(v) {
    return xs.map(function () { return v; });
  }

  function chartData(w) {
    return [xs, column(u.buckets, 'peak'), column(u.buckets, 'p95'), column(u.buckets, 'p50'),
      constant(u.seats), constant(w ? w.seats : null),
      column(u.buckets, 'denials', true), column(w && w.buckets, 'replayed_denials')];
  }

  var stepped = uPlot.paths.stepped({ align: 1 });
  var opts = {
    width: Math.max(320, chartEl.clientWidth || 900),
    height: 320,
    // the tables' times are UTC: so is the axis, whatever the browser's zone
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
    scales: {
      x: { time: true },
      seats: { range: function (self, min, max) { return [0, Math.max(max, u.seats) + 1]; } },
      denials: { range: function (self, min, max) { return [0, Math.max(max, 1) + 1]; } }
    },
    series: [
      {},
      { label: 'peak', scale: 'seats', stroke: '#b03a2e', width: 2, paths: stepped },
      { label: 'p95', scale: 'seats', stroke: '#d68910', width: 1.5, paths: stepped },
      { label: 'p50', scale: 'seats', stroke: '#7d6608', width: 1, paths: stepped },
      { label: 'seats', scale: 'seats', stroke: '#1f618d', width: 2, points: { show: false } },
      { label: 'what-if seats', scale: 'seats', stroke: '#1f618d', width: 2, dash: [6, 4], points: { show: false } },
      { label: 'denials', scale: 'denials', stroke: '#6c3483', fill: 'rgba(108,52,131,0.35)',
        paths: uPlot.paths.bars({ size: [0.6, 60], align: 1 }), points: { show: false } },
      { label: 'replayed denials', scale: 'denials', stroke: '#6c3483', width: 1.5, dash: [3, 3], paths: stepped }
    ],
    axes: [
      {},
      { scale: 'seats', label: 'seats' },
      { scale: 'denials', side: 1, label: 'denials', grid: { show: false } }
    ]
  };
  var chart = new uPlot(opts, chartData(data.what_if), chartEl);
  window.addEventListener('resize', function () {
    chart.setSize({ width: Math.max(320, chartEl.clientWidth), height: 320 });
  });

  function setText(root, key, value) {
    var el = root && root.querySelector('[data-k="' + key + '"]');
    if (el) {
      el.textContent = value === null || value === undefined ? '' : String(value);
    }
  }

  function showError(message) {
    var el = document.getElementById('what-if-error');
    if (!el && message) {
      el = document.createElement('p');
      el.id = 'what-if-error';
      el.className = 'error';
      el.setAttribute('role', 'alert');
      var section = document.getElementById('what-if');
      section.insertBefore(el, section.children[1]);
    }
    if (el) {
      el.textContent = message || '';
      el.hidden = !message;
    }
  }

  function render(w) {
    var section = document.getElementById('what-if');
    setText(section, 'what_if_seats', w.seats);
    ['recorded', 'replayed'].forEach(function (which) {
      var row = section.querySelector('tr[data-row="' + which + '"]');
      ['granted', 'denied', 'queued', 'borrowed', 'released'].forEach(function (k) {
        setText(row, k, w[which][k]);
      });
    });
    setText(section, 'demands', w.demands);
    setText(section, 'divergent', w.divergent);
    var rows = document.querySelectorAll('#buckets tbody tr');
    w.buckets.forEach(function (b, i) {
      setText(rows[i], 'replayed_denials', b.replayed_denials);
      setText(rows[i], 'replayed_queued', b.replayed_queued);
    });
    chart.setData(chartData(w));
    var url = new URL(window.location.href);
    url.searchParams.set('seats', String(w.seats));
    window.history.replaceState(null, '', url);
    document.body.dataset.whatIfSeats = String(w.seats);
  }

  var asked = 0;
  var timer = null;

  function replay(seats) {
    var n = ++asked;
    fetch(data.what_if_url + '&seats=' + encodeURIComponent(seats),
      { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (r) {
        if (n !== asked) {
          return; // a later move was asked for: its answer counts
        }
        if (!r.ok) {
          showError(r.body.message || 'the replay was refused');
          document.body.dataset.whatIfError = String(seats);
          return;
        }
        showError(null);
        render(r.body);
      })
      .catch(function (e) {
        if (n === asked) {
          showError('the replay could not be fetched: ' + e);
        }
      });
  }

  function moved(value) {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { replay(value); }, 150);
  }

  slider.hidden = false;
  slider.addEventListener('input', function () {
    seatsInput.value = slider.value;
    moved(slider.value);
  });
  seatsInput.addEventListener('input', function () {
    if (seatsInput.value !== '') {
      slider.value = seatsInput.value;
      moved(seatsInput.value);
    }
  });
  window.licensorPage = { chart: chart, data: data };
  document.body.dataset.ready = 'true';
}());
