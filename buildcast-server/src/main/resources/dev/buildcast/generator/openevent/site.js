/* open-event-site: optional extras. Every page is complete without this file; it adds the schedule's
   search and filters, day tabs, the visitor's own schedule (starred sessions, kept in this browser
   only), click-to-load videos, and share links carrying the page's address when the site's own
   address was not given. No request leaves the site unless the visitor asks for a video or clicks
   a share link. */
(function () {
  "use strict";
  var body = document.body;
  var storeKey = "open-event-site:" + (body.getAttribute("data-event") || "") + ":starred";

  function starred() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function saveStarred(ids) {
    try { localStorage.setItem(storeKey, JSON.stringify(ids)); } catch (e) { /* storage off: stars last for this page only */ }
  }
  function isStarred(id) { return starred().indexOf(id) >= 0; }
  function toggleStar(id) {
    var ids = starred();
    var at = ids.indexOf(id);
    if (at >= 0) ids.splice(at, 1); else ids.push(id);
    saveStarred(ids);
  }

  function paintStar(button) {
    var on = isStarred(button.getAttribute("data-star"));
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = (on ? "★ " : "☆ ") + body.getAttribute(on ? "data-star-remove" : "data-star-add");
  }

  function addStarButtons() {
    var items = document.querySelectorAll("li.session[data-session]");
    for (var i = 0; i < items.length; i++) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "star";
      button.setAttribute("data-star", items[i].getAttribute("data-session"));
      items[i].appendChild(button);
    }
    var buttons = document.querySelectorAll("button.star");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].hidden = false;
      paintStar(buttons[j]);
      buttons[j].addEventListener("click", function (event) {
        toggleStar(event.currentTarget.getAttribute("data-star"));
        paintStar(event.currentTarget);
        filter();
      });
    }
  }

  var form = document.querySelector("form.filters");

  function filter() {
    if (!form) return;
    var text = form.elements.q.value.trim().toLowerCase();
    var track = form.elements.track ? form.elements.track.value : "";
    var room = form.elements.room ? form.elements.room.value : "";
    var mine = form.elements.mine.checked;
    // why: a search looks through every day, not only the day tab that happens to be open
    body.classList.toggle("filtering", !!(text || track || room || mine));
    var items = document.querySelectorAll("main li.session");
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var ok = (!text || item.textContent.toLowerCase().indexOf(text) >= 0)
        && (!track || item.getAttribute("data-track") === track)
        && (!room || item.getAttribute("data-room") === room)
        && (!mine || isStarred(item.getAttribute("data-session")));
      item.hidden = !ok;
      if (ok) shown++;
    }
    var groups = document.querySelectorAll("main .slot, main section");
    for (var g = 0; g < groups.length; g++) {
      var list = groups[g].querySelectorAll("li.session");
      if (!list.length) continue;
      var any = false;
      for (var k = 0; k < list.length; k++) if (!list[k].hidden) { any = true; break; }
      groups[g].hidden = !any;
    }
    form.elements.shown.value = body.getAttribute("data-shown").replace("{0}", shown).replace("{1}", items.length);
  }

  function setUpFilters() {
    if (!form) return;
    form.hidden = false;
    var note = document.querySelector(".no-script-note");
    if (note) note.hidden = true;
    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    if (location.hash === "#mine") form.elements.mine.checked = true;
    filter();
  }

  function setUpDayTabs() {
    var tabs = document.querySelectorAll("nav.days a");
    var days = document.querySelectorAll("main section.day");
    if (tabs.length < 2 || !days.length) return;
    function show(anchor) {
      for (var i = 0; i < days.length; i++) {
        var heading = days[i].querySelector("h2");
        days[i].classList.toggle("other-day", heading && "#" + heading.id !== anchor);
      }
      for (var j = 0; j < tabs.length; j++) {
        tabs[j].setAttribute("aria-current", tabs[j].getAttribute("href") === anchor ? "true" : "false");
      }
    }
    for (var t = 0; t < tabs.length; t++) {
      tabs[t].addEventListener("click", function (event) { show(event.currentTarget.getAttribute("href")); });
    }
    var wanted = location.hash;
    var known = false;
    for (var k = 0; k < tabs.length; k++) if (tabs[k].getAttribute("href") === wanted) known = true;
    show(known ? wanted : tabs[0].getAttribute("href"));
  }

  function setUpVideos() {
    var videos = document.querySelectorAll(".video[data-embed]");
    for (var i = 0; i < videos.length; i++) {
      var box = videos[i];
      var button = box.querySelector("button.video-load");
      var note = box.querySelector(".meta");
      button.hidden = false;
      if (note) note.hidden = false;
      button.addEventListener("click", function (event) {
        var holder = event.currentTarget.parentNode;
        var frame = document.createElement("iframe");
        frame.src = holder.getAttribute("data-embed");
        frame.title = holder.getAttribute("data-title") || "";
        frame.allow = "fullscreen; picture-in-picture";
        frame.setAttribute("allowfullscreen", "");
        frame.loading = "lazy";
        holder.replaceChildren(frame);
      });
    }
  }

  // why only http(s): a page opened from a file has no address anyone else could open
  function setUpShareLinks() {
    var links = document.querySelectorAll("a[data-share]");
    if (links.length === 0 || !/^https?:$/.test(location.protocol)) return;
    var here = encodeURIComponent(location.href.split("#")[0]);
    for (var i = 0; i < links.length; i++) {
      links[i].href = links[i].getAttribute("data-share").split("{url}").join(here);
      links[i].parentNode.hidden = false;
    }
  }

  addStarButtons();
  setUpShareLinks();
  setUpFilters();
  setUpDayTabs();
  setUpVideos();
})();
