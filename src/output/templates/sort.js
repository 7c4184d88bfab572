// With scripts the advisors become one list: a manager filter above it, and a click on a column
// header sorts by that column (again to reverse). Without scripts the table stays grouped by
// manager, each group sorted by advisor name.
(function () {
  var table = document.getElementById("advisors");
  if (!table) return;
  var body = table.tBodies[0];
  Array.prototype.slice.call(table.tBodies).forEach(function (group) {
    var manager = group.getAttribute("data-manager");
    Array.prototype.slice.call(group.rows).forEach(function (row) {
      if (row.className === "group") return;
      row.setAttribute("data-manager", manager);
      body.appendChild(row);
    });
    if (group !== body) group.parentNode.removeChild(group);
  });
  var heading = body.querySelector("tr.group");
  if (heading) body.removeChild(heading);
  body.removeAttribute("data-manager");

  var filter = document.getElementById("filter");
  if (filter) {
    filter.hidden = false;
    filter.querySelector("select").addEventListener("change", function (event) {
      var chosen = event.target.value;
      Array.prototype.slice.call(body.rows).forEach(function (row) {
        row.hidden = chosen !== "" && row.getAttribute("data-manager") !== chosen;
      });
    });
  }

  var headers = table.querySelectorAll("thead th[data-sort]");
  headers.forEach(function (th, column) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      var numeric = th.getAttribute("data-sort") === "number";
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-value");
        var y = b.cells[column].getAttribute("data-value");
        var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
