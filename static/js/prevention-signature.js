/* The pledge's signature pad: pointer events (finger, pen, mouse) on a canvas, sent as a
   data: PNG in a hidden field. No inline script; loaded only by the signing page. */
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  if (!canvas) return;
  var field = document.getElementById(canvas.getAttribute("data-target"));
  var form = canvas.closest("form");
  var context = canvas.getContext("2d");
  var drawing = false, inked = false, last = null;

  context.lineWidth = 4;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#111";

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left) * canvas.width / box.width,
             y: (event.clientY - box.top) * canvas.height / box.height };
  }
  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    last = point(event);
    context.beginPath();
    context.arc(last.x, last.y, 1.5, 0, 2 * Math.PI);
    context.fill();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    event.preventDefault();
    var next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    inked = true;
  });
  function stop() { drawing = false; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  document.getElementById("signature-clear").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    inked = false;
    field.value = "";
  });
  form.addEventListener("submit", function () {
    field.value = inked ? canvas.toDataURL("image/png") : "";
  });
})();
