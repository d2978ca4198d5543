// memtrace report: builds the page from the embedded data. Every string from the trace goes
// into the DOM as text (textContent, createTextNode, setAttribute), never as markup.
(function () {
  'use strict';
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById('data').textContent);
  var E = D.ev, R = D.regions, S = D.strs, N = E.line.length, ROW = 38, EVERY = 200;
  var SVG = 'http://www.w3.org/2000/svg';
  // the explain stage's region classes (and the plain ones used without it), by family:
  // images green, brk heap and malloc red-orange, stacks blue, anonymous yellow, files light blue
  var PALETTE = { 'image: text': '#2e7d32', 'image: headers': '#81c784', 'image: rodata': '#a5d6a7',
    'image: relro': '#66bb6a', 'image: data': '#43a047', 'image: bss': '#1b5e20', 'image: reserved span': '#c8e6c9',
    'heap (brk)': '#e4572e', heap: '#e4572e', 'malloc arena': '#f08a4b', 'malloc mmap chunk': '#f4a261',
    'ld.so minimal malloc': '#e9c46a', 'TLS + TCB': '#9b5de5', 'main stack': '#1d3557', stack: '#1d3557',
    'thread stack': '#457b9d', 'guard page': '#adb5bd', 'reserved (PROT_NONE)': '#dee2e6',
    'anonymous mmap': '#f3a712', anonymous: '#f3a712', 'file mapping (private)': '#76a5d8', file: '#76a5d8',
    'file mapping (shared)': '#4a7fc1', 'shared memory': '#17becf', library: '#4c9f70',
    vdso: '#999999', vvar: '#bbbbbb', vsyscall: '#888888', kernel: '#999999', unknown: '#cccccc' };
  var EXTRA = ['#17becf', '#bcbd22', '#e377c2', '#8c564b', '#7f7f7f', '#1f77b4', '#d62728', '#2ca02c'];
  var colour = D.classes.map(function (c, i) { return PALETTE[c] || EXTRA[i % EXTRA.length]; });
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function bytes(n) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(n < 10 ? 1 : 0) : n) + ' ' + u[i];
  }
  function regionName(r) { return S[R.path[r]] || '[anon]'; }
  function regionLabel(r) {
    return R.s[r] + '-' + R.e[r] + ' ' + S[R.perm[r]] + ' ' + bytes(R.size[r]) + ' ' + regionName(r) +
      ' (' + D.classes[R.cls[r]] + regionSource(r) + ')';
  }
  function regionSource(r) {
    var how = R.learnt ? S[R.learnt[r]] : 'trace';
    // the kernel kept memory other calls made next to it in the same area (vma_merge, brk)
    var joined = !R.made || R.made[r] >= R.size[r] ? '' : R.made[r] ?
      ': ' + bytes(R.made[r]) + ' of it; other calls made the rest next to it, and the kernel keeps them as one area' :
      ', none of it now; other calls made what is left next to it, and the kernel keeps them as one area';
    if (how === 'snapshot') return ', learnt from a snapshot' + joined;
    if (how === 'ELF header') return ', from the ELF headers' + (R.origin[r] ? ', execve on line ' + R.origin[r] : '') + joined;
    return R.origin[r] ? ', made at line ' + R.origin[r] + joined : '';
  }
  function regionsOf(i) {
    var out = [];
    ['init', 'rm', 'add'].forEach(function (k) { if (E[k] && E[k][i]) out = out.concat(E[k][i]); });
    if (E.buf[i] != null) out.push(E.buf[i]);
    return out;
  }

  // --- replay: per space, the events that changed it and a checkpoint every EVERY of them ---
  var changesOf = D.spaces.map(function () { return []; });
  var checkpoints = D.spaces.map(function () { return []; });
  (function () {
    var live = D.spaces.map(function () { return new Set(); });
    for (var i = 0; i < N; i++) {
      var sp = E.sp[i], init = E.init && E.init[i];
      if (!init && !E.rm[i] && !E.add[i]) continue;
      var list = changesOf[sp];
      if (list.length % EVERY === 0) checkpoints[sp].push(new Set(live[sp]));
      list.push(i);
      apply(live[sp], i);
    }
  })();
  function apply(set, i) {
    if (E.init && E.init[i]) E.init[i].forEach(function (r) { set.add(r); });
    if (E.rm[i]) E.rm[i].forEach(function (r) { set.delete(r); });
    if (E.add[i]) E.add[i].forEach(function (r) { set.add(r); });
  }
  /** The regions of space sp just after event i. */
  function stateAfter(sp, i) {
    var list = changesOf[sp], lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] <= i) lo = mid + 1; else hi = mid; }
    if (lo === 0) return new Set();
    var c = Math.floor((lo - 1) / EVERY), set = new Set(checkpoints[sp][c]);
    for (var k = c * EVERY; k < lo; k++) apply(set, list[k]);
    return set;
  }

  // --- picture ---
  var picked = null;
  function drawPicture(i) {
    var sp = E.sp[i], space = D.spaces[sp], live = stateAfter(sp, i);
    var added = new Set(E.add[i] || []), gone = E.rm[i] || [];
    var X = 92, W = 120, h = Math.max(40, space.height + 10);
    var svg = sv('svg', { width: 480, height: h, id: 'space-svg', 'data-event': i, 'data-regions': live.size });
    var defs = sv('defs', {}), pat = sv('pattern', { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    pat.appendChild(sv('rect', { width: 6, height: 6, fill: '#f4f4f4' }));
    pat.appendChild(sv('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#ccc', 'stroke-width': 2 }));
    defs.appendChild(pat); svg.appendChild(defs);
    space.gaps.forEach(function (g) {
      svg.appendChild(sv('rect', { 'class': 'gap', x: X, y: g[0] + 2, width: W, height: g[1] - 4 }));
      svg.appendChild(sv('text', { 'class': 'gaptext', x: X + W + 6, y: g[0] + g[1] / 2 + 3 }, '\u22ef ' + bytes(g[2]) + ' unmapped'));
    });
    var first = null;
    live.forEach(function (r) {
      var y = R.y[r], hh = Math.max(R.h[r] - 0.5, 1);
      var rect = sv('rect', { 'class': 'region' + (added.has(r) ? ' hl' : '') + (picked === r ? ' picked' : ''),
        x: X, y: y, width: W, height: hh, fill: colour[R.cls[r]], 'data-region': r });
      rect.appendChild(sv('title', {}, regionLabel(r)));
      rect.addEventListener('click', function () { pickRegion(r); });
      svg.appendChild(rect);
      if (added.has(r) && (first === null || y < first)) first = y;
      if (R.h[r] >= 10) {
        svg.appendChild(sv('text', { x: 2, y: y + 9 }, R.s[r]));
        var name = regionName(r), base = name.slice(name.lastIndexOf('/') + 1);
        svg.appendChild(sv('text', { x: X + W + 6, y: y + 9 }, base + ' ' + S[R.perm[r]] + ' ' + bytes(R.size[r])));
      }
    });
    gone.forEach(function (r) {
      svg.appendChild(sv('rect', { 'class': 'gone', x: X - 4, y: R.y[r], width: W + 8, height: Math.max(R.h[r], 2) }));
      if (first === null || R.y[r] < first) first = R.y[r];
    });
    var box = $('picture'), present = new Set();
    box.replaceChildren(svg);
    live.forEach(function (r) { present.add(R.cls[r]); });
    $('legend').replaceChildren.apply($('legend'), Array.from(present).sort(function (a, b) { return a - b; }).map(function (c) {
      return swatch(colour[c], D.classes[c]);
    }));
    $('space-name').textContent = 'of pid ' + space.owner + ' (' + live.size + ' regions)';
    if (first !== null && (first < box.scrollTop || first > box.scrollTop + box.clientHeight - 20)) box.scrollTop = first - 40;
  }
  function pickRegion(r) {
    picked = r;
    drawPicture(cur);
    var d = $('detail');
    d.replaceChildren(el('h2', null, 'region'), el('pre', null, regionLabel(r)));
    var sp = R.sp[r], lo = parseInt(R.s[r], 16), hi = parseInt(R.e[r], 16), hits = [];
    for (var i = 0; i < N && hits.length < 500; i++) {
      if (E.sp[i] !== sp) continue;
      var rs = regionsOf(i);
      for (var k = 0; k < rs.length; k++) {
        var q = rs[k];
        if (parseInt(R.s[q], 16) < hi && parseInt(R.e[q], 16) > lo) { hits.push(i); break; }
      }
    }
    d.appendChild(el('h2', null, hits.length + (hits.length === 500 ? '+' : '') + ' events touched these addresses'));
    hits.forEach(function (i) { d.appendChild(evLink(i)); });
  }
  function evLink(i) {
    var a = el('span', 'ev', E.line[i] + ': ' + E.text[i]);
    a.addEventListener('click', function () { select(i, true); });
    return a;
  }

  // --- filters and the virtualised timeline ---
  var shown = new Int32Array(0), cur = 0, lower = null;
  function fillFilters() {
    var tasks = new Map(), names = new Map();
    for (var i = 0; i < N; i++) {
      tasks.set(E.task[i], E.proc[i]);
      if (E.kind[i] === 0) names.set(E.name[i], (names.get(E.name[i]) || 0) + 1);
    }
    var ft = $('f-task');
    Array.from(new Set(E.proc)).sort(function (a, b) { return a - b; }).forEach(function (p) {
      ft.appendChild(opt('p' + p, 'process ' + p));
      tasks.forEach(function (proc, t) { if (proc === p && t !== p) ft.appendChild(opt('t' + t, '\u2003thread ' + t)); });
    });
    Array.from(names.keys()).sort(function (a, b) { return names.get(b) - names.get(a); }).forEach(function (n) {
      $('f-name').appendChild(opt(String(n), S[n] + ' (' + names.get(n) + ')'));
    });
    D.classes.forEach(function (c, i) { $('f-class').appendChild(opt(String(i), c)); });
  }
  function opt(v, text) { var o = el('option', null, text); o.value = v; return o; }
  function applyFilters(opening) {
    var task = $('f-task').value, name = $('f-name').value, cls = $('f-class').value;
    var mem = $('f-mem').checked, text = $('f-text').value.toLowerCase();
    if (text && !lower) {
      lower = new Array(N);
      for (var j = 0; j < N; j++) {
        lower[j] = (E.text[j] + ' ' + (E.why[j] || []).map(function (w) { return w[0]; }).join(' ')).toLowerCase();
      }
    }
    var p = task ? +task.slice(1) : 0, byProc = task[0] === 'p', nm = name ? +name : -1, c = cls ? +cls : -1;
    var out = [];
    for (var i = 0; i < N; i++) {
      if (task && (byProc ? E.proc[i] : E.task[i]) !== p) continue;
      if (nm >= 0 && (E.kind[i] !== 0 || E.name[i] !== nm)) continue;
      if (mem && !E.mem[i]) continue;
      if (c >= 0 && !regionsOf(i).some(function (r) { return R.cls[r] === c; })) continue;
      if (text && lower[i].indexOf(text) < 0) continue;
      out.push(i);
    }
    shown = Int32Array.from(out);
    $('count').textContent = shown.length + ' of ' + N + ' events';
    $('timeline-space').style.height = shown.length * ROW + 'px';
    $('scrubber').max = Math.max(0, shown.length - 1);
    if (shown.length) select(shown[nearest(cur)], !opening); else { renderRows(); $('detail').replaceChildren(el('p', null, 'no event matches the filters')); }
  }
  function nearest(i) {
    var lo = 0, hi = shown.length - 1;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (shown[mid] < i) lo = mid + 1; else hi = mid; }
    return lo;
  }
  var pending = false;
  function renderRows() {
    pending = false;
    var tl = $('timeline'), from = Math.max(0, Math.floor(tl.scrollTop / ROW) - 5);
    var to = Math.min(shown.length, from + Math.ceil(tl.clientHeight / ROW) + 10), rows = [];
    for (var k = from; k < to; k++) {
      var i = shown[k], row = el('div', 'row' + (E.mem[i] ? ' mem' : '') + (E.rm[i] || E.add[i] ? ' chg' : '') + (i === cur ? ' sel' : ''));
      row.style.top = k * ROW + 'px';
      row.dataset.event = i;
      row.appendChild(el('span', 'l', String(E.line[i])));
      // -ff logs carry the pid in the file name, not the line: show it
      if (E.task[i] && E.text[i].lastIndexOf(String(E.task[i]), 0) !== 0) row.appendChild(el('span', 'p', String(E.task[i])));
      row.appendChild(el('span', 't', E.text[i].split('\n').pop()));
      row.appendChild(el('span', 'w', E.why[i] ? E.why[i][0][0] : ''));
      rows.push(row);
    }
    $('timeline-space').replaceChildren.apply($('timeline-space'), rows);
  }
  $('timeline').addEventListener('scroll', function () { if (!pending) { pending = true; requestAnimationFrame(renderRows); } });
  $('timeline').addEventListener('click', function (ev) {
    var row = ev.target.closest('.row');
    if (row) select(+row.dataset.event, false);
  });
  $('timeline').addEventListener('keydown', function (ev) {
    var k = nearest(cur) + (ev.key === 'ArrowDown' ? 1 : ev.key === 'ArrowUp' ? -1 : 0);
    if (k !== nearest(cur) && k >= 0 && k < shown.length) { ev.preventDefault(); select(shown[k], true); }
  });
  $('scrubber').addEventListener('input', function () { if (shown.length) select(shown[+this.value], true); });
  ['f-task', 'f-name', 'f-class', 'f-mem'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
  var typing;
  $('f-text').addEventListener('input', function () { clearTimeout(typing); typing = setTimeout(applyFilters, 200); });

  function select(i, scroll) {
    cur = i;
    var k = nearest(i);
    $('scrubber').value = k;
    var time = E.t[i] != null ? ' t=' + E.t[i].toFixed(6) : '';
    $('pos').textContent = 'event ' + (k + 1) + '/' + shown.length + ' line ' + E.line[i] + time;
    var tl = $('timeline');
    if (scroll && (k * ROW < tl.scrollTop || (k + 1) * ROW > tl.scrollTop + tl.clientHeight)) tl.scrollTop = k * ROW - tl.clientHeight / 3;
    renderRows();
    drawPicture(i);
    showEvent(i);
  }
  function showEvent(i) {
    var d = $('detail');
    d.replaceChildren(el('pre', 'raw', E.text[i]));
    d.appendChild(el('div', null, 'line ' + E.line[i] + (E.task[i] ? ', task ' + E.task[i] + ' of process ' + E.proc[i] : '') +
      (E.t[i] != null ? ', t=' + E.t[i] : '') + (E.dur[i] != null ? ', took ' + E.dur[i] + ' s' : '')));
    (E.why[i] || []).forEach(function (w) {
      var p = el('div', 'why');
      p.appendChild(el('span', 'basis ' + w[1], w[1]));
      p.appendChild(document.createTextNode(w[0]));
      if (w[2]) p.appendChild(el('div', 'evidence', 'rests on: ' + w[2]));
      if (w[3]) p.appendChild(el('div', 'evidence', 'kind ' + w[3]));
      d.appendChild(p);
    });
    var list = function (k, sign) { (E[k] && E[k][i] || []).forEach(function (r) { d.appendChild(el('div', 'chg', sign + ' ' + regionLabel(r))); }); };
    list('rm', '\u2212'); list('init', '= (copied from parent)'); list('add', '+');
    if (E.buf[i] != null) d.appendChild(el('div', 'buf', 'buffer in ' + regionLabel(E.buf[i])));
  }

  // --- summary: a bar chart and tables per class and per object ---
  // The explain stage's summary (per address space, its finer classes) when embedded, else the
  // page's own tally over all spaces. Rows: [class, bytes at end, regions at end, peak bytes].
  function colourOf(name) {
    var i = D.classes.indexOf(name);
    if (i >= 0) return colour[i];
    if (PALETTE[name]) return PALETTE[name];
    var h = 0;
    for (var k = 0; k < name.length; k++) h = (h * 31 + name.charCodeAt(k)) | 0;
    return EXTRA[Math.abs(h) % EXTRA.length];
  }
  function drawSummary() {
    var parts = [];
    if (D.explain && D.explain.length) {
      D.explain.forEach(function (sp) {
        // a space the log shows no memory call of has no peak of its own: its notes say what it holds
        parts.push(el('h3', null, (sp.pids.length == 1 ? 'process ' : 'pids ') + sp.pids.join(', ') + ' ' + (sp.program || '') + ': ' + bytes(sp.endTotal) +
          ' at the end' + (sp.fromModel ? ' (regions the trace or its snapshots show)' : ' (regions the trace made)') +
          (sp.memoryEvents === 0 ? '' : ', peak ' + bytes(sp.peakTotal) + ' at line ' + sp.peakLine)));
        (sp.notes || []).forEach(function (n) { parts.push(el('p', 'summary-note', n)); });
        if (sp.endReserved || sp.peakReserved) {
          parts.push(el('p', 'summary-note', 'PROT_NONE among them: ' + bytes(sp.endReserved || 0) + ' at the end' +
            (sp.memoryEvents === 0 ? '' : ', ' + bytes(sp.peakReserved || 0) + ' at the peak') +
            ' (reserved address space, which no access may touch: a page there holds memory only if it was touched before an mprotect made it PROT_NONE)'));
        }
        if (sp.memoryEvents === 0 && !sp.classes.length) return;
        parts.push(summaryBlock(sp.classes.map(function (c) { return [c[0], c[1], c[2], c[3], c[5] || 0]; }),
          sp.objects.map(function (o) { return [o[0], null, o[1], o[3]]; }), sp.objectCount));
      });
    } else {
      var S0 = D.summary;
      parts.push(summaryBlock(S0.classes.map(function (c) { return [D.classes[c[0]], c[2], c[1], c[3]]; }),
        S0.objects.map(function (o) { return [o[0], D.classes[o[1]], o[2], o[3]]; }), S0.objectCount));
    }
    $('summary-tables').replaceChildren.apply($('summary-tables'), parts);
  }
  function summaryBlock(cl, objs, objectCount) {
    var box = el('div', 'summary-block');
    var max = Math.max.apply(null, cl.map(function (c) { return Math.max(c[1], c[3]); }).concat([1]));
    var svg = sv('svg', { width: 600, height: cl.length * 20 + 22, 'class': 'summary-svg' });
    svg.appendChild(sv('text', { x: 150, y: 10 }, 'at the end (dark) and at the peak (light)'));
    cl.forEach(function (c, k) {
      var y = 16 + k * 20, col = colourOf(c[0]);
      svg.appendChild(sv('text', { x: 0, y: y + 11 }, c[0]));
      svg.appendChild(sv('rect', { x: 150, y: y, width: Math.max(1, 320 * c[3] / max), height: 15, fill: col, 'fill-opacity': 0.35 }));
      svg.appendChild(sv('rect', { x: 150, y: y + 3, width: 320 * c[1] / max, height: 9, fill: col }));
      svg.appendChild(sv('text', { x: 476, y: y + 11 }, bytes(c[1]) + ' / ' + bytes(c[3])));
    });
    box.appendChild(svg);
    var tables = el('div', 'summary-row');
    // a fifth cell, when the explain stage's summary gives it: the PROT_NONE bytes at the end
    var none = cl.some(function (c) { return c[4]; });
    tables.appendChild(table(['class', 'regions at end', 'mapped at end'].concat(none ? ['of it PROT_NONE'] : []).concat(['peak']), cl.map(function (c) {
      return [swatch(colourOf(c[0]), c[0]), c[2], bytes(c[1])].concat(none ? [bytes(c[4] || 0)] : []).concat([bytes(c[3])]);
    })));
    var t2 = table(objs[0] && objs[0][1] !== null ? ['object', 'class', 'mapped at end', 'peak'] : ['object', 'mapped at end', 'peak'],
      objs.map(function (o) { return o[1] !== null ? [o[0], swatch(colourOf(o[1]), o[1]), bytes(o[2]), bytes(o[3])] : [o[0], bytes(o[2]), bytes(o[3])]; }));
    t2.caption = el('caption', null, 'largest ' + objs.length + ' of ' + objectCount + ' objects');
    tables.appendChild(t2);
    box.appendChild(tables);
    return box;
  }
  function swatch(col, text) {
    var s = el('span'); var w = el('span', 'swatch'); w.style.background = col;
    s.appendChild(w); s.appendChild(document.createTextNode(text)); return s;
  }
  function table(head, rows) {
    var t = el('table'), tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (v, k) {
        var td = el('td', k === 0 && typeof v === 'string' ? 'path' : null);
        if (typeof v === 'object') td.appendChild(v); else td.textContent = String(v);
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    return t;
  }

  $('title').textContent = D.meta.title || '';
  $('meta').textContent = N + ' events, ' + D.spaces.length + ' address space(s), ' + R.sp.length + ' regions' +
    (D.meta.timed ? '' : '; the log has no timestamps, events are shown in line order');
  fillFilters();
  drawSummary();
  // The page opens on the address space as the trace leaves it, with the timeline at its start;
  // report.html#line=N opens at the first event on or after log line N instead.
  var wanted = /line=(\d+)/.exec(location.hash);
  cur = N - 1;
  if (wanted) {
    for (var w = 0; w < N; w++) { if (E.line[w] >= +wanted[1]) { cur = w; break; } }
  }
  applyFilters(!wanted);
  document.body.dataset.ready = String(Math.round(performance.now() - t0));
})();
