/**
 * The failure page's script (plain browser JavaScript, kept as a string so the
 * page is one self-contained file). It draws one partition at a time from the
 * page data, and only the bars inside the visible window, so a million
 * operations cost one scan per scroll, not a million elements.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  var D = JSON.parse(document.getElementById('data').textContent);
  var CLS = ['', 'lin', 'stuck', 'conc', 'pending'];
  var LANE_H = 30, LABEL_W = 110, MAX_BARS = 4000;
  var box = document.getElementById('timeline'), canvas = document.getElementById('canvas'), select = document.getElementById('partition');
  var cur = null, scale = 1;

  function prepare(p) {
    var ops = p.ops, n = ops.length / 6, byLane = [], i, l;
    for (l = 0; l < p.lanes.length; l++) byLane.push([]);
    var tMin = Infinity, tMax = -Infinity, durs = [];
    for (i = 0; i < n; i++) {
      var call = ops[6 * i + 1], ret = ops[6 * i + 2];
      byLane[ops[6 * i]].push(i);
      if (call < tMin) tMin = call;
      if (ret > tMax) tMax = ret;
      if (call > tMax) tMax = call;
      if (ret >= 0 && durs.length < 2000) durs.push(ret - call);
    }
    // Per lane, the running maximum of end times (operations sorted by call): the first visible bar is a binary search away.
    var maxEnd = byLane.map(function (idx) {
      var m = new Float64Array(idx.length), run = -Infinity;
      for (var k = 0; k < idx.length; k++) { var r = ops[6 * idx[k] + 2]; run = Math.max(run, r < 0 ? Infinity : r); m[k] = run; }
      return m;
    });
    durs.sort(function (a, b) { return a - b; });
    var ann = [];
    for (i = 0; i < D.annotations.length; i += 5) ann.push(D.annotations.slice(i, i + 5));
    var laneNames = p.lanes.slice();
    if (ann.some(function (a) { return a[0] === '' || laneNames.indexOf(a[0]) < 0; })) laneNames.push('events');
    return { p: p, n: n, byLane: byLane, maxEnd: maxEnd, tMin: tMin === Infinity ? 0 : tMin, tMax: Math.max(tMax, tMin + 1), median: durs.length ? Math.max(1, durs[durs.length >> 1]) : 1, lanes: laneNames, ann: ann };
  }

  function x(t) { return LABEL_W + (t - cur.tMin) * scale; }

  function render() {
    var ops = cur.p.ops, left = box.scrollLeft, right = left + box.clientWidth;
    var t0 = cur.tMin + (left - LABEL_W) / scale, t1 = cur.tMin + (right - LABEL_W) / scale;
    canvas.style.width = (LABEL_W + (cur.tMax - cur.tMin) * scale + 40) + 'px';
    canvas.style.height = (cur.lanes.length * LANE_H + 10) + 'px';
    var html = [], drawn = 0;
    for (var l = 0; l < cur.lanes.length; l++) {
      html.push('<div class="lane" style="top:' + (l * LANE_H) + 'px"></div><div class="client" style="top:' + (l * LANE_H) + 'px;left:' + left + 'px">' + esc(cur.lanes[l]) + '</div>');
      var idx = cur.byLane[l], m = cur.maxEnd[l];
      if (!idx) continue;
      var lo = 0, hi = idx.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (m[mid] < t0) lo = mid + 1; else hi = mid; }
      for (var k = lo; k < idx.length && drawn < MAX_BARS; k++) {
        var i = idx[k], call = ops[6 * i + 1], ret = ops[6 * i + 2];
        if (call > t1) break;
        var end = ret < 0 ? cur.tMax : ret;
        if (end < t0) continue;
        drawn++;
        var cls = CLS[ops[6 * i + 4]], num = ops[6 * i + 5], label = D.labels[ops[6 * i + 3]];
        var w = Math.max(3, (end - call) * scale);
        html.push('<div class="op ' + cls + '"' + (cls === 'stuck' ? ' id="first-error"' : '') + ' style="top:' + (l * LANE_H + 3) + 'px;left:' + x(call).toFixed(1) + 'px;width:' + w.toFixed(1) + 'px" title="' + esc(label + ' @' + call + '..' + (ret < 0 ? 'pending' : ret)) + '">' + (num ? '<b>' + num + '</b> ' : '') + esc(label) + '</div>');
      }
    }
    cur.ann.forEach(function (a) {
      var lane = a[0] === '' || cur.lanes.indexOf(a[0]) < 0 ? cur.lanes.length - 1 : cur.lanes.indexOf(a[0]);
      var end = a[2] < 0 ? a[1] : a[2];
      if (end < t0 || a[1] > t1) return;
      html.push('<div class="op ann" style="top:' + (lane * LANE_H + 3) + 'px;left:' + x(a[1]).toFixed(1) + 'px;width:' + Math.max(3, (end - a[1]) * scale).toFixed(1) + 'px" title="' + esc(a[4] < 0 ? D.labels[a[3]] : D.labels[a[3]] + ': ' + D.labels[a[4]]) + '">' + esc(D.labels[a[3]]) + '</div>');
    });
    canvas.innerHTML = html.join('');
    document.getElementById('shown').textContent = drawn + ' of ' + cur.n + ' operations drawn' + (drawn >= MAX_BARS ? ' (zoom in for the rest)' : '');
  }

  function esc(s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); }

  function show(index) {
    cur = prepare(D.partitions[index]);
    select.value = String(index);
    // Fit the whole partition if a typical operation stays readable, else zoom so it is 60 px wide.
    var fit = (box.clientWidth - LABEL_W - 40) / (cur.tMax - cur.tMin);
    scale = Math.max(fit, 60 / cur.median);
    box.scrollLeft = 0;
    render();
  }

  function zoom(f) {
    var mid = cur.tMin + (box.scrollLeft + box.clientWidth / 2 - LABEL_W) / scale;
    scale *= f;
    canvas.style.width = (LABEL_W + (cur.tMax - cur.tMin) * scale + 40) + 'px';
    box.scrollLeft = Math.max(0, x(mid) - box.clientWidth / 2);
    render();
  }

  D.partitions.forEach(function (p, i) {
    if (i >= 2000 && i !== D.failing) return;
    var o = document.createElement('option');
    o.value = String(i);
    o.textContent = 'partition ' + i + (p.verdict ? ' (' + p.verdict + ')' : '') + ', ' + p.ops.length / 6 + ' ops, ' + p.lanes.length + ' clients';
    select.appendChild(o);
  });
  select.addEventListener('change', function () { show(Number(select.value)); });
  document.getElementById('zoom-in').addEventListener('click', function () { zoom(2); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoom(0.5); });
  box.addEventListener('scroll', function () { if (!render.queued) { render.queued = true; requestAnimationFrame(function () { render.queued = false; render(); }); } });
  var jump = document.getElementById('jump');
  if (jump) jump.addEventListener('click', function (ev) {
    ev.preventDefault();
    if (cur.p.index !== D.failing) show(D.failing);
    var ops = cur.p.ops;
    for (var i = 0; i < cur.n; i++) if (ops[6 * i + 4] === 2) {
      box.scrollLeft = Math.max(0, x(ops[6 * i + 1]) - box.clientWidth / 3);
      render();
      break;
    }
    var el = document.getElementById('first-error');
    if (el) el.scrollIntoView({ block: 'center', inline: 'nearest' });
  });
  show(D.failing >= 0 ? D.failing : 0);
})();
`;
