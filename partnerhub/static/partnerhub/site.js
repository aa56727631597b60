/* PartnerHub's only script. Everything it does also works without it:
   - the language switcher changes language as soon as a language is chosen
     (without JavaScript its "Change" button submits the form);
   - on wide screens the header menu and the list filters are unfolded for browsers
     that cannot do it in CSS (site.css: ::details-content). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  var wide = window.matchMedia("(min-width: 801px)");
  function unfold() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = wide.matches;
    });
  }
  unfold();
  wide.addEventListener("change", unfold);
})();
