/* Atlas du patrimoine applicatif — the search box of every page, the search page, and the
   sortable, filterable tables. Plain JavaScript, no library, no network: the search index is a
   script beside this one (recherche.js, written by cartographie), loaded the first time the
   box is used, which works from file:// where fetch() does not. Names are inserted as text
   (textContent), never as markup. */
(function () {
  "use strict";

  var root = document.documentElement.getAttribute("data-racine") || "";
  var SHOWN = 12;

  /* The same folding as cartographie.atlas.search.fold: lowercase, no accent, a-z0-9 words. */
  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss")
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* --- the index, loaded once ------------------------------------------------------------ */

  var waiting = null;
  function withIndex(callback) {
    if (window.ATLAS_RECHERCHE) {
      callback(prepared(window.ATLAS_RECHERCHE));
      return;
    }
    if (waiting) {
      waiting.push(callback);
      return;
    }
    waiting = [callback];
    var script = document.createElement("script");
    script.src = root + "recherche.js";
    script.onload = function () {
      var callbacks = waiting;
      waiting = null;
      callbacks.forEach(function (each) { each(prepared(window.ATLAS_RECHERCHE)); });
    };
    script.onerror = function () { waiting = null; };
    document.head.appendChild(script);
  }

  function prepared(data) {
    if (!data.prets) {
      data.objets.forEach(function (entry) {
        entry.push(entry[5] + " " + fold(entry[2]), fold(entry[2]));
      });
      data.prets = true;
    }
    return data;
  }

  /* Entries whose name or id holds every word typed; the closest first: the exact name or id,
     then a name that starts with the words, then words that start words of the name. */
  function search(data, query) {
    var folded = fold(query);
    if (!folded) return [];
    var words = folded.split(" ");
    var starts = words.map(function (word) { return new RegExp("(^| )" + word); });
    var found = [];
    data.objets.forEach(function (entry, position) {
      var key = entry[6];
      for (var i = 0; i < words.length; i++) {
        if (key.indexOf(words[i]) < 0) return;
      }
      var score = 3;
      if (entry[5] === folded || entry[7] === folded || entry[2] === query.trim()) score = 0;
      else if (entry[5].indexOf(folded) === 0) score = 1;
      else if (starts.every(function (start) { return start.test(key); })) score = 2;
      found.push([score, entry[0], position, entry]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return found.map(function (item) { return item[3]; });
  }

  function resultLink(data, entry) {
    var link = element("a");
    link.href = root + entry[3];
    link.appendChild(element("span", "genre", data.genres[entry[0]]));
    link.appendChild(document.createTextNode(" "));
    var what = element("span", "quoi");
    what.appendChild(element("span", "nom", entry[1]));
    if (entry[4]) {
      what.appendChild(document.createTextNode(" "));
      what.appendChild(element("span", "detail", entry[4]));
    }
    link.appendChild(what);
    return link;
  }

  function count(number) {
    if (number === 0) return "Aucun résultat";
    return number.toLocaleString("fr-FR") + (number > 1 ? " résultats" : " résultat");
  }

  /* --- the box of every page -------------------------------------------------------------- */

  function searchBox(form) {
    var input = form.querySelector("input[type=search]");
    var panel = form.querySelector(".resultats");
    var status = form.querySelector("[role=status]");
    if (!input || !panel || !status) return;

    function close() {
      panel.hidden = true;
    }

    function show() {
      var query = input.value;
      if (!fold(query)) {
        panel.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      withIndex(function (data) {
        if (input.value !== query) return;
        var found = search(data, query);
        panel.textContent = "";
        var list = element("ul");
        found.slice(0, SHOWN).forEach(function (entry) {
          var item = element("li");
          item.appendChild(resultLink(data, entry));
          list.appendChild(item);
        });
        if (found.length > SHOWN) {
          var all = element("li", "tous");
          var link = element("a", "", "Voir les " + count(found.length));
          link.href = root + "listes/recherche.html?q=" + encodeURIComponent(query);
          all.appendChild(link);
          list.appendChild(all);
        }
        if (found.length === 0) panel.appendChild(element("p", "aucun", "Aucun résultat."));
        else panel.appendChild(list);
        status.textContent = count(found.length) + " pour « " + query + " »";
        panel.hidden = false;
      });
    }

    function links() {
      return Array.prototype.slice.call(panel.querySelectorAll("a"));
    }

    input.addEventListener("input", show);
    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !panel.hidden) {
        var first = links()[0];
        if (first) {
          first.focus();
          event.preventDefault();
        }
      } else if (event.key === "Escape") {
        input.value = "";
        show();
      }
    });
    panel.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < all.length - 1) {
        all[at + 1].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        (at > 0 ? all[at - 1] : input).focus();
        event.preventDefault();
      } else if (event.key === "Escape") {
        input.focus();
        close();
        event.preventDefault();
      }
    });
    form.addEventListener("submit", function (event) {
      if (!fold(input.value)) event.preventDefault();
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
    });
  }

  /* --- the search page: every result, by kind --------------------------------------------- */

  function searchPage(container) {
    var query = new URLSearchParams(window.location.search).get("q") || "";
    var field = document.getElementById("recherche-champ");
    if (field) field.value = query;
    var status = document.getElementById("recherche-page-statut");
    if (!fold(query)) {
      status.textContent = "Tapez un nom ou un identifiant dans le champ de recherche.";
      return;
    }
    withIndex(function (data) {
      var found = search(data, query);
      status.textContent = count(found.length) + " pour « " + query + " »";
      var groups = {};
      var order = [];
      found.forEach(function (entry) {
        if (!groups[entry[0]]) {
          groups[entry[0]] = [];
          order.push(entry[0]);
        }
        groups[entry[0]].push(entry);
      });
      order.sort(function (a, b) { return a - b; });
      order.forEach(function (genre) {
        var section = element("section");
        section.appendChild(
          element("h2", "", data.genres[genre] + " (" + groups[genre].length + ")")
        );
        var list = element("ul", "liste");
        groups[genre].forEach(function (entry) {
          var item = element("li");
          item.appendChild(resultLink(data, entry));
          list.appendChild(item);
        });
        section.appendChild(list);
        container.appendChild(section);
      });
    });
  }

  /* --- sortable, filterable tables ---------------------------------------------------------- */

  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    if (!cell) return numeric ? -Infinity : "";
    var value = cell.hasAttribute("data-tri") ? cell.getAttribute("data-tri") : cell.textContent;
    if (numeric) {
      var number = parseFloat(value);
      return isNaN(number) ? -Infinity : number;
    }
    return fold(value);
  }

  function sortable(table) {
    var body = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (header, column) {
      var button = header.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        var numeric = header.getAttribute("data-type") === "nombre";
        var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
          return [cellValue(row, column, numeric), position, row];
        });
        rows.sort(function (a, b) {
          var order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
          return (ascending ? order : -order) || a[1] - b[1];
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (item) { fragment.appendChild(item[2]); });
        body.appendChild(fragment);
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }

  function filterable(filters) {
    var table = document.getElementById(filters.getAttribute("data-table"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var text = filters.querySelector("input[type=search]");
    var selects = Array.prototype.slice.call(filters.querySelectorAll("select"));
    var status = filters.querySelector("[role=status]");
    var noun = filters.getAttribute("data-nom") || "lignes";
    var keys = null;

    function apply() {
      if (!keys) keys = rows.map(function (row) { return fold(row.textContent); });
      var words = text ? fold(text.value).split(" ").filter(Boolean) : [];
      var chosen = selects.map(function (select) {
        return [parseInt(select.getAttribute("data-colonne"), 10), select.value];
      });
      var shown = 0;
      rows.forEach(function (row, position) {
        var visible = words.every(function (word) { return keys[position].indexOf(word) >= 0; })
          && chosen.every(function (choice) {
            var cell = row.cells[choice[0]];
            return !choice[1] || (cell && (" " + cell.getAttribute("data-valeur") + " ")
              .indexOf(" " + choice[1] + " ") >= 0);
          });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (status) {
        status.textContent = shown.toLocaleString("fr-FR") + " " + noun + " sur "
          + rows.length.toLocaleString("fr-FR");
      }
    }

    if (text) text.addEventListener("input", apply);
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    /* #proprietaire=aurelle: a link from elsewhere opens the table already filtered. */
    var preset = false;
    window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var parts = pair.split("=");
      selects.forEach(function (select) {
        if (parts.length === 2 && select.name === parts[0]) {
          select.value = decodeURIComponent(parts[1]);
          preset = true;
        }
      });
    });
    if (preset) apply();
  }

  document.querySelectorAll("form.recherche").forEach(searchBox);
  var page = document.getElementById("recherche-page");
  if (page) searchPage(page);
  document.querySelectorAll("table.triable").forEach(sortable);
  document.querySelectorAll(".filtres").forEach(filterable);
})();
