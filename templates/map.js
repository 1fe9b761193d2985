// tapestry's HTML map. Layout is computed by tapestry (Rust) and shipped in
// the data block: positions and edge routes of the service map, the layered
// order of each directory of the module map (placed here at the sizes of
// what the reader has open); this script draws and reacts.
// Every string in the data comes from an untrusted repository: the page is
// built with createElement/textContent and SVG attributes only, never with
// markup, and links are made only under the --link-base the user gave.
'use strict';
(function () {
  const D = JSON.parse(document.getElementById('tapestry-data').textContent);
  const $ = (id) => document.getElementById(id);
  const NS = 'http://www.w3.org/2000/svg';
  const ST = ['', 'added', 'removed'];
  const F = { TYPE: 1, DYN: 2, TEST: 4, COND: 8, REEXP: 16, CONTAINS: 32, CYCLE: 64, ALLOW: 128, COUNTED: 256 };
  const FLAG_NAMES = [[F.TYPE, 'type-only'], [F.DYN, 'dynamic'], [F.TEST, 'test'], [F.COND, 'conditional'], [F.REEXP, 're-export']];
  const LIST_MAX = 100;
  const MAX_EDGES = 1500, MAX_MARKED = 600;

  // ---------------------------------------------------------------- helpers
  function h(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  function sv(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = String(text);
    return e;
  }
  const bare = (id) => { const i = id.indexOf(':'); return i < 0 ? id : id.slice(i + 1); };
  const num = (x) => (x == null ? '–' : String(Math.round(x * 1000) / 1000));
  const plural = (n, w) => n + ' ' + w + (n === 1 ? '' : 's');
  function tag(st) { return st ? h('span', 'st ' + ST[st], ST[st]) : document.createTextNode(''); }
  function clip(text, chars) { return text.length <= chars ? text : text.slice(0, Math.max(1, chars - 1)) + '…'; }
  function seg(p) { return p === '.' || p === '..' ? p.replace(/\./g, '%2E') : encodeURIComponent(p); }
  // file:line, a link only under --link-base (checked by tapestry: http or https, no credentials)
  function where(file, line) {
    if (!file) return h('span', 'at', '');
    const text = line ? file + ':' + line : file;
    if (!D.meta.link_base) return h('code', 'at', text);
    const a = h('a', 'at mono', text);
    a.href = D.meta.link_base + file.split('/').map(seg).join('/') + (line ? '#L' + line : '');
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }
  function go(text, fn) {
    const e = h('span', 'go', text);
    e.tabIndex = 0;
    e.setAttribute('role', 'link');
    e.addEventListener('click', fn);
    e.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') fn(); });
    return e;
  }
  function clickable(el, fn) {
    el.tabIndex = 0;
    el.addEventListener('click', fn);
    el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); fn(); } });
    return el;
  }

  // ---------------------------------------------------------------- the data
  const T = D.tree, N = T.length, S = D.services;
  const kids = T.map(() => []);
  for (let i = 1; i < N; i++) kids[T[i].p].push(i);
  const byId = new Map(T.map((n, i) => [n.id, i]));
  const svcById = new Map(S.nodes.map((n, i) => [n.id, i]));
  // The box of a service-map id: its own, or the "N tables" box it is folded into.
  const svcOfMember = new Map();
  S.nodes.forEach((n, i) => (n.members || []).forEach(([id]) => svcOfMember.set(id, i)));
  const svcAt = (id) => (svcById.has(id) ? svcById.get(id) : svcOfMember.get(id));
  // Service-level coupling of each service pair (calls, modules, endpoints behind it).
  const pairOf = new Map();
  D.coupling.filter((l) => l.pairs).forEach((l) => l.pairs.forEach((p) => pairOf.set(p.from + ' ' + p.to, p)));
  const outE = T.map(() => []), inE = T.map(() => []);
  D.edges.forEach((e, k) => { outE[e[0]].push(k); inE[e[1]].push(k); });
  const factsOf = new Map();
  D.facts.forEach((f) => { if (!factsOf.has(f[0])) factsOf.set(f[0], []); factsOf.get(f[0]).push(f); });
  const metrics = {};
  D.coupling.forEach((l) => { metrics[l.level] = new Map(l.nodes.map((r) => [r.id, r])); });
  const addBelow = new Int32Array(N), remBelow = new Int32Array(N);
  for (let i = N - 1; i > 0; i--) {
    if (T[i].k === 'module') { if (T[i].st === 1) addBelow[i]++; if (T[i].st === 2) remBelow[i]++; }
    addBelow[T[i].p] += addBelow[i];
    remBelow[T[i].p] += remBelow[i];
  }
  function nameOf(id) {
    const i = byId.get(id);
    if (i != null) return T[i].k === 'package' ? T[i].eco + ':' + T[i].n : T[i].k === 'root' ? '.' : T[i].path || T[i].n;
    const j = svcById.get(id);
    return j != null ? S.nodes[j].n : bare(id);
  }
  const isDir = (i) => kids[i].length > 0;

  // ---------------------------------------------------------------- pan and zoom
  function Viewport(svgEl) {
    const root = sv('g', {});
    svgEl.appendChild(root);
    svgEl.setAttribute('tabindex', '0');
    const v = { k: 1, x: 0, y: 0, root, el: svgEl, queued: false, fitted: false, heavy: false, idle: 0 };
    // Maps with many edges hide them while moving: the browser then only
    // repaints boxes, and the edges come back when the motion stops.
    v.moving = () => {
      if (!v.heavy) return;
      svgEl.classList.add('moving');
      clearTimeout(v.idle);
      v.idle = setTimeout(() => svgEl.classList.remove('moving'), 160);
    };
    v.apply = () => {
      if (v.queued) return;
      v.queued = true;
      requestAnimationFrame(() => {
        v.queued = false;
        root.setAttribute('transform', 'translate(' + v.x + ',' + v.y + ') scale(' + v.k + ')');
        svgEl.classList.toggle('far', v.k < 0.45);
      });
    };
    v.zoomAt = (px, py, f) => {
      const k = Math.min(8, Math.max(0.01, v.k * f));
      f = k / v.k;
      v.x = px - (px - v.x) * f;
      v.y = py - (py - v.y) * f;
      v.k = k;
      v.moving();
      v.apply();
    };
    v.zoom = (f) => { const r = svgEl.getBoundingClientRect(); v.zoomAt(r.width / 2, r.height / 2, f); };
    v.panBy = (dx, dy) => { v.x += dx; v.y += dy; v.moving(); v.apply(); };
    v.fit = (b, maxK) => {
      const r = svgEl.getBoundingClientRect();
      if (!r.width || !b) return;
      const pad = 30;
      v.k = Math.min(maxK || 1.5, (r.width - 2 * pad) / Math.max(b.w, 1), (r.height - 2 * pad) / Math.max(b.h, 1));
      v.x = (r.width - b.w * v.k) / 2 - b.x * v.k;
      v.y = (r.height - b.h * v.k) / 2 - b.y * v.k;
      v.fitted = true;
      v.apply();
    };
    let drag = null;
    svgEl.addEventListener('pointerdown', (e) => { if (e.button === 0) drag = { x: e.clientX, y: e.clientY, moved: false }; });
    svgEl.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!drag.moved) { drag.moved = true; svgEl.setPointerCapture(e.pointerId); svgEl.classList.add('dragging'); }
      drag.x = e.clientX;
      drag.y = e.clientY;
      v.panBy(dx, dy);
    });
    const end = () => { if (drag && drag.moved) v.dragged = true; drag = null; svgEl.classList.remove('dragging'); };
    svgEl.addEventListener('pointerup', end);
    svgEl.addEventListener('pointercancel', end);
    svgEl.addEventListener('click', (e) => { if (v.dragged) { v.dragged = false; e.stopPropagation(); } }, true);
    svgEl.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = svgEl.getBoundingClientRect();
      v.zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * 0.0015));
    }, { passive: false });
    svgEl.addEventListener('keydown', (e) => {
      const step = 60, keys = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (keys[e.key]) { v.panBy(keys[e.key][0], keys[e.key][1]); e.preventDefault(); }
      else if (e.key === '+' || e.key === '=') v.zoom(1.25);
      else if (e.key === '-') v.zoom(0.8);
      else if (e.key === '0') v.onFit();
    });
    return v;
  }
  // An edge of the module map: a cubic from a box to a box, right side to
  // left side when the target is to the right, left to right when it is to
  // the left (bending below the forward ones), a loop on the right when they
  // share a column; an edge that skips columns bows away from the row, over
  // the boxes between its ends.
  //
  // Module-map edges are not routed through free slots as the service map's
  // are (html_layout::routed, Graphviz-style virtual nodes): one slot per
  // edge per column it crosses would make the tangles of real repositories
  // several times taller. On saleor (commit 723cd4e) the closed directories
  // in saleor/graphql/ sit in 22 columns of at most 5 boxes, and its 274
  // links cross 1,965 columns in all: about 90 slots per column, a box
  // eight times as tall, for edges that change whenever a directory opens.
  // So edges are curves, only the heaviest are drawn, the rest fade, hover
  // and selection light a box's edges, and the matrix shows all of them.
  function curve(a, b) {
    let x1 = a.x + a.w, x2 = b.x, c1, c2, bend = 0;
    const y1 = a.y + a.h / 2, y2 = b.y + b.h / 2;
    if (x2 >= x1) {
      const d = Math.max(30, (x2 - x1) / 2);
      c1 = x1 + d;
      c2 = x2 - d;
      if (x2 - x1 > 2 * LAY.col) bend = -Math.min(90, (x2 - x1) / 8);
    } else if (b.x + b.w <= a.x) {
      x1 = a.x;
      x2 = b.x + b.w;
      const d = Math.max(30, (x1 - x2) / 2);
      c1 = x1 - d;
      c2 = x2 + d;
      bend = 36 + (x1 - x2 > 2 * LAY.col ? Math.min(90, (x1 - x2) / 8) : 0);
    } else {
      x2 = b.x + b.w;
      c1 = c2 = Math.max(x1, x2) + 40 + Math.abs(y2 - y1) / 4;
    }
    return 'M' + x1 + ',' + y1 + 'C' + c1 + ',' + (y1 + bend) + ' ' + c2 + ',' + (y2 + bend) + ' ' + x2 + ',' + y2;
  }
  function bbox(list) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of list) { x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x + n.w); y1 = Math.max(y1, n.y + n.h); }
    return x0 === Infinity ? null : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
  function markerOf(cls) {
    return cls.includes('removed') ? 'url(#ar-rem)' : cls.includes('added') ? 'url(#ar-add)' : cls.includes('cyc') ? 'url(#ar-cyc)' : 'url(#ar)';
  }

  // ---------------------------------------------------------------- module map
  const groupThird = byId.get('group:third-party'), groupBuiltin = byId.get('group:builtin');
  const show = {
    third: groupThird != null && T[groupThird].count <= 30, builtin: false,
    cycles: true, weak: true,
  };
  const mod = {
    v: Viewport($('mod-svg')), open: new Uint8Array(N), rep: new Int32Array(N), agg: [], aggKey: new Map(),
    els: new Map(), adj: new Map(), hover: -1, pinned: -1, sel: null, matches: null, drawn: false,
  };
  T.forEach((n, i) => { mod.open[i] = n.open ? 1 : 0; });
  mod.v.onFit = () => mod.v.fit(bbox(visibleNodes().map((i) => T[i])));

  function computeVisible() {
    const rep = mod.rep;
    rep[0] = 0;
    for (let i = 1; i < N; i++) {
      const p = T[i].p;
      if (rep[p] < 0 || (i === groupThird && !show.third) || (i === groupBuiltin && !show.builtin)) rep[i] = -1;
      else rep[i] = rep[p] === p && mod.open[p] ? i : rep[p];
    }
  }
  // ---------------------------------------------------------------- module map layout
  // tapestry ships each directory's layered order (html_layout::scopes:
  // columns in barycenter order, the unlinked children apart, the links
  // between children). Where the boxes go depends on which directories the
  // reader has opened, so it is computed here, bottom-up, for the boxes
  // drawn, the way html_layout.rs places the service map: columns stacked,
  // each box moved towards its neighbours with the spacing kept (isotonic
  // regression by pool-adjacent-violators), a strip much wider than tall
  // folded into bands, unlinked boxes in a grid below. A closed directory
  // has its closed size.
  const LAY = { col: 64, row: 10, grid: 10, pad: 12, header: 28, band: 48, aspect: 1.8, passes: 6 };
  const scopeOf = new Map(D.scopes.map((s) => [s.at, s]));
  const rx = new Float64Array(N), ry = new Float64Array(N);
  T.forEach((n) => { n.cw = n.w; n.ch = n.h; n.x = n.y = 0; });
  function isotonic(t) {
    const blocks = [];
    for (const x of t) {
      blocks.push([x, 1]);
      while (blocks.length > 1 && blocks[blocks.length - 2][0] > blocks[blocks.length - 1][0]) {
        const [m2, c2] = blocks.pop(), [m1, c1] = blocks[blocks.length - 1];
        blocks[blocks.length - 1] = [(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2];
      }
    }
    return blocks.flatMap(([m, c]) => new Array(c).fill(m));
  }
  function alignColumn(col, nb) {
    const centre = (u) => ry[u] + T[u].h / 2, target = [], offs = [];
    let off = 0;
    for (const v of col) {
      const ns = nb.get(v);
      const want = ns ? ns.reduce((sum, u) => sum + centre(u), 0) / ns.length : centre(v);
      target.push(want - T[v].h / 2 - off);
      offs.push(off);
      off += T[v].h + LAY.row;
    }
    isotonic(target).forEach((z, k) => { ry[col[k]] = z + offs[k]; });
  }
  function wrapBands(cols, colW, block) {
    const bands = Math.floor(Math.sqrt(block.w / (LAY.aspect * Math.max(block.h, 1))));
    if (bands < 2 || cols.length < 4) return block;
    const target = block.w / bands;
    let x = 0, top = 0, bandH = 0, width = 0;
    cols.forEach((c, k) => {
      if (x > 0 && x + colW[k] > target) { top += bandH + LAY.band; bandH = 0; x = 0; }
      const colTop = Math.min(...c.map((u) => ry[u]));
      for (const u of c) { rx[u] = x; ry[u] = top + ry[u] - colTop; bandH = Math.max(bandH, ry[u] - top + T[u].h); }
      width = Math.max(width, x + colW[k]);
      x += colW[k] + LAY.col;
    });
    return { w: width, h: top + bandH };
  }
  function grid(nodes, block) {
    if (!nodes.length) return block;
    let area = 0, widest = 0;
    for (const u of nodes) { area += (T[u].w + LAY.grid) * (T[u].h + LAY.grid); widest = Math.max(widest, T[u].w); }
    const rowW = Math.max(block.w, Math.sqrt(area) * 1.6, widest);
    let x = 0, y = block.h > 0 ? block.h + LAY.col / 2 : 0, rowH = 0, width = block.w;
    for (const u of nodes) {
      if (x > 0 && x + T[u].w > rowW) { x = 0; y += rowH + LAY.grid; rowH = 0; }
      rx[u] = x;
      ry[u] = y;
      width = Math.max(width, x + T[u].w);
      x += T[u].w + LAY.grid;
      rowH = Math.max(rowH, T[u].h);
    }
    return { w: width, h: y + rowH };
  }
  // Places the drawn children of open directory v; sizes v to hold them.
  function placeScope(v) {
    const L = scopeOf.get(v), on = (c) => mod.rep[c] === c;
    const cols = L.cols.map((c) => c.filter(on)).filter((c) => c.length), loose = L.loose.filter(on);
    const nb = new Map(), link = (a, b) => { if (!nb.has(a)) nb.set(a, []); nb.get(a).push(b); };
    for (const [a, b] of L.links) if (on(a) && on(b)) { link(a, b); link(b, a); }
    const colW = cols.map((c) => c.reduce((w, u) => Math.max(w, T[u].w), 0));
    let x = 0, width = 0;
    cols.forEach((c, k) => {
      let y = 0;
      for (const u of c) { rx[u] = x; ry[u] = y; y += T[u].h + LAY.row; }
      width = x + colW[k];
      x += colW[k] + LAY.col;
    });
    for (let pass = 0; pass < LAY.passes; pass++) for (const c of cols) alignColumn(c, nb);
    const top = cols.length ? Math.min(...cols.map((c) => ry[c[0]])) : 0;
    let height = 0;
    for (const c of cols) for (const u of c) { ry[u] -= top; height = Math.max(height, ry[u] + T[u].h); }
    const block = grid(loose, wrapBands(cols, colW, { w: width, h: height }));
    T[v].w = block.w + 2 * LAY.pad;
    T[v].h = block.h + LAY.header + LAY.pad;
  }
  function layoutModules() {
    for (let i = N - 1; i >= 0; i--) {
      if (mod.rep[i] !== i) continue;
      if (isDir(i) && mod.open[i]) placeScope(i);
      else { T[i].w = T[i].cw; T[i].h = T[i].ch; }
    }
    for (let i = 1; i < N; i++) {
      if (mod.rep[i] !== i) continue;
      const p = T[T[i].p];
      T[i].x = p.x + LAY.pad + rx[i];
      T[i].y = p.y + LAY.header + ry[i];
    }
  }
  function visibleNodes() { const l = []; for (let i = 1; i < N; i++) if (mod.rep[i] === i) l.push(i); return l; }
  function aggregate() {
    const m = new Map(), list = [];
    D.edges.forEach((e, k) => {
      const f = e[4];
      if (f & F.CONTAINS || (!show.weak && !(f & F.COUNTED))) return;
      const a = mod.rep[e[0]], b = mod.rep[e[1]];
      if (a < 0 || b < 0 || a === b) return;
      const key = a * N + b;
      let g = m.get(key);
      if (!g) { g = { a, b, n: 0, counted: 0, cyc: 0, add: 0, rem: 0, ks: [] }; m.set(key, g); list.push(g); }
      g.n++;
      if (f & F.COUNTED) g.counted++;
      if (f & F.CYCLE) g.cyc++;
      if (e[5] === 1) g.add++; else if (e[5] === 2) g.rem++;
      g.ks.push(k);
    });
    mod.agg = list;
    mod.aggKey = m;
  }
  function nodeLabel(n) { return n.k === 'dir' ? n.n + '/' : n.n; }
  function drawModules() {
    computeVisible();
    layoutModules();
    aggregate();
    const root = mod.v.root;
    root.textContent = '';
    const frames = sv('g', {}), edges = sv('g', {}), boxes = sv('g', {});
    root.append(frames, edges, boxes);
    mod.els = new Map();
    mod.adj = new Map();
    for (const i of visibleNodes()) {
      const n = T[i], open = mod.open[i] && isDir(i), dir = isDir(i);
      const cls = 'node ' + (n.k === 'root' ? 'dir' : n.k) + (open ? ' frame' : dir ? ' closed' : ' leaf') +
        (n.st ? ' ' + ST[n.st] : '') + (n.generated ? ' generated' : '');
      const g = sv('g', { class: cls, 'data-i': i, tabindex: '0', role: 'button', 'aria-label': n.k + ' ' + (n.path || n.n) });
      g.appendChild(sv('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: 4 }));
      if (open) {
        g.appendChild(sv('text', { x: n.x + 8, y: n.y + 18, class: 'title' }, clip(nodeLabel(n), (n.w - 16) / 7.4)));
        frames.appendChild(g);
      } else if (dir) {
        const sub = plural(n.count || 0, n.k === 'group' ? 'package' : 'module');
        g.appendChild(sv('text', { x: n.x + 8, y: n.y + 16, class: 'title' }, clip(nodeLabel(n), (n.w - 14) / 7.4)));
        g.appendChild(sv('text', { x: n.x + 8, y: n.y + 31, class: 'sub' }, sub));
        if (addBelow[i] || remBelow[i]) {
          const t = sv('text', { x: n.x + n.w - 6, y: n.y + 31, 'text-anchor': 'end', class: 'badge' });
          if (addBelow[i]) t.appendChild(sv('tspan', { class: 'badge plus' }, '+' + addBelow[i] + ' '));
          if (remBelow[i]) t.appendChild(sv('tspan', { class: 'badge minus' }, '−' + remBelow[i]));
          g.appendChild(t);
        }
        boxes.appendChild(g);
      } else {
        g.appendChild(sv('text', { x: n.x + 8, y: n.y + n.h / 2 + 4 }, clip(n.n, (n.w - 14) / 6.8)));
        boxes.appendChild(g);
      }
      g.appendChild(sv('title', {}, (n.path || n.id) + (dir ? ' — ' + plural(n.count || 0, n.k === 'group' ? 'package' : 'module') : '')));
      mod.els.set(i, g);
    }
    mod.edgeLayer = edges;
    mod.agg.forEach((g, j) => {
      for (const end of [g.a, g.b]) { if (!mod.adj.has(end)) mod.adj.set(end, []); mod.adj.get(end).push(j); }
    });
    // The heaviest edges (and every cycle or changed one) are drawn; the rest
    // appear when one of their ends is hovered or selected.
    const order = mod.agg.slice().sort((x, y) => (y.cyc + y.add + y.rem > 0) - (x.cyc + x.add + x.rem > 0) || y.n - x.n);
    const shown = order.slice(0, MAX_EDGES);
    mod.markers = shown.length <= MAX_MARKED;
    for (const g of shown) edgeEl(g);
    mod.v.heavy = shown.length > 300 || mod.els.size > 1500;
    mod.v.el.classList.toggle('crowded', mod.els.size > 1500);
    $('edge-note').textContent = mod.agg.length > shown.length
      ? 'showing the ' + shown.length + ' heaviest of ' + mod.agg.length + ' edges; hover or select a box for all of its edges' : '';
    mod.drawn = true;
    highlightModules();
  }
  function edgeEl(g) {
    if (g.el) return g.el;
    const d = curve(T[g.a], T[g.b]);
    const cls = 'edge' + (g.counted ? '' : ' weak') + (show.cycles && g.cyc ? ' cyc' : '') +
      (g.add ? ' added' : g.rem === g.n ? ' removed' : '');
    const p = sv('path', { d, class: cls, 'stroke-width': 1.2 + Math.min(4, Math.log2(g.n)) });
    if (mod.markers) p.setAttribute('marker-end', markerOf(cls));
    p.appendChild(sv('title', {}, nameOf(T[g.a].id) + ' → ' + nameOf(T[g.b].id) + ': ' + plural(g.n, 'import')));
    mod.edgeLayer.appendChild(p);
    g.el = p;
    return p;
  }
  let lit = [];
  function light(el, cls) { if (el) { el.classList.add(cls); lit.push([el, cls]); } }
  function unlightAll() { for (const [el, cls] of lit) el.classList.remove(cls); lit = []; }
  function highlightModules() {
    unlightAll();
    const svgEl = mod.v.el, rep = mod.rep;
    const focus = mod.hover >= 0 ? mod.hover : mod.pinned;
    let any = false;
    if (mod.sel && mod.hover < 0) {
      any = true;
      for (const i of mod.sel.nodes) if (rep[i] >= 0) light(mod.els.get(rep[i]), 'hl');
      for (const [a, b] of mod.sel.pairs) {
        const g = rep[a] >= 0 && rep[b] >= 0 ? mod.aggKey.get(rep[a] * N + rep[b]) : null;
        if (g) light(edgeEl(g), 'hl');
      }
    }
    if (focus >= 0 && rep[focus] >= 0) {
      any = true;
      const f = rep[focus];
      light(mod.els.get(f), 'hl');
      if (focus === mod.pinned) light(mod.els.get(f), 'pinned');
      for (const j of mod.adj.get(f) || []) {
        const g = mod.agg[j];
        light(edgeEl(g), 'hl');
        light(mod.els.get(g.a === f ? g.b : g.a), 'hl');
      }
    }
    svgEl.classList.toggle('focus', any);
    svgEl.classList.toggle('searching', !!mod.matches && !any);
    if (mod.matches) for (const i of mod.matches) if (rep[i] >= 0) light(mod.els.get(rep[i]), 'match');
  }
  function nodeIndex(e) { const g = e.target.closest && e.target.closest('[data-i]'); return g ? +g.getAttribute('data-i') : -1; }
  // Opens the directories above node i, and turns on the package toggle
  // hiding it (a package found by search is shown, not centred on nothing).
  function reveal(i) {
    for (let p = T[i].p; p >= 0; p = T[p].p) {
      mod.open[p] = 1;
      if (p === groupThird) $('t-third').checked = show.third = true;
      if (p === groupBuiltin) $('t-builtin').checked = show.builtin = true;
    }
  }
  // Opens or closes a directory; the layout around it changes, so the view
  // moves to keep the directory's corner where it was on the screen.
  function toggleOpen(i) {
    if (!isDir(i) || i === 0) return;
    const x = T[i].x, y = T[i].y;
    mod.open[i] = mod.open[i] ? 0 : 1;
    drawModules();
    mod.v.x += (x - T[i].x) * mod.v.k;
    mod.v.y += (y - T[i].y) * mod.v.k;
    mod.v.apply();
  }
  const modSvg = $('mod-svg');
  modSvg.addEventListener('pointerover', (e) => { const i = nodeIndex(e); if (i >= 0) { mod.hover = mod.open[i] && isDir(i) ? -1 : i; highlightModules(); } });
  modSvg.addEventListener('pointerleave', () => { mod.hover = -1; highlightModules(); });
  modSvg.addEventListener('pointerout', (e) => { if (!e.relatedTarget || nodeIndex({ target: e.relatedTarget }) < 0) { mod.hover = -1; highlightModules(); } });
  modSvg.addEventListener('click', (e) => { const i = nodeIndex(e); if (i >= 0) selectModule(i, false); });
  modSvg.addEventListener('dblclick', (e) => { const i = nodeIndex(e); if (i >= 0) toggleOpen(i); });
  modSvg.addEventListener('keydown', (e) => {
    const i = nodeIndex(e);
    if (i < 0) return;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectModule(i, false); }
    else if (e.key === 'x' || e.key === 'X') { toggleOpen(i); const g = mod.els.get(i); if (g) g.focus(); }
  });
  $('expand-all').addEventListener('click', () => { mod.open.fill(1); drawModules(); mod.v.onFit(); });
  $('collapse-all').addEventListener('click', () => { mod.open.fill(0); mod.open[0] = 1; drawModules(); mod.v.onFit(); });
  if (N > 4000) $('expand-all').title = 'Large map: expanding everything draws every module and edge';

  function centerOn(v, n) {
    const r = v.el.getBoundingClientRect();
    if (v.k < 0.6) v.k = 0.9;
    v.x = r.width / 2 - (n.x + n.w / 2) * v.k;
    v.y = r.height / 2 - (n.y + n.h / 2) * v.k;
    v.apply();
  }
  function selectModule(i, move) {
    clearPicks();
    mod.sel = null;
    mod.pinned = i;
    if (mod.rep[i] !== i || move) {
      reveal(i);
      setView('modules', true);
      drawModules();
      centerOn(mod.v, T[i]);
    } else highlightModules();
    moduleDetails(i);
    setHash({ view: 'modules', node: T[i].id });
  }

  // ---------------------------------------------------------------- service map
  const svc = { v: Viewport($('svc-svg')), els: [], edgeEls: [], hover: -1, pinned: -1, sel: null, matches: null, drawn: false };
  svc.v.onFit = () => svc.v.fit({ x: 0, y: 0, w: S.w, h: S.h });
  const svcCycle = new Set(D.cycles.filter((c) => c.level === 'service' && c.kind === 'runtime' && c.st !== 2).flatMap((c) => c.edges.map(([a, b]) => a + ' ' + b)));
  // An edge of the service map along the route tapestry computed: through a
  // free slot [left, right, y] in each column it crosses, curving between.
  function routePath(a, b, route) {
    const pts = [];
    let x = a.x + a.w / 2;
    const first = route.length ? (route[0][0] + route[0][1]) / 2 : b.x + b.w / 2;
    pts.push([first >= x ? a.x + a.w : a.x, a.y + a.h / 2]);
    for (const [l, r, y] of route) {
      const right = l >= pts[pts.length - 1][0];
      pts.push(right ? [l, y] : [r, y], right ? [r, y] : [l, y]);
    }
    x = pts[pts.length - 1][0];
    pts.push([b.x >= x ? b.x : b.x + b.w, b.y + b.h / 2]);
    let d = 'M' + pts[0][0] + ',' + pts[0][1];
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = pts[i - 1], [x1, y1] = pts[i];
      if (i % 2 === 0 && y0 === y1) { d += 'L' + x1 + ',' + y1; continue; }
      const m = (x0 + x1) / 2;
      d += 'C' + m + ',' + y0 + ' ' + m + ',' + y1 + ' ' + x1 + ',' + y1;
    }
    return d;
  }
  function drawServices() {
    svc.drawn = true;
    $('svc-empty').hidden = S.nodes.length > 0;
    const root = svc.v.root;
    root.textContent = '';
    const edges = sv('g', {}), labels = sv('g', {}), boxes = sv('g', {});
    root.append(edges, boxes, labels);
    svc.els = S.nodes.map((n, i) => {
      const g = sv('g', { class: 'node ' + n.k + (n.st ? ' ' + ST[n.st] : ''), 'data-s': i, tabindex: '0', role: 'button', 'aria-label': n.k + ' ' + n.n });
      g.appendChild(sv('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: n.k === 'service' ? 8 : 3 }));
      if (n.k === 'datastore' || n.k === 'table') g.appendChild(sv('path', { class: 'cap', d: 'M' + n.x + ',' + (n.y + 7) + 'Q' + (n.x + n.w / 2) + ',' + (n.y + 14) + ' ' + (n.x + n.w) + ',' + (n.y + 7) }));
      g.appendChild(sv('text', { x: n.x + n.w / 2, y: n.y + 19, 'text-anchor': 'middle', class: 'title' }, clip(n.n, (n.w - 12) / 7.2)));
      const cap = n.k === 'service' ? 'service' : n.image ? n.k + ' · ' + n.image.split('/').pop() : n.k;
      g.appendChild(sv('text', { x: n.x + n.w / 2, y: n.y + 33, 'text-anchor': 'middle', class: 'sub' }, clip(cap, (n.w - 12) / 6.2)));
      boxes.appendChild(g);
      return g;
    });
    svc.edgeEls = S.edges.map((e) => {
      const cls = 'edge' + (e.st ? ' ' + ST[e.st] : '') + (e.k === 'calls' ? '' : ' weak') + (e.inf ? ' inferred' : '') +
        (svcCycle.has(S.nodes[e.from].id + ' ' + S.nodes[e.to].id) ? ' cyc' : '');
      const p = sv('path', { d: routePath(S.nodes[e.from], S.nodes[e.to], e.route), class: cls, 'stroke-width': 1.5 + Math.min(3, Math.log2(e.sites || 1)), 'marker-end': markerOf(cls) });
      p.appendChild(sv('title', {}, S.nodes[e.from].n + ' ' + e.k + ' ' + S.nodes[e.to].n + (e.endpoints.length ? ': ' + e.endpoints.join(', ') : '') + (e.inf ? ' (inferred: host unknown, linked by method and path)' : '')));
      edges.appendChild(p);
      const t = e.label ? sv('text', { x: e.label[1], y: e.label[2] - 4, 'text-anchor': 'middle', class: 'elabel' }, e.label[0]) : null;
      if (t) labels.appendChild(t);
      return [p, t];
    });
    highlightServices();
  }
  function highlightServices() {
    const root = svc.v.el;
    for (const g of svc.els) g.classList.remove('hl', 'pinned');
    for (const [p, t] of svc.edgeEls) { p.classList.remove('hl'); if (t) t.classList.remove('hl'); }
    const focus = svc.hover >= 0 ? svc.hover : svc.pinned;
    let any = false;
    if (focus >= 0) {
      any = true;
      svc.els[focus].classList.add('hl');
      if (focus === svc.pinned) svc.els[focus].classList.add('pinned');
      S.edges.forEach((e, j) => {
        if (e.from !== focus && e.to !== focus) return;
        svc.edgeEls[j][0].classList.add('hl');
        if (svc.edgeEls[j][1]) svc.edgeEls[j][1].classList.add('hl');
        svc.els[e.from].classList.add('hl');
        svc.els[e.to].classList.add('hl');
      });
    } else if (svc.sel) {
      any = true;
      for (const i of svc.sel.nodes) svc.els[i].classList.add('hl');
      S.edges.forEach((e, j) => {
        if (svc.sel.exact ? !svc.sel.exact.has(e) : !svc.sel.pairs.some(([a, b]) => a === e.from && b === e.to)) return;
        svc.edgeEls[j][0].classList.add('hl');
        if (svc.edgeEls[j][1]) svc.edgeEls[j][1].classList.add('hl');
      });
    }
    root.classList.toggle('focus', any);
    root.classList.toggle('searching', !!svc.matches && !any);
    svc.els.forEach((g, i) => g.classList.toggle('match', !!svc.matches && svc.matches.has(i)));
  }
  const svcSvg = $('svc-svg');
  const svcIndex = (e) => { const g = e.target.closest && e.target.closest('[data-s]'); return g ? +g.getAttribute('data-s') : -1; };
  svcSvg.addEventListener('pointerover', (e) => { const i = svcIndex(e); if (i >= 0) { svc.hover = i; highlightServices(); } });
  svcSvg.addEventListener('pointerout', (e) => { if (!e.relatedTarget || svcIndex({ target: e.relatedTarget }) < 0) { svc.hover = -1; highlightServices(); } });
  svcSvg.addEventListener('click', (e) => { const i = svcIndex(e); if (i >= 0) selectService(i); });
  svcSvg.addEventListener('keydown', (e) => { const i = svcIndex(e); if (i >= 0 && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); selectService(i); } });
  function selectService(i) {
    clearPicks();
    svc.sel = null;
    svc.pinned = i;
    setView('services', true);
    highlightServices();
    serviceDetails(i);
    setHash({ view: 'services', node: S.nodes[i].id });
  }

  // ---------------------------------------------------------------- details panel
  const details = $('details'), body = $('details-body');
  function openDetails(title, kind, st) {
    body.textContent = '';
    const h2 = h('h2', null, title);
    body.append(h2, h('div', 'kind', kind));
    if (st) body.appendChild(tag(st));
    details.hidden = false;
  }
  function section(title, items, render) {
    if (!items.length) return;
    body.appendChild(h('h3', null, title + ' (' + items.length + ')'));
    const ul = h('ul');
    const add = (from, to) => { for (const it of items.slice(from, to)) { const li = h('li'); render(li, it); ul.appendChild(li); } };
    add(0, LIST_MAX);
    body.appendChild(ul);
    if (items.length > LIST_MAX) {
      const more = h('button', 'more', 'Show ' + (items.length - LIST_MAX) + ' more');
      more.addEventListener('click', () => { more.remove(); add(LIST_MAX, items.length); });
      body.appendChild(more);
    }
  }
  function facts(dl, pairs) {
    const d = h('dl');
    for (const [k, v] of pairs) if (v != null && v !== '') { d.append(h('dt', null, k), v instanceof Node ? v : h('dd', null, v)); }
    dl.appendChild(d);
  }
  function dd(node) { const d = h('dd'); d.appendChild(node); return d; }
  function flagText(f) { return FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(', '); }
  function metricPairs(id, level) {
    const m = metrics[level] && metrics[level].get(id);
    if (!m) return [];
    return [['fan-in (Ca)', String(m.ca)], ['fan-out (Ce)', String(m.ce)], ['instability', num(m.instability)],
      ['propagation', num(m.propagation)], ['depth', String(m.depth)]];
  }
  function cyclesOf(id) { return D.cycles.map((c, ci) => [c, ci]).filter(([c]) => c.nodes.includes(id)); }
  function edgeItem(li, k, other) {
    const e = D.edges[k], o = T[e[other]];
    li.appendChild(go(nameOf(o.id), () => selectModule(e[other], true)));
    const from = T[e[0]];
    if (from.path) li.appendChild(where(from.path, e[2]));
    const extra = [flagText(e[4]), e[3] > 1 ? e[3] + ' sites' : '', e[4] & F.CYCLE ? 'in a cycle' : '', ST[e[5]]].filter(Boolean).join(' · ');
    if (extra) li.appendChild(h('span', 'at', extra));
  }
  function moduleDetails(i) {
    const n = T[i];
    if (isDir(i)) return dirDetails(i);
    const kind = n.k === 'package' ? 'package · ' + n.eco : ['module', n.lang, n.lines != null ? plural(n.lines, 'line') : '', n.generated ? 'generated' : ''].filter(Boolean).join(' · ');
    openDetails(n.k === 'package' ? n.n : n.path, kind, n.st);
    facts(body, [['file', n.path ? dd(where(n.path)) : null], ['service', n.svc ? dd(go(nameOf(n.svc), () => { const j = svcById.get(n.svc); if (j != null) selectService(j); })) : null]]
      .concat(metricPairs(n.id, 'module')));
    const byName = (a, b) => nameOf(T[D.edges[a][1]].id).localeCompare(nameOf(T[D.edges[b][1]].id));
    const imports = outE[i].filter((k) => !(D.edges[k][4] & F.CONTAINS)).sort(byName);
    section('Imports', imports, (li, k) => edgeItem(li, k, 1));
    const declares = outE[i].filter((k) => D.edges[k][4] & F.CONTAINS);
    section('Declares', declares, (li, k) => edgeItem(li, k, 1));
    section('Imported by', inE[i].filter((k) => !(D.edges[k][4] & F.CONTAINS)), (li, k) => edgeItem(li, k, 0));
    section('Endpoints', D.endpoints.filter((r) => r.file && r.file === n.path), (li, r) => { li.appendChild(h('code', null, r.method + ' ' + r.path)); li.appendChild(where(r.file, r.line)); });
    section('Facts', factsOf.get(i) || [], (li, f) => { li.append(h('span', null, f[1] + ' '), h('code', null, nameOf(f[2]))); if (n.path) li.appendChild(where(n.path, f[3])); });
    cycleSection(n.id);
  }
  function cycleSection(id) {
    section('In cycles', cyclesOf(id), (li, [c, ci]) => li.appendChild(go(c.level + ' ' + c.kind + ' cycle of ' + c.nodes.length, () => selectCycle(ci))));
  }
  function below(i) { const out = []; const st = [i]; while (st.length) { const x = st.pop(); if (!isDir(x)) out.push(x); else st.push(...kids[x]); } return out; }
  function dirDetails(i) {
    const n = T[i];
    const title = n.k === 'root' ? D.meta.root : n.k === 'group' ? n.n : n.path + '/';
    openDetails(title, n.k === 'group' ? 'package group · ' + plural(n.count || 0, 'package') : 'directory · ' + plural(n.count || 0, 'module') + ' · ' + plural(n.lines || 0, 'line'), 0);
    const act = h('div', 'actions');
    const b = h('button', null, mod.open[i] ? 'Close' : 'Open');
    b.addEventListener('click', () => { toggleOpen(i); dirDetails(i); });
    act.appendChild(b);
    body.appendChild(act);
    if (addBelow[i] || remBelow[i]) facts(body, [['changed', '+' + addBelow[i] + ' −' + remBelow[i] + ' modules']]);
    facts(body, metricPairs(n.id, 'directory'));
    const inside = new Set(below(i));
    const outside = (ks, end) => {
      const m = new Map();
      for (const x of inside) for (const k of ks[x]) {
        const e = D.edges[k];
        if (e[4] & F.CONTAINS || inside.has(e[end])) continue;
        const t = T[e[end]].k === 'module' ? T[e[end]].p : e[end];
        m.set(t, (m.get(t) || 0) + 1);
      }
      return [...m.entries()].sort((a, b) => b[1] - a[1]);
    };
    const item = (li, [t, c]) => { li.appendChild(go(nameOf(T[t].id), () => selectModule(t, true))); li.appendChild(h('span', 'at', plural(c, 'import'))); };
    section('Depends on', outside(outE, 1), item);
    section('Depended on by', outside(inE, 0), item);
    cycleSection(n.id);
  }
  function serviceDetails(i) {
    const n = S.nodes[i];
    openDetails(n.n, n.k + (n.image ? ' · ' + n.image : ''), n.st);
    const edgeRow = (li, e, other) => {
      li.appendChild(go(svcLabel(other), () => selectService(other)));
      const p = pairOf.get(edgeIds(e).join(' '));
      const extra = [e.k, e.protocol, plural(e.sites, 'site'), p && p.modules ? plural(p.modules, 'module') : '', ST[e.st]];
      li.appendChild(h('span', 'at', extra.filter(Boolean).join(' · ')));
      if (e.file) li.appendChild(where(e.file, e.line));
      for (const ep of e.endpoints) li.appendChild(h('div', 'mono', ep));
    };
    section('Endpoints', D.endpoints.filter((r) => r.service === n.id), (li, r) => { li.appendChild(h('code', null, r.method + ' ' + r.path)); if (r.file) li.appendChild(where(r.file, r.line)); });
    section('Uses', S.edges.filter((e) => e.from === i), (li, e) => edgeRow(li, e, e.to));
    section('Used by', S.edges.filter((e) => e.to === i), (li, e) => edgeRow(li, e, e.from));
    if (n.members) section('Tables', n.members, (li, [id, name]) => li.appendChild(go(name, () => selectById(id))));
    const table = D.tables.find((t) => t.id === n.id);
    if (table) section('Accessed by', table.access, (li, a) => { li.appendChild(h('span', null, a[1] + ' · ' + nameOf(a[4] || a[0]))); if (a[2]) li.appendChild(where(a[2], a[3])); });
    const mods = T.map((m, j) => [m, j]).filter(([m]) => m.svc === n.id);
    section('Modules', mods, (li, [m, j]) => li.appendChild(go(m.path, () => selectModule(j, true))));
    cycleSection(n.id);
    const mine = (ids) => ids.some((id) => id === n.id || (n.members && n.members.some(([m]) => m === id)));
    const smells = D.smells.map((s, k) => [s, k]).filter(([s]) => s.level === 'service' && mine(smellSet(s).ids));
    section('Smells', smells, (li, [s, k]) => li.appendChild(go(s.kind.replace(/_/g, ' ') + ': ' + s.message, () => selectSmell(k))));
    const through = latency.map((p, k) => [p, k]).filter(([p]) => mine(p.steps.flat()));
    section('On latency paths', through, (li, [p, k]) => li.appendChild(go(p.steps.map(stepName).join(' → '), () => selectLatency(k))));
  }
  function closeDetails() { details.hidden = true; body.textContent = ''; }
  $('details-close').addEventListener('click', () => clearAll());

  // ---------------------------------------------------------------- cycles and critical paths
  function pickList(ol, items, render, onPick) {
    ol.textContent = '';
    items.forEach((it, k) => {
      const li = h('li', it.st ? ST[it.st] : '');
      render(li, it);
      clickable(li, () => { onPick(k); clearPicks(); li.classList.add('on'); });
      ol.appendChild(li);
    });
  }
  function clearPicks() { for (const li of document.querySelectorAll('.picks li.on')) li.classList.remove('on'); }
  const shortName = (id) => { const n = nameOf(id); const k = n.lastIndexOf('/'); return k >= 0 && k < n.length - 1 ? n.slice(k + 1) : n; };
  $('cycle-count').textContent = '(' + D.cycles.length + ')';
  pickList($('cycle-list'), D.cycles, (li, c) => {
    li.appendChild(h('span', 'lvl', c.level + ' · ' + c.kind + ' · ' + plural(c.nodes.length, 'member')));
    if (c.st) li.appendChild(tag(c.st));
    li.appendChild(h('span', 'what', clip(c.path.map(shortName).join(' → '), 160)));
  }, (k) => selectCycle(k, true));
  const paths = [];
  const idOf = (x) => (typeof x === 'number' ? T[x].id : x);
  D.critical_paths.forEach((l) => l.paths.forEach((p) => paths.push({ level: l.level, length: p.length, steps: p.steps.map((st) => st.map(idOf)) })));
  // A step of a path: one node, or a cycle collapsed into one step.
  const stepName = (s) => (s.length > 3 ? '⟲ ' + shortName(s[0]) + ' +' + (s.length - 1) : s.map(shortName).join(' ⟲ '));
  const stepItem = (li, step) => step.forEach((id, x) => { if (x) li.appendChild(h('span', 'at', ' ⟲ ')); li.appendChild(go(nameOf(id), () => selectById(id))); });
  pickList($('path-list'), paths, (li, p) => {
    li.appendChild(h('span', 'lvl', p.level + ' · ' + plural(p.length, 'step')));
    li.appendChild(h('span', 'what', clip(p.steps.map(stepName).join(' → '), 160)));
  }, (k) => selectPath(k));
  // Latency paths: the longest chains of synchronous calls between services.
  const latency = D.latency_paths;
  $('latency-count').textContent = '(' + latency.length + ')';
  $('latency-list').parentElement.hidden = !S.nodes.some((n) => n.k === 'service');
  pickList($('latency-list'), latency, (li, p) => {
    li.appendChild(h('span', 'lvl', plural(p.length, 'synchronous call')));
    li.appendChild(h('span', 'what', clip(p.steps.map(stepName).join(' → '), 160)));
  }, (k) => selectLatency(k));
  // Highlights nodes `ids` and the edges between `pairs` of them on the map
  // of `level` (on the service map, `exact` edges instead when given).
  function showSet(level, ids, pairs, exact) {
    details.hidden = false; // the panel takes its room before the map is fitted
    if (level === 'service') {
      const nodes = ids.map(svcAt).filter((i) => i != null);
      svc.pinned = -1;
      svc.sel = { nodes, pairs: pairs.map(([a, b]) => [svcAt(a), svcAt(b)]), exact: exact && new Set(exact) };
      setView('services', true);
      highlightServices();
      svc.v.fit(bbox(nodes.map((i) => S.nodes[i])), 1.2);
      return;
    }
    const nodes = ids.map((id) => (typeof id === 'number' ? id : byId.get(id))).filter((i) => i != null);
    for (const i of nodes) reveal(i);
    if (level === 'directory') for (const i of nodes) if (i > 0) mod.open[i] = 0;
    mod.pinned = -1;
    const ix = (x) => (typeof x === 'number' ? x : byId.get(x));
    mod.sel = { nodes, pairs: pairs.map(([a, b]) => [ix(a), ix(b)]).filter(([a, b]) => a != null && b != null) };
    setView('modules', true);
    drawModules();
    mod.v.fit(bbox(nodes.filter((i) => mod.rep[i] >= 0).map((i) => T[mod.rep[i]])), 1.2);
  }
  // The counted edges between a module or directory cycle's members (the
  // report lists them; the page data leaves them to be found here).
  function cycleEdges(c) {
    if (c.edges) return c.edges;
    const members = new Set(c.nodes.map((id) => byId.get(id)));
    const dir = c.level === 'directory', pairs = [];
    for (const e of D.edges) {
      if (!(e[4] & F.COUNTED) || (c.st !== 2 && e[5] === 2) || T[e[0]].k !== 'module' || T[e[1]].k !== 'module') continue;
      const a = dir ? T[e[0]].p : e[0], b = dir ? T[e[1]].p : e[1];
      if (a !== b && members.has(a) && members.has(b)) pairs.push([a, b]);
    }
    return pairs;
  }
  function selectCycle(ci) {
    const c = D.cycles[ci];
    if (!c) return;
    showSet(c.level, c.nodes, cycleEdges(c));
    openDetails('Cycle of ' + plural(c.nodes.length, 'member'), c.level + ' · ' + c.kind, c.st);
    section('Path', c.path_sites, (li, s) => {
      li.appendChild(go(nameOf(s.from) + ' → ' + nameOf(s.to), () => selectById(s.from)));
      li.appendChild(where(s.file, s.line));
    });
    body.lastElementChild && body.lastElementChild.classList.add('steps');
    section('Suggested cuts', c.breakers, (li, s) => {
      li.appendChild(h('span', null, nameOf(s.from) + ' → ' + nameOf(s.to)));
      li.appendChild(where(s.file, s.line));
      li.appendChild(h('span', 'at', plural(s.sites, 'import site')));
    });
    section('Members', c.nodes, (li, id) => li.appendChild(go(nameOf(id), () => selectById(id))));
    if (c.elementary && c.elementary.length > 1) body.appendChild(h('p', 'kind', c.elementary.length + ' elementary cycles (shortest shown as the path)'));
    setHash({ view: c.level === 'service' ? 'services' : 'modules', cycle: String(ci) });
  }
  function selectPath(k) {
    const p = paths[k];
    const ids = p.steps.flat(), pairs = [];
    for (let s = 0; s + 1 < p.steps.length; s++) for (const a of p.steps[s]) for (const b of p.steps[s + 1]) pairs.push([a, b]);
    showSet(p.level, ids, pairs);
    openDetails('Critical path, ' + plural(p.length, 'step'), p.level + ' level, cycles collapsed into one step', 0);
    section('Steps', p.steps, stepItem);
    setHash({ view: p.level === 'service' ? 'services' : 'modules', path: String(k) });
  }
  // The service-map edges of kinds `kinds` from each step of a path to the
  // next, and inside the steps that are collapsed cycles.
  function hops(steps, kinds) {
    const out = [];
    steps.forEach((step, s) => {
      const next = steps[s + 1] || [];
      for (const e of S.edges) {
        const a = S.nodes[e.from].id, b = S.nodes[e.to].id;
        if (kinds.includes(e.k) && step.includes(a) && (next.includes(b) || step.includes(b))) out.push(e);
      }
    });
    return out;
  }
  const edgeIds = (e) => [S.nodes[e.from].id, S.nodes[e.to].id];
  // A service-map edge: its ends, protocol, sites, the code behind it, file:line and endpoints.
  const svcLabel = (i) => S.nodes[i].n + (S.nodes[i].k === 'service' ? '' : ' (' + S.nodes[i].k + ')');
  function callItem(li, e) {
    li.appendChild(go(svcLabel(e.from) + ' → ' + svcLabel(e.to), () => selectService(e.from)));
    const p = pairOf.get(edgeIds(e).join(' '));
    const extra = [e.k === 'calls' ? '' : e.k, e.protocol, plural(e.sites, 'site'), p && p.modules ? plural(p.modules, 'module') : '', ST[e.st]];
    li.appendChild(h('span', 'at', extra.filter(Boolean).join(' · ')));
    if (e.file) li.appendChild(where(e.file, e.line));
    for (const ep of e.endpoints) li.appendChild(h('div', 'mono', ep));
  }
  function selectLatency(k) {
    const p = latency[k];
    if (!p) return;
    const calls = hops(p.steps, ['calls']);
    showSet('service', p.steps.flat(), calls.map(edgeIds), calls);
    openDetails('Latency path, ' + plural(p.length, 'synchronous call'), 'service level · HTTP, WebSocket and gRPC calls; messaging and declared links left out; cycles collapsed into one step', 0);
    section('Steps', p.steps, stepItem);
    section('Calls', calls, callItem);
    setHash({ view: 'services', latency: String(k) });
  }
  // What a smell is about on its level's map: its members, and at the
  // service level the edges that make it (a hub's edges, the writes to a
  // shared table, the calls between services that depend on each other).
  function smellSet(s) {
    if (s.level !== 'service') return { ids: s.nodes, pairs: [] };
    const core = new Set(s.nodes.map(svcAt).filter((i) => i != null));
    const touch = S.edges.filter((e) => core.has(e.from) || core.has(e.to));
    const edges = s.kind === 'hub_like_dependency' ? touch
      : s.kind === 'shared_table' ? touch.filter((e) => e.k === 'writes' && core.has(e.to))
        : touch.filter((e) => core.has(e.from) && core.has(e.to));
    const ids = new Set(s.nodes);
    for (const e of edges) edgeIds(e).forEach((id) => ids.add(id));
    return { ids: [...ids], pairs: edges.map(edgeIds), edges };
  }
  function selectSmell(k) {
    const s = D.smells[k];
    if (!s) return;
    const set = smellSet(s);
    showSet(s.level, set.ids, set.pairs, set.edges);
    openDetails(s.kind.replace(/_/g, ' '), s.level + ' smell', 0);
    body.appendChild(h('p', null, s.message));
    const member = (id) => nameOf(id) + (id.startsWith('module:') || id.startsWith('service:') ? '' : ' (' + id.split(':')[0] + ')');
    section('Members', s.nodes, (li, id) => li.appendChild(go(member(id), () => selectById(id))));
    section('Edges', set.edges || [], callItem);
    section('Evidence', s.evidence, (li, e) => li.appendChild(h('span', null, e)));
    setHash({ view: s.level === 'service' ? 'services' : 'modules', smell: String(k) });
  }
  function selectPair(p) {
    const es = S.edges.filter((e) => S.nodes[e.from].id === p.from && S.nodes[e.to].id === p.to);
    showSet('service', [p.from, p.to], [[p.from, p.to]]);
    openDetails(nameOf(p.from) + ' → ' + nameOf(p.to), 'service dependency', 0);
    facts(body, [['call sites', String(p.calls)], ['calling modules', String(p.modules)], ['endpoints', String(p.endpoints)]]);
    section('Edges', es, callItem);
  }

  // ---------------------------------------------------------------- search
  const index = [];
  for (let i = 1; i < N; i++) index.push({ key: (T[i].id + ' ' + (T[i].path || T[i].n)).toLowerCase(), base: T[i].n.toLowerCase(), label: T[i].k === 'dir' ? T[i].n + '/' : T[i].n, kind: T[i].k, sub: T[i].path || T[i].eco || '', pick: () => selectModule(i, true), mod: i });
  S.nodes.forEach((n, j) => index.push({ key: n.id.toLowerCase(), base: n.n.toLowerCase(), label: n.n, kind: n.k, sub: n.image || '', pick: () => selectService(j), svc: j }));
  D.endpoints.forEach((r) => { const j = svcById.get(r.service); if (j != null) index.push({ key: (r.method + ' ' + r.path + ' ' + r.id).toLowerCase(), base: r.path.toLowerCase(), label: r.method + ' ' + r.path, kind: 'endpoint', sub: nameOf(r.service), pick: () => selectService(j), svc: j }); });
  const search = $('search'), results = $('results');
  let hits = [], cursor = 0;
  function runSearch() {
    const q = search.value.trim().toLowerCase();
    results.textContent = '';
    if (!q) { hits = []; mod.matches = svc.matches = null; results.hidden = true; search.setAttribute('aria-expanded', 'false'); refresh(); return; }
    const all = index.filter((e) => e.key.includes(q));
    const rank = (e) => (e.base === q ? 0 : e.base.startsWith(q) ? 1 : e.base.includes(q) ? 2 : 3);
    all.sort((a, b) => rank(a) - rank(b) || a.key.length - b.key.length);
    hits = all.slice(0, 12);
    cursor = 0;
    mod.matches = new Set(all.filter((e) => e.mod != null).map((e) => e.mod));
    svc.matches = new Set(all.filter((e) => e.svc != null).map((e) => e.svc));
    if (!hits.length) results.appendChild(h('li', 'kind', 'Nothing matches'));
    hits.forEach((e, k) => {
      const li = h('li');
      li.id = 'hit-' + k;
      li.setAttribute('role', 'option');
      li.append(h('span', 'kind', e.kind), h('span', null, e.label), h('span', 'sub', e.sub));
      li.addEventListener('mousedown', (ev) => { ev.preventDefault(); pickHit(k); });
      results.appendChild(li);
    });
    results.hidden = false;
    search.setAttribute('aria-expanded', 'true');
    markCursor();
    refresh();
  }
  function markCursor() {
    [...results.children].forEach((li, k) => li.setAttribute('aria-selected', k === cursor ? 'true' : 'false'));
    if (hits.length) search.setAttribute('aria-activedescendant', 'hit-' + cursor);
  }
  function pickHit(k) { const e = hits[k]; if (!e) return; results.hidden = true; e.pick(); }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { cursor = Math.min(hits.length - 1, cursor + 1); markCursor(); e.preventDefault(); }
    else if (e.key === 'ArrowUp') { cursor = Math.max(0, cursor - 1); markCursor(); e.preventDefault(); }
    else if (e.key === 'Enter') { pickHit(cursor); e.preventDefault(); }
  });
  search.addEventListener('blur', () => { results.hidden = true; });
  search.addEventListener('focus', () => { if (hits.length) results.hidden = false; });
  function refresh() { if (mod.drawn) highlightModules(); if (svc.drawn) highlightServices(); }

  // ---------------------------------------------------------------- dependency structure matrix
  const dsm = { el: $('dsm'), level: D.dsm[1] && T.filter((n) => n.k === 'module').length > 300 ? 1 : 0, cache: {}, view: null };
  $('dsm-level').value = String(dsm.level);
  $('dsm-level').addEventListener('change', (e) => { dsm.level = +e.target.value; dsm.view = null; drawDsm(); });
  function dsmData(level) {
    if (dsm.cache[level]) return dsm.cache[level];
    const L = D.dsm[level], n = L.order.length, pos = new Map(L.order.map((t, k) => [t, k]));
    const cells = new Map();
    for (const e of D.edges) {
      if (e[4] & F.CONTAINS || e[5] === 2 || T[e[0]].k !== 'module' || T[e[1]].k !== 'module') continue;
      const a = pos.get(level ? T[e[0]].p : e[0]), b = pos.get(level ? T[e[1]].p : e[1]);
      if (a == null || b == null || a === b) continue;
      const key = a * n + b, c = cells.get(key) || [0, 0];
      c[e[4] & F.COUNTED ? 0 : 1]++;
      cells.set(key, c);
    }
    const band = new Uint8Array(n);
    for (let k = 1; k < n; k++) band[k] = T[L.order[k]].p === T[L.order[k - 1]].p ? band[k - 1] : 1 - band[k - 1];
    return (dsm.cache[level] = { L, n, cells, band });
  }
  function drawDsm() {
    const c = dsm.el, r = c.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    if (!r.width) return;
    const data = dsmData(dsm.level), n = data.n;
    if (!dsm.view) {
      const cell = Math.min(24, Math.max(0.2, Math.min(r.width - 10, r.height - 10) / Math.max(n, 1)));
      dsm.view = { cell, x: 0, y: 0 };
    }
    const v = dsm.view, cell = v.cell, L = cell >= 9 ? Math.min(260, r.width * 0.3) : 0;
    c.width = Math.round(r.width * dpr);
    c.height = Math.round(r.height * dpr);
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, r.width, r.height);
    const X = (k) => L + v.x + k * cell, Y = (k) => v.y + k * cell;
    const k0 = Math.max(0, Math.floor(-v.y / cell)), k1 = Math.min(n, Math.ceil((r.height - v.y) / cell));
    g.fillStyle = '#f3f5f9';
    for (let k = k0; k < k1; k++) if (data.band[k]) g.fillRect(L, Y(k), r.width - L, Math.max(cell, 0.5));
    g.fillStyle = '#e4e7ee';
    for (let k = k0; k < k1; k++) g.fillRect(X(k), Y(k), Math.max(cell, 1), Math.max(cell, 1));
    for (const [s, len] of data.L.blocks) {
      g.fillStyle = 'rgba(214,39,40,0.12)';
      g.fillRect(X(s), Y(s), len * cell, len * cell);
      g.strokeStyle = '#d62728';
      g.lineWidth = 1;
      g.strokeRect(X(s) + 0.5, Y(s) + 0.5, Math.max(len * cell - 1, 1), Math.max(len * cell - 1, 1));
    }
    const size = Math.max(cell - (cell > 4 ? 1 : 0), 1);
    for (const [key, cnt] of data.cells) {
      const a = Math.floor(key / n), b = key % n;
      g.fillStyle = cnt[0] ? (b > a ? '#d62728' : '#2f3b52') : '#aab3c2';
      g.fillRect(X(b), Y(a), size, size);
    }
    if (L) {
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, L, r.height);
      g.fillStyle = '#1d2330';
      g.font = Math.min(12, cell - 1) + 'px system-ui, sans-serif';
      for (let k = k0; k < k1; k++) g.fillText(clip(dsmName(data.L.order[k]), Math.floor(L / 6.5)), 4, Y(k) + cell * 0.75);
    }
    dsm.L = L;
  }
  function dsmName(t) { return T[t].k === 'root' ? './' : T[t].path || T[t].n; }
  function dsmAt(e) {
    const r = dsm.el.getBoundingClientRect(), v = dsm.view, data = dsmData(dsm.level);
    const a = Math.floor((e.clientY - r.top - v.y) / v.cell), b = Math.floor((e.clientX - r.left - dsm.L - v.x) / v.cell);
    return a >= 0 && a < data.n && b >= 0 && b < data.n ? [a, b, data, e.clientX - r.left, e.clientY - r.top] : null;
  }
  const tip = $('dsm-tip');
  let dsmDrag = null;
  dsm.el.addEventListener('pointermove', (e) => {
    if (dsmDrag) { dsm.view.x += e.clientX - dsmDrag.x; dsm.view.y += e.clientY - dsmDrag.y; dsmDrag = { x: e.clientX, y: e.clientY, moved: true }; drawDsm(); return; }
    const at = dsmAt(e);
    if (!at) { tip.hidden = true; return; }
    const [a, b, data, x, y] = at, cnt = data.cells.get(a * data.n + b);
    tip.textContent = dsmName(data.L.order[a]) + (cnt ? ' → ' : ' · ') + dsmName(data.L.order[b]) +
      (cnt ? ': ' + plural(cnt[0] + cnt[1], 'import') + (cnt[1] ? ' (' + cnt[1] + ' not counted)' : '') : '');
    tip.style.left = Math.min(x + 14, dsm.el.clientWidth - 300) + 'px';
    tip.style.top = y + 14 + 'px';
    tip.hidden = false;
  });
  dsm.el.addEventListener('pointerleave', () => { tip.hidden = true; });
  dsm.el.addEventListener('pointerdown', (e) => { dsmDrag = { x: e.clientX, y: e.clientY, moved: false }; dsm.el.setPointerCapture(e.pointerId); });
  dsm.el.addEventListener('pointerup', (e) => {
    const moved = dsmDrag && dsmDrag.moved;
    dsmDrag = null;
    if (moved) return;
    const at = dsmAt(e);
    if (at) moduleDetails(at[2].L.order[at[0]]);
  });
  dsm.el.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = dsm.el.getBoundingClientRect(), v = dsm.view, f = Math.exp(-e.deltaY * 0.0015);
    const cell = Math.min(40, Math.max(0.1, v.cell * f)), q = cell / v.cell;
    const px = e.clientX - r.left - dsm.L, py = e.clientY - r.top;
    v.x = px - (px - v.x) * q;
    v.y = py - (py - v.y) * q;
    v.cell = cell;
    drawDsm();
  }, { passive: false });
  window.addEventListener('resize', () => { if (!$('view-matrix').hidden) drawDsm(); });

  // ---------------------------------------------------------------- tables
  function fillTable(tbody, rows, render, limit) {
    tbody.textContent = '';
    const add = (from, to) => { for (const r of rows.slice(from, to)) tbody.appendChild(render(r)); };
    add(0, limit);
    const old = tbody.parentElement.nextElementSibling;
    if (old && old.classList.contains('more')) old.remove();
    if (rows.length > limit) {
      const more = h('button', 'more', 'Show all ' + rows.length + ' rows');
      more.addEventListener('click', () => { more.remove(); add(limit, rows.length); });
      tbody.parentElement.after(more);
    }
  }
  function td(content, cls) { const c = h('td', cls); if (content instanceof Node) c.appendChild(content); else c.textContent = content == null ? '' : String(content); return c; }
  function tr(st, cells) { const r = h('tr', st ? ST[st] : ''); r.append(...cells); return r; }
  function selectById(id) {
    const i = byId.get(id);
    if (i != null) return selectModule(i, true);
    const j = svcById.get(id);
    if (j != null) return selectService(j);
    // A table folded into a "N tables" box: its row in the Tables view.
    const k = D.tables.findIndex((t) => t.id === id);
    if (k < 0) return;
    setView('tables');
    const row = document.querySelectorAll('#table-table tbody tr')[k];
    if (row) { row.scrollIntoView({ block: 'center' }); row.classList.add('flash'); }
  }
  // A table sorted by the column last clicked (again: the other way);
  // text columns (`data-text`) sort ascending first, numbers descending.
  function sortable(table, state, draw) {
    for (const th of table.querySelectorAll('th')) {
      th.tabIndex = 0;
      const sort = () => { const k = th.getAttribute('data-key'); state.dir = state.key === k ? -state.dir : th.hasAttribute('data-text') ? 1 : -1; state.key = k; draw(); };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => { if (e.key === 'Enter') sort(); });
    }
  }
  function sortRows(table, rows, state) {
    const k = state.key, dir = state.dir;
    rows.sort((a, b) => { const x = a[k], y = b[k]; return (typeof x === 'string' ? x.localeCompare(y) : (x ?? -1) - (y ?? -1)) * dir || a.name.localeCompare(b.name); });
    for (const th of table.querySelectorAll('th')) th.setAttribute('aria-sort', th.getAttribute('data-key') === k ? (dir > 0 ? 'ascending' : 'descending') : 'none');
    return rows;
  }
  const coupling = { level: 0, key: 'ca', dir: -1 }, pairSort = { key: 'calls', dir: -1 };
  D.coupling.forEach((l, k) => { const o = h('option', null, l.level); o.value = String(k); $('coupling-level').appendChild(o); });
  // A map with services opens the table at their level, where the pairs are.
  coupling.level = Math.max(0, D.coupling.findIndex((l) => l.level === 'service' && l.pairs && l.pairs.length));
  $('coupling-level').value = String(coupling.level);
  $('coupling-level').addEventListener('change', (e) => { coupling.level = +e.target.value; drawCoupling(); });
  sortable($('coupling-table'), coupling, drawCoupling);
  sortable($('pair-table'), pairSort, drawCoupling);
  function drawCoupling() {
    const l = D.coupling[coupling.level];
    if (!l) return;
    $('coupling-note').textContent = (l.propagation_cost != null ? 'propagation cost ' + num(l.propagation_cost) : l.propagation_note || '') + ' · ' + plural(l.nodes.length, 'row');
    const rows = sortRows($('coupling-table'), l.nodes.map((r) => Object.assign({ name: nameOf(r.id) }, r)), coupling);
    fillTable(document.querySelector('#coupling-table tbody'), rows, (r) => {
      const row = tr(0, [td(r.name, 'mono'), td(r.ca, 'num'), td(r.ce, 'num'), td(num(r.instability), 'num'), td(num(r.propagation), 'num'), td(r.depth, 'num')]);
      row.className = 'pick';
      return clickable(row, () => selectById(r.id));
    }, 500);
    // Service level: the code behind each service → service dependency.
    $('pair-box').hidden = !l.pairs;
    if (!l.pairs) return;
    const pairs = sortRows($('pair-table'), l.pairs.map((p) => Object.assign({ name: nameOf(p.from) + ' → ' + nameOf(p.to), a: nameOf(p.from), b: nameOf(p.to) }, p)), pairSort);
    fillTable(document.querySelector('#pair-table tbody'), pairs, (p) => {
      const row = tr(0, [td(p.a, 'mono'), td(p.b, 'mono'), td(p.calls, 'num'), td(p.modules, 'num'), td(p.endpoints, 'num')]);
      row.className = 'pick';
      return clickable(row, () => selectPair(p));
    }, 500);
  }
  function drawEndpoints() {
    const rows = D.endpoints.slice().sort((a, b) => (a.service + a.path).localeCompare(b.service + b.path));
    const tb = document.querySelector('#endpoint-table tbody');
    if (!rows.length) { tb.appendChild(tr(0, [td('No endpoints in this report.')])); return; }
    fillTable(tb, rows, (r) => {
      const handler = h('span');
      if (r.handler) handler.appendChild(h('code', null, r.handler + ' '));
      if (r.file) handler.appendChild(where(r.file, r.line));
      const s = h('span');
      s.append(tag(r.st), go(nameOf(r.service), () => selectById(r.service)));
      return tr(r.st, [td(s), td(r.method, 'mono'), td(r.path, 'mono'), td(handler)]);
    }, 1000);
  }
  function drawTables() {
    const tb = document.querySelector('#table-table tbody');
    if (!D.tables.length) { tb.appendChild(tr(0, [td('No tables in this report.')])); return; }
    const who = (r, kind) => {
      const c = h('td');
      for (const a of r.access.filter((x) => x[1] === kind)) {
        // The service, then the code doing it (a module is named by its file:line).
        const d = h('div', 'access');
        if (a[4]) d.appendChild(go(nameOf(a[4]), () => selectById(a[4])));
        if (a[2] && a[0].startsWith('module:')) d.appendChild(where(a[2], a[3]));
        else d.appendChild(go(nameOf(a[0]), () => selectById(a[0])));
        c.appendChild(d);
      }
      return c;
    };
    fillTable(tb, D.tables, (r) => { const s = h('span'); s.append(tag(r.st), go(r.name, () => selectById(r.id))); return tr(r.st, [td(s, 'mono'), who(r, 'reads'), who(r, 'writes')]); }, 1000);
  }
  // Smells, filtered by level and kind (saleor has 254, most of them at the module level).
  for (const [id, key] of [['smell-level', 'level'], ['smell-kind', 'kind']]) {
    for (const x of [...new Set(D.smells.map((s) => s[key]))].sort()) { const o = h('option', null, x.replace(/_/g, ' ')); o.value = x; $(id).appendChild(o); }
    $(id).addEventListener('change', drawSmells);
  }
  function drawSmells() {
    const v = $('smell-list'), level = $('smell-level').value, kind = $('smell-kind').value;
    v.textContent = '';
    if (!D.smells.length) { v.appendChild(h('p', 'hint', 'No architecture smells found.')); return; }
    const shown = D.smells.filter((s) => (!level || s.level === level) && (!kind || s.kind === kind));
    $('smell-note').textContent = shown.length + ' of ' + D.smells.length;
    D.smells.forEach((s, k) => {
      if ((level && s.level !== level) || (kind && s.kind !== kind)) return;
      const card = h('div', 'smell');
      const show = h('button', 'show', 'Show on the ' + (s.level === 'service' ? 'service' : 'module') + ' map');
      show.addEventListener('click', () => selectSmell(k));
      card.append(h('span', 'kind', s.kind.replace(/_/g, ' ')), h('span', 'at', ' · ' + s.level), show, h('p', null, s.message));
      const nodes = h('div');
      s.nodes.slice(0, 30).forEach((id) => { nodes.appendChild(go(nameOf(id), () => selectById(id))); nodes.appendChild(document.createTextNode('  ')); });
      const more = (s.nodes_total || s.nodes.length) - Math.min(30, s.nodes.length);
      if (more > 0) nodes.appendChild(h('span', 'at', 'and ' + more + ' more'));
      card.appendChild(nodes);
      const ul = h('ul');
      for (const e of s.evidence.slice(0, 20)) ul.appendChild(h('li', null, e));
      if ((s.evidence_total || s.evidence.length) > 20) ul.appendChild(h('li', null, '… ' + ((s.evidence_total || s.evidence.length) - 20) + ' more'));
      card.appendChild(ul);
      v.appendChild(card);
    });
  }
  function drawDiagnostics() {
    const tb = document.querySelector('#diag-table tbody');
    if (!D.diagnostics.length) { tb.appendChild(tr(0, [td('No diagnostics.')])); return; }
    // Errors, then warnings, then notes; in file order within each.
    const rank = { error: 0, warning: 1 };
    const rows = D.diagnostics.slice().sort((a, b) => (rank[a.severity] ?? 2) - (rank[b.severity] ?? 2));
    fillTable(tb, rows, (d) => tr(0, [td(d.severity, 'sev-' + d.severity), td(where(d.file, d.line)), td(d.message)]), 1000);
  }

  // ---------------------------------------------------------------- what changed
  function drawChanges() {
    const v = $('view-changes'), C = D.changes;
    v.appendChild(h('h2', null, 'What changed since ' + (D.meta.base_root || 'the base report')));
    const newCycles = D.cycles.map((c, ci) => [c, ci]).filter(([c]) => c.st === 1);
    const goneCycles = D.cycles.map((c, ci) => [c, ci]).filter(([c]) => c.st === 2);
    const deps = D.edges.map((e, k) => [e, k]).filter(([e]) => e[5] && !(e[4] & F.CONTAINS) && T[e[1]].k === 'module');
    const calls = S.edges.filter((e) => e.k === 'calls' && e.st);
    const lead = h('ul', 'lead');
    const say = (n, text) => { if (n) lead.appendChild(h('li', null, text)); };
    say(newCycles.length, 'closes ' + plural(newCycles.length, 'new cycle'));
    say(goneCycles.length, 'breaks ' + plural(goneCycles.length, 'cycle'));
    for (const e of calls) say(1, (e.st === 1 ? 'adds' : 'removes') + ' a call from ' + S.nodes[e.from].n + ' to ' + S.nodes[e.to].n + (e.endpoints.length ? ' (' + e.endpoints.slice(0, 3).join(', ') + ')' : ''));
    for (const [kind, c] of Object.entries(C.nodes)) say(c.added.length + c.removed.length, kind + 's: +' + c.added.length + ' −' + c.removed.length);
    say(C.dependencies.added.length + C.dependencies.removed.length, 'module dependencies: +' + C.dependencies.added.length + ' −' + C.dependencies.removed.length);
    if (!lead.children.length) lead.appendChild(h('li', null, 'No architectural change.'));
    v.appendChild(lead);
    const list = (title, items, render) => {
      if (!items.length) return;
      v.appendChild(h('h3', null, title + ' (' + items.length + ')'));
      const ul = h('ul', 'changes');
      for (const it of items.slice(0, 400)) { const li = h('li'); render(li, it); ul.appendChild(li); }
      v.appendChild(ul);
      if (items.length > 400) v.appendChild(h('p', 'hint', (items.length - 400) + ' more not listed'));
    };
    const mark = (li, st, text, fn) => { li.className = ST[st] + (fn ? ' go' : ''); li.append(tag(st), h('span', 'what', text)); if (fn) clickable(li, fn); };
    list('Cycles', newCycles.concat(goneCycles), (li, [c, ci]) => mark(li, c.st, c.level + ' ' + c.kind + ': ' + c.path.map(shortName).join(' → '), () => selectCycle(ci)));
    list('Service calls', calls, (li, e) => mark(li, e.st, S.nodes[e.from].n + ' → ' + S.nodes[e.to].n + (e.endpoints.length ? '  ' + e.endpoints.join(', ') : ''), () => selectService(e.from)));
    for (const [kind, c] of Object.entries(C.nodes)) {
      const items = c.added.map((id) => [id, 1]).concat(c.removed.map((id) => [id, 2]));
      list(kind[0].toUpperCase() + kind.slice(1) + 's', items, (li, [id, st]) => mark(li, st, bare(id), byId.has(id) || svcById.has(id) ? () => selectById(id) : null));
    }
    list('Module dependencies', deps, (li, [e]) => mark(li, e[5], nameOf(T[e[0]].id) + ' → ' + nameOf(T[e[1]].id), () => selectModule(e[0], true)));
    list('Coupling movers', C.coupling_movers, (li, m) => {
      li.append(h('span', 'what', bare(m.id) + ': fan-in ' + m.ca[0] + '→' + m.ca[1] + ', fan-out ' + m.ce[0] + '→' + m.ce[1] + ', instability ' + num(m.instability[0]) + '→' + num(m.instability[1])));
      if (byId.has(m.id)) { li.className = 'go'; clickable(li, () => selectById(m.id)); }
    });
  }

  // ---------------------------------------------------------------- views, hash, keys
  const drawn = {};
  const firstDraw = {
    services: () => { drawServices(); svc.v.onFit(); },
    modules: () => { drawModules(); mod.v.onFit(); },
    matrix: () => {},
    coupling: drawCoupling, endpoints: drawEndpoints, tables: drawTables, smells: drawSmells,
    diagnostics: drawDiagnostics, changes: drawChanges,
  };
  let current = null;
  function setView(name, quiet) {
    if (!firstDraw[name] || (name === 'changes' && !D.changes)) name = 'modules';
    for (const b of document.querySelectorAll('#tabs button')) b.setAttribute('aria-selected', b.getAttribute('data-view') === name ? 'true' : 'false');
    for (const s of document.querySelectorAll('.view')) s.hidden = s.id !== 'view-' + name;
    current = name;
    if (!drawn[name]) { drawn[name] = true; firstDraw[name](); }
    if (name === 'matrix') drawDsm();
    if (!quiet) setHash({ view: name });
  }
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => setView(b.getAttribute('data-view')));
  for (const b of document.querySelectorAll('[data-act="fit"]')) b.addEventListener('click', () => (current === 'services' ? svc.v : mod.v).onFit());
  function setHash(p) {
    const q = new URLSearchParams();
    for (const k in p) q.set(k, p[k]);
    history.replaceState(null, '', '#' + q.toString());
  }
  function fromHash() {
    const q = new URLSearchParams(location.hash.slice(1));
    const node = q.get('node'), pick = (key) => (q.get(key) == null ? null : +q.get(key));
    if (q.get('view') || !current) setView(q.get('view') || (D.meta.review ? 'changes' : S.nodes.length ? 'services' : 'modules'), true);
    if (node && (byId.has(node) || svcById.has(node))) selectById(node);
    else if (D.cycles[pick('cycle')]) selectCycle(pick('cycle'));
    else if (latency[pick('latency')]) selectLatency(pick('latency'));
    else if (paths[pick('path')]) selectPath(pick('path'));
    else if (D.smells[pick('smell')]) selectSmell(pick('smell'));
  }
  function clearAll() {
    mod.pinned = mod.hover = svc.pinned = svc.hover = -1;
    mod.sel = svc.sel = null;
    clearPicks();
    closeDetails();
    refresh();
    setHash({ view: current });
  }
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.key === 'Escape') {
      if (typing && search.value) { search.value = ''; runSearch(); return; }
      if (typing) search.blur();
      clearAll();
    } else if (e.key === '/' && !typing) { e.preventDefault(); search.focus(); search.select(); }
  });
  window.addEventListener('hashchange', fromHash);
  for (const [id, key] of [['t-third', 'third'], ['t-builtin', 'builtin'], ['t-cycles', 'cycles'], ['t-weak', 'weak']]) {
    const box = $(id);
    box.checked = show[key];
    box.addEventListener('change', () => { show[key] = box.checked; if (mod.drawn) drawModules(); });
  }

  // ---------------------------------------------------------------- chrome: title, stats, legend
  $('root-name').textContent = D.meta.root + (D.meta.review ? '  ·  review against ' + (D.meta.base_root || 'base') : '');
  const stats = $('stats');
  const st = D.meta.stats || {};
  const files = Object.entries(st.files || {}).filter(([, n]) => n).map(([l, n]) => l + ' ' + n).join(', ');
  const edgesN = Object.entries(st.edges || {}).map(([k, n]) => k + ' ' + n).join(', ');
  for (const [k, v] of [['files', files || '0'], ['modules', st.modules], ['packages', st.packages], ['edges', edgesN], ['services', S.nodes.filter((n) => n.k === 'service').length],
    ['endpoints', D.endpoints.length], ['tables', D.tables.length], ['counted', (D.meta.edge_classes || []).join(', ')], ['diagnostics', D.diagnostics.length], ['tapestry', D.meta.version]]) {
    stats.append(h('dt', null, k), h('dd', null, v == null ? '' : v));
  }
  const tabCount = { services: S.nodes.length, endpoints: D.endpoints.length, tables: D.tables.length, smells: D.smells.length, diagnostics: D.diagnostics.length };
  for (const b of document.querySelectorAll('#tabs button')) {
    const n = tabCount[b.getAttribute('data-view')];
    if (n != null) b.appendChild(h('span', 'n', n));
    if (b.getAttribute('data-view') === 'changes') b.hidden = !D.changes;
  }
  const legend = $('legend');
  const key = (cls, text) => { const s = h('span'); s.append(h('i', cls), document.createTextNode(text)); legend.appendChild(s); };
  key('l-mod', 'module'); key('l-dir', 'directory (closed)'); key('l-pkg', 'package'); key('l-svc', 'service'); key('l-store', 'datastore / table'); key('l-queue', 'queue');
  key('l-cyc', 'edge in a cycle');
  if (S.edges.some((e) => e.inf)) key('l-inf', 'call inferred by method and path');
  if (D.meta.review) { key('l-add', 'added'); key('l-rem', 'removed'); }
  legend.appendChild(h('span', null, 'keys: / search · Enter select · X open/close · Esc clear · arrows pan · +/− zoom · 0 fit'));

  fromHash();
  window.__tapestry = {
    ready: false, firstRender: null,
    select: selectById, view: setView,
    panBy: (dx, dy) => (current === 'services' ? svc.v : mod.v).panBy(dx, dy),
    visible: () => (current === 'services' ? S.nodes.length : visibleNodes().length),
    // The boxes of the module map as drawn: [index, parent, x, y, w, h, open].
    boxes: () => visibleNodes().map((i) => [i, T[i].p, T[i].x, T[i].y, T[i].w, T[i].h, isDir(i) && !!mod.open[i]]),
    toggle: (id) => toggleOpen(byId.get(id)),
    // Places the module map for what is open (benchmarks time it).
    layout: () => { computeVisible(); layoutModules(); },
  };
  requestAnimationFrame(() => requestAnimationFrame(() => { window.__tapestry.firstRender = performance.now(); window.__tapestry.ready = true; }));
})();
