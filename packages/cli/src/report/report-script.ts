/**
 * The page's only script (allowed by its SHA-256 in the Content-Security-Policy): search, filters, sorting and
 * paging over the entries' JSON data. It writes text with `textContent` only, never markup, and the page reads
 * and prints without it (the first rows are plain HTML).
 */
export const REPORT_SCRIPT = `(function () {
  'use strict';
  var data = document.getElementById('entry-data');
  var body = document.getElementById('entry-rows');
  if (!data || !body) return;
  var rows = JSON.parse(data.textContent || '[]');
  var withOutcome = document.getElementById('f-state') !== null;
  var PAGE = 200;
  var limit = PAGE;
  var sortCol = -1;
  var sortDir = 1;
  var controls = document.getElementById('entry-controls');
  var user = document.getElementById('f-user');
  var kind = document.getElementById('f-kind');
  var group = document.getElementById('f-group');
  var state = document.getElementById('f-state');
  var held = document.getElementById('f-held');
  var status = document.getElementById('entry-status');
  var more = document.getElementById('more');
  controls.hidden = false;
  controls.addEventListener('submit', function (event) { event.preventDefault(); });

  function cellText(row, col) {
    var value = [row[1], row[2], row[0], row[3], row[4], row[5], row[7], row[8]][col];
    return Array.isArray(value) ? value.join(', ') : value;
  }
  function list(items) {
    var ul = document.createElement('ul');
    items.forEach(function (item) {
      var li = document.createElement('li');
      li.textContent = item;
      ul.appendChild(li);
    });
    return ul;
  }
  function cell(tr, content) {
    var td = document.createElement('td');
    if (typeof content === 'string') td.textContent = content;
    else if (content.length > 0) td.appendChild(list(content));
    tr.appendChild(td);
    return td;
  }
  function render(matching) {
    var fragment = document.createDocumentFragment();
    matching.slice(0, limit).forEach(function (row) {
      var tr = document.createElement('tr');
      cell(tr, row[1]);
      cell(tr, row[2]);
      var kindCell = cell(tr, row[0]);
      if (row[6] !== '') {
        var mark = document.createElement('strong');
        mark.className = 'held-mark';
        mark.textContent = 'HELD';
        mark.title = row[6];
        kindCell.appendChild(document.createTextNode(' '));
        kindCell.appendChild(mark);
      }
      cell(tr, row[3]);
      cell(tr, row[4]);
      cell(tr, row[5]);
      if (withOutcome) {
        cell(tr, row[7]);
        cell(tr, row[8]);
      }
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    var shown = Math.min(limit, matching.length);
    status.textContent = 'Showing ' + shown + ' of ' + matching.length + ' matching entries (' + rows.length + ' in all).';
    more.hidden = shown >= matching.length;
  }
  function update() {
    var needle = user.value.trim().toLowerCase();
    var k = kind.value;
    var g = group.value;
    var s = state ? state.value : '';
    var h = held.checked;
    var matching = rows.filter(function (row) {
      if (k !== '' && row[0] !== k) return false;
      if (s !== '' && row[7] !== s) return false;
      if (h && row[6] === '') return false;
      if (g !== '' && row[4].indexOf(g) < 0 && row[5].indexOf(g) < 0) return false;
      return needle === '' || row[1].toLowerCase().indexOf(needle) >= 0;
    });
    if (sortCol >= 0) {
      matching.sort(function (a, b) {
        var x = cellText(a, sortCol);
        var y = cellText(b, sortCol);
        return x < y ? -sortDir : x > y ? sortDir : 0;
      });
    }
    render(matching);
  }
  function refilter() { limit = PAGE; update(); }
  [user, kind, group, state, held].forEach(function (control) {
    if (control) control.addEventListener('input', refilter);
  });
  more.addEventListener('click', function () { limit += PAGE; update(); });
  document.querySelectorAll('table.entries th[data-col]').forEach(function (th) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.textContent = th.textContent;
    th.textContent = '';
    th.appendChild(button);
    th.setAttribute('aria-sort', 'none');
    button.addEventListener('click', function () {
      var col = Number(th.getAttribute('data-col'));
      sortDir = sortCol === col ? -sortDir : 1;
      sortCol = col;
      document.querySelectorAll('table.entries th[data-col]').forEach(function (other) {
        other.setAttribute('aria-sort', other === th ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
      });
      update();
    });
  });
  update();
})();`;
