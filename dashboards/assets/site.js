/* thidua dashboards: draws the charts from the page's JSON data block,
 * switches periods without a server, sorts tables and downloads them as CSV.
 * It never builds HTML from data: names reach the page as text only. */
(function () {
  'use strict';
  var dataEl = document.getElementById('thidua-data');
  if (!dataEl || typeof echarts === 'undefined') { return; }
  var data = JSON.parse(dataEl.textContent);
  var numLocale = data.lang === 'en' ? 'en-US' : 'vi-VN';
  var chartLocale = data.lang === 'en' ? 'EN' : 'VI';
  var select = document.getElementById('period-select');
  var types = {};
  data.periods.forEach(function (p) { types[p.key] = p.type; });

  function formatter(dec) {
    var f = new Intl.NumberFormat(numLocale, { maximumFractionDigits: dec, minimumFractionDigits: 0 });
    return function (v) {
      if (Array.isArray(v)) { v = v[v.length - 1]; }
      if (v === null || v === undefined || v === '-' || typeof v !== 'number' || isNaN(v)) { return '—'; }
      return f.format(v);
    };
  }

  function esc(s) {
    var d = document.createElement('div');
    d.textContent = String(s);
    return d.innerHTML;
  }

  function list(x) { return x === undefined ? [] : (Array.isArray(x) ? x : [x]); }

  // decorate adds the functions JSON cannot carry: number formats in the
  // page's language and an escaped heatmap tooltip.
  function decorate(opt, spec) {
    var o = JSON.parse(JSON.stringify(opt));
    var f = formatter(spec.dec);
    list(o.tooltip).forEach(function (t) { t.valueFormatter = f; });
    list(o.xAxis).concat(list(o.yAxis)).forEach(function (ax) {
      if (ax && ax.type !== 'category' && !ax.data) {
        ax.axisLabel = ax.axisLabel || {};
        ax.axisLabel.formatter = f;
      }
    });
    list(o.series).forEach(function (s) {
      if (s.label && s.label.show && !s.label.formatter) {
        s.label.formatter = function (p) { return f(p.value); };
      }
    });
    if (spec.kind === 'heatmap') {
      var xs = list(o.xAxis)[0].data || [], ys = list(o.yAxis)[0].data || [];
      list(o.tooltip).forEach(function (t) {
        t.formatter = function (p) {
          var v = p.value || [];
          return esc(ys[v[1]]) + '<br>' + esc(xs[v[0]]) + ': <b>' + esc(p.name) + '</b>';
        };
      });
    }
    return o;
  }

  // Charts are created when first needed: all at once on a page of the
  // site, as they scroll into view in the single file (dozens of charts).
  var charts = [];
  var current = null;
  data.charts.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (el) { charts.push({ spec: spec, inst: null, el: el }); }
  });

  function apply(c) {
    var idx = c.spec.byPeriod[current];
    var nd = document.querySelector('[data-nodata-for="' + c.spec.id + '"]');
    if (idx === undefined) {
      if (c.inst) { c.inst.clear(); }
      c.el.classList.add('empty');
      if (nd) { nd.hidden = false; }
      return;
    }
    if (nd) { nd.hidden = true; }
    if (c.el.classList.contains('empty')) {
      c.el.classList.remove('empty');
      if (c.inst) { c.inst.resize(); }
    }
    if (c.inst) { c.inst.setOption(decorate(c.spec.opts[idx], c.spec), true); }
  }

  function ensure(c) {
    if (c.inst) { return; }
    c.inst = echarts.init(c.el, null, { renderer: 'canvas', locale: chartLocale });
    if (current !== null) { apply(c); }
  }

  function initAll() { charts.forEach(ensure); }

  function pageLinks(key) {
    if (data.single) { return; }
    var links = document.querySelectorAll('a[href]');
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var href = a.getAttribute('href');
      if (/^[a-z0-9_-]+\.html(#.*)?$/i.test(href)) {
        a.setAttribute('href', href.replace(/#.*$/, '') + '#p=' + key);
      }
    }
  }

  function show(key) {
    if (!types[key]) { key = data.default; }
    if (!key) { return; }
    var els = document.querySelectorAll('[data-period]');
    for (var i = 0; i < els.length; i++) { els[i].hidden = els[i].getAttribute('data-period') !== key; }
    els = document.querySelectorAll('[data-ptype]');
    for (i = 0; i < els.length; i++) { els[i].hidden = els[i].getAttribute('data-ptype') !== types[key]; }
    current = key;
    charts.forEach(apply);
    if (select) { select.value = key; }
    document.body.setAttribute('data-current-period', key);
    if (!data.single) {
      try { history.replaceState(null, '', '#p=' + key); } catch (e) { /* file:// may refuse */ }
      pageLinks(key);
    }
  }

  var initial = data.default;
  var m = /^#p=([0-9A-Za-z-]+)$/.exec(location.hash);
  if (m && types[m[1]]) { initial = m[1]; }
  if (select) {
    select.addEventListener('change', function () { show(select.value); });
  }
  show(initial);
  if (data.single && typeof IntersectionObserver === 'function') {
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) { return; }
        io.unobserve(e.target);
        charts.forEach(function (c) { if (c.el === e.target) { ensure(c); } });
      });
    }, { rootMargin: '400px' });
    charts.forEach(function (c) { io.observe(c.el); });
  } else {
    initAll();
  }

  function each(f) { charts.forEach(function (c) { if (c.inst) { f(c.inst); } }); }
  window.addEventListener('resize', function () { each(function (i) { i.resize(); }); });
  window.addEventListener('beforeprint', function () {
    initAll();
    each(function (i) { i.resize({ width: 560 }); });
  });
  window.addEventListener('afterprint', function () { each(function (i) { i.resize(); }); });

  // Sortable tables: click a heading; numbers sort by their exact value,
  // missing values last.
  document.addEventListener('click', function (ev) {
    var btn = ev.target.closest ? ev.target.closest('button') : null;
    if (!btn) { return; }
    if (btn.classList.contains('sort')) {
      var thEl = btn.parentNode, table = thEl.closest('table');
      var col = Array.prototype.indexOf.call(thEl.parentNode.children, thEl);
      var numeric = thEl.classList.contains('num');
      var dir = thEl.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      var heads = thEl.parentNode.children;
      for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute('aria-sort'); }
      thEl.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var ca = a.cells[col], cb = b.cells[col];
        if (numeric) {
          var va = ca && ca.hasAttribute('data-v') ? parseFloat(ca.getAttribute('data-v')) : NaN;
          var vb = cb && cb.hasAttribute('data-v') ? parseFloat(cb.getAttribute('data-v')) : NaN;
          if (isNaN(va) && isNaN(vb)) { return 0; }
          if (isNaN(va)) { return 1; }
          if (isNaN(vb)) { return -1; }
          return dir * (va - vb);
        }
        return dir * (ca ? ca.textContent : '').localeCompare(cb ? cb.textContent : '', numLocale);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    } else if (btn.classList.contains('csv')) {
      var t = document.getElementById(btn.getAttribute('data-table'));
      if (!t) { return; }
      var lines = [];
      var all = t.querySelectorAll('tr');
      for (var j = 0; j < all.length; j++) {
        var cells = all[j].children, out = [];
        for (var k = 0; k < cells.length; k++) {
          var c = cells[k];
          var v = c.hasAttribute('data-v') ? c.getAttribute('data-v') : c.textContent.trim();
          out.push('"' + v.replace(/"/g, '""') + '"');
        }
        lines.push(out.join(','));
      }
      var blob = new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = btn.getAttribute('data-file') || 'table.csv';
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }
  });

  window.thidua = { show: show, charts: charts, initAll: initAll, readyMs: Math.round(performance.now()) };
})();
