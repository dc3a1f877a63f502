/* thidua dashboards: draws the charts from the page's JSON data block,
 * switches periods without a server (building the tables and notes of a
 * period that is not in the HTML from the block's compact form), sorts
 * tables and downloads them as CSV.
 * It never builds HTML from data: names reach the page as text only. */
(function () {
  'use strict';
  var dataEl = document.getElementById('thidua-data');
  if (!dataEl || typeof echarts === 'undefined') { return; }
  var data = JSON.parse(dataEl.textContent);
  var numLocale = data.lang === 'en' ? 'en-US' : 'vi-VN';
  var chartLocale = data.lang === 'en' ? 'EN' : 'VI';
  var select = document.getElementById('period-select');
  var types = {}, labels = {};
  data.periods.forEach(function (p) { types[p.key] = p.type; labels[p.key] = p.label; });
  var M = data.msg || {};
  var FOLD = data.fold || {}, PAGE_SIZES = [50, 200];
  // The reader's search (folded), page sizes and pages by table; whether
  // the default period's tables hold every row yet.
  var query = '', perPage = {}, pageNo = {}, fullDone = !data.full;
  // (a page's paged tables that are not a period's, the quality page's:
  // every row in data.rows or its rows file)
  var rowsDone = !(data.rows || data.rowsFiles), rowsData = [];
  // The compact form of tables and blocks is described in one place:
  // dashboards/compact.go.
  var blocks = data.blocks || {}, heads = data.heads || [], strs = data.strs || [], series = data.series || {}, cells = data.cells || [];
  var classes = data.classes || [], units = data.units || null;
  // A period's data: the page's own (the single file: every period; a page
  // of the site: its default period) or a period file's, loaded on demand.
  var inline = { blocks: blocks, heads: heads, strs: strs, cells: cells, classes: classes };
  var loaded = {}, loading = {};
  function periodData(key) { return loaded[key] || inline; }
  function use(pd) {
    blocks = pd.blocks || {}; heads = pd.heads || []; strs = pd.strs || []; cells = pd.cells || []; classes = pd.classes || [];
  }

  // num formats v with dec decimals like the Go side (messages.Num):
  // 1.234,5 in Vietnamese, 1,234.5 in English. The Go side only sends a
  // bare number where this gives its own text.
  function num(v, dec) {
    var s = Math.abs(v).toFixed(dec);
    var i = s.indexOf('.');
    var ip = i < 0 ? s : s.slice(0, i), fr = i < 0 ? '' : s.slice(i + 1);
    var out = v < 0 && /[1-9]/.test(s) ? '-' : '';
    for (var j = 0; j < ip.length; j++) {
      if (j > 0 && (ip.length - j) % 3 === 0) { out += M.thousands; }
      out += ip.charAt(j);
    }
    return fr ? out + M.decimal + fr : out;
  }

  // rankChange is a rank change as shown, with its class (Go: rankChange).
  function rankChange(v) {
    if (v > 0) { return ['\u25b2 +' + v, 'up']; }
    if (v < 0) { return ['\u25bc ' + v, 'down']; }
    return ['= 0', ''];
  }

  function colFormat(f, v, dec, of) {
    if (f === 'n') { return num(v, dec); }
    if (f === 'r') { return v + '/' + of; }
    if (f === 'c') { return rankChange(v)[0]; }
    if (f >= '0' && f <= '9') { return num(v, +f); }
    if (f === 'p') { return num(v, 1) + '%'; }
    if (f === 's') {
      var s = num(v, 1) + '%';
      return v > 0 && s !== num(0, 1) + '%' ? '+' + s : s;
    }
    return String(v);
  }

  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  var SVG = 'http://www.w3.org/2000/svg';
  // sparkline draws vals like the Go side's sparkline: gaps stay gaps.
  function sparkline(vals) {
    var lo = Infinity, hi = -Infinity;
    vals.forEach(function (v) { if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
    if (lo === Infinity || vals.length < 2) { return null; }
    if (hi === lo) { hi = hi + 1; lo = lo - 1; }
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', '0 0 100 24');
    svg.setAttribute('width', '100');
    svg.setAttribute('height', '24');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', M.trend);
    var seg = [];
    function flush() {
      var e;
      if (seg.length === 1) {
        var xy = seg[0].split(',');
        e = document.createElementNS(SVG, 'circle');
        e.setAttribute('cx', xy[0]); e.setAttribute('cy', xy[1]); e.setAttribute('r', '1.5');
        svg.appendChild(e);
      } else if (seg.length > 1) {
        e = document.createElementNS(SVG, 'polyline');
        e.setAttribute('points', seg.join(' '));
        svg.appendChild(e);
      }
      seg = [];
    }
    vals.forEach(function (v, i) {
      if (v === null) { flush(); return; }
      var x = 2 + 96 * i / (vals.length - 1), y = 22 - 20 * (v - lo) / (hi - lo);
      seg.push(x.toFixed(1) + ',' + y.toFixed(1));
    });
    flush();
    return svg;
  }

  // cellNode builds a <td> from a compact cell (column format f, row
  // decimals dec, rank denominator of; see dashboards/compact.go).
  function cellNode(c, f, dec, of, ser) {
    var td = document.createElement('td'), text = '', v = null, cls = '', title = '', href = '', sp = null;
    if (Array.isArray(c)) {
      if (c.length === 1) { c = cells[c[0]]; }
      else if (typeof c[0] === 'number') { c = { n: c[0], cls: classes[c[1]] }; }
      else { c = { spark: c }; }
    }
    if (c === null) { text = '—'; cls = 'na'; }
    else if (typeof c === 'number' && f === 'u') { text = units[c][0]; href = units[c][1]; }
    else if (typeof c === 'number') {
      text = colFormat(f, c, dec, of); v = String(c);
      if (f === 'c') { cls = rankChange(c)[1]; }
    }
    else if (typeof c === 'string') { text = c; }
    else {
      if (typeof c.n === 'number') { text = colFormat(f, c.n, dec, of); v = String(c.n); }
      else { text = c.text || ''; if (c.v !== undefined) { v = c.v; } }
      cls = c.cls || ''; title = c.title || ''; href = c.href || '';
      if (c.spark) {
        var all = (ser && ser[c.spark[0]]) || [], end = c.spark[1];
        sp = sparkline(all.slice(Math.max(0, end - 11), end + 1));
      }
    }
    if (cls) { td.className = cls; }
    if (v !== null) { td.setAttribute('data-v', v); }
    if (title) { td.setAttribute('title', title); }
    if (sp) { td.appendChild(sp); }
    else if (href) { var a = node('a', '', text); a.setAttribute('href', href); td.appendChild(a); }
    else if (!(c && c.spark)) { td.textContent = text; }
    return td;
  }

  function tableNode(t, ser) {
    var box = node('div', 'table-box'), tools = node('div', 'table-tools');
    var b = node('button', 'csv', M.download_csv);
    b.type = 'button';
    b.setAttribute('data-table', t.id);
    b.setAttribute('data-file', t.csv);
    tools.appendChild(b);
    tools.appendChild(document.createTextNode(' '));
    tools.appendChild(node('span', 'hint', M.sort_hint));
    box.appendChild(tools);
    var scroll = node('div', 'scroll'), table = node('table', 'data');
    table.id = t.id;
    var pg = t.page || 0, nr = (t.rows || []).length, uc = (t.fmt || '').indexOf('u');
    if (pg) { table.setAttribute('data-page', String(pg)); table.setAttribute('data-rows', String(nr)); }
    table.appendChild(node('caption', '', t.caption));
    var thead = document.createElement('thead'), tr = document.createElement('tr');
    (heads[t.head] || []).forEach(function (h) {
      var th = node('th', h[1] ? 'num' : '');
      th.setAttribute('scope', 'col');
      var sb = node('button', 'sort', h[0]);
      sb.type = 'button';
      th.appendChild(sb);
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var m = t.fmt || '', d = t.dec || [], of = t.of || [];
    function perRow(xs, i) { return xs.length === 1 ? xs[0] : (xs[i] || 0); }
    function rows(tag, rs, foot) {
      var sec = document.createElement(tag);
      rs.forEach(function (r, i) {
        var row = document.createElement('tr');
        var dec = foot ? (t.footDec || 0) : perRow(d, i), n = foot ? 0 : perRow(of, i);
        // A paged table's row: its unit's page and search key, from the
        // unit list, for the search box.
        var unit = !foot && pg && uc >= 0 ? rowUnit(r[uc]) : null;
        if (unit) { row.setAttribute('data-u', unit[1]); row.setAttribute('data-k', unit[2] || ''); }
        if (!foot && t.bin && t.bin[i] >= 0) { row.setAttribute('data-b', String(t.bin[i])); }
        if (!foot && pg && i >= pg) { row.hidden = true; }
        r.forEach(function (c, j) { row.appendChild(cellNode(c, m.charAt(j), dec, n, ser)); });
        sec.appendChild(row);
      });
      table.appendChild(sec);
    }
    rows('tbody', t.rows, false);
    if (t.foot) { rows('tfoot', t.foot, true); }
    scroll.appendChild(table);
    box.appendChild(scroll);
    if (pg) {
      box.appendChild(pagerNode(t.id, pg, nr));
      box.appendChild(node('p', 'note pg-print', M.print_rows_note));
    }
    return box;
  }

  // rowUnit is the unit-list entry [name, page, key] of a 'u' cell (an
  // index into the list, or a cell linking a unit's page).
  var unitByPage = null;
  function rowUnit(c) {
    if (!units) { return null; }
    if (typeof c === 'number') { return units[c] || null; }
    if (Array.isArray(c) && c.length === 1 && cells[c[0]] && cells[c[0]].href) {
      if (!unitByPage) {
        unitByPage = {};
        units.forEach(function (u) { unitByPage[u[1]] = u; });
      }
      return unitByPage[cells[c[0]].href] || null;
    }
    return null;
  }

  // pagerNode is a paged table's pager, on its first page, as the Go
  // side writes it.
  function pagerNode(id, pg, n) {
    var d = node('div', 'pager');
    d.setAttribute('data-for', id);
    var prev = node('button', 'pg-prev', M.page_prev), next = node('button', 'pg-next', M.page_next);
    prev.type = 'button';
    next.type = 'button';
    prev.disabled = true;
    d.appendChild(prev);
    d.appendChild(document.createTextNode(' '));
    d.appendChild(node('span', 'pg-info', rowsInfo(0, Math.min(pg, n), n, n)));
    d.appendChild(document.createTextNode(' '));
    d.appendChild(next);
    d.appendChild(document.createTextNode(' '));
    var lab = node('label', 'pg-size'), sel = document.createElement('select');
    lab.appendChild(document.createTextNode(M.page_size + ' '));
    PAGE_SIZES.concat([0]).forEach(function (k, i) {
      var o = node('option', '', k ? String(k) : M.page_all);
      o.value = String(k);
      if (i === 0) { o.defaultSelected = true; }
      sel.appendChild(o);
    });
    lab.appendChild(sel);
    d.appendChild(lab);
    return d;
  }

  // rowsInfo says which of the matching rows show: from+1…to of n (total
  // in the table).
  function rowsInfo(from, to, n, total) {
    if (n === 0) { return M.rows_none; }
    var s = n === total ? M.rows_shown : M.rows_filtered;
    return s.replace('{from}', num(from + 1, 0)).replace('{to}', num(to, 0)).replace('{n}', num(n, 0)).replace('{total}', num(total, 0));
  }

  function notes(el, list, cls) {
    (list || []).forEach(function (n) { el.appendChild(node('p', cls, n)); });
  }

  // fill builds a period's part of a page (a slot of the default period's
  // HTML) from its block.
  function fill(el, slot, b, key, ser) {
    var t = b.tables || [];
    if (slot === 't0n') { if (t[0]) { el.appendChild(tableNode(t[0], ser)); } notes(el, b.notes, 'note'); }
    else if (slot === 't1') { if (t[1]) { el.appendChild(tableNode(t[1], ser)); } }
    else if (slot === 't2') { if (t[2]) { el.appendChild(tableNode(t[2], ser)); } }
    else if (slot === 'unit') { notes(el, b.lines, 'scoreline'); if (t[0]) { el.appendChild(tableNode(t[0], ser)); } notes(el, b.notes, 'note'); }
    else if (slot === 'fig') {
      el.appendChild(node('h2', '', M.key_figures + ' — ' + labels[key]));
      var ul = node('ul', 'figures');
      (b.figures || []).forEach(function (f) {
        var li = node('li', 'figure ' + (f.cls || ''));
        li.appendChild(node('span', 'flabel', strs[f.label]));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(node('strong', 'fvalue', f.value));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(node('span', 'fmeasure', strs[f.measure]));
        if (f.change) { li.appendChild(document.createTextNode(' ')); li.appendChild(node('span', 'fchange', f.change)); }
        if (f.note) { li.appendChild(document.createTextNode(' ')); li.appendChild(node('span', 'fnote', f.note)); }
        ul.appendChild(li);
      });
      el.appendChild(ul);
      el.appendChild(node('h2', '', M.highlights + ' — ' + labels[key]));
      if (b.linesTable) { el.appendChild(tableNode(b.linesTable, ser)); return; }
      var lines = node('ul', 'lines');
      (b.lines || []).forEach(function (l) { lines.appendChild(node('li', '', l)); });
      el.appendChild(lines);
    }
  }

  // materialize adds the parts of period key to the page, next to the
  // default period's, unless they are there already.
  function materialize(key) {
    if (key === data.default) { return; }
    var tpls = document.querySelectorAll('[data-slot]');
    for (var i = 0; i < tpls.length; i++) {
      var tpl = tpls[i];
      if (tpl.getAttribute('data-period') !== data.default) { continue; }
      var slot = tpl.getAttribute('data-slot'), parent = tpl.parentNode, done = false;
      for (var k = 0; k < parent.children.length; k++) {
        var ch = parent.children[k];
        if (ch.getAttribute('data-slot') === slot && ch.getAttribute('data-period') === key) { done = true; break; }
      }
      var art = tpl.closest('article');
      use(periodData(key));
      var b = art && blocks[art.id] && blocks[art.id][key];
      if (done || !b) { continue; }
      var el = node(tpl.tagName.toLowerCase(), tpl.className);
      el.setAttribute('data-period', key);
      el.setAttribute('data-slot', slot);
      el.hidden = true;
      fill(el, slot, b, key, series[art.id]);
      parent.insertBefore(el, tpl.nextSibling);
    }
  }

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
    // A heatmap cell [x, y, colour value, % of target] is labelled with
    // its % of target.
    function pctLabel(p) {
      var v = p.value;
      return Array.isArray(v) && v.length > 3 && typeof v[3] === 'number' ? num(v[3], 1) + '%' : p.name;
    }
    list(o.series).forEach(function (s) {
      var d = s.data && s.data[0];
      if (spec.kind === 'heatmap' && Array.isArray(d) && d.length > 3 && s.label) {
        s.label.formatter = pctLabel;
      } else if (s.label && s.label.show && !s.label.formatter) {
        s.label.formatter = function (p) { return f(p.value); };
      }
    });
    if (spec.kind === 'heatmap') {
      var xs = list(o.xAxis)[0].data || [], ys = list(o.yAxis)[0].data || [];
      list(o.tooltip).forEach(function (t) {
        t.formatter = function (p) {
          var v = p.value || [];
          return esc(ys[v[1]]) + '<br>' + esc(xs[v[0]]) + ': <b>' + esc(pctLabel(p)) + '</b>';
        };
      });
    }
    return o;
  }

  // markUnit adds the unit searched for (selected: its page) to a large
  // cluster's chart as the Go side says (spec.sel): its values are the
  // cells of its row in the period's table, placed as they are.
  var SEL = '#e8590c', selected = null;
  function markUnit(o, spec) {
    var sel = spec.sel;
    if (!sel || !selected || !current) { return; }
    var t = document.getElementById(sel.table + current);
    var row = t && t.querySelector('tr[data-u="' + CSS.escape(selected) + '"]');
    if (!row) { return; }
    var name = rowName(row);
    var cellVal = function (col) {
      var c = row.cells[col], v = c && c.hasAttribute('data-v') ? parseFloat(c.getAttribute('data-v')) : NaN;
      return isNaN(v) ? '-' : v;
    };
    var ss = list(o.series);
    if (sel.kind === 'bars') {
      var cat = list(o.xAxis).concat(list(o.yAxis)).filter(function (a) { return a && Array.isArray(a.data); })[0];
      if (!cat) { return; }
      cat.data.push('► ' + name);
      ss.forEach(function (s, i) {
        var col = sel.cols ? sel.cols[s.name] : undefined, v = col === undefined ? '-' : cellVal(col);
        s.data = (s.data || []).concat([i === 0 ? { value: v, itemStyle: { color: SEL } } : v]);
      });
    } else if (sel.kind === 'hist' && ss[0] && row.hasAttribute('data-b')) {
      var i = +row.getAttribute('data-b'), d = (ss[0].data || []).slice();
      var cnt = d[i] !== null && typeof d[i] === 'object' ? d[i].value : d[i];
      d[i] = { value: cnt, itemStyle: { color: SEL } };
      ss[0].data = d;
      ss[0].markPoint = { symbol: 'triangle', symbolSize: 12, symbolRotate: 180, itemStyle: { color: SEL },
        label: { show: true, position: 'top', formatter: function () { return name; } }, data: [{ coord: [i, cnt] }] };
    } else if (sel.kind === 'heat' && ss[0]) {
      // its row of % of target: a cell coloured by its status class's band
      // (sel.bands, from the Go side), else grey with its text
      var ax = list(o.yAxis)[0];
      if (!ax || !Array.isArray(ax.data)) { return; }
      var y = ax.data.length;
      ax.data.push('► ' + name);
      for (var x = 1; x < row.cells.length; x++) {
        var c = row.cells[x], band, pv = c.hasAttribute('data-v') ? parseFloat(c.getAttribute('data-v')) : NaN;
        band = undefined;
        c.className.split(' ').forEach(function (k) { if (sel.bands && sel.bands[k] !== undefined) { band = sel.bands[k]; } });
        if (band !== undefined && !isNaN(pv)) { ss[0].data.push([x - 1, y, band, pv]); }
        else if (ss[1] && c.textContent !== '—') { ss[1].data.push({ name: c.textContent, value: [x - 1, y, 0] }); }
      }
    } else if (sel.kind === 'trend') {
      var keys = data.periods.filter(function (p) { return p.type === types[current]; }).map(function (p) { return p.key; });
      var x = keys.indexOf(current), col = sel.cols && sel.cols.value;
      if (x < 0 || col === undefined) { return; }
      ss.push({ type: 'scatter', name: name, symbolSize: 12, itemStyle: { color: SEL }, z: 5,
        data: keys.map(function (k, j) { return j === x ? cellVal(col) : '-'; }) });
      o.series = ss;
    }
  }

  // merged is the chart's base option with a period's patch applied: the
  // patch's top-level keys replace the base's, null ones remove them.
  // A period file's option is whole (spec.whole[idx]), or the keys that
  // differ from its file's base of the chart (spec.whole[idx] is then that
  // base): the page's base is not used.
  function merged(spec, idx) {
    var o = {}, p = spec.opts[idx], k, fb = spec.whole && spec.whole[idx];
    if (fb) {
      if (fb !== true) { for (k in fb) { if (Object.prototype.hasOwnProperty.call(fb, k)) { o[k] = fb[k]; } } }
      for (k in p) { if (Object.prototype.hasOwnProperty.call(p, k)) { o[k] = p[k]; } }
      return o;
    }
    for (k in spec.base) { if (Object.prototype.hasOwnProperty.call(spec.base, k)) { o[k] = spec.base[k]; } }
    for (k in p) {
      if (Object.prototype.hasOwnProperty.call(p, k)) {
        if (p[k] === null) { delete o[k]; } else { o[k] = p[k]; }
      }
    }
    return o;
  }

  // A small cluster's indicator page has no period files of its own: a
  // period's rows come from the rows files every indicator page shares
  // (data.prows: where they are and the page's names and words; the
  // format is described in dashboards/prows.go), and the page's table,
  // notes and chart options of that period are built here from them, in
  // the compact form materialize and apply read. The rows hold the
  // transform's values as shown (statuses and ranks included): nothing is
  // decided here, only formatted and placed.
  var PR = data.prows || null, prowsIn = {};
  function words(s, args) {
    return s.replace(/\{(\w+)\}/g, function (m, k) { return args[k] !== undefined ? String(args[k]) : m; });
  }
  function defuse(s) {
    while (s.indexOf('__f__') >= 0) { s = s.split('__f__').join('_\u200b_f__'); }
    return s;
  }
  // (a number of the rows: shown as is, or [text, value] where the Go
  // side's text is not what formatting it here gives)
  function pval(x) { return x === null ? '-' : (Array.isArray(x) ? parseFloat(x[1]) : x); }
  function ptext(x, dec) { return Array.isArray(x) ? x[0] : num(x, dec); }
  function pcell(x, cls) {
    if (x === null) { return null; }
    if (Array.isArray(x)) { return cls ? { text: x[0], v: x[1], cls: cls } : { text: x[0], v: x[1] }; }
    return cls ? { n: x, cls: cls } : x;
  }
  function valueCell(r, dec, m) {
    if (!r || r[0] === null) { return { text: m.not_reported, cls: 'na' }; }
    var x = r[0];
    if (!r[1]) { return { text: ptext(x, dec) + ' *', v: Array.isArray(x) ? x[1] : String(x), cls: 'partial', title: m.partial }; }
    return pcell(x);
  }
  // indicatorView is the page's view of period key from its rows pd: the
  // period's data as a period file's ({blocks, heads, …}) and its charts'
  // patches of their base option (none for a period without a value).
  function indicatorView(j, key) {
    var P = PR, m = P.msg, dec = P.dec, x = j.byInd[P.code];
    if (!x) { return null; }
    var us = x.u, cr = x.c, n = cr ? cr[13] : 0, any = false, rows = [], miss = [];
    var fmt = 'unnsnsn' + (P.target ? 'np' : '') + 'rp';
    var labs = [], vals = [], ytds = [], tgt = [], chP = [], chY = [], faded = false;
    us.forEach(function (r, ui) {
      if (r && r[0] !== null) { any = true; }
      if (r && r[0] === null) { miss.push(units[ui][0]); }
      var row = [ui, valueCell(r, dec, m)], label = P.labels[ui], bar = '-';
      if (!r || r[0] === null) { label += '\n(' + m.not_reported + ')'; }
      else if (!r[1]) { label += ' *'; faded = true; bar = { value: pval(r[0]), itemStyle: { opacity: 0.45 } }; }
      if (r && r[0] !== null && r[1]) { bar = pval(r[0]); }
      r = r || EMPTY_ROW;
      row.push(pcell(r[2]), pcell(r[3]), pcell(r[4]), pcell(r[5]), pcell(r[6]));
      if (P.target) { row.push(pcell(r[7]), pcell(r[8], r[8] === null ? '' : r[9])); }
      row.push(r[10] > 0 ? r[10] : null, pcell(r[11]));
      rows.push(row);
      labs.push(label); vals.push(bar); ytds.push(pval(r[6])); tgt.push(pval(r[7])); chP.push(pval(r[3])); chY.push(pval(r[5]));
    });
    var t = { id: 't-' + P.code + '-' + key, csv: P.code + '-' + key + '.csv', caption: P.name + ' \u2014 ' + labels[key],
      head: 0, fmt: fmt, dec: [dec], of: [n], rows: rows };
    if (cr) {
      var cv = cr[0] === null ? (cr[1] !== null ? { text: cr[1], cls: 'partial', title: m.cluster_partial_note } : { text: m.not_reported, cls: 'na' })
        : valueCell([cr[0], cr[14]], dec, m);
      var fr = [m.cluster, cv, pcell(cr[2]), pcell(cr[3]), pcell(cr[4]), pcell(cr[5]), pcell(cr[6])];
      if (P.target) { fr.push(pcell(cr[7]), pcell(cr[8], cr[8] === null ? '' : cr[9])); }
      fr.push('', '');
      var mean = [m.cluster_mean, pcell(cr[10])];
      while (mean.length < fr.length) { mean.push(''); }
      t.footDec = dec;
      t.foot = [fr, mean];
    }
    var notes = [];
    if (miss.length) {
      notes.push(words(m.missing_units, { units: miss.join(', ') }));
      if (cr) { notes.push(words(m.mean_note, { n: cr[11], m: cr[12] })); }
    }
    if (!any) { notes.unshift(m.no_data); }
    var block = { tables: [t] };
    if (notes.length) { block.notes = notes; }
    var blocks = {};
    blocks['page-indicator-' + P.code] = {};
    blocks['page-indicator-' + P.code][key] = block;
    var out = { pd: { blocks: blocks, heads: [P.head], strs: [], cells: [], classes: [] }, opts: {} };
    if (!any) { return out; }
    if (faded) { vals = vals.map(function (v) { return v !== null && typeof v === 'object' ? v : { value: v }; }); }
    var pre = 'c-indicator-' + P.code + '-';
    var vs = { name: m.value, type: 'bar', data: vals };
    if (cr && cr[10] !== null) {
      vs.markLine = { data: [{ name: m.cluster_mean, yAxis: pval(cr[10]) }], symbol: ['none', 'none'],
        label: { show: true, position: 'insideEndTop', formatter: m.cluster_mean + ': ' + ptext(cr[10], dec) } };
    }
    var ss = [vs];
    if (P.target && types[key] !== 'year') { ss.push({ name: m.ytd, type: 'bar', data: ytds }); }
    if (P.target) { ss.push({ name: m.target, type: 'scatter', symbol: 'diamond', symbolSize: 12, data: tgt }); }
    out.opts[pre + 'bars'] = { title: defuse(P.name + ' \u2014 ' + labels[key]), labels: labs, series: ss };
    out.opts[pre + 'change'] = { title: defuse(m.change_title + ' \u2014 ' + labels[key]), labels: labs,
      series: [{ name: m.change_prev, type: 'bar', data: chP }, { name: m.change_yoy, type: 'bar', data: chY }] };
    return out;
  }
  var EMPTY_ROW = [null, 1, null, null, null, null, null, null, null, '', 0, null, null];
  // unitView is a unit page's view of period key from the rows j (as
  // indicatorView's).
  function unitView(j, key) {
    var P = PR, m = P.msg, ui = P.unit, rows = [], dec = [], of = [], miss = [], off = [];
    var end = data.periods.filter(function (p) { return p.type === types[key]; }).map(function (p) { return p.key; }).indexOf(key);
    var axes = [], mine = [], theirs = [], maxV = 120;
    P.inds.forEach(function (ind) {
      var code = ind[0], x = j.byInd[code], r = x ? x.u[ui] : null, cr = x ? x.c : null, d = ind[3], tg = ind[4];
      if (!r || r[0] === null) { miss.push(ind[1]); }
      var rr = r || EMPTY_ROW;
      rows.push([{ text: ind[1], href: 'indicator-' + code + '.html' }, ind[2], valueCell(r, d, m), pcell(rr[6]),
        tg ? pcell(rr[7]) : { text: m.no_target, cls: 'na' }, pcell(rr[8], rr[8] === null ? '' : rr[9]),
        rr[10] > 0 ? rr[10] : null, pcell(rr[3]), pcell(rr[5]), [code + '|' + types[key], end]]);
      dec.push(d);
      of.push(cr ? cr[13] : 0);
      if (tg) {
        // (a radar cannot leave a gap: an axis without both values is left
        // out and named in a note, as the Go side does)
        var a = rr[12], c = cr ? cr[15] : null;
        if (a === null || a === undefined || c === null || c === undefined) { off.push(ind[1]); return; }
        axes.push({ name: defuse(ind[1]) });
        mine.push(pval(a));
        theirs.push(pval(c));
        maxV = Math.max(maxV, pval(a), pval(c));
      }
    });
    var t = { id: 't-unit-' + P.code + '-' + key, csv: 'unit-' + P.code + '-' + key + '.csv', caption: P.name + ' \u2014 ' + labels[key],
      head: 0, fmt: '--nnnprss-', dec: dec, of: of, rows: rows };
    var lines = [];
    (j.s[ui] || []).forEach(function (sc) {
      if (sc[0] === null) { return; }
      var l = words(m.unit_score, { total: ptext(sc[0], 1), rank: sc[1], n: j.ns });
      if (sc[2]) { l += ' (' + (sc[2] > 0 ? '+' : '') + sc[2] + ')'; }
      lines.push(l);
    });
    var notes = [];
    if (miss.length) { notes.push(m.not_reported + ': ' + miss.join('; ') + '.'); }
    if (off.length) { notes.push(words(m.radar_left_out, { indicators: off.join('; ') })); }
    var block = { tables: [t] };
    if (notes.length) { block.notes = notes; }
    if (lines.length) { block.lines = lines; }
    var blocks = {};
    blocks['page-unit-' + P.code] = {};
    blocks['page-unit-' + P.code][key] = block;
    var out = { pd: { blocks: blocks, heads: [P.head], strs: [], cells: [], classes: [] }, opts: {} };
    if (axes.length) {
      var mx = Math.ceil(maxV / 10) * 10, name = defuse(P.name);
      axes.forEach(function (a) { a.max = mx; });
      out.opts['c-unit-' + P.code + '-radar'] = { title: defuse(m.radar_title + ' \u2014 ' + labels[key]), radar: { indicator: axes },
        series: [{ name: name, type: 'radar', data: [{ name: name, value: mine }], areaStyle: { opacity: 0.2 } },
          { name: m.cluster, type: 'radar', data: [{ name: m.cluster, value: theirs }] }] };
    }
    return out;
  }
  // view is the page's view of period key from the rows files' documents
  // pds of that period (a unit page's: every chunk).
  function view(pds, key) {
    var j = { byInd: {}, s: [], ns: 0 };
    pds.forEach(function (pd) {
      pd.inds.forEach(function (code, i) { j.byInd[code] = { u: pd.u[i], c: pd.c[i] }; });
      j.s = pd.s || j.s;
      j.ns = pd.ns || j.ns;
    });
    return PR.kind === 'unit' ? unitView(j, key) : indicatorView(j, key);
  }
  // rowsPatch is a chart's patch of its base from a view's title,
  // categories or radar axes, and series.
  function rowsPatch(spec, o) {
    var b = spec.base || {}, k, p = { series: o.series };
    if (o.labels) {
      var x = list(b.xAxis)[0] || {}, ax = {};
      for (k in x) { if (Object.prototype.hasOwnProperty.call(x, k)) { ax[k] = x[k]; } }
      ax.data = o.labels;
      p.xAxis = [ax];
    }
    if (o.radar) { p.radar = o.radar; }
    var title = {};
    for (k in (b.title || {})) { if (Object.prototype.hasOwnProperty.call(b.title, k)) { title[k] = b.title[k]; } }
    title.text = o.title;
    p.title = title;
    return p;
  }
  // placeRows keeps the view of period key built from its rows.
  function placeRows(key, pds) {
    var v = view(pds, key);
    if (!v || loaded[key]) { return; }
    loaded[key] = v.pd;
    charts.forEach(function (c) {
      var o = v.opts[c.spec.id];
      if (o) { c.spec.byPeriod[key] = c.spec.opts.length; c.spec.opts.push(rowsPatch(c.spec, o)); }
    });
  }
  // A rows file calls thidua.prows with its packed rows.
  function packedProws(b64) {
    unpackTo(b64, function (pd) { if (PR && pd && pd.key && pd.inds) { (prowsIn[pd.key] = prowsIn[pd.key] || []).push(pd); } });
  }
  // loadRows loads the rows files of period key the page needs (the unit
  // list and a unit page's sparkline series of the period's type first),
  // one after the other, then builds its view.
  function loadRows(key, done) {
    if (loaded[key]) { done(); return; }
    var sf = seriesFiles[types[key]];
    if (sf && PR.series) {
      script(PR.series + 'series-' + sf + '.js', 's' + sf, function () {
        Object.keys(seriesFiles).forEach(function (x) { if (seriesFiles[x] === sf) { seriesFiles[x] = ''; } });
        loadRows(key, done);
      });
      return;
    }
    if (!units && data.unitsFile) { script(data.unitsFile, 'units', function () { loadRows(key, done); }); return; }
    var next = function (i) {
      if (i < PR.chunks.length) { script(PR.file + key + '.' + PR.chunks[i] + '.js', 'r' + key + '.' + PR.chunks[i], function () { next(i + 1); }); return; }
      if (prowsIn[key] && !loaded[key]) { placeRows(key, prowsIn[key]); }
      delete prowsIn[key];
      done();
    };
    next(0);
  }

  // Charts are created when first needed: all at once on a page of the
  // site, as they scroll into view in the single file (dozens of charts).
  var charts = [];
  var current = null;
  data.charts.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (el) { charts.push({ spec: spec, inst: null, el: el }); }
  });

  // periodHasData: some chart of the page has an option of its own for
  // the period (a period without data has none).
  function periodHasData(key) {
    return charts.some(function (o) { return o.spec.byPeriod[key] !== undefined; });
  }

  function apply(c) {
    var idx = c.spec.byPeriod[current];
    // A chart the same for every period of a type (a trend) comes with
    // the page, once per type.
    if (idx === undefined && c.spec.byType && periodHasData(current)) { idx = c.spec.byType[types[current]]; }
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
    if (c.inst) {
      var o = decorate(merged(c.spec, idx), c.spec);
      markUnit(o, c.spec);
      c.inst.setOption(o, true);
    }
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

  // A period file calls thidua.period with its data: the charts' patches
  // join the page's, its blocks are kept for materialize.
  function period(pd) {
    var key = pd && pd.key;
    if (!types[key] || loaded[key]) { return; }
    loaded[key] = pd;
    if (key === data.default) { return; } // (every row of its tables: its charts are in the page)
    charts.forEach(function (c) {
      var pt = pd.charts && pd.charts[c.spec.id];
      var ax = pd.axes && pd.axes[c.spec.id], ri = pt && pt.radar && pt.radar.indicator;
      if (ax && ri && !Array.isArray(ri)) {
        // (a radar's axes: indexes into the file's names of the chart's
        // axes, all of one max; dashboards.go's radarAxes)
        pt.radar = { indicator: ri.axes.map(function (i) { return { name: ax[i], max: ri.max }; }) };
      }
      if (pt) {
        if (pd.whole) { c.spec.whole = c.spec.whole || {}; c.spec.whole[c.spec.opts.length] = (pd.bases && pd.bases[c.spec.id]) || true; }
        c.spec.byPeriod[key] = c.spec.opts.length; c.spec.opts.push(pt);
      }
    });
  }

  // unpack turns packed data (base64 of zlib-compressed JSON, see
  // dashboards.go's pack) back into its object, then calls done with it.
  // It uses the browser's DecompressionStream where there is one, else
  // fflate (assets/fflate.min.js, the global fflate: before Chrome 80,
  // Firefox 113, Safari 16.4); both give the same text. Where neither
  // works it calls done with null, after saying so on the page once.
  var oldBrowserShown = false;
  function unpack(b64, done) {
    var fail = function () {
      if (!oldBrowserShown && M.old_browser) {
        oldBrowserShown = true;
        var main = document.querySelector('main') || document.body;
        main.insertBefore(node('p', 'note', M.old_browser), main.firstChild);
      }
      done(null);
    };
    var parse = function (text) { var o = null; try { o = JSON.parse(text); } catch (e) { fail(); return; } done(o); };
    var stream = typeof DecompressionStream === 'function' && typeof Response === 'function';
    var ff = typeof fflate === 'object' && fflate && typeof fflate.unzlibSync === 'function';
    if (!stream && !ff) { fail(); return; }
    var text;
    try {
      var bin = atob(b64), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      if (stream) {
        new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'))).text().then(parse, fail);
        return;
      }
      text = fflate.strFromU8(fflate.unzlibSync(bytes));
    } catch (e) { fail(); return; }
    parse(text);
  }

  // A period file calls thidua.packed with its packed data, some periods
  // of the page: it is unpacked before the file's load is reported done.
  var unpacking = 0, afterUnpack = [];
  function packed(b64) {
    unpackTo(b64, function (pd) {
      // (a unit page's sparkline series of a period type)
      Object.keys(pd.series || {}).forEach(function (id) {
        series[id] = series[id] || {};
        Object.keys(pd.series[id]).forEach(function (k) { series[id][k] = pd.series[id][k]; });
      });
      Object.keys(pd.charts || {}).forEach(function (key) {
        period({ key: key, whole: pd.whole, bases: pd.bases, axes: pd.axes, charts: pd.charts[key], blocks: pd.blocks, heads: pd.heads, strs: pd.strs, cells: pd.cells, classes: pd.classes });
      });
    });
  }
  // (data/PAGE.rows.N.js: every row of the page's paged tables that are not
  // a period's)
  function packedRows(b64) { unpackTo(b64, function (pd) { rowsData.push(pd); }); }
  function unpackTo(b64, f) {
    unpacking++;
    unpack(b64, function (pd) {
      if (pd) { f(pd); }
      unpacking--;
      if (unpacking === 0) { var fs = afterUnpack; afterUnpack = []; fs.forEach(function (f) { f(); }); }
    });
  }
  function whenUnpacked(f) { if (unpacking === 0) { f(); } else { afterUnpack.push(f); } }

  // The period files of a page of the site hold a few periods each: the
  // file of a period is named after its first period (data.files,
  // data.fileOf).
  var fileOf = {};
  if (data.files) { data.periods.forEach(function (p, i) { fileOf[p.key] = data.files[data.fileOf[i]]; }); }

  // load brings the file of period key (a <script> element: works from
  // file:// under the CSP, no server), then calls done.
  // (a unit page: the file of the sparkline series of each period type
  // but the default period's, until loaded)
  var seriesFiles = data.seriesFiles || {};
  function load(key, done) {
    if (PR) { loadRows(key, done); return; }
    if (!data.lazy || !fileOf[key]) { done(); return; }
    // The series of the period's type come first, once (a unit page);
    // then the unit list the period files refer to, once.
    var t = types[key];
    var sf = seriesFiles[t];
    if (sf) {
      script(data.lazy + 'series-' + sf + '.js', 's' + sf, function () {
        Object.keys(seriesFiles).forEach(function (x) { if (seriesFiles[x] === sf) { seriesFiles[x] = ''; } });
        load(key, done);
      });
      return;
    }
    if (loaded[key]) { done(); return; }
    if (!units && data.unitsFile) { script(data.unitsFile, 'units', function () { load(key, done); }); return; }
    script(data.lazy + fileOf[key] + '.js', 'p' + fileOf[key], done);
  }

  // script loads src as a <script> element (works from file:// under the
  // CSP, no server), then calls done; calls for the same id wait for one
  // load.
  function script(src, id, done) {
    if (loading[id]) { loading[id].push(done); return; }
    loading[id] = [done];
    var s = document.createElement('script');
    s.onload = s.onerror = function () {
      whenUnpacked(function () {
        if (id === 'units' && !units) { units = []; } // never asked twice
        var ds = loading[id] || [];
        delete loading[id];
        s.remove();
        ds.forEach(function (d) { d(); });
      });
    };
    s.src = src;
    document.head.appendChild(s);
  }

  var wanted = null;
  function show(key) {
    if (!types[key]) { key = data.default; }
    if (!key) { return; }
    wanted = key;
    if (select) { select.value = key; }
    var go = function () { if (wanted === key) { place(key); } };
    if (key === data.default) { go(); } else { load(key, go); }
  }

  function place(key) {
    materialize(key);
    var els = document.querySelectorAll('[data-period]');
    for (var i = 0; i < els.length; i++) { els[i].hidden = els[i].getAttribute('data-period') !== key; }
    els = document.querySelectorAll('[data-ptype]');
    for (i = 0; i < els.length; i++) { els[i].hidden = els[i].getAttribute('data-ptype') !== types[key]; }
    current = key;
    if (query) { withFull(paginateAll); }
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

  // A large cluster's tables show a page of rows at a time; the search
  // box keeps the rows whose key (data-k: thidua.Fold of the unit's name,
  // written by the Go side) holds the reader's query, folded by the same
  // rule with the Go side's letter table (data.fold).
  function fold(s) {
    var out = '', space = true;
    Array.from(String(s)).forEach(function (ch) {
      Array.from(ch.toLowerCase()).forEach(function (c) {
        if (/\p{Mn}/u.test(c)) { return; }
        c = FOLD[c] || c;
        if (/^[\p{L}\p{Nd}]$/u.test(c)) { out += c; space = false; } else if (!space) { out += ' '; space = true; }
      });
    });
    return out.replace(/ $/, '');
  }

  // rebuildDefault replaces the default period's parts, whose tables the
  // HTML carries a page of, with parts built from every row.
  function rebuildDefault() {
    var key = data.default;
    use(periodData(key));
    var tpls = document.querySelectorAll('[data-slot][data-period="' + key + '"]');
    for (var i = 0; i < tpls.length; i++) {
      var tpl = tpls[i], art = tpl.closest('article'), slot = tpl.getAttribute('data-slot');
      var b = art && blocks[art.id] && blocks[art.id][key];
      if (!b) { continue; }
      var el = node(tpl.tagName.toLowerCase(), tpl.className);
      el.setAttribute('data-period', key);
      el.setAttribute('data-slot', slot);
      el.hidden = tpl.hidden;
      fill(el, slot, b, key, series[art.id]);
      tpl.parentNode.replaceChild(el, tpl);
    }
    if (!data.single && current) { pageLinks(current); }
  }

  // rebuildRows replaces the paged tables of the parts (not a period's)
  // with tables of every row: a table's rows can come in several parts,
  // in order, whose rows join the first's.
  function rebuildRows(parts) {
    var seen = {};
    parts.forEach(function (pd) {
      use(pd);
      (pd.tables || []).forEach(function (t) {
        var old = document.getElementById(t.id);
        if (seen[t.id] && old) {
          var body = old.tBodies[0], more = tableNode(t, null).querySelector('table').tBodies[0];
          Array.prototype.slice.call(more.rows).forEach(function (r) { r.hidden = true; body.appendChild(r); });
          old.setAttribute('data-rows', String(body.rows.length));
          return;
        }
        seen[t.id] = true;
        var box = old && old.closest('.table-box');
        if (box) { box.parentNode.replaceChild(tableNode(t, null), box); }
      });
    });
    if (!data.single && current) { pageLinks(current); }
  }

  function needFull() { return !rowsDone || (!fullDone && current === data.default); }

  // withFull calls f once the tables on show hold every row: the default
  // period's come with its file (the single file: with the page), the
  // others' with the page's rows file.
  function withFull(f) {
    if (!rowsDone) {
      var fin = function (pd) {
        if (!rowsDone) { rowsDone = true; rebuildRows(pd); }
        withFull(f);
      };
      if (data.rows) {
        fin([{ tables: data.rows, heads: inline.heads, strs: inline.strs, cells: inline.cells, classes: inline.classes }]);
      } else {
        // (the rows files one after the other: their parts in order)
        var next = function (i) {
          if (i >= data.rowsFiles.length) { fin(rowsData); return; }
          script(data.rowsFiles[i], 'rows' + i, function () { next(i + 1); });
        };
        if (!units && data.unitsFile) { script(data.unitsFile, 'units', function () { next(0); }); } else { next(0); }
      }
      return;
    }
    if (fullDone || current !== data.default) { f(); return; }
    load(data.default, function () {
      if (!fullDone) { fullDone = true; rebuildDefault(); }
      f();
    });
  }

  function shownTables() {
    return Array.prototype.filter.call(document.querySelectorAll('table[data-page]'), function (t) {
      return !t.closest('[hidden]');
    });
  }

  // paginate shows the page of t's matching rows the reader is on.
  function paginate(t) {
    var id = t.id, per = perPage[id] === undefined ? +t.getAttribute('data-page') : perPage[id];
    var rows = Array.prototype.slice.call(t.tBodies[0].rows), match = [];
    rows.forEach(function (r) {
      var k = r.getAttribute('data-k');
      if (!query || (k !== null && k.indexOf(query) >= 0)) { match.push(r); }
    });
    var n = match.length, pages = per > 0 ? Math.max(1, Math.ceil(n / per)) : 1;
    var pg = Math.max(0, Math.min(pageNo[id] || 0, pages - 1));
    pageNo[id] = pg;
    var from = per > 0 ? pg * per : 0, to = per > 0 ? Math.min(n, from + per) : n;
    rows.forEach(function (r) { r.hidden = true; });
    for (var i = from; i < to; i++) { match[i].hidden = false; }
    var pager = document.querySelector('.pager[data-for="' + id + '"]');
    if (!pager) { return; }
    pager.querySelector('.pg-info').textContent = rowsInfo(from, to, n, rows.length);
    pager.querySelector('.pg-prev').disabled = pg === 0;
    pager.querySelector('.pg-next').disabled = pg >= pages - 1;
    var note = pager.parentNode.querySelector('.pg-print');
    if (note) { note.hidden = to - from === rows.length; }
  }

  function paginateAll() { shownTables().forEach(paginate); }

  // matches are the units (code → key) of the tables on show whose key
  // holds the query; the unit searched for is the one whose key is the
  // query, or the only one.
  function searched() {
    if (!query) { return null; }
    var units = {}, n = 0, exact = null;
    shownTables().forEach(function (t) {
      Array.prototype.forEach.call(t.tBodies[0].rows, function (r) {
        var u = r.getAttribute('data-u'), k = r.getAttribute('data-k');
        if (!u || k === null || k.indexOf(query) < 0 || units[u]) { return; }
        units[u] = true;
        n++;
        if (k === query) { exact = u; }
      });
    });
    var only = null;
    if (n === 1) { for (var u in units) { if (Object.prototype.hasOwnProperty.call(units, u)) { only = u; } } }
    return { n: n, unit: exact || only };
  }

  var searchBox = document.getElementById('unit-search');
  function onSearch() {
    query = fold(searchBox.value);
    withFull(function () {
      pageNo = {};
      paginateAll();
      var s = searched(), info = document.querySelector('.search-info');
      selected = s && s.unit;
      if (info) {
        var name = '';
        if (selected) {
          var row = document.querySelector('[data-period]:not([hidden]) tr[data-u="' + selected + '"]');
          name = row ? rowName(row) : selected;
        }
        info.textContent = !s ? '' : (selected ? M.search_selected.replace('{unit}', name) : M.search_matches.replace('{n}', num(s.n, 0)));
      }
      charts.forEach(apply);
    });
  }
  if (searchBox) { searchBox.addEventListener('input', onSearch); }

  // rowName is the unit's name in a row: the text of its linked cell.
  function rowName(row) {
    var a = row.querySelector('a[href^="unit-"]');
    return a ? a.textContent : row.cells[0].textContent;
  }

  document.addEventListener('change', function (ev) {
    var sel = ev.target;
    if (!sel.closest || !sel.closest('.pg-size')) { return; }
    var id = sel.closest('.pager').getAttribute('data-for');
    withFull(function () {
      var t = document.getElementById(id);
      perPage[id] = +sel.value;
      pageNo[id] = 0;
      if (t) { paginate(t); }
    });
  });

  // Sortable tables: click a heading; numbers sort by their exact value,
  // missing values last. A paged table is sorted whole, then shows its
  // first page.
  document.addEventListener('click', function (ev) {
    var btn = ev.target.closest ? ev.target.closest('button') : null;
    if (!btn) { return; }
    var box = btn.closest('.table-box'), paged = box && box.querySelector('table[data-page]');
    if (paged && needFull()) {
      // (the table is rebuilt with every row first; the click is then
      // made on the rebuilt table's same button)
      var tid = paged.id, cls = btn.className, idx = Array.prototype.indexOf.call(box.querySelectorAll('button'), btn);
      withFull(function () {
        var nb = document.getElementById(tid);
        var b2 = nb && nb.closest('.table-box').querySelectorAll('button')[idx];
        if (b2 && b2.className === cls) { b2.click(); }
      });
      return;
    }
    if (btn.classList.contains('pg-prev') || btn.classList.contains('pg-next')) {
      var pid = btn.closest('.pager').getAttribute('data-for');
      pageNo[pid] = (pageNo[pid] || 0) + (btn.classList.contains('pg-next') ? 1 : -1);
      paginate(document.getElementById(pid));
      return;
    }
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
      if (table.hasAttribute('data-page')) { pageNo[table.id] = 0; paginate(table); }
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

  // build returns a new element of slot for period key of the article, as
  // materialize adds it (for the tests).
  function build(artId, slot, key) {
    // (an indicator page of rows files: its view built from the rows, the
    // default period's in the page for the tests)
    var dv = PR && data.prowsDefault && data.prowsDefault.key === key ? view([data.prowsDefault], key) : null;
    use(dv ? dv.pd : periodData(key));
    var b = blocks[artId] && blocks[artId][key];
    if (!b) { return null; }
    var tpl = document.querySelector('[data-slot="' + slot + '"]');
    var el = node(tpl ? tpl.tagName.toLowerCase() : 'div', tpl ? tpl.className : 'pv');
    el.setAttribute('data-period', key);
    el.setAttribute('data-slot', slot);
    fill(el, slot, b, key, series[artId]);
    return el;
  }

  // data/units.js calls thidua.units with the site's unit list.
  function setUnits(list) { if (Array.isArray(list)) { units = list; } }

  // rowsCharts gives, for each chart of the default period's view built
  // from its rows (data.prowsDefault, tests), the option the page holds
  // and the one built here, both merged with the chart's base.
  function rowsCharts() {
    var out = [];
    if (!PR || !data.prowsDefault) { return out; }
    var v = view([data.prowsDefault], data.default);
    charts.forEach(function (c) {
      var o = v && v.opts[c.spec.id], idx = c.spec.byPeriod[data.default];
      if (!o && idx === undefined) { return; }
      var built = null;
      if (o) {
        built = {};
        var p = rowsPatch(c.spec, o), k;
        for (k in c.spec.base) { if (Object.prototype.hasOwnProperty.call(c.spec.base, k)) { built[k] = c.spec.base[k]; } }
        for (k in p) { if (Object.prototype.hasOwnProperty.call(p, k)) { built[k] = p[k]; } }
      }
      out.push([c.spec.id, idx === undefined ? null : merged(c.spec, idx), built]);
    });
    return out;
  }

  window.thidua = { show: show, period: period, packed: packed, units: setUnits, rows: packedRows, prows: packedProws, rowsCharts: rowsCharts, unpack: unpack, charts: charts, initAll: initAll, merged: merged, build: build, fold: fold,
    readyMs: Math.round(performance.now()) };
})();
