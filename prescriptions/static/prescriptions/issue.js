// "Add another medicine" on the prescription page: a copy of the empty item form.
(function () {
  var button = document.getElementById("add-item");
  var total = document.getElementById("id_items-TOTAL_FORMS");
  var max = parseInt(document.getElementById("id_items-MAX_NUM_FORMS").value, 10);
  var template = document.getElementById("item-template");
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var index = parseInt(total.value, 10);
    if (index >= max) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    document.getElementById("items").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var fields = document.querySelectorAll("#items .item-form");
    var first = fields[fields.length - 1].querySelector("input, textarea");
    if (first) { first.focus(); }
  });
})();
